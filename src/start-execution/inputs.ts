/** Inputs of start-execution, all checked before any AWS call. */
import { parseArn } from '../shared/arn.ts';
import { awsInputs, type AwsInputs } from '../shared/aws-inputs.ts';
import { InputError } from '../shared/errors.ts';
import { booleanInput, choiceInput, integerInput, optionalInput } from '../shared/inputs.ts';
import { objectInput } from '../shared/object-input.ts';
import { DISPLAY_NAME_PATTERN } from './naming.ts';

const PIPELINE_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/;
const EXECUTION_ARN_PATTERN =
  /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:pipeline\/[a-zA-Z0-9-]{1,256}\/execution\/[a-z0-9]{1,256}$/;

export interface Inputs extends AwsInputs {
  /** Name or ARN; empty when only waiting on execution-arn. */
  pipeline?: string;
  executionArn?: string;
  /** Parameter values as SageMaker takes them: strings. */
  parameters: Record<string, string>;
  displayName?: string;
  description?: string;
  pipelineVersionId?: number;
  parallelism?: number;
  wait: boolean;
  timeoutMinutes: number;
  stopOnCancel: boolean;
  onTimeout: 'stop' | 'leave';
  onRerun: 'reuse' | 'start-new';
  logLines: number;
  /** RetryPipelineExecution calls allowed after a failure; 0 never retries. */
  retryAttempts: number;
}

/** Pipeline names go as they are; an ARN must be a SageMaker pipeline ARN. */
function readPipeline(): string | undefined {
  const pipeline = optionalInput('pipeline');
  if (pipeline === undefined) return undefined;
  if (pipeline.startsWith('arn:')) {
    const arn = parseArn(pipeline);
    if (!arn || arn.service !== 'sagemaker' || !/^pipeline\/[a-zA-Z0-9-]+$/.test(arn.resource)) {
      throw new InputError(
        'pipeline',
        `'${pipeline}' is not a SageMaker pipeline ARN (arn:aws:sagemaker:<region>:<account>:pipeline/<name>)`,
      );
    }
  } else if (!PIPELINE_NAME_PATTERN.test(pipeline)) {
    throw new InputError(
      'pipeline',
      `'${pipeline}' is not a pipeline name (1-256 letters, digits and single hyphens) or ARN`,
    );
  }
  return pipeline;
}

/** SageMaker takes every parameter value as a string of at most 1024 characters. */
async function readParameters(): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries((await objectInput('parameters')) ?? {})) {
    const text =
      typeof value === 'string'
        ? value
        : value === null
          ? ''
          : typeof value === 'object'
            ? JSON.stringify(value)
            : String(value);
    if (text.length > 1024) {
      throw new InputError(
        'parameters',
        `the value of '${name}' is ${text.length} characters; SageMaker takes at most 1024`,
      );
    }
    values[name] = text;
  }
  return values;
}

export async function readInputs(): Promise<Inputs> {
  const pipeline = readPipeline();
  const executionArn = optionalInput('execution-arn');
  if (executionArn !== undefined && !EXECUTION_ARN_PATTERN.test(executionArn)) {
    throw new InputError(
      'execution-arn',
      `'${executionArn}' is not a pipeline execution ARN (arn:aws:sagemaker:<region>:<account>:pipeline/<name>/execution/<id>)`,
    );
  }
  if (pipeline === undefined && executionArn === undefined) {
    throw new InputError('pipeline', 'is required (or give execution-arn to wait on an execution already started)');
  }
  const displayName = optionalInput('display-name');
  if (displayName !== undefined && !DISPLAY_NAME_PATTERN.test(displayName)) {
    throw new InputError(
      'display-name',
      `'${displayName}' must be 1-82 letters, digits and hyphens, starting and ending with a letter or digit`,
    );
  }
  const description = optionalInput('description');
  if (description !== undefined && description.length > 2800) {
    throw new InputError(
      'description',
      'is over 2800 characters (SageMaker allows 3072, and the run marker needs the rest)',
    );
  }
  const timeoutMinutes = integerInput('timeout-minutes', { min: 1, max: 43200, default: 360 });
  const wait = booleanInput('wait', true);
  const retryAttempts = integerInput('retry-attempts', { min: 0, max: 10, default: 0 });
  if (retryAttempts > 0 && !wait)
    throw new InputError('retry-attempts', 'needs wait: true (a failure is only seen by waiting on the execution)');
  return {
    ...awsInputs(),
    ...(pipeline ? { pipeline } : {}),
    ...(executionArn ? { executionArn } : {}),
    parameters: await readParameters(),
    ...(displayName ? { displayName } : {}),
    ...(description ? { description } : {}),
    ...optionalNumber('pipelineVersionId', integerInput('pipeline-version-id', { min: 1, max: 1_000_000_000 })),
    ...optionalNumber('parallelism', integerInput('parallelism', { min: 1, max: 256 })),
    wait,
    timeoutMinutes,
    stopOnCancel: booleanInput('stop-on-cancel', true),
    onTimeout: choiceInput('on-timeout', ['stop', 'leave'] as const, 'stop'),
    onRerun: choiceInput('on-rerun', ['reuse', 'start-new'] as const, 'reuse'),
    logLines: integerInput('log-lines', { min: 0, max: 200, default: 25 }),
    retryAttempts,
  };
}

function optionalNumber<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

/** Inputs of start-execution, all checked before any AWS call. */
import { checkAwsCount, checkAwsValue } from '../shared/aws-constraints.ts';
import { awsInputs, type AwsInputs } from '../shared/aws-inputs.ts';
import { InputError } from '../shared/errors.ts';
import { booleanInput, choiceInput, integerInput, optionalInput } from '../shared/inputs.ts';
import { objectInput } from '../shared/object-input.ts';

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
}

/**
 * A pipeline name, or its ARN: every call start-execution makes with it (DescribePipeline,
 * StartPipelineExecution, ListPipelineExecutions) takes either, by SageMaker's model.
 */
function readPipeline(): string | undefined {
  const pipeline = optionalInput('pipeline');
  if (pipeline === undefined) return undefined;
  // A name must also be a name by CreatePipeline's rule: the "or ARN" pattern alone lets 300 characters through.
  if (!pipeline.startsWith('arn:')) checkAwsValue('pipeline', 'pipelineName', pipeline);
  return checkAwsValue('pipeline', 'pipelineNameOrArn', pipeline);
}

/** SageMaker takes every parameter value as a string; names and values by its rules. */
async function readParameters(): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  const given = Object.entries((await objectInput('parameters')) ?? {});
  checkAwsCount('parameters', 'parameters', given.length);
  for (const [name, value] of given) {
    checkAwsValue('parameters', 'parameterName', name, 'parameter name ');
    const text =
      typeof value === 'string'
        ? value
        : value === null
          ? ''
          : typeof value === 'object'
            ? JSON.stringify(value)
            : String(value);
    checkAwsValue('parameters', 'parameterValue', text, `the value of '${name}', `);
    values[name] = text;
  }
  return values;
}

export async function readInputs(): Promise<Inputs> {
  const pipeline = readPipeline();
  const executionArn = optionalInput('execution-arn');
  if (executionArn !== undefined) checkAwsValue('execution-arn', 'executionArn', executionArn);
  if (pipeline === undefined && executionArn === undefined) {
    throw new InputError('pipeline', 'is required (or give execution-arn to wait on an execution already started)');
  }
  const displayName = optionalInput('display-name');
  if (displayName !== undefined) checkAwsValue('display-name', 'executionDisplayName', displayName);
  const description = optionalInput('description');
  // The run marker is appended later; main checks the two together before any AWS call.
  if (description !== undefined) checkAwsValue('description', 'executionDescription', description);
  const timeoutMinutes = integerInput('timeout-minutes', { min: 1, max: 43200, default: 360 });
  return {
    ...awsInputs(),
    ...(pipeline ? { pipeline } : {}),
    ...(executionArn ? { executionArn } : {}),
    parameters: await readParameters(),
    ...(displayName ? { displayName } : {}),
    ...(description ? { description } : {}),
    ...optionalNumber('pipelineVersionId', awsInteger('pipeline-version-id', 'pipelineVersionId', 1_000_000_000)),
    ...optionalNumber('parallelism', awsInteger('parallelism', 'parallelism', 256)),
    wait: booleanInput('wait', true),
    timeoutMinutes,
    stopOnCancel: booleanInput('stop-on-cancel', true),
    onTimeout: choiceInput('on-timeout', ['stop', 'leave'] as const, 'stop'),
    onRerun: choiceInput('on-rerun', ['reuse', 'start-new'] as const, 'reuse'),
    logLines: integerInput('log-lines', { min: 0, max: 200, default: 25 }),
  };
}

/** A whole number by AWS's bounds; where the model sets no maximum, `max` keeps a typo small. */
function awsInteger(name: string, kind: 'pipelineVersionId' | 'parallelism', max: number): number | undefined {
  const value = integerInput(name, { min: Number.MIN_SAFE_INTEGER, max });
  return value === undefined ? undefined : checkAwsValue(name, kind, value);
}

function optionalNumber<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

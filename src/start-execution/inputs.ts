/** Inputs of start-execution, all checked before any AWS call. */
import { checkArnForJob } from '../runtime/arn.ts';
import { checkAwsCount, checkAwsValue } from '../runtime/aws-constraints.ts';
import { awsInputs, type AwsInputs } from '../runtime/aws-inputs.ts';
import { InputError } from '../runtime/errors.ts';
import { booleanInput, choiceInput, integerInput, optionalInput, refuseUnless } from '../runtime/inputs.ts';
import { objectInput } from '../runtime/object-input.ts';

export interface Inputs extends AwsInputs {
  /** Name or ARN; empty when only waiting on execution-arn. */
  pipelineName?: string;
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

/**
 * A pipeline name, or its ARN: every call start-execution makes with it (DescribePipeline,
 * StartPipelineExecution, ListPipelineExecutions) takes either, by SageMaker's model.
 */
function readPipeline(region: string): string | undefined {
  const pipeline = optionalInput('pipeline-name');
  if (pipeline === undefined) return undefined;
  // A name must also be a name by CreatePipeline's rule: the "or ARN" pattern alone lets 300 characters through.
  if (!pipeline.startsWith('arn:')) checkAwsValue('pipeline-name', 'pipelineName', pipeline);
  checkAwsValue('pipeline-name', 'pipelineNameOrArn', pipeline);
  if (pipeline.startsWith('arn:')) checkArnForJob('pipeline-name', pipeline, region);
  return pipeline;
}

/** The pipeline an execution ARN belongs to: arn:…:pipeline/<name>/execution/<id>. */
export const pipelineOfExecution = (executionArn: string): string | undefined =>
  /:pipeline\/([^/]+)\/execution\//.exec(executionArn)?.[1];

/**
 * Waiting on an execution already started (execution-arn) starts nothing: what only shapes a new
 * execution would be dropped without a word, and another pipeline's name contradicts the ARN.
 */
function checkResuming(executionArn: string, pipeline: string | undefined): void {
  const resumed = pipelineOfExecution(executionArn);
  const named = pipeline?.startsWith('arn:') ? pipeline.split('/').pop() : pipeline;
  if (named !== undefined && named !== resumed) {
    throw new InputError(
      'pipeline-name',
      `is ${named}, but input 'execution-arn' is an execution of pipeline ${resumed}; give one of them, or both for the same pipeline`,
    );
  }
  const starting = "when starting an execution, not with input 'execution-arn' (which waits on one already started)";
  for (const input of ['parameters', 'display-name', 'description', 'pipeline-version-id'])
    refuseUnless(false, input, starting);
  refuseUnless(false, 'on-rerun', starting, 'reuse');
}

/** SageMaker takes every parameter value as a string; names and values by its rules. */
async function readParameters(): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  const given = Object.entries((await objectInput('parameters')) ?? {});
  checkAwsCount('parameters', 'parameters', given.length);
  for (const [name, value] of given) {
    checkAwsValue('parameters', 'parameterName', name, 'parameter name ');
    const text =
      // A number, a boolean or a mapping from YAML or JSON: written as JSON writes it (2, true, {"a":1}).
      typeof value === 'string' ? value : value === null ? '' : JSON.stringify(value);
    checkAwsValue('parameters', 'parameterValue', text, `the value of '${name}', `);
    values[name] = text;
  }
  return values;
}

export async function readInputs(): Promise<Inputs> {
  const aws = awsInputs();
  const pipeline = readPipeline(aws.region);
  const executionArn = optionalInput('execution-arn');
  if (executionArn !== undefined) {
    checkAwsValue('execution-arn', 'executionArn', executionArn);
    checkArnForJob('execution-arn', executionArn, aws.region);
    checkResuming(executionArn, pipeline);
  }
  if (pipeline === undefined && executionArn === undefined) {
    throw new InputError(
      'pipeline-name',
      'is required (or give execution-arn to wait on an execution already started)',
    );
  }
  const displayName = optionalInput('display-name');
  if (displayName !== undefined) checkAwsValue('display-name', 'executionDisplayName', displayName);
  const description = optionalInput('description');
  // The run marker is appended later; main checks the two together before any AWS call.
  if (description !== undefined) checkAwsValue('description', 'executionDescription', description);
  const timeoutMinutes = integerInput('timeout-minutes', { min: 1, max: 43200, default: 360 });
  const wait = booleanInput('wait', true);
  const retryAttempts = integerInput('retry-attempts', { min: 0, max: 10, default: 0 });
  if (retryAttempts > 0 && !wait)
    throw new InputError('retry-attempts', 'needs wait: true (a failure is only seen by waiting on the execution)');
  // How a wait behaves means nothing to a step that does not wait.
  const waiting = 'with wait: true';
  refuseUnless(wait, 'timeout-minutes', waiting, '360');
  refuseUnless(wait, 'on-timeout', waiting, 'stop');
  refuseUnless(wait, 'stop-on-cancel', waiting, 'true');
  refuseUnless(wait, 'log-lines', waiting, '25');
  return {
    ...aws,
    ...(pipeline ? { pipelineName: pipeline } : {}),
    ...(executionArn ? { executionArn } : {}),
    parameters: await readParameters(),
    ...(displayName ? { displayName } : {}),
    ...(description ? { description } : {}),
    ...optionalNumber('pipelineVersionId', awsInteger('pipeline-version-id', 'pipelineVersionId', 1_000_000_000)),
    ...optionalNumber('parallelism', awsInteger('parallelism', 'parallelism', 256)),
    wait,
    timeoutMinutes,
    stopOnCancel: booleanInput('stop-on-cancel', true),
    onTimeout: choiceInput('on-timeout', ['stop', 'leave'] as const, 'stop'),
    onRerun: choiceInput('on-rerun', ['reuse', 'start-new'] as const, 'reuse'),
    logLines: integerInput('log-lines', { min: 0, max: 200, default: 25 }),
    retryAttempts,
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

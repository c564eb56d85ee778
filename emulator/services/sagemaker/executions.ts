import type { Handler, OperationContext } from '../../registry.ts';
import type { EmulatorState } from '../../state.ts';
import type { JsonInput } from '../json-input.ts';
import {
  byTime,
  createdBetween,
  executionId,
  inputOf,
  listPage,
  notFound,
  scopeOf,
  sortOrder,
  userContext,
  validation,
  type Scope,
} from './common.ts';
import type { PipelineGraph } from './definition.ts';
import { executionStatusChanged } from './events.ts';
import { typedParameter, type Value } from './expressions.ts';
import { findExecution, findPipeline, pipelineVersion, type Execution, type StepRun } from './pipeline-store.ts';
import { pipelinesOf, requestStop, retryExecution } from './simulation.ts';
import { startingMs } from './step-kinds.ts';

// StartPipelineExecution, DescribePipelineExecution, ListPipelineExecutions,
// ListPipelineExecutionSteps, StopPipelineExecution, RetryPipelineExecution,
// DescribePipelineDefinitionForExecution,
// ListPipelineParametersForExecution.

const DEFAULT_PARALLELISM = 50;

function storeOf(context: OperationContext) {
  return pipelinesOf(context.state, scopeOf(context));
}

function executionOf(context: OperationContext, input: JsonInput): Execution {
  const arn = input.string('PipelineExecutionArn') ?? '';
  return findExecution(storeOf(context), arn);
}

function readParameters(input: JsonInput): { Name: string; Value: string }[] {
  return (input.list('PipelineParameters') ?? []) as { Name: string; Value: string }[];
}

function valueProblem(type: string, value: string): boolean {
  if (type === 'Integer') return !/^[-+]?\d+$/.test(value.trim());
  if (type === 'Float') return value.trim() === '' || !Number.isFinite(Number(value));
  if (type === 'Boolean') return !/^(true|false)$/i.test(value);
  return false;
}

/** Every declared parameter, typed, from the given values and the defaults. */
function bindParameters(
  graph: PipelineGraph | undefined,
  given: { Name: string; Value: string }[],
): Map<string, Value> {
  const bound = new Map<string, Value>();
  const seen = new Set<string>();
  for (const { Name } of given) {
    if (seen.has(Name)) throw validation(`Pipeline parameter '${Name}' is given more than once.`);
    seen.add(Name);
  }
  // Every version has a graph now that S3-located definitions are read; kept for safety.
  if (!graph) {
    for (const { Name, Value } of given) bound.set(Name, Value);
    return bound;
  }
  const declared = new Map(graph.parameters.map((p) => [p.name, p]));
  for (const { Name, Value } of given) {
    const parameter = declared.get(Name);
    if (!parameter) throw validation(`Pipeline parameter '${Name}' is not defined in the pipeline definition.`);
    if (valueProblem(parameter.type, Value))
      throw validation(`Value '${Value}' of pipeline parameter '${Name}' is not a valid ${parameter.type}.`);
    bound.set(Name, typedParameter(parameter.type, Value));
  }
  for (const parameter of graph.parameters) {
    if (bound.has(parameter.name)) continue;
    if (parameter.defaultValue === undefined)
      throw validation(`Pipeline parameter '${parameter.name}' has no default value and must be provided.`);
    bound.set(parameter.name, parameter.defaultValue);
  }
  return bound;
}

/** What starting an execution takes, whoever starts it: a caller, a schedule or a rule. */
export interface ExecutionStart {
  /** The pipeline's name or ARN, in `scope`. */
  pipeline: string;
  parameters: { Name: string; Value: string }[];
  displayName?: string | undefined;
  description?: string | undefined;
  token?: string | undefined;
  versionId?: number | undefined;
  parallelism?: number | undefined;
  createdBy: Record<string, unknown>;
  /** Simulated ms the execution starts at: now for a call, the occurrence or event time for a target. */
  time: number;
}

/** Starts an execution (or answers with the one the same token started); returns its ARN. */
export function startExecution(state: EmulatorState, scope: Scope, start: ExecutionStart): string {
  const store = pipelinesOf(state, scope);
  const pipeline = findPipeline(scope, store, start.pipeline);
  // The same token on the same pipeline is the same request: answer with its execution.
  const earlier = start.token === undefined ? undefined : pipeline.startTokens.get(start.token);
  if (earlier !== undefined && store.executions.has(earlier)) return earlier;

  const version = pipelineVersion(pipeline, start.versionId);
  if (!version) throw notFound(`Pipeline '${pipeline.name}' has no version.`);
  const parameters = bindParameters(version.graph, start.parameters);
  const now = start.time;
  const id = executionId();
  const execution: Execution = {
    id,
    arn: `${pipeline.arn}/execution/${id}`,
    pipelineName: pipeline.name,
    pipelineArn: pipeline.arn,
    roleArn: pipeline.roleArn,
    version,
    displayName: start.displayName ?? `execution-${now}`,
    description: start.description,
    givenParameters: start.parameters,
    parameters,
    parallelism: start.parallelism ?? pipeline.parallelism ?? DEFAULT_PARALLELISM,
    parallelismGiven: start.parallelism,
    creationTime: now,
    createdBy: start.createdBy,
    status: 'Executing',
    failureReason: undefined,
    endTime: undefined,
    cursor: now,
    stepFailed: false,
    stopRequestedAt: undefined,
    stopCompleteAt: undefined,
    stopToken: undefined,
    runs: new Map(),
    stepRuns: new Map(),
    retryTokens: new Set(),
  };
  store.executions.set(execution.arn, execution);
  if (start.token !== undefined) pipeline.startTokens.set(start.token, execution.arn);
  pipeline.lastRunTime = Math.max(pipeline.lastRunTime ?? 0, now);
  executionStatusChanged(state, execution, undefined, now);
  return execution.arn;
}

function startPipelineExecution(context: OperationContext): Record<string, unknown> {
  const input = inputOf(context);
  if (input.object('SelectiveExecutionConfig'))
    throw validation('SelectiveExecutionConfig is not supported by the emulator.');
  const arn = startExecution(context.state, scopeOf(context), {
    pipeline: input.string('PipelineName') ?? '',
    parameters: readParameters(input),
    displayName: input.string('PipelineExecutionDisplayName'),
    description: input.string('PipelineExecutionDescription'),
    token: input.string('ClientRequestToken'),
    versionId: input.number('PipelineVersionId'),
    parallelism: input.object('ParallelismConfiguration')?.MaxParallelExecutionSteps as number | undefined,
    createdBy: userContext(context),
    time: context.state.clock.now(),
  });
  return { PipelineExecutionArn: arn };
}

function lastModified(execution: Execution): number {
  return execution.endTime ?? execution.stopRequestedAt ?? execution.creationTime;
}

function describePipelineExecution(context: OperationContext): Record<string, unknown> {
  const execution = executionOf(context, inputOf(context));
  return {
    PipelineArn: execution.pipelineArn,
    PipelineExecutionArn: execution.arn,
    PipelineExecutionDisplayName: execution.displayName,
    PipelineExecutionStatus: execution.status,
    ...(execution.description !== undefined ? { PipelineExecutionDescription: execution.description } : {}),
    PipelineExperimentConfig: { ExperimentName: execution.pipelineName.toLowerCase(), TrialName: execution.id },
    ...(execution.failureReason !== undefined ? { FailureReason: execution.failureReason } : {}),
    CreationTime: new Date(execution.creationTime),
    LastModifiedTime: new Date(lastModified(execution)),
    CreatedBy: execution.createdBy,
    LastModifiedBy: execution.createdBy,
    ...(execution.parallelismGiven !== undefined
      ? { ParallelismConfiguration: { MaxParallelExecutionSteps: execution.parallelismGiven } }
      : {}),
    PipelineVersionId: execution.version.id,
  };
}

function listPipelineExecutions(context: OperationContext): Record<string, unknown> {
  const input = inputOf(context);
  const name = input.string('PipelineName') ?? '';
  const sortBy = input.string<'CreationTime' | 'PipelineExecutionArn'>('SortBy') ?? 'CreationTime';
  const order = sortOrder(input, 'Descending');
  const created = createdBetween(input);
  const store = storeOf(context);
  const pipeline = findPipeline(scopeOf(context), store, name);
  const executions = [...store.executions.values()]
    .filter((e) => e.pipelineArn === pipeline.arn && created(e.creationTime))
    .sort(
      sortBy === 'PipelineExecutionArn'
        ? (a, b) => (order === 'Ascending' ? 1 : -1) * a.arn.localeCompare(b.arn)
        : byTime((e: Execution) => e.creationTime, order),
    );
  const page = listPage(input, `ListPipelineExecutions/${sortBy}/${order}`, executions);
  return {
    PipelineExecutionSummaries: page.items.map((e) => ({
      PipelineExecutionArn: e.arn,
      StartTime: new Date(e.creationTime),
      PipelineExecutionStatus: e.status,
      ...(e.description !== undefined ? { PipelineExecutionDescription: e.description } : {}),
      PipelineExecutionDisplayName: e.displayName,
      ...(e.failureReason !== undefined ? { PipelineExecutionFailureReason: e.failureReason } : {}),
    })),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
}

function stepView(run: StepRun, now: number): Record<string, unknown> {
  const starting = run.status === 'Executing' && now < run.startTime + startingMs(run);
  return {
    StepName: run.node.name,
    ...(run.node.displayName !== undefined ? { StepDisplayName: run.node.displayName } : {}),
    ...(run.node.description !== undefined ? { StepDescription: run.node.description } : {}),
    StartTime: new Date(run.startTime),
    ...(run.endTime !== undefined ? { EndTime: new Date(run.endTime) } : {}),
    StepStatus: starting ? 'Starting' : run.status,
    ...(run.status === 'Failed' && run.failureReason !== undefined ? { FailureReason: run.failureReason } : {}),
    Metadata: run.metadata,
    AttemptCount: run.attempts,
  };
}

function listPipelineExecutionSteps(context: OperationContext): Record<string, unknown> {
  const input = inputOf(context);
  const order = sortOrder(input, 'Descending');
  const execution = executionOf(context, input);
  // Newest first by default, as SageMaker lists them; steps started together keep definition order reversed.
  const runs = [...execution.runs.values()].sort((a, b) => a.startTime - b.startTime || a.order - b.order);
  if (order === 'Descending') runs.reverse();
  const page = listPage(input, `ListPipelineExecutionSteps/${order}`, runs);
  const now = context.state.clock.now();
  return {
    PipelineExecutionSteps: page.items.map((run) => stepView(run, now)),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
}

function stopPipelineExecution(context: OperationContext): Record<string, unknown> {
  const input = inputOf(context);
  const token = input.string('ClientRequestToken');
  const execution = executionOf(context, input);
  requestStop(context.state, scopeOf(context), execution, token);
  return { PipelineExecutionArn: execution.arn };
}

function retryPipelineExecution(context: OperationContext): Record<string, unknown> {
  const input = inputOf(context);
  // The model check has passed: the token's length and the parallelism's range are AWS's own.
  const token = input.string('ClientRequestToken') ?? '';
  const parallelism = input.object('ParallelismConfiguration')?.MaxParallelExecutionSteps as number | undefined;
  const execution = executionOf(context, input);
  retryExecution(context.state, scopeOf(context), execution, token);
  if (parallelism !== undefined) {
    execution.parallelism = parallelism;
    execution.parallelismGiven = parallelism;
  }
  return { PipelineExecutionArn: execution.arn };
}

function describePipelineDefinitionForExecution(context: OperationContext): Record<string, unknown> {
  const execution = executionOf(context, inputOf(context));
  return {
    ...(execution.version.definition !== undefined ? { PipelineDefinition: execution.version.definition } : {}),
    CreationTime: new Date(execution.version.creationTime),
  };
}

function listPipelineParametersForExecution(context: OperationContext): Record<string, unknown> {
  const input = inputOf(context);
  const execution = executionOf(context, input);
  const parameters = [...execution.parameters].map(([Name, Value]) => ({ Name, Value: String(Value) }));
  const page = listPage(input, 'ListPipelineParametersForExecution', parameters);
  return { PipelineParameters: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
}

export const executionOperations: Record<string, Handler> = {
  StartPipelineExecution: startPipelineExecution,
  DescribePipelineExecution: describePipelineExecution,
  ListPipelineExecutions: listPipelineExecutions,
  ListPipelineExecutionSteps: listPipelineExecutionSteps,
  StopPipelineExecution: stopPipelineExecution,
  RetryPipelineExecution: retryPipelineExecution,
  DescribePipelineDefinitionForExecution: describePipelineDefinitionForExecution,
  ListPipelineParametersForExecution: listPipelineParametersForExecution,
};

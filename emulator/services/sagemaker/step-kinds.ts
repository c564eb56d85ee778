import type { EmulatorState } from '../../state.ts';
import type { StepBehaviour } from '../../types.ts';
import type { LogStore } from '../log-store.ts';
import { arnOf, jobSuffix, type Scope } from './common.ts';
import type { StepType } from './definition.ts';
import { resolve, type ExpressionScope, type Value } from './expressions.ts';
import { defaultJobLines, jobLogLocation, scheduleLines, type JobKind } from './job-logs.ts';
import { registerFromPipeline } from './model-registry.ts';
import { addModel } from './models.ts';
import type { Execution, StepRun } from './pipeline-store.ts';

/** What each step type does when it starts and when it ends, beyond the common bookkeeping. */

export interface RunEnv {
  state: EmulatorState;
  scope: Scope;
  logs: LogStore;
}

const JOB_TYPES: Partial<Record<StepType, { kind: JobKind; resource: string; metadata: string }>> = {
  Training: { kind: 'Training', resource: 'training-job', metadata: 'TrainingJob' },
  Processing: { kind: 'Processing', resource: 'processing-job', metadata: 'ProcessingJob' },
  Transform: { kind: 'Transform', resource: 'transform-job', metadata: 'TransformJob' },
};

const QUICK_STEPS: ReadonlySet<StepType> = new Set(['Condition', 'Fail']);
const MODEL_STEPS: ReadonlySet<StepType> = new Set(['RegisterModel', 'Model', 'CreateModel']);

export function defaultDurationSeconds(type: StepType): number {
  if (QUICK_STEPS.has(type)) return 1;
  if (MODEL_STEPS.has(type)) return 5;
  return 60;
}

export function defaultFailureReason(type: StepType): string {
  return JOB_TYPES[type]
    ? 'AlgorithmError: See job logs for more information'
    : `ClientError: The ${type} step failed.`;
}

/** Job steps report Starting while their instances come up. */
export function startingMs(run: StepRun): number {
  return JOB_TYPES[run.node.type] ? Math.min(2000, (run.plannedEnd - run.startTime) / 2) : 0;
}

/**
 * "pipelines-<execution id>-<StepName>-<10 alnum>", at most 63 characters, as SageMaker
 * pipelines name the jobs they start; the step name is cut and cleaned to fit.
 */
export function generatedName(execution: Execution, stepName: string): string {
  const room = 63 - 'pipelines-'.length - execution.id.length - 2 - 10;
  const step = stepName.replace(/[^a-zA-Z0-9-]/g, '-').slice(0, room);
  return `pipelines-${execution.id}-${step}-${jobSuffix()}`;
}

export function expressionScope(execution: Execution, env: RunEnv, now: number): ExpressionScope {
  return {
    parameters: execution.parameters,
    execution: {
      PipelineExecutionId: execution.id,
      PipelineExecutionArn: execution.arn,
      PipelineName: execution.pipelineName,
      PipelineArn: execution.pipelineArn,
      StartDateTime: new Date(execution.creationTime).toISOString(),
      CurrentDateTime: new Date(now).toISOString(),
    },
    stepProperty: (step, path): Value | undefined => {
      const run = execution.runs.get(step);
      const property = path.join('.');
      if (!run) return undefined;
      if (run.job) {
        if (property === 'ModelArtifacts.S3ModelArtifacts')
          return `s3://sagemaker-${env.scope.region}-${env.scope.account}/${run.job.name}/output/model.tar.gz`;
        if (/^(Training|Processing|Transform)JobName$/.test(property)) return run.job.name;
        if (/^(Training|Processing|Transform)JobArn$/.test(property)) return run.job.arn;
      }
      if (property === 'ModelPackageArn') return (run.metadata.RegisterModel as { Arn?: string } | undefined)?.Arn;
      return undefined;
    },
  };
}

function startJob(execution: Execution, run: StepRun, env: RunEnv, behaviour: StepBehaviour): void {
  const job = JOB_TYPES[run.node.type];
  if (!job) return;
  const name = generatedName(execution, run.node.name);
  const arn = arnOf(env.scope, job.resource, name);
  const lines =
    behaviour.logLines ?? defaultJobLines(job.kind, run.outcome === 'Failed' ? run.failureReason : undefined);
  run.job = {
    name,
    arn,
    log: {
      ...jobLogLocation(job.kind, name, run.startTime),
      lines: scheduleLines(lines, run.startTime, run.plannedEnd),
      written: 0,
    },
  };
  run.metadata[job.metadata] = { Arn: arn };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Metadata and decisions a step has from its start. */
export function onStart(execution: Execution, run: StepRun, env: RunEnv, behaviour: StepBehaviour): void {
  const node = run.node;
  switch (node.type) {
    case 'Training':
    case 'Processing':
    case 'Transform':
      startJob(execution, run, env, behaviour);
      return;
    case 'Fail': {
      // A Fail step always fails, with the message its definition gives.
      const args = (node.raw.Arguments ?? {}) as Record<string, unknown>;
      const message = text(resolve(args.ErrorMessage ?? '', expressionScope(execution, env, run.startTime)));
      run.outcome = 'Failed';
      run.failureReason = message;
      run.metadata.Fail = { ErrorMessage: message };
      return;
    }
    case 'Tuning':
      run.metadata.TuningJob = {
        Arn: arnOf(env.scope, 'hyper-parameter-tuning-job', `${execution.id}-${jobSuffix()}`.slice(0, 32)),
      };
      return;
    case 'AutoML':
      run.metadata.AutoMLJob = { Arn: arnOf(env.scope, 'automl-job', `${execution.id}-${jobSuffix()}`.slice(0, 32)) };
      return;
    case 'Model':
    case 'CreateModel':
      run.metadata.Model = { Arn: arnOf(env.scope, 'model', generatedName(execution, node.name)) };
      return;
    case 'Lambda':
      if (typeof node.raw.FunctionArn === 'string')
        run.metadata.Lambda = { Arn: node.raw.FunctionArn, OutputParameters: [] };
      return;
    case 'QualityCheck':
    case 'ClarifyCheck':
      run.metadata[node.type] = {
        CheckType: typeof node.raw.CheckType === 'string' ? node.raw.CheckType : undefined,
        CheckJobArn: arnOf(env.scope, 'processing-job', generatedName(execution, node.name)),
      };
      return;
    default:
      return;
  }
}

/** What a step does as it succeeds; may still turn it into a failure (RegisterModel into a missing group). */
export function onSuccess(execution: Execution, run: StepRun, env: RunEnv, time: number): void {
  if (run.node.type === 'Condition') {
    run.metadata.Condition = { Outcome: run.conditionOutcome ? 'True' : 'False' };
  } else if (run.node.type === 'Model' || run.node.type === 'CreateModel') {
    // The model the step creates is a real model afterwards: endpoint configs can use it.
    const args = resolve(run.node.raw.Arguments ?? {}, expressionScope(execution, env, time)) as Record<
      string,
      unknown
    >;
    const containers = [args.PrimaryContainer, ...(Array.isArray(args.Containers) ? args.Containers : [])];
    const images = containers
      .map((container) => (container as { Image?: unknown } | undefined)?.Image)
      .filter((image): image is string => typeof image === 'string');
    const name = String((run.metadata.Model as { Arn: string }).Arn.split('/')[1]);
    addModel(env.state, env.scope, name, args, images, time);
  } else if (run.node.type === 'RegisterModel') {
    const args = resolve(run.node.raw.Arguments ?? {}, expressionScope(execution, env, time)) as Record<
      string,
      unknown
    >;
    const result = registerFromPipeline(env.state, env.scope, execution.roleArn, args, time);
    if ('arn' in result) {
      run.metadata.RegisterModel = { Arn: result.arn };
    } else {
      run.outcome = 'Failed';
      run.failureReason = result.failure;
    }
  }
}

/**
 * Runs one job with steps: its environment approval, env, OIDC permission and
 * claims, each step's `if`/`with`/`env`/`continue-on-error`/`timeout-minutes`,
 * the post steps, the job's outputs and its timeout — on a fresh RUNNER_TEMP
 * and workspace, like a new runner.
 */
import { join } from 'node:path';
import { WorkflowRuntimeError } from './errors.ts';
import {
  evaluateCondition,
  evaluateExpression,
  evaluateString,
  evaluateStringMap,
  evaluateToken,
  toData,
  truthy,
  withStatusFunction,
  type ExpressionData,
  type ExpressionScope,
  type StatusFunctions,
} from './expressions.ts';
import { isApproved } from './approval.ts';
import { githubContext } from './github-context.ts';
import { SimulatedJob } from './job.ts';
import { Masker } from './masker.ts';
import { matrixContexts, type MatrixLeg } from './matrix-job.ts';
import { jobIdToken } from './permissions.ts';
import {
  inputsContext,
  jobsContext,
  secretsContext,
  stepsContext,
  type FinishedJob,
  type StepState,
} from './run-contexts.ts';
import type { RunFacts } from './run-facts.ts';
import type { RunState, WorkflowLevel } from './run-state.ts';
import { executeStep, type StepWork } from './step-executor.ts';
import { find, isMapping, sourceText } from './tokens.ts';
import type { JobResult, JobStatus, StepRunResult } from './types.ts';
import { workflowRef } from './uses.ts';
import type { LoadedStep } from './workflow-loader.ts';
import type { StepsJobModel } from './workflow-model.ts';

/** GitHub's default job timeout. */
const DEFAULT_TIMEOUT_MINUTES = 360;

export interface JobRun {
  run: RunState;
  level: WorkflowLevel;
  job: StepsJobModel;
  path: string;
  needs: Map<string, FinishedJob>;
  /** The matrix combination this job runs for, if the job has a strategy. */
  leg?: MatrixLeg | undefined;
}

/** The contexts every expression of a job sees, before steps are added. */
export function jobContexts(
  run: RunState,
  level: WorkflowLevel,
  jobId: string,
  needs: Map<string, FinishedJob>,
  workspace = '',
  leg: MatrixLeg | undefined = undefined,
): Record<string, ExpressionData> {
  return {
    github: toData(githubContext(jobFacts(run, level, jobId), { workspace, event: run.event })),
    inputs: inputsContext(level.inputs, level.inputNames),
    vars: toData(run.options.vars ?? {}),
    needs: jobsContext('needs', jobId, needs),
    secrets: secretsContext(level.secrets, level.declaredSecrets),
    ...matrixContexts(jobId, leg),
  };
}

/** The run's facts as one job sees them: its id, its environment, the workflow file it is written in. */
function jobFacts(run: RunState, level: WorkflowLevel, jobId: string, environment?: string): RunFacts {
  return {
    ...run.facts,
    job: jobId,
    jobWorkflowRef: workflowRef(level.identity),
    ...(environment ? { environment } : {}),
  };
}

export async function runStepsJob({ run, level, job, path, needs, leg }: JobRun): Promise<JobResult> {
  const file = level.loaded.model.file;
  const result: JobResult = {
    id: job.id,
    path,
    name: job.id,
    result: 'success',
    outcome: 'success',
    outputs: {},
    steps: [],
    summary: '',
    needs: job.needs,
    startedAt: Date.now(),
    durationMs: 0,
  };
  const finish = (): JobResult => {
    result.durationMs = Date.now() - result.startedAt;
    result.summary = result.steps
      .map((step) => step.summary)
      .filter((summary) => summary.trim() !== '')
      .join('\n');
    return result;
  };
  const failWith = (error: unknown): void => {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof WorkflowRuntimeError) level.errors.push(message);
    result.error = result.error ? `${result.error}\n${message}` : message;
    result.outcome = 'failure';
    result.result = 'failure';
  };

  const contexts = jobContexts(run, level, job.id, needs, '', leg);
  const jobLevel: ExpressionScope = {
    contexts: { ...contexts, env: toData(level.env) },
    status: { success: () => true, failure: () => false, cancelled: () => run.signal.aborted },
  };
  let environment: string | undefined;
  let jobEnv: Record<string, string>;
  let timeoutMinutes: number;
  let continueOnError: boolean;
  try {
    if (job.name) result.name = evaluateString(job.name, file, jobLevel);
    const environmentName =
      job.environment && isMapping(job.environment) ? find(job.environment, 'name') : job.environment;
    if (environmentName) environment = evaluateString(environmentName, file, jobLevel) || undefined;
    jobEnv = { ...level.env, ...evaluateStringMap(job.env, file, jobLevel) };
    timeoutMinutes = job.timeoutMinutes
      ? Number(evaluateToken(job.timeoutMinutes, file, jobLevel))
      : DEFAULT_TIMEOUT_MINUTES;
    continueOnError = job.continueOnError ? isTrue(evaluateToken(job.continueOnError, file, jobLevel)) : false;
  } catch (error) {
    failWith(error);
    return finish();
  }
  if (environment) {
    result.environment = { name: environment };
    const approved = await isApproved(run.options.approve, {
      environment,
      job: path,
      workflow: run.facts.workflow,
    });
    if (!approved) {
      failWith(`deployment to environment '${environment}' was not approved; the job did not start`);
      return finish();
    }
  }
  run.options.onJobStart?.(path);

  const masker = new Masker(run.masker);
  const simulated = new SimulatedJob({
    context: jobFacts(run, level, job.id, environment),
    emulator: run.options.endpoint,
    ...(run.options.oidcIssuer ? { oidcIssuer: run.options.oidcIssuer } : {}),
    idToken: jobIdToken(job.permissions, level.loaded.model.permissions, level.idTokenCeiling),
    env: jobEnv,
    runnerEnv: run.runnerEnv,
    event: run.event,
  });
  const jobTimeout = new AbortController();
  const timer = setTimeout(() => jobTimeout.abort(), (timeoutMinutes * 60_000) / run.timeScale);
  const cancelled = (): boolean => run.signal.aborted || jobTimeout.signal.aborted;
  let status: 'success' | 'failure' = 'success';
  const stepStatus: StatusFunctions = {
    success: () => !cancelled() && status === 'success',
    failure: () => status === 'failure',
    cancelled,
  };
  const runner = {
    os: 'Linux',
    arch: 'X64',
    name: 'local-runner',
    environment: 'github-hosted',
    temp: simulated.runnerTemp,
    tool_cache: join(simulated.runnerTemp, '..', 'tool-cache'),
    debug: '',
  };
  const steps = level.loaded.steps.get(job.id) ?? [];
  const states: StepState[] = [];
  const scopeAt = (index: number, env: Record<string, string>): ExpressionScope => ({
    contexts: {
      ...jobContexts(run, level, job.id, needs, simulated.workspace, leg),
      steps: stepsContext(job.id, states, laterIds(steps, index)),
      job: toData({ status: cancelled() ? 'cancelled' : status, container: {}, services: {} }),
      runner: toData(runner),
      env: toData(env),
    },
    status: stepStatus,
  });
  const record = (step: Omit<StepRunResult, 'startedAt' | 'durationMs'>, startedAt = Date.now()): void => {
    const timed: StepRunResult = { ...step, startedAt, durationMs: Date.now() - startedAt };
    result.steps.push(timed);
    run.options.onStepEnd?.(path, timed);
  };

  try {
    for (const [index, step] of steps.entries()) {
      const outcome = await runStep(step, index);
      if (outcome === 'failure') status = 'failure';
    }
    for (const post of simulated.pendingPosts()) {
      const name = `Post ${post.label ?? post.action}`;
      try {
        const condition = withStatusFunction(post.postIf ?? 'always()');
        if (!truthy(evaluateExpression(condition, file, undefined, scopeAt(steps.length, jobEnv)))) continue;
      } catch (error) {
        failWith(error);
        continue;
      }
      // Post steps clean up, so they run after a cancellation too (and can be cancelled again).
      const signal = cancelled() ? new AbortController().signal : run.signal;
      const postStarted = Date.now();
      const done = await executeStep(
        { kind: 'post', post },
        stepContext(name, 'post', {}, signal, () => false),
      );
      record({ id: undefined, name, kind: 'post', conclusion: done.outcome, ...done }, postStarted);
      if (done.outcome === 'failure') status = 'failure';
    }
    if (jobTimeout.signal.aborted && !run.signal.aborted) {
      failWith(`the job has exceeded the maximum execution time of ${timeoutMinutes} minutes`);
    }
    const all = scopeAt(steps.length, { ...jobEnv, ...simulated.jobEnv });
    for (const output of job.outputs) {
      try {
        const value = evaluateString(output.value, file, all);
        // GitHub drops an output that contains a masked value rather than pass it to other jobs.
        if (masker.reveals(value)) {
          level.notes.push(`${path}: Skip output '${output.name}' since it may contain secret.`);
          continue;
        }
        result.outputs[output.name] = value;
      } catch (error) {
        failWith(error);
      }
    }
    if (result.environment && job.environment && isMapping(job.environment)) {
      const url = find(job.environment, 'url');
      try {
        if (url) result.environment.url = evaluateString(url, file, all);
      } catch (error) {
        failWith(error);
      }
    }
  } finally {
    clearTimeout(timer);
    if (!run.options.keepTemp) simulated.dispose();
  }
  if (status === 'failure') result.outcome = 'failure';
  if (cancelled() && run.signal.aborted) result.outcome = 'cancelled';
  result.result = result.outcome === 'failure' && continueOnError ? 'success' : result.outcome;
  return finish();

  function stepContext(
    name: string,
    stepId: string,
    env: Record<string, string>,
    signal: AbortSignal,
    stepTimedOut: () => boolean,
  ): Parameters<typeof executeStep>[1] {
    return {
      job: simulated,
      masker,
      name,
      stepId,
      env,
      signal,
      stepTimedOut,
      onLog: (line) => run.options.onStepLog?.(path, name, line),
    };
  }

  /** Runs one step; returns what it means for the job (failure unless continue-on-error). */
  async function runStep(step: LoadedStep, index: number): Promise<JobStatus> {
    // `states` holds the earlier steps only while this step's values are evaluated: a step cannot see itself.
    const state: StepState = { info: step.info, outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
    let name = defaultName(step);
    const envNow = { ...jobEnv, ...simulated.jobEnv };
    let work: StepWork;
    let stepEnv: Record<string, string>;
    let continueOnError = false;
    let timeoutMs: number | undefined;
    try {
      const outer = scopeAt(index, envNow);
      if (!evaluateCondition(step.if, file, outer)) {
        // A skipped step is still listed under its own name, as GitHub lists it.
        if (step.name) {
          try {
            name = evaluateString(step.name, file, outer);
          } catch {
            // A name that cannot be evaluated yet keeps the default.
          }
        }
        states.push(state);
        record(emptyStep(step, name, 'skipped'));
        return 'skipped';
      }
      if (step.name) name = evaluateString(step.name, file, outer);
      stepEnv = evaluateStringMap(step.env, file, outer);
      const scope = scopeAt(index, { ...envNow, ...stepEnv });
      if (step.continueOnError) continueOnError = isTrue(evaluateToken(step.continueOnError, file, scope));
      if (step.timeoutMinutes) {
        timeoutMs = (Number(evaluateToken(step.timeoutMinutes, file, scope)) * 60_000) / run.timeScale;
      }
      work = stepWork(step, scope);
    } catch (error) {
      // A bad expression fails the step like on GitHub, and the run as a whole (see WorkflowRunResult.errors).
      const conclusion: JobStatus = continueOnError ? 'success' : 'failure';
      states.push({ ...state, outcome: 'failure', conclusion });
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof WorkflowRuntimeError) level.errors.push(message);
      record({ ...emptyStep(step, name, 'failure'), conclusion, log: `Error: ${message}`, error: message });
      return conclusion;
    }

    const stepTimeout = timeoutMs !== undefined ? AbortSignal.timeout(Math.max(1, timeoutMs)) : undefined;
    // A step that runs after cancellation (if: always()) gets to run, as on GitHub.
    const signals = cancelled() ? [] : [run.signal, jobTimeout.signal];
    if (stepTimeout) signals.push(stepTimeout);
    const stepStarted = Date.now();
    const done = await executeStep(
      work,
      stepContext(name, step.id ?? `__step_${index + 1}`, stepEnv, AbortSignal.any(signals), () =>
        Boolean(stepTimeout?.aborted),
      ),
    );
    const conclusion: JobStatus = done.outcome === 'failure' && continueOnError ? 'success' : done.outcome;
    states.push({ ...state, outputs: done.outputs, outcome: done.outcome, conclusion });
    record({ id: step.id, name, kind: work.kind, conclusion, ...done }, stepStarted);
    return conclusion;
  }

  function stepWork(step: LoadedStep, scope: ExpressionScope): StepWork {
    const resolved = step.resolved;
    if (resolved?.kind === 'checkout') {
      const with_ = evaluateStringMap(step.with, file, scope);
      return { kind: 'checkout', source: run.options.checkout, path: with_['path'] };
    }
    if (resolved?.kind === 'action') {
      return { kind: 'action', dir: resolved.dir, inputs: evaluateStringMap(step.with, file, scope) };
    }
    return {
      kind: 'run',
      script: step.run ? evaluateString(step.run, file, scope) : '',
      shell: step.shell,
      workingDirectory: step.workingDirectory ? evaluateString(step.workingDirectory, file, scope) : undefined,
    };
  }
}

function laterIds(steps: LoadedStep[], index: number): string[] {
  return steps.slice(index).flatMap((step) => (step.id ? [step.id] : []));
}

function defaultName(step: LoadedStep): string {
  if (step.uses) return `Run ${step.uses.text}`;
  const firstLine =
    sourceText(step.run)
      .split('\n')
      .find((line) => line.trim() !== '') ?? '';
  return `Run ${firstLine.trim()}`;
}

function emptyStep(
  step: LoadedStep,
  name: string,
  outcome: JobStatus,
): Omit<StepRunResult, 'startedAt' | 'durationMs'> {
  return {
    id: step.id,
    name,
    kind: step.resolved?.kind ?? 'run',
    outcome,
    conclusion: outcome,
    outputs: {},
    log: '',
    summary: '',
    exitCode: null,
  };
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

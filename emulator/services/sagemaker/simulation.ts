import type { EmulatorState } from '../../state.ts';
import { logStoreOf } from '../log-store.ts';
import { conflict, validation, type Scope } from './common.ts';
import type { StepNode } from './definition.ts';
import { executionStatusChanged } from './events.ts';
import { flushJobLog } from './job-logs.ts';
import {
  allPipelineStores,
  pipelineStoreOf,
  type Execution,
  type PipelineStore,
  type StepRun,
} from './pipeline-store.ts';
import { defaultDurationSeconds, defaultFailureReason, onStart, onSuccess, type RunEnv } from './step-kinds.ts';

/**
 * Executions progress on the simulated clock without timers: whenever anyone looks, the
 * execution replays the events (steps ending, dependants starting, a stop completing) from
 * where it last stopped up to now, in time order. A step's behaviour comes from the scenario
 * at the moment the step starts.
 */

/** Simulated ms between StopPipelineExecution and Stopped. */
export const STOP_MS = 5000;
export const EXECUTION_FAILURE = 'Step failure: One or multiple steps failed.';

const TERMINAL = new Set(['Stopped', 'Failed', 'Succeeded']);

export function envOf(state: EmulatorState, scope: Scope): RunEnv {
  return { state, scope, logs: logStoreOf(state.resources, scope.account, scope.region) };
}

function running(execution: Execution): StepRun[] {
  return [...execution.runs.values()].filter((run) => run.endTime === undefined);
}

function isReady(execution: Execution, node: StepNode): boolean {
  if (execution.runs.has(node.name)) return false;
  if (!node.dependsOn.every((name) => execution.runs.get(name)?.status === 'Succeeded')) return false;
  // Inside a Condition's branch: only when the condition chose this branch.
  return !node.branch || execution.runs.get(node.branch.condition)?.conditionOutcome === node.branch.outcome;
}

function startStep(execution: Execution, node: StepNode, time: number, env: RunEnv): void {
  const behaviour = env.state.scenario.step(execution.pipelineName, node.name);
  const duration = (behaviour.durationSeconds ?? defaultDurationSeconds(node.type)) * 1000;
  const runsBefore = execution.stepRuns.get(node.name) ?? 0;
  execution.stepRuns.set(node.name, runsBefore + 1);
  const outcome =
    behaviour.failFirstRuns !== undefined
      ? runsBefore < behaviour.failFirstRuns
        ? 'Failed'
        : 'Succeeded'
      : (behaviour.outcome ?? 'Succeeded');
  const run: StepRun = {
    node,
    order: execution.runs.size,
    startTime: time,
    plannedEnd: time + duration,
    endTime: undefined,
    status: 'Executing',
    outcome,
    failureReason: outcome === 'Failed' ? (behaviour.failureReason ?? defaultFailureReason(node.type)) : undefined,
    attempts: behaviour.attempts ?? 1,
    conditionOutcome: behaviour.conditionOutcome ?? true,
    metadata: {},
    job: undefined,
  };
  execution.runs.set(node.name, run);
  onStart(execution, run, env, behaviour);
}

/** Starts what is ready, in definition order, up to the parallelism limit. */
function startReady(execution: Execution, time: number, env: RunEnv): void {
  const graph = execution.version.graph;
  if (!graph || execution.stepFailed || execution.stopRequestedAt !== undefined) return;
  let slots = execution.parallelism - running(execution).length;
  for (const node of graph.steps) {
    if (slots <= 0) return;
    if (!isReady(execution, node)) continue;
    startStep(execution, node, time, env);
    slots--;
  }
}

function endStep(execution: Execution, run: StepRun, time: number, env: RunEnv): void {
  if (run.outcome === 'Succeeded') onSuccess(execution, run, env, time);
  run.endTime = time;
  run.status = run.outcome;
  if (run.job) flushJobLog(env.logs, run.job.log, time);
  if (run.outcome === 'Failed') execution.stepFailed = true;
}

function finish(execution: Execution, time: number, env: RunEnv): void {
  execution.endTime = time;
  execution.status = execution.stepFailed ? 'Failed' : 'Succeeded';
  if (execution.stepFailed) execution.failureReason = EXECUTION_FAILURE;
  executionStatusChanged(env.state, execution, 'Executing', time);
}

export function advanceExecution(execution: Execution, now: number, env: RunEnv): void {
  while (!TERMINAL.has(execution.status)) {
    startReady(execution, execution.cursor, env);
    const active = running(execution);
    if (active.length === 0 && execution.stopCompleteAt === undefined) {
      finish(execution, execution.cursor, env);
      break;
    }
    // While stopping, steps no longer end on their own; only the stop completing is next.
    const next = execution.stopCompleteAt ?? Math.min(...active.map((run) => run.plannedEnd));
    if (next > now) break;
    execution.cursor = next;
    if (execution.stopCompleteAt !== undefined) {
      for (const run of active) {
        run.endTime = next;
        run.status = 'Stopped';
      }
      execution.status = 'Stopped';
      execution.endTime = next;
      executionStatusChanged(env.state, execution, 'Stopping', next);
      break;
    }
    for (const run of active.sort((a, b) => a.order - b.order)) {
      if (run.plannedEnd === next) endStep(execution, run, next, env);
    }
  }
  // Running jobs have written what they wrote by now (a stopped job nothing after the stop).
  for (const run of execution.runs.values()) {
    if (run.job && run.endTime === undefined)
      flushJobLog(env.logs, run.job.log, Math.min(now, execution.stopRequestedAt ?? now));
  }
}

export function advanceStore(state: EmulatorState, store: PipelineStore, now: number): void {
  const env = envOf(state, store.scope);
  for (const execution of store.executions.values()) advanceExecution(execution, now, env);
}

/** The store of one account and region, wired so reading its job logs advances it first. */
export function pipelinesOf(state: EmulatorState, scope: Scope): PipelineStore {
  return pipelineStoreOf(state, scope, (store, now) => advanceStore(state, store, now));
}

/**
 * Brings every account's executions up to now. A pipeline may register models into another
 * account's group, so a read anywhere must see every execution's effects so far.
 */
export function settlePipelines(state: EmulatorState): void {
  const now = state.clock.now();
  for (const store of allPipelineStores(state)) advanceStore(state, store, now);
}

/**
 * Executing → Stopping now, Stopped STOP_MS later. Asking again with the token of the stop
 * that is in effect is a no-op, as SageMaker's idempotency promises.
 */
export function requestStop(state: EmulatorState, scope: Scope, execution: Execution, token: string | undefined): void {
  const now = state.clock.now();
  advanceExecution(execution, now, envOf(state, scope));
  if (execution.status === 'Executing') {
    execution.status = 'Stopping';
    execution.stopRequestedAt = now;
    execution.stopCompleteAt = now + STOP_MS;
    execution.stopToken = token;
    for (const run of running(execution)) run.status = 'Stopping';
    executionStatusChanged(state, execution, 'Executing', now);
    return;
  }
  if (
    (execution.status === 'Stopping' || execution.status === 'Stopped') &&
    token !== undefined &&
    token === execution.stopToken
  )
    return;
  if (execution.status === 'Stopping') throw conflict(`Pipeline execution ${execution.arn} is already stopping.`);
  throw validation(
    `Pipeline execution ${execution.arn} is in ${execution.status} status. Only executions in Executing status can be stopped.`,
  );
}

/**
 * RetryPipelineExecution: a Failed execution resumes from its failed steps. Steps that succeeded
 * keep their results and are not run again; failed steps (and whatever never started behind them)
 * run anew, on the same execution ARN. Only Failed executions can be retried.
 */
export function retryExecution(state: EmulatorState, scope: Scope, execution: Execution, token: string): void {
  const now = state.clock.now();
  advanceExecution(execution, now, envOf(state, scope));
  if (execution.retryTokens.has(token)) return;
  if (execution.status !== 'Failed') {
    throw validation(
      `Pipeline execution ${execution.arn} is in ${execution.status} status. Only executions in Failed status can be retried.`,
    );
  }
  for (const [name, run] of execution.runs) if (run.status !== 'Succeeded') execution.runs.delete(name);
  execution.retryTokens.add(token);
  execution.status = 'Executing';
  execution.failureReason = undefined;
  execution.endTime = undefined;
  execution.stepFailed = false;
  execution.cursor = now;
  executionStatusChanged(state, execution, 'Failed', now);
}

/**
 * Watches an execution until it ends: one ListPipelineExecutionSteps per poll
 * gives the progress lines; DescribePipelineExecution is only asked when no
 * step is running (the execution may have ended) or every tenth poll, so a
 * wait costs about one call per poll.
 */
import * as core from '@actions/core';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import {
  DescribePipelineExecutionCommand,
  paginateListPipelineExecutionSteps,
  type DescribePipelineExecutionCommandOutput,
  type PipelineExecutionStep,
} from '@aws-sdk/client-sagemaker';
import { formatElapsed, type Clock } from '../runtime/clock.ts';
import { describeError } from '../runtime/errors.ts';
import { pollFailedLine, progressLine } from '../runtime/log-lines.ts';
import { isTransientError, waitUntil } from '../runtime/poll.ts';
import { EXECUTION_ENDED, STEP_RUNNING } from '../sagemaker/executions.ts';
import { stepType } from './step-metadata.ts';

export interface ExecutionState {
  status: string;
  failureReason?: string;
  pipelineVersionId?: number;
  startedAt?: Date;
  steps: PipelineExecutionStep[];
  /** False when listing steps was refused; the result then comes from Describe alone. */
  stepsKnown: boolean;
}

export async function describeExecution(
  client: SageMakerClient,
  executionArn: string,
  abortSignal?: AbortSignal,
): Promise<DescribePipelineExecutionCommandOutput> {
  return client.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: executionArn }), { abortSignal });
}

export async function listSteps(
  client: SageMakerClient,
  executionArn: string,
  abortSignal?: AbortSignal,
): Promise<PipelineExecutionStep[]> {
  const steps: PipelineExecutionStep[] = [];
  const pages = paginateListPipelineExecutionSteps(
    { client, pageSize: 100 },
    { PipelineExecutionArn: executionArn },
    { abortSignal },
  );
  for await (const page of pages) steps.push(...(page.PipelineExecutionSteps ?? []));
  // SageMaker lists the newest step first; read them in the order they ran.
  return steps.reverse();
}

function describeStep(step: PipelineExecutionStep): string {
  const status = step.StepStatus ?? 'Unknown';
  if (status === 'Failed') return `Failed${step.FailureReason ? `: ${step.FailureReason}` : ''}`;
  if (EXECUTION_ENDED.has(status) && step.StartTime && step.EndTime) {
    return `${status} after ${formatElapsed(step.EndTime.getTime() - step.StartTime.getTime())}`;
  }
  return status;
}

export interface WatchOptions {
  client: SageMakerClient;
  executionArn: string;
  clock: Clock;
  timeoutMs: number;
  signal: AbortSignal;
  /** The execution was just started: the first look comes after one poll delay. */
  justStarted: boolean;
}

/** A listing of the steps, or why there is none this time. */
type StepsRead = { steps: PipelineExecutionStep[] } | { unavailable: unknown } | { refused: unknown };

/**
 * The steps are decoration: the execution's status alone is the verdict. A listing that fails
 * (past the client's retries) leaves the last one in place; one that is refused stops being
 * asked for.
 */
async function readSteps(client: SageMakerClient, executionArn: string, signal: AbortSignal): Promise<StepsRead> {
  try {
    return { steps: await listSteps(client, executionArn, signal) };
  } catch (error) {
    if (signal.aborted) throw error;
    return isTransientError(error) ? { unavailable: error } : { refused: error };
  }
}

export async function watchExecution(options: WatchOptions): Promise<ExecutionState> {
  const { client, executionArn } = options;
  const printed = new Map<string, string>();
  let state: ExecutionState = { status: 'Executing', steps: [], stepsKnown: true };
  let polls = 0;

  const poll = async (signal: AbortSignal): Promise<ExecutionState> => {
    polls++;
    let steps = state.steps;
    let stepsKnown = state.stepsKnown;
    let fresh = false;
    const take = (read: StepsRead): void => {
      if ('steps' in read) {
        steps = read.steps;
        fresh = true;
      } else if ('refused' in read) {
        stepsKnown = false;
        core.warning(`Cannot list the execution's steps, waiting on its status alone: ${describeError(read.refused)}`);
      } else {
        core.info(`Listing the execution's steps failed (${describeError(read.unavailable)}); judging by its status`);
      }
    };
    if (stepsKnown) take(await readSteps(client, executionArn, signal));
    const stepRunning = steps.some((s) => STEP_RUNNING.has(s.StepStatus ?? ''));
    const mayHaveEnded = !fresh || steps.length === 0 || !stepRunning;
    let { status, failureReason, pipelineVersionId, startedAt } = state;
    if (mayHaveEnded || polls % 10 === 0 || polls === 1) {
      const described = await describeExecution(client, executionArn, signal);
      status = described.PipelineExecutionStatus ?? status;
      failureReason = described.FailureReason;
      pipelineVersionId = described.PipelineVersionId;
      startedAt = described.CreationTime;
      // The steps were listed before the execution was described (or not at all this time): if it
      // ended in between, the listing still shows a running step and lacks the failure. Read them
      // again as they ended.
      if (stepsKnown && EXECUTION_ENDED.has(status) && (!fresh || stepRunning)) {
        take(await readSteps(client, executionArn, signal));
      }
    }
    state = {
      status,
      steps,
      stepsKnown,
      ...(failureReason ? { failureReason } : {}),
      ...(pipelineVersionId ? { pipelineVersionId } : {}),
      ...(startedAt ? { startedAt } : {}),
    };
    return state;
  };

  const { value } = await waitUntil({
    clock: options.clock,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    pollImmediately: !options.justStarted,
    poll,
    isDone: (current) => EXECUTION_ENDED.has(current.status),
    onPoll: (current, elapsedMs) => {
      for (const step of current.steps) {
        const line = describeStep(step);
        if (printed.get(step.StepName ?? '') === line) continue;
        printed.set(step.StepName ?? '', line);
        core.info(progressLine(elapsedMs, `${step.StepName}${stepType(step) ? ` (${stepType(step)})` : ''}`, line));
      }
    },
    onTransientError: (error, consecutive) => core.info(pollFailedLine('the execution', error, consecutive)),
  });
  return value;
}

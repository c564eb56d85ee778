import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { StopPipelineExecutionCommand } from '@aws-sdk/client-sagemaker';
import { sha256Hex } from '../shared/canonical-json.ts';
import { describeError } from '../shared/errors.ts';
import { retryTransient } from '../shared/retry.ts';

/**
 * The runner sends SIGTERM 7.5 s after SIGINT and kills the step soon after: a stop on cancel
 * must be answered, or given up on and said, well before that, on the wall clock whatever the
 * clock the wait runs on.
 */
export const CANCEL_STOP_BUDGET_MS = 5000;

export type StopOutcome = { stopped: true } | { stopped: false; reason: string };

/** Stops an execution; the token makes a repeated stop (main step, then post step) harmless. */
export async function stopExecution(
  client: SageMakerClient,
  executionArn: string,
  signal?: AbortSignal,
): Promise<void> {
  await retryTransient(
    () =>
      client.send(
        new StopPipelineExecutionCommand({
          PipelineExecutionArn: executionArn,
          ClientRequestToken: sha256Hex(`stop/${executionArn}`),
        }),
        signal ? { abortSignal: signal } : {},
      ),
    5,
    signal,
  );
}

/** A stop that never throws and never outlasts its budget: what went wrong is returned to be said. */
export async function tryStop(client: SageMakerClient, executionArn: string, budgetMs?: number): Promise<StopOutcome> {
  const signal = budgetMs === undefined ? undefined : AbortSignal.timeout(budgetMs);
  try {
    await stopExecution(client, executionArn, signal);
    return { stopped: true };
  } catch (error) {
    return {
      stopped: false,
      reason: signal?.aborted ? `no answer within ${budgetMs! / 1000} s` : describeError(error),
    };
  }
}

export const STATE_EXECUTION = 'execution-arn';
export const STATE_FINISHED = 'finished';

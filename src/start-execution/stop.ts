import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { StopPipelineExecutionCommand } from '@aws-sdk/client-sagemaker';
import { sha256Hex } from '../runtime/canonical-json.ts';
import { describeError } from '../runtime/errors.ts';

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
  // The signal also ends the client's retries (see retry.ts), so a stop on cancel keeps to its budget.
  await client.send(
    new StopPipelineExecutionCommand({
      PipelineExecutionArn: executionArn,
      ClientRequestToken: sha256Hex(`stop/${executionArn}`),
    }),
    signal ? { abortSignal: signal } : {},
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

/** The state keys the main step leaves its post step. The execution to stop if the step ended before it did: */
export const EXECUTION_ARN_STATE = 'execution-arn';
/** 'true' once the execution ended, or was stopped or left on purpose: the post step then does nothing. */
export const EXECUTION_FINISHED_STATE = 'execution-finished';
/** Set when the main step failed because the credentials expired: the message it failed with. */
export const CREDENTIALS_EXPIRED_STATE = 'credentials-expired';

/** What the step and its post step say when the credentials ran out under a running execution. */
export function expiryContext(executionArn: string, profile: string | undefined) {
  return {
    ...(profile ? { profile } : {}),
    stillRunning: `the execution ${executionArn} is still running`,
    resume: `resume waiting on it with start-execution's execution-arn: ${executionArn}`,
  };
}

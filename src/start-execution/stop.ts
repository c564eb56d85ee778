import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { StopPipelineExecutionCommand } from '@aws-sdk/client-sagemaker';
import { sha256Hex } from '../shared/canonical-json.ts';
import { retryTransient } from '../shared/retry.ts';

/** Stops an execution; the token makes a repeated stop (main step, then post step) harmless. */
export async function stopExecution(client: SageMakerClient, executionArn: string): Promise<void> {
  await retryTransient(() =>
    client.send(
      new StopPipelineExecutionCommand({
        PipelineExecutionArn: executionArn,
        ClientRequestToken: sha256Hex(`stop/${executionArn}`),
      }),
    ),
  );
}

export const STATE_EXECUTION = 'execution-arn';
export const STATE_FINISHED = 'finished';
/** Set when the main step failed because the credentials expired: the message it failed with. */
export const STATE_EXPIRED = 'credentials-expired';

/** What the step and its post step say when the credentials ran out under a running execution. */
export function expiryContext(executionArn: string, profile: string | undefined) {
  return {
    ...(profile ? { profile } : {}),
    stillRunning: `the execution ${executionArn} is still running`,
    resume: `resume waiting on it with start-execution's execution-arn: ${executionArn}`,
  };
}

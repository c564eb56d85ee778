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

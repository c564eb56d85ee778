import * as core from '@actions/core';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { createClient } from '../shared/aws-client.ts';
import { retryTransient } from '../shared/retry.ts';
import { awsInputs } from '../shared/aws-inputs.ts';
import { STATE_EXECUTION, STATE_FINISHED, stopExecution } from './stop.ts';
import { describeExecution } from './watch.ts';

/**
 * The main step is killed without a chance to clean up when cancellation
 * outlasts the runner's grace period; the post step still runs, and stops the
 * execution the main step was waiting on.
 */
export async function runPost(): Promise<void> {
  const executionArn = core.getState(STATE_EXECUTION);
  if (!executionArn || core.getState(STATE_FINISHED) === 'true') return;
  const client = createClient(SageMakerClient, awsInputs());
  try {
    const described = await retryTransient(() => describeExecution(client, executionArn));
    if (described.PipelineExecutionStatus === 'Executing') {
      await stopExecution(client, executionArn);
      core.info(`The step ended before the execution did; stopped ${executionArn}`);
    }
  } finally {
    client.destroy();
  }
}

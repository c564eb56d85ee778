import * as core from '@actions/core';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { createClient } from '../runtime/aws-client.ts';
import { explainExpiry } from '../runtime/expired-credentials.ts';
import { awsInputs } from '../runtime/aws-inputs.ts';
import { expiryContext, STATE_EXECUTION, STATE_EXPIRED, STATE_FINISHED, stopExecution } from './stop.ts';
import { describeExecution } from './watch.ts';

/**
 * The main step is killed without a chance to clean up when cancellation
 * outlasts the runner's grace period; the post step still runs, and stops the
 * execution the main step was waiting on.
 */
export async function runPost(): Promise<void> {
  const executionArn = core.getState(STATE_EXECUTION);
  if (!executionArn || core.getState(STATE_FINISHED) === 'true') return;
  const expired = core.getState(STATE_EXPIRED);
  if (expired) {
    // The same credentials would be refused again: say what the main step said, once.
    core.warning(`start-execution: ${expired}`);
    return;
  }
  const inputs = awsInputs();
  const client = createClient(SageMakerClient, inputs);
  try {
    const described = await describeExecution(client, executionArn);
    if (described.PipelineExecutionStatus === 'Executing') {
      await stopExecution(client, executionArn);
      core.info(`The step ended before the execution did; stopped ${executionArn}`);
    }
  } catch (error) {
    throw await explainExpiry(error, client, expiryContext(executionArn, inputs.profile));
  } finally {
    client.destroy();
  }
}

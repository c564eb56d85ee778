import * as core from '@actions/core';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { createClient } from '../runtime/aws-client.ts';
import { explainExpiry } from '../runtime/expired-credentials.ts';
import { awsInputs } from '../runtime/aws-inputs.ts';
import {
  expiryContext,
  EXECUTION_ARN_STATE,
  CREDENTIALS_EXPIRED_STATE,
  EXECUTION_FINISHED_STATE,
  stopExecution,
} from './stop.ts';
import { describeExecution } from './watch.ts';

/**
 * The main step is killed without a chance to clean up when cancellation
 * outlasts the runner's grace period; the post step still runs, and stops the
 * execution the main step was waiting on.
 */
export async function runPost(): Promise<void> {
  const executionArn = core.getState(EXECUTION_ARN_STATE);
  if (!executionArn || core.getState(EXECUTION_FINISHED_STATE) === 'true') return;
  const expired = core.getState(CREDENTIALS_EXPIRED_STATE);
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

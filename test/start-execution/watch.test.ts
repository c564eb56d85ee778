/** watchExecution's decisions on mocked SageMaker answers: the result is read after the execution has ended. */
import {
  DescribePipelineExecutionCommand,
  ListPipelineExecutionStepsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/shared/clock.ts';
import { watchExecution } from '../../src/start-execution/watch.ts';

const ARN = 'arn:aws:sagemaker:eu-west-1:111111111111:pipeline/abalone/execution/abc123';
const PACKAGE = 'arn:aws:sagemaker:eu-west-1:333333333333:model-package/abalone/2';

function instantClock(): Clock {
  let now = 0;
  return { now: () => now, sleep: async (ms) => void (now += ms) };
}

describe('watchExecution', () => {
  it('reads the steps again once the execution has ended, so a step that finished in between counts', async () => {
    const sagemaker = mockClient(SageMakerClient);
    // The last listing before the end shows the RegisterModel step running; it finishes before Describe is asked.
    sagemaker
      .on(ListPipelineExecutionStepsCommand)
      .resolvesOnce({ PipelineExecutionSteps: [{ StepName: 'RegisterAbalone', StepStatus: 'Executing' }] })
      .resolves({
        PipelineExecutionSteps: [
          { StepName: 'RegisterAbalone', StepStatus: 'Succeeded', Metadata: { RegisterModel: { Arn: PACKAGE } } },
        ],
      });
    sagemaker.on(DescribePipelineExecutionCommand).resolves({ PipelineExecutionStatus: 'Succeeded' });
    const client = new SageMakerClient({ region: 'eu-west-1' });
    const state = await watchExecution({
      client,
      executionArn: ARN,
      clock: instantClock(),
      timeoutMs: 3_600_000,
      signal: new AbortController().signal,
      justStarted: false,
    });
    expect(state.status).toBe('Succeeded');
    expect(state.steps).toEqual([expect.objectContaining({ StepStatus: 'Succeeded', Metadata: expect.anything() })]);
    expect(sagemaker.commandCalls(ListPipelineExecutionStepsCommand)).toHaveLength(2);
    sagemaker.restore();
  });
});

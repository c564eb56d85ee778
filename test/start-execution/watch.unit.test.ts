import {
  DescribePipelineExecutionCommand,
  ListPipelineExecutionStepsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../src/runtime/clock.ts';
import { watchExecution } from '../../src/start-execution/watch.ts';

const EXECUTION = 'arn:aws:sagemaker:eu-west-1:111111111111:pipeline/abalone/execution/abc123';

/** A clock that never waits: the watch's delays pass at once, in order. */
function steppedClock(): Clock {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  };
}

/** One watch of the execution, on a clock that steps, with the mocked client. */
const watch = () =>
  watchExecution({
    client: new SageMakerClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
    executionArn: EXECUTION,
    clock: steppedClock(),
    timeoutMs: 3_600_000,
    signal: new AbortController().signal,
    justStarted: false,
  });

describe('watchExecution', () => {
  const sagemaker = mockClient(SageMakerClient);
  afterEach(() => {
    sagemaker.reset();
    vi.unstubAllEnvs();
  });

  it('reads the steps again when the execution ended between listing and describing them', async () => {
    const running = { StepName: 'Train', StepStatus: 'Executing' as const, StartTime: new Date(0) };
    const failed = { ...running, StepStatus: 'Failed' as const, FailureReason: 'diverged', EndTime: new Date(60_000) };
    sagemaker
      .on(ListPipelineExecutionStepsCommand)
      .resolvesOnce({ PipelineExecutionSteps: [running] })
      .resolves({ PipelineExecutionSteps: [failed] });
    sagemaker.on(DescribePipelineExecutionCommand).resolves({
      PipelineExecutionStatus: 'Failed' as const,
      FailureReason: 'Step failure: One or multiple steps failed.',
    });

    const state = await watch();

    expect(state.status).toBe('Failed');
    expect(state.steps.map((s) => [s.StepName, s.StepStatus, s.FailureReason])).toEqual([
      ['Train', 'Failed', 'diverged'],
    ]);
  });

  it('keeps one listing when the steps it read had already ended', async () => {
    const done = {
      StepName: 'Train',
      StepStatus: 'Succeeded' as const,
      StartTime: new Date(0),
      EndTime: new Date(1000),
    };
    sagemaker.on(ListPipelineExecutionStepsCommand).resolves({ PipelineExecutionSteps: [done] });
    sagemaker.on(DescribePipelineExecutionCommand).resolves({ PipelineExecutionStatus: 'Succeeded' });

    const state = await watch();

    expect(state.status).toBe('Succeeded');
    expect(sagemaker.commandCalls(ListPipelineExecutionStepsCommand)).toHaveLength(1);
  });

  it('judges by the status when listing the steps keeps failing', async () => {
    // The last listing is retried with backoff; on accelerated time the backoff takes no time.
    vi.stubEnv('MLOPS_ACTIONS_CLOCK_SCALE', '1000000');
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    sagemaker.on(ListPipelineExecutionStepsCommand).rejects(throttled);
    sagemaker
      .on(DescribePipelineExecutionCommand)
      .resolvesOnce({ PipelineExecutionStatus: 'Executing' as const })
      .resolves({ PipelineExecutionStatus: 'Succeeded' as const, PipelineVersionId: 4 });

    const state = await watch();

    expect(state).toMatchObject({ status: 'Succeeded', pipelineVersionId: 4, steps: [] });
  });
});

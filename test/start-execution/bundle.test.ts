/** start-execution run as the runner runs it, against executions progressing on the emulator's clock. */
import { ListPipelineExecutionsCommand } from '@aws-sdk/client-sagemaker';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SimulatedJob, StepOptions } from '../../local-runner/job.ts';
import { sagemaker } from '../../testkit/clients.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { devJob, upsertPipeline } from '../../testkit/jobs.ts';
import { REGION } from '../../testkit/worlds/accounts.ts';
import { accountsWorld, BOOTSTRAP_KEYS } from '../../testkit/worlds/actions.ts';

const emulator = useEmulator(accountsWorld);
// Simulated time runs 600× faster; the actions follow it through MLOPS_ACTIONS_CLOCK_SCALE.
const SCALE = 600;
function job(runAttempt = '1'): SimulatedJob {
  return devJob(emulator.endpoint, {
    context: { runAttempt },
    env: { MLOPS_ACTIONS_CLOCK_SCALE: String(SCALE) },
  });
}

beforeEach(async () => {
  await emulator.admin.setClockScale(SCALE);
  const upsert = await upsertPipeline(job());
  expect(upsert.exitCode).toBe(0);
  await emulator.admin.clearCalls();
});

function start(target: SimulatedJob, inputs: Record<string, string> = {}, options: Omit<StepOptions, 'inputs'> = {}) {
  return target.step('start-execution', { inputs: { 'pipeline-name': 'abalone', ...inputs }, ...options });
}

async function operations(name: string): Promise<number> {
  return (await emulator.admin.calls()).filter((c) => c.operation === name && c.status === 200).length;
}

async function executionCount(): Promise<number> {
  const client = sagemaker(emulator.endpoint, BOOTSTRAP_KEYS, { region: REGION });
  const listed = await client.send(new ListPipelineExecutionsCommand({ PipelineName: 'abalone' }));
  client.destroy();
  return listed.PipelineExecutionSummaries?.length ?? 0;
}

describe('start-execution bundle', () => {
  it('starts with parameters, reports progress and a step table, and succeeds', async () => {
    // Preprocess runs ten simulated hours, a minute of wall time: no slow machine lets it end
    // before the first look. Once the step has reported it running, the clock jumps past it.
    await emulator.admin.setScenario({
      pipelines: { abalone: { steps: { Preprocess: { durationSeconds: 36_000 } } } },
    });
    let stepped = false;
    const step = await start(
      job(),
      { parameters: 'TrainingInstanceCount: 2\nInputData: s3://ml-dev-artifacts/abalone/new.csv' },
      {
        onLine: (line) => {
          if (stepped || !/Preprocess \(Processing\): Executing/.test(line)) return;
          stepped = true;
          void emulator.admin.advanceClock(36_000_000);
        },
      },
    );
    expect(step.errors).toEqual([]);
    expect(step.outputs['status']).toBe('Succeeded');
    expect(step.outputs['execution-arn']).toMatch(
      /^arn:aws:sagemaker:eu-west-1:111111111111:pipeline\/abalone\/execution\/[a-z0-9]+$/,
    );
    expect(step.outputs['reused']).toBe('false');
    expect(step.stdout).toMatch(/Preprocess \(Processing\): Executing/);
    expect(step.stdout).toMatch(/Train \(Training\): Succeeded after/);
    for (const name of ['Preprocess', 'Train', 'Evaluate']) expect(step.summary).toContain(name);
    expect(step.summary).toContain('Succeeded');

    const [startCall] = (await emulator.admin.calls()).filter((c) => c.operation === 'StartPipelineExecution');
    expect(JSON.stringify(startCall?.input)).toContain('"TrainingInstanceCount"');
    expect(startCall?.input['PipelineExecutionDisplayName']).toBe('main-9876543210-1');
  });

  it('starts one execution for the same step retried within an attempt', async () => {
    const first = await start(job(), { wait: 'false' });
    const again = await start(job(), { wait: 'false' });
    expect(first.outputs['status']).toBe('Executing');
    expect(again.outputs['execution-arn']).toBe(first.outputs['execution-arn']);
    expect(await executionCount()).toBe(1);
  });

  it('two steps of one job asking for different executions get different ones', async () => {
    const target = job();
    const first = await start(target, { wait: 'false', 'pipeline-version-id': '1' }, { stepId: 'train' });
    const other = await start(target, { wait: 'false', parameters: 'TrainingInstanceCount: 3' }, { stepId: 'train' });
    const secondStep = await start(target, { wait: 'false', 'pipeline-version-id': '1' }, { stepId: 'train-again' });
    const retried = await start(target, { wait: 'false', 'pipeline-version-id': '1' }, { stepId: 'train' });
    const arns = [first, other, secondStep, retried].map((step) => step.outputs['execution-arn']);
    expect(new Set(arns.slice(0, 3)).size).toBe(3);
    expect(arns[3]).toBe(arns[0]);
    expect(await executionCount()).toBe(3);
  });

  it('a start whose answer was lost is retried into the execution it already started', async () => {
    await emulator.admin.setFaults([{ kind: 'lost-response', operation: 'StartPipelineExecution', count: 1 }]);
    const step = await start(job(), { wait: 'false' });
    expect(step.errors).toEqual([]);
    const starts = (await emulator.admin.calls()).filter((c) => c.operation === 'StartPipelineExecution');
    expect(starts.map((c) => c.errorCode)).toEqual(['ResponseLost', null]);
    expect(await executionCount()).toBe(1);
  });

  it('a re-run attaches to the execution the earlier attempt left running', async () => {
    await emulator.admin.setScenario({ pipelines: { abalone: { steps: { Train: { durationSeconds: 3600 } } } } });
    const lost = await start(job('1'), { wait: 'false' });
    const rerun = await start(job('2'));
    expect(rerun.errors).toEqual([]);
    expect(rerun.outputs['reused']).toBe('true');
    expect(rerun.outputs['execution-arn']).toBe(lost.outputs['execution-arn']);
    expect(rerun.outputs['status']).toBe('Succeeded');
    expect(rerun.stdout).toContain('Re-run: attaching to');
    expect(await operations('StartPipelineExecution')).toBe(1);
  });

  it('on failure shows the failed step, its reason and its last log lines', async () => {
    await emulator.admin.setScenario({
      pipelines: {
        abalone: {
          steps: {
            Train: {
              outcome: 'Failed',
              failureReason: 'AlgorithmError: training diverged, see the job logs',
              logLines: ['[0] train-rmse:4.21', '[1] train-rmse:9.87', 'ValueError: loss is NaN at round 2'],
            },
          },
        },
      },
    });
    const step = await start(job());
    expect(step.exitCode).toBe(1);
    expect(step.outputs['status']).toBe('Failed');
    expect(step.errors).toContain('Step Train failed: AlgorithmError: training diverged, see the job logs');
    expect(step.errors.at(-1)).toMatch(/^start-execution: execution Failed/);
    expect(step.stdout).toContain('ValueError: loss is NaN at round 2');
    expect(step.summary).toContain('ValueError: loss is NaN at round 2');
    expect(step.summary).toContain('AlgorithmError');
  });

  it('retries a failed execution from its failed step, each attempt in the log and the summary', async () => {
    await emulator.admin.setScenario({
      pipelines: {
        abalone: { steps: { Train: { failFirstRuns: 2, failureReason: 'CapacityError: no ml.m5 capacity' } } },
      },
    });
    const step = await start(job(), { 'retry-attempts': '3' });
    expect(step.errors).toEqual([]);
    expect(step.outputs['status']).toBe('Succeeded');
    expect(step.outputs['attempts']).toBe('3');
    expect(step.stdout).toContain('Execution attempt 1: Failed (Train: CapacityError: no ml.m5 capacity)');
    expect(step.stdout).toContain('Execution attempt 2: Failed (Train: CapacityError: no ml.m5 capacity)');
    expect(step.stdout).toContain('Execution attempt 3: Succeeded');
    expect(step.summary).toMatch(/\| 2 \| RetryPipelineExecution \| Failed \| Train: CapacityError/);
    expect(step.summary).toMatch(/\| 3 \| RetryPipelineExecution \| Succeeded \|/);
    expect(step.summary).toContain('CapacityError: no ml.m5 capacity');
    const calls = await emulator.admin.calls();
    const retries = calls.filter((c) => c.operation === 'RetryPipelineExecution' && c.status === 200);
    expect(retries.map((c) => c.input['PipelineExecutionArn'])).toEqual([
      step.outputs['execution-arn'],
      step.outputs['execution-arn'],
    ]);
    expect(new Set(retries.map((c) => c.input['ClientRequestToken'])).size).toBe(2);
    expect(await operations('StartPipelineExecution')).toBe(1);
  });

  it('stops retrying after retry-attempts and fails with the last attempt', async () => {
    await emulator.admin.setScenario({
      pipelines: { abalone: { steps: { Train: { outcome: 'Failed', failureReason: 'AlgorithmError: diverged' } } } },
    });
    const step = await start(job(), { 'retry-attempts': '1' });
    expect(step.exitCode).toBe(1);
    expect(step.outputs['attempts']).toBe('2');
    expect(step.errors.at(-1)).toMatch(/^start-execution: execution Failed after 2 attempts/);
    expect(await operations('RetryPipelineExecution')).toBe(1);
  });

  it('a re-run attaches to the retried execution instead of starting or retrying again', async () => {
    await emulator.admin.setScenario({
      pipelines: { abalone: { steps: { Train: { failFirstRuns: 1, durationSeconds: 3600 } } } },
    });
    const first = await start(
      job('1'),
      { 'retry-attempts': '1' },
      { cancel: { whenStdout: /Retrying arn:/, kill: true } },
    );
    expect(first.signal).toBe('SIGKILL');
    const rerun = await start(job('2'), { 'retry-attempts': '1' });
    expect(rerun.outputs['execution-arn']).toBe(first.outputs['execution-arn']);
    expect(rerun.outputs['status']).toBe('Succeeded');
    expect(await operations('StartPipelineExecution')).toBe(1);
    expect(await operations('RetryPipelineExecution')).toBe(1);
  });

  it('stops the execution on SIGINT before the process exits', async () => {
    await emulator.admin.setScenario({ pipelines: { abalone: { steps: { Train: { durationSeconds: 36000 } } } } });
    const step = await start(job(), {}, { cancel: { whenStdout: /Train \(Training\): Executing/ } });
    expect(step.exitCode).toBe(1);
    expect(step.errors.at(-1)).toMatch(/^start-execution: cancelled; stopped arn:/);
    const calls = await emulator.admin.calls();
    const stop = calls.find((c) => c.operation === 'StopPipelineExecution');
    expect(stop?.status).toBe(200);
    expect(stop?.input['PipelineExecutionArn']).toBe(step.outputs['execution-arn']);
  });

  it('stop-on-cancel: false leaves the execution running when the run is cancelled', async () => {
    await emulator.admin.setScenario({ pipelines: { abalone: { steps: { Train: { durationSeconds: 36000 } } } } });
    const step = await start(
      job(),
      { 'stop-on-cancel': 'false' },
      { cancel: { whenStdout: /Train \(Training\): Executing/ } },
    );
    expect(step.exitCode).toBe(1);
    expect(step.errors.at(-1)).toMatch(/keeps running \(stop-on-cancel is false\)$/);
    expect(await operations('StopPipelineExecution')).toBe(0);
  });

  it('a re-run reuses an execution that succeeded, or starts a new one with on-rerun: start-new', async () => {
    const first = await start(job('1'));
    expect(first.outputs['status']).toBe('Succeeded');
    const reused = await start(job('2'));
    expect(reused.outputs).toMatchObject({ reused: 'true', 'execution-arn': first.outputs['execution-arn'] });
    const fresh = await start(job('3'), { 'on-rerun': 'start-new' });
    expect(fresh.outputs['reused']).toBe('false');
    expect(fresh.outputs['execution-arn']).not.toBe(first.outputs['execution-arn']);
    expect(await operations('StartPipelineExecution')).toBe(2);
  });

  it('a cancel whose stop gets no answer exits before SIGTERM and leaves the stop to the post step', async () => {
    await emulator.admin.setScenario({ pipelines: { abalone: { steps: { Train: { durationSeconds: 36000 } } } } });
    // The stop's answer would come long after the runner's SIGTERM (7.5 s after SIGINT).
    await emulator.admin.setFaults([{ kind: 'latency', ms: 30_000, operation: 'StopPipelineExecution', count: 1 }]);
    const cancelled = job();
    const step = await start(cancelled, {}, { cancel: { whenStdout: /Train \(Training\): Executing/ } });
    expect(step.exitCode).toBe(1);
    expect(step.signal).toBeNull();
    expect(step.stdout).not.toContain('Received SIGTERM');
    expect(step.errors.at(-1)).toMatch(
      /^start-execution: cancelled; could not stop arn:\S+ in time \(no answer within 5 s\); the post step stops it$/,
    );
    await emulator.admin.setFaults([]);
    const [post] = await cancelled.finish();
    expect(post?.exitCode).toBe(0);
    expect(post?.stdout).toContain(`stopped ${step.outputs['execution-arn']}`);
  });

  it('on timeout stops the execution; a stop that fails keeps the timeout as the message', async () => {
    await emulator.admin.setScenario({ pipelines: { abalone: { steps: { Train: { durationSeconds: 36000 } } } } });
    const timedOut = await start(job(), { 'timeout-minutes': '1' });
    expect(timedOut.errors.at(-1)).toMatch(
      /^start-execution: timed out after \d+m \d\ds \(timeout-minutes: 1\); stopped arn:/,
    );

    await emulator.admin.setFaults([
      { kind: 'error', code: 'AccessDeniedException', status: 400, operation: 'StopPipelineExecution' },
    ]);
    const refused = job();
    const step = await start(refused, { 'timeout-minutes': '1', parameters: 'TrainingInstanceCount: 3' });
    expect(step.errors.at(-1)).toMatch(
      /^start-execution: timed out after \d+m \d\ds \(timeout-minutes: 1\); stopping arn:\S+ failed \(.*AccessDeniedException.*\), it may still be running; the post step tries again$/,
    );
    await emulator.admin.setFaults([]);
    const [post] = await refused.finish();
    expect(post?.stdout).toContain(`stopped ${step.outputs['execution-arn']}`);
  });

  it('the post step stops an execution the main step was killed waiting on', async () => {
    await emulator.admin.setScenario({ pipelines: { abalone: { steps: { Train: { durationSeconds: 36000 } } } } });
    const killed = job();
    const step = await start(killed, {}, { cancel: { whenStdout: /Train \(Training\): Executing/, kill: true } });
    expect(step.signal).toBe('SIGKILL');
    expect(await operations('StopPipelineExecution')).toBe(0);
    const [post] = await killed.finish();
    expect(post?.exitCode).toBe(0);
    expect(post?.stdout).toContain('stopped arn:');
    expect(await operations('StopPipelineExecution')).toBe(1);
  });

  it('waits on a given execution ARN without starting another', async () => {
    const started = await start(job(), { wait: 'false' });
    const resumed = await job().step('start-execution', {
      inputs: { 'execution-arn': started.outputs['execution-arn']! },
    });
    expect(resumed.outputs['status']).toBe('Succeeded');
    expect(await operations('StartPipelineExecution')).toBe(1);
  });
});

describe('start-execution under faults', () => {
  it('reports the right result 20 runs out of 20 with throttling, 5xx and resets during a two-hour wait', async () => {
    await emulator.admin.setClockScale(7200);
    const outcomes: string[] = [];
    for (let run = 0; run < 20; run++) {
      const fails = run % 2 === 1;
      await emulator.admin.setFaults([]);
      await emulator.admin.setScenario({
        pipelines: {
          abalone: {
            steps: {
              Train: {
                durationSeconds: 7000,
                ...(fails ? { outcome: 'Failed', failureReason: `diverged in run ${run}` } : {}),
              },
            },
          },
        },
      });
      await emulator.admin.setFaults(
        [
          { kind: 'throttle', rate: 0.3 },
          { kind: 'server-error', status: 503, rate: 0.05 },
          { kind: 'reset', rate: 0.02 },
        ],
        { seed: run + 1 },
      );
      const target = devJob(emulator.endpoint, {
        context: { runId: String(5000 + run) },
        env: { MLOPS_ACTIONS_CLOCK_SCALE: '7200' },
      });
      const step = await start(target);
      outcomes.push(
        `${step.exitCode}:${step.outputs['status']}:${fails ? /diverged in run/.test(step.summary) : true}`,
      );
    }
    await emulator.admin.setFaults([]);
    const faulted = (await emulator.admin.calls()).filter((c) => c.fault !== null).length;
    expect(faulted).toBeGreaterThan(200);
    expect(outcomes).toEqual(Array.from({ length: 20 }, (_, run) => (run % 2 ? '1:Failed:true' : '0:Succeeded:true')));
  }, 180_000);
});

describe('start-execution bad inputs', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    [
      'unknown parameter',
      { parameters: '{"Epochs": "10"}' },
      /input 'parameters': 'Epochs' is not a parameter of pipeline .* \(it has: InputData, TrainingInstanceCount, ModelApprovalStatus\)/,
    ],
    [
      'parameter over 1024 characters',
      { parameters: JSON.stringify({ InputData: 'x'.repeat(1025) }) },
      /input 'parameters': the value of 'InputData', 'x+…' is 1025 characters; SageMaker StartPipelineExecution PipelineParameters\[\]\.Value takes 0-1024$/,
    ],
    [
      'parameter of the wrong type',
      { parameters: 'TrainingInstanceCount: two' },
      /'TrainingInstanceCount' is a Integer parameter; 'two' is not/,
    ],
    [
      'bad pipeline name',
      { 'pipeline-name': 'abalone pipeline' },
      /input 'pipeline-name': 'abalone pipeline' does not match SageMaker CreatePipeline PipelineName's pattern \[a-zA-Z0-9\]\(-\*\[a-zA-Z0-9\]\)\{0,255\}$/,
    ],
    [
      'pipeline name within the pattern but over the length',
      { 'pipeline-name': `${'a-'.repeat(149)}ab` },
      /input 'pipeline-name': 'a-a-.*…' is 300 characters; SageMaker CreatePipeline PipelineName takes 1-256$/,
    ],
    ['timeout out of range', { 'timeout-minutes': '0' }, /input 'timeout-minutes': 0 is out of range \(1 to 43200\)/],
    [
      'malformed execution ARN',
      { 'execution-arn': 'arn:aws:sagemaker:eu-west-1:111111111111:pipeline/abalone' },
      /input 'execution-arn': .* does not match SageMaker DescribePipelineExecution PipelineExecutionArn's pattern arn:aws/,
    ],
    [
      'bad display name',
      { 'display-name': 'feature/x' },
      /input 'display-name': 'feature\/x' does not match SageMaker StartPipelineExecution PipelineExecutionDisplayName's pattern/,
    ],
    [
      '90-character display name',
      { 'display-name': 'd'.repeat(90) },
      /input 'display-name': 'd+…' is 90 characters; SageMaker StartPipelineExecution PipelineExecutionDisplayName takes 1-82$/,
    ],
    ['unknown on-timeout', { 'on-timeout': 'ignore' }, /input 'on-timeout': 'ignore' is not one of stop, leave/],
    ['retries over the bound', { 'retry-attempts': '11' }, /input 'retry-attempts': 11 is out of range \(0 to 10\)/],
    ['retries without waiting', { 'retry-attempts': '2', wait: 'false' }, /input 'retry-attempts': needs wait: true/],
  ];

  it.each(cases)('%s: one line naming the input, exit 1, no mutating call', async (_, inputs, message) => {
    const step = await start(job(), inputs);
    expect(step.exitCode).toBe(1);
    expect(step.errors).toHaveLength(1);
    expect(step.errors[0]).toMatch(/^start-execution: /);
    expect(step.errors[0]).toMatch(message);
    expect((await emulator.admin.calls()).filter((c) => c.mutating)).toEqual([]);
  });
});

describe('start-execution against what other AWS-compatible services answer', () => {
  it('a 5xx whose body is not an AWS answer: one line naming the operation and the HTTP status', async () => {
    await emulator.admin.setFaults([
      {
        kind: 'server-error',
        status: 503,
        service: 'sagemaker',
        operation: 'DescribePipeline',
        body: '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>',
      },
    ]);
    const step = await start(job());
    expect(step.exitCode).toBe(1);
    expect(step.errors).toHaveLength(1);
    expect(step.errors[0]).toMatch(
      /^start-execution: DescribePipeline failed: HTTP 503 with a body that is not an AWS answer .*\(request id [0-9a-f-]+\)$/,
    );
    expect(step.errors[0]).not.toContain('Unexpected token');
    // Retried as the transient failure it is before giving up.
    expect(await operations('StartPipelineExecution')).toBe(0);
    expect((await emulator.admin.calls()).filter((c) => c.operation === 'DescribePipeline').length).toBeGreaterThan(1);
  });

  it('given the pipeline by ARN, addresses it by name once described', async () => {
    const arn = 'arn:aws:sagemaker:eu-west-1:111111111111:pipeline/abalone';
    const step = await start(job(), { 'pipeline-name': arn, wait: 'false' });
    expect(step.errors).toEqual([]);
    const calls = await emulator.admin.calls();
    expect(calls.find((c) => c.operation === 'DescribePipeline')?.input.PipelineName).toBe(arn);
    expect(calls.find((c) => c.operation === 'StartPipelineExecution')?.input.PipelineName).toBe('abalone');
  });
});

/**
 * What start-execution decides about an execution's attempts: when to retry, the token of each
 * retry, what each attempt said, what the description carries, which parameter values fit.
 */
import { describe, expect, it } from 'vitest';
import type { PipelineExecutionStep } from '@aws-sdk/client-sagemaker';
import { githubContext } from '../../src/runtime/github-context.ts';
import { executionDescription, retryToken, runMarker, stepKey } from '../../src/start-execution/naming.ts';
import { buildSummary } from '../../src/start-execution/report.ts';
import { attemptRecord, describeAttempt, shouldRetry } from '../../src/start-execution/retry.ts';
import { fitsParameterType } from '../../src/start-execution/start.ts';
import { expiryContext } from '../../src/start-execution/stop.ts';
import type { ExecutionState } from '../../src/start-execution/watch.ts';

const EXECUTION = 'arn:aws:sagemaker:eu-west-1:111111111111:pipeline/abalone/execution/abc123';
const state = (status: string, steps: PipelineExecutionStep[] = []): ExecutionState => ({
  status,
  steps,
  stepsKnown: true,
});

describe('retries', () => {
  it.each([
    ['Failed', 0, 2, true],
    ['Failed', 1, 2, true],
    ['Failed', 2, 2, false],
    ['Failed', 0, 0, false],
    ['Stopped', 0, 2, false],
    ['Succeeded', 0, 2, false],
  ])('%s after %i of %i retries: retry %s', (status, made, allowed, retry) => {
    expect(shouldRetry(state(status), made, allowed)).toBe(retry);
  });

  it('gives each retry of an execution its own token, the same whenever it is asked again', () => {
    expect(retryToken(EXECUTION, 1)).toBe(retryToken(EXECUTION, 1));
    expect(retryToken(EXECUTION, 1)).not.toBe(retryToken(EXECUTION, 2));
    expect(retryToken(EXECUTION, 1)).not.toBe(retryToken(`${EXECUTION}x`, 1));
    expect(retryToken(EXECUTION, 1)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('records the failed steps of an attempt with their reasons, and says it in one line', () => {
    const record = attemptRecord(
      2,
      state('Failed', [
        { StepName: 'Preprocess', StepStatus: 'Succeeded' },
        { StepName: 'Train', StepStatus: 'Failed', FailureReason: 'AlgorithmError: diverged' },
        { StepName: 'Gate', StepStatus: 'Failed', Metadata: { Fail: { ErrorMessage: 'rmse over 3' } } },
        { StepName: 'Other', StepStatus: 'Failed' },
      ]),
    );
    expect(record).toEqual({
      attempt: 2,
      status: 'Failed',
      failedSteps: [
        { step: 'Train', reason: 'AlgorithmError: diverged' },
        { step: 'Gate', reason: 'rmse over 3' },
        { step: 'Other', reason: 'no reason given' },
      ],
    });
    expect(describeAttempt(record)).toBe(
      'attempt 2: Failed (Train: AlgorithmError: diverged; Gate: rmse over 3; Other: no reason given)',
    );
    expect(describeAttempt(attemptRecord(1, state('Succeeded')))).toBe('attempt 1: Succeeded');
  });
});

describe('the execution description', () => {
  const identity = {
    context: githubContext({ GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '99', GITHUB_RUN_ATTEMPT: '2', GITHUB_JOB: 'j' }),
    step: 'run',
    pipeline: 'abalone',
    parameters: {},
    requested: {},
  };
  it.each([
    ['a description of the user', 'nightly backfill', `nightly backfill ${runMarker(identity)}`],
    ['none', undefined, runMarker(identity)],
    ['an empty one', '', runMarker(identity)],
  ])('%s, then the run marker', (_, description, expected) => {
    expect(executionDescription(description, identity)).toBe(expected);
  });

  it('keys the step in twelve hex digits', () => expect(stepKey(identity)).toMatch(/^[0-9a-f]{12}$/));
});

describe('fitsParameterType', () => {
  it.each([
    ['Integer', '42', true],
    ['Integer', '-3', true],
    ['Integer', '4.0', false],
    ['Integer', '', false],
    ['Float', '0.5', true],
    ['Float', '.5', true],
    ['Float', '1e-3', true],
    ['Float', '-2.', true],
    ['Float', '', false],
    ['Float', 'NaN', false],
    ['Boolean', 'true', true],
    ['Boolean', 'False', true],
    ['Boolean', 'yes', false],
    ['String', '', true],
    ['String', 'anything at all', true],
  ])('%s %j: %s', (type, value, fits) => expect(fitsParameterType(type, value)).toBe(fits));
});

describe('expiryContext', () => {
  it('says what still runs and how to resume, with the profile when there is one', () => {
    expect(expiryContext(EXECUTION, 'prod')).toEqual({
      profile: 'prod',
      stillRunning: `the execution ${EXECUTION} is still running`,
      resume: `resume waiting on it with start-execution's execution-arn: ${EXECUTION}`,
    });
    expect(expiryContext(EXECUTION, undefined)).not.toHaveProperty('profile');
  });
});

describe('buildSummary', () => {
  const train: PipelineExecutionStep = {
    StepName: 'Train',
    StepStatus: 'Failed',
    FailureReason: 'AlgorithmError: diverged',
    AttemptCount: 1,
    StartTime: new Date(0),
    EndTime: new Date(125_000),
    Metadata: { TrainingJob: { Arn: 'arn:aws:sagemaker:eu-west-1:111111111111:training-job/pipelines-abc-train' } },
  };
  const register: PipelineExecutionStep = {
    StepName: 'Register',
    StepStatus: 'Executing',
    StartTime: new Date(0),
    Metadata: { RegisterModel: { Arn: 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/abalone/3' } },
  };

  it('a step table with type, duration and a link to each job, then each failure with its logs', () => {
    const markdown = buildSummary({
      executionArn: EXECUTION,
      region: 'eu-west-1',
      state: { ...state('Failed', [train, register]), failureReason: 'Step failure', pipelineVersionId: 4 },
      reused: false,
      digests: [
        {
          step: 'Train',
          reason: 'AlgorithmError: diverged',
          logs: [{ stream: 'pipelines-abc-Train/algo-1', lines: ['epoch 1', 'loss: nan'] }],
          logLink: 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home',
        },
      ],
    }).toString();
    expect(markdown.split('\n')).toEqual(
      expect.arrayContaining([
        '### Execution of abalone: Failed',
        `| **Execution** | <code>${EXECUTION}</code> |`,
        '| **Pipeline version** | 4 |',
        '| **Reason** | Step failure |',
        '| Step | Type | Status | Duration | Attempts | Reason | Details |',
        '| Train | Training | Failed | 2m 05s | 1 | AlgorithmError: diverged | [pipelines-abc-train](https://eu-west-1.console.aws.amazon.com/sagemaker/home?region=eu-west-1#/jobs/pipelines-abc-train) |',
        '| Register | RegisterModel | Executing | running |  |  | <code>arn:aws:sagemaker:eu-west-1:111111111111:model-package/abalone/3</code> |',
        '#### Train failed',
        'loss: nan',
        '| [CloudWatch Logs](https://eu-west-1.console.aws.amazon.com/cloudwatch/home) |',
      ]),
    );
    expect(markdown).not.toContain('Started by');
    expect(markdown).not.toContain('| Attempt |');
  });

  it('an attempts table once a retry was made, and the reuse of an earlier attempt', () => {
    const markdown = buildSummary({
      executionArn: EXECUTION,
      region: 'eu-west-1',
      state: state('Succeeded'),
      reused: true,
      digests: [],
      attempts: [
        { attempt: 1, status: 'Failed', failedSteps: [{ step: 'Train', reason: 'capacity' }] },
        { attempt: 2, status: 'Succeeded', failedSteps: [] },
      ],
    }).toString();
    expect(markdown.split('\n')).toEqual(
      expect.arrayContaining([
        '| **Started by** | an earlier attempt of this run \\(re-used\\) |',
        '| **Attempts** | 2 |',
        '| 1 | StartPipelineExecution | Failed | Train: capacity |',
        '| 2 | RetryPipelineExecution | Succeeded |  |',
      ]),
    );
  });
});

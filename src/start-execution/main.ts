import * as core from '@actions/core';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { createClient } from '../runtime/aws-client.ts';
import { checkAwsValue } from '../runtime/aws-constraints.ts';
import { systemClock } from '../runtime/clock.ts';
import { ActionError, describeError } from '../runtime/errors.ts';
import { explainExpiry } from '../runtime/expired-credentials.ts';
import { githubContext, type GitHubContext } from '../runtime/github-context.ts';
import { timedOutText, waitingLine, type WaitBound } from '../runtime/log-lines.ts';
import { WaitCancelledError, WaitTimeoutError } from '../runtime/poll.ts';
import { readInputs, type Inputs } from './inputs.ts';
import { defaultDisplayName, executionDescription, type StepIdentity } from './naming.ts';
import { buildSummary, failureDigests, printDigests, type FailureDigest } from './report.ts';
import { modelPackageArns } from './step-metadata.ts';
import { attemptRecord, describeAttempt, retryExecution, shouldRetry, type AttemptRecord } from './retry.ts';
import { checkParameters, startOnce, type Started } from './start.ts';
import {
  CANCEL_STOP_BUDGET_MS,
  expiryContext,
  EXECUTION_ARN_STATE,
  CREDENTIALS_EXPIRED_STATE,
  EXECUTION_FINISHED_STATE,
  tryStop,
} from './stop.ts';
import { watchExecution, type ExecutionState } from './watch.ts';

export const ACTION_NAME = 'start-execution';

/** SIGINT (cancel) and SIGTERM (its follow-up) end the wait; the step then stops the execution. */
function cancellation(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    core.info(`Received ${signal}: the workflow was cancelled`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** This step and everything it asks of the execution (see naming.ts). */
function stepIdentity(inputs: Inputs, context: GitHubContext, pipeline: string): StepIdentity {
  return {
    context,
    step: process.env['GITHUB_ACTION'] ?? '',
    pipeline,
    parameters: inputs.parameters,
    requested: {
      ...(inputs.pipelineVersionId ? { pipelineVersionId: inputs.pipelineVersionId } : {}),
      ...(inputs.displayName ? { displayName: inputs.displayName } : {}),
      ...(inputs.description ? { description: inputs.description } : {}),
      ...(inputs.parallelism ? { parallelism: inputs.parallelism } : {}),
    },
  };
}

async function start(client: SageMakerClient, inputs: Inputs): Promise<Started> {
  if (inputs.executionArn) return { executionArn: inputs.executionArn, reused: true };
  const pipelineName = await checkParameters(client, inputs.pipelineName!, inputs.parameters, inputs.pipelineVersionId);
  const context = githubContext();
  const started = await startOnce(client, {
    identity: stepIdentity(inputs, context, pipelineName),
    displayName: inputs.displayName ?? defaultDisplayName(context),
    ...(inputs.description ? { description: inputs.description } : {}),
    ...(inputs.pipelineVersionId ? { pipelineVersionId: inputs.pipelineVersionId } : {}),
    ...(inputs.parallelism ? { parallelism: inputs.parallelism } : {}),
    onRerun: inputs.onRerun,
  });
  if (!started.reused)
    core.info(`Started ${started.executionArn}${started.displayName ? ` (${started.displayName})` : ''}`);
  return started;
}

async function digestsOf(inputs: Inputs, state: ExecutionState, retrying: boolean): Promise<FailureDigest[]> {
  if (state.status !== 'Failed') return [];
  const logs = createClient(CloudWatchLogsClient, inputs);
  try {
    const digests = await failureDigests(logs, inputs.region, state, inputs.logLines);
    printDigests(digests, retrying);
    return digests;
  } finally {
    logs.destroy();
  }
}

async function report(
  inputs: Inputs,
  executionArn: string,
  state: ExecutionState,
  reused: boolean,
  attempts: AttemptRecord[],
  digests: FailureDigest[],
): Promise<void> {
  const packages = modelPackageArns(state.steps);
  core.setOutput('status', state.status);
  core.setOutput('model-package-arns', JSON.stringify(packages));
  core.setOutput('model-package-arn', packages[packages.length - 1] ?? '');
  if (state.pipelineVersionId !== undefined) core.setOutput('pipeline-version-id', String(state.pipelineVersionId));
  core.setOutput('attempts', String(attempts.length));
  await buildSummary({ executionArn, region: inputs.region, state, reused, digests, attempts }).write();
}

/**
 * The display name (from the branch unless given) and the description (with the run marker)
 * are composed here; AWS's limits apply to what is sent, so they are checked before any call.
 */
function checkComposed(inputs: Inputs): void {
  if (inputs.executionArn) return;
  const context = githubContext();
  if (inputs.displayName === undefined)
    checkAwsValue(
      'display-name',
      'executionDisplayName',
      defaultDisplayName(context),
      'the name made from the branch, ',
    );
  const identity = stepIdentity(inputs, context, inputs.pipelineName ?? '');
  checkAwsValue(
    'description',
    'executionDescription',
    executionDescription(inputs.description, identity),
    'with the run marker, ',
  );
}

export async function run(): Promise<void> {
  const inputs = await readInputs();
  checkComposed(inputs);
  const client = createClient(SageMakerClient, inputs);
  const cancel = cancellation();
  let started: string | undefined;
  try {
    await watchAndReport(client, inputs, cancel.signal, (arn) => (started = arn));
  } catch (error) {
    if (!started) throw error;
    const explained = await explainExpiry(error, client, expiryContext(started, inputs.profile));
    // The post step then says the same instead of trying the expired credentials again.
    if (explained !== error) core.saveState(CREDENTIALS_EXPIRED_STATE, (explained as Error).message);
    throw explained;
  } finally {
    cancel.dispose();
    client.destroy();
  }
}

const timeoutBound = (inputs: Inputs): WaitBound => ({ input: 'timeout-minutes', minutes: inputs.timeoutMinutes });

async function watchAndReport(
  client: SageMakerClient,
  inputs: Inputs,
  signal: AbortSignal,
  onStarted: (executionArn: string) => void,
): Promise<void> {
  const { executionArn, reused } = await start(client, inputs);
  onStarted(executionArn);
  core.setOutput('execution-arn', executionArn);
  core.setOutput('reused', String(reused));
  if (!inputs.wait) {
    core.setOutput('status', 'Executing');
    core.info('Not waiting (wait: false). Resume with execution-arn in a later step or job.');
    return;
  }
  if (inputs.stopOnCancel) core.saveState(EXECUTION_ARN_STATE, executionArn);
  core.info(waitingLine(executionArn, 'end', timeoutBound(inputs)));

  const clock = systemClock();
  const deadline = clock.now() + inputs.timeoutMinutes * 60_000;
  const attempts: AttemptRecord[] = [];
  let digests: FailureDigest[];
  let state: ExecutionState;
  try {
    let justStarted = !reused;
    for (;;) {
      state = await watchExecution({
        client,
        executionArn,
        clock,
        timeoutMs: Math.max(deadline - clock.now(), 1),
        signal,
        justStarted,
      });
      const record = attemptRecord(attempts.length + 1, state);
      attempts.push(record);
      if (inputs.retryAttempts > 0) core.info(`Execution ${describeAttempt(record)}`);
      const retrying = shouldRetry(state, attempts.length - 1, inputs.retryAttempts);
      digests = await digestsOf(inputs, state, retrying);
      if (!retrying) break;
      await retryExecution(client, executionArn, attempts.length, inputs.parallelism);
      justStarted = true;
    }
  } catch (error) {
    throw await endedEarly(error, client, inputs, executionArn);
  }
  core.saveState(EXECUTION_FINISHED_STATE, 'true');

  try {
    await report(inputs, executionArn, state, reused, attempts, digests);
  } catch (error) {
    // The result is known; failing to dress it up must not turn a success into a failure.
    core.warning(`Could not write the execution report: ${describeError(error)}`);
    core.setOutput('status', state.status);
  }
  const tries = attempts.length > 1 ? ` after ${attempts.length} attempts` : '';
  if (state.status !== 'Succeeded') {
    throw new ActionError(
      `execution ${state.status}${tries}${state.failureReason ? `: ${state.failureReason}` : ''} (${executionArn})`,
    );
  }
  core.info(`Execution succeeded${tries}: ${executionArn}`);
}

/**
 * The error a wait that ended before the execution did is reported as: on cancel or timeout
 * the execution is stopped (within the runner's grace period on cancel), or what could not be
 * stopped is left to the post step and said.
 */
async function endedEarly(
  error: unknown,
  client: SageMakerClient,
  inputs: Inputs,
  executionArn: string,
): Promise<unknown> {
  if (error instanceof WaitCancelledError) {
    if (!inputs.stopOnCancel)
      return new ActionError(`cancelled; ${executionArn} keeps running (stop-on-cancel is false)`);
    const stop = await tryStop(client, executionArn, CANCEL_STOP_BUDGET_MS);
    // Left unfinished on purpose when the stop failed: the post step stops it.
    if (!stop.stopped)
      return new ActionError(
        `cancelled; could not stop ${executionArn} in time (${stop.reason}); the post step stops it`,
      );
    core.saveState(EXECUTION_FINISHED_STATE, 'true');
    return new ActionError(`cancelled; stopped ${executionArn}`);
  }
  if (error instanceof WaitTimeoutError) {
    const timedOut = timedOutText(error.elapsedMs, timeoutBound(inputs));
    if (inputs.onTimeout === 'stop') {
      const stop = await tryStop(client, executionArn);
      if (!stop.stopped) {
        return new ActionError(
          `${timedOut}; stopping ${executionArn} failed (${stop.reason}), it may still be running; the post step tries again`,
        );
      }
      core.saveState(EXECUTION_FINISHED_STATE, 'true');
      return new ActionError(`${timedOut}; stopped ${executionArn}`);
    }
    core.saveState(EXECUTION_FINISHED_STATE, 'true');
    return new ActionError(
      `${timedOut}; ${executionArn} keeps running (on-timeout: leave) — wait on it with execution-arn`,
    );
  }
  return error;
}

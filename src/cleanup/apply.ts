/**
 * Carries out a plan in dependency order: running executions stopped (and waited on until they
 * are, as SageMaker deletes no pipeline while one runs), then pipelines, endpoints, endpoint
 * configs and models. Something already gone counts as deleted, so a re-run after a partial
 * cleanup finishes the job; any other failure is reported and the rest carries on.
 */
import * as core from '@actions/core';
import {
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DeletePipelineCommand,
  DescribePipelineExecutionCommand,
  StopPipelineExecutionCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { sha256Hex } from '../runtime/canonical-json.ts';
import { systemClock } from '../runtime/clock.ts';
import { awsErrorCode, describeError } from '../runtime/errors.ts';
import { timedOutText, waitingLine, type WaitBound } from '../runtime/log-lines.ts';
import { isNotFound } from '../runtime/not-found.ts';
import { WaitTimeoutError, waitUntil } from '../runtime/poll.ts';
import { EXECUTION_RUNNING } from '../sagemaker/executions.ts';
import type { Decision, Plan } from './planner.ts';

export interface Outcome {
  deleted: Decision[];
  failed: { decision: Decision; error: string }[];
}

async function stopAndWait(client: SageMakerClient, executionArn: string, bound: WaitBound): Promise<void> {
  try {
    await client.send(
      new StopPipelineExecutionCommand({
        PipelineExecutionArn: executionArn,
        ClientRequestToken: sha256Hex(`cleanup-stop/${executionArn}`),
      }),
    );
    core.info(waitingLine(executionArn, 'stop', bound));
  } catch (error) {
    // Ended meanwhile: nothing to stop.
    if (!(awsErrorCode(error) === 'ValidationException' && /status/i.test((error as Error).message))) throw error;
  }
  await waitUntil({
    clock: systemClock(),
    timeoutMs: bound.minutes * 60_000,
    pollImmediately: false,
    delay: () => 5000,
    poll: () => client.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: executionArn })),
    isDone: (e) => !EXECUTION_RUNNING.has(e.PipelineExecutionStatus ?? ''),
  });
}

function deleteCommand(decision: Decision) {
  switch (decision.kind) {
    case 'pipeline':
      return new DeletePipelineCommand({
        PipelineName: decision.name,
        ClientRequestToken: sha256Hex(`cleanup-delete/${decision.arn}`),
      });
    case 'endpoint':
      return new DeleteEndpointCommand({ EndpointName: decision.name });
    case 'endpoint-config':
      return new DeleteEndpointConfigCommand({ EndpointConfigName: decision.name });
    case 'model':
      return new DeleteModelCommand({ ModelName: decision.name });
  }
}

export async function applyPlan(client: SageMakerClient, plan: Plan, stopTimeout: WaitBound): Promise<Outcome> {
  const outcome: Outcome = { deleted: [], failed: [] };
  const unstoppable = new Set<string>();
  for (const { pipeline, executionArn } of plan.stop) {
    try {
      await stopAndWait(client, executionArn, stopTimeout);
    } catch (error) {
      const why = error instanceof WaitTimeoutError ? timedOutText(error.elapsedMs, stopTimeout) : describeError(error);
      core.warning(`Could not stop ${executionArn}: ${why}`);
      unstoppable.add(pipeline);
    }
  }
  for (const decision of plan.delete) {
    if (decision.kind === 'pipeline' && unstoppable.has(decision.name)) {
      outcome.failed.push({ decision, error: 'an execution could not be stopped' });
      continue;
    }
    try {
      // Each kind has its own command type; the client takes them all.
      await client.send(deleteCommand(decision) as DeleteModelCommand);
      core.info(`Deleted ${decision.kind} ${decision.name} (${decision.reason})`);
      outcome.deleted.push(decision);
    } catch (error) {
      if (isNotFound(error)) {
        core.info(`Already gone: ${decision.kind} ${decision.name}`);
        outcome.deleted.push(decision);
      } else {
        core.warning(`Could not delete ${decision.kind} ${decision.name}: ${describeError(error)}`);
        outcome.failed.push({ decision, error: describeError(error) });
      }
    }
  }
  return outcome;
}

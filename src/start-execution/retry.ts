/**
 * Retrying a failed execution with RetryPipelineExecution: SageMaker resumes it from its failed
 * steps on the same execution ARN, so steps that succeeded (a long training job) are not paid for
 * twice. Each attempt's outcome is kept for the log and the summary.
 */
import * as core from '@actions/core';
import { RetryPipelineExecutionCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { retryToken } from './naming.ts';
import { stepFailureReason } from './step-metadata.ts';
import type { ExecutionState } from './watch.ts';

export interface AttemptRecord {
  /** 1 for the execution as started, 2 for the first retry, … */
  attempt: number;
  status: string;
  /** Steps that failed in this attempt, with their reasons. */
  failedSteps: { step: string; reason: string }[];
}

export function attemptRecord(attempt: number, state: ExecutionState): AttemptRecord {
  return {
    attempt,
    status: state.status,
    failedSteps: state.steps
      .filter((step) => step.StepStatus === 'Failed')
      .map((step) => ({
        step: step.StepName ?? '',
        reason: stepFailureReason(step) ?? 'no reason given',
      })),
  };
}

/** One line per attempt: "attempt 1: Failed (Train: AlgorithmError …)". */
export function describeAttempt(record: AttemptRecord): string {
  const failed = record.failedSteps.map((f) => `${f.step}: ${f.reason}`).join('; ');
  return `attempt ${record.attempt}: ${record.status}${failed ? ` (${failed})` : ''}`;
}

/** Only a Failed execution can be retried (a Stopped one was stopped on purpose). */
export function shouldRetry(state: ExecutionState, retriesMade: number, retryAttempts: number): boolean {
  return state.status === 'Failed' && retriesMade < retryAttempts;
}

export async function retryExecution(
  client: SageMakerClient,
  executionArn: string,
  retry: number,
  parallelism: number | undefined,
): Promise<void> {
  await client.send(
    new RetryPipelineExecutionCommand({
      PipelineExecutionArn: executionArn,
      ClientRequestToken: retryToken(executionArn, retry),
      ...(parallelism ? { ParallelismConfiguration: { MaxParallelExecutionSteps: parallelism } } : {}),
    }),
  );
  core.info(`Retrying ${executionArn} from its failed steps (RetryPipelineExecution, retry ${retry})`);
}

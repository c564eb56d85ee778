/**
 * Display names, idempotency tokens and the run marker that tie an execution
 * to the workflow run that started it.
 */
import { canonicalJson, sha256Hex } from '../runtime/canonical-json.ts';
import type { GitHubContext } from '../runtime/github-context.ts';
import { pullRequestOf } from '../sagemaker/ownership-tags.ts';

/** <branch>-<run id>-<attempt>, squeezed into SageMaker's 82 characters of letters, digits and hyphens. */
export function defaultDisplayName(context: GitHubContext): string {
  // refs/pull/7/merge names pull request 7, not a branch.
  const pull = pullRequestOf(context);
  const branch = pull ? `pr-${pull}` : context.ref.replace(/^refs\/(heads|tags)\//, '') || 'run';
  const suffix = context.runId ? `-${context.runId}-${context.runAttempt}` : '';
  const cleaned = branch.replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'run';
  return `${cleaned.slice(0, 82 - suffix.length).replace(/-+$/, '')}${suffix}`;
}

/**
 * What identifies "this step of this job" across attempts of a run: the step itself (two steps of
 * one job are two executions even with the same inputs) and everything the user asked of the
 * execution, so a step asking for another version or other parameters never gets an execution
 * started for different ones.
 */
export interface StepIdentity {
  context: GitHubContext;
  /** The step's id in its job (GITHUB_ACTION): the same on every attempt, different per step. */
  step: string;
  pipeline: string;
  parameters: Record<string, string>;
  /** What was asked beside the parameters; a default that changes per attempt is not part of it. */
  requested: {
    pipelineVersionId?: number;
    displayName?: string;
    description?: string;
    parallelism?: number;
  };
}

/** Same for every attempt of the run, so a re-run can find what an earlier attempt started. */
export function stepKey(identity: StepIdentity): string {
  const { context } = identity;
  return sha256Hex(
    canonicalJson([
      context.repository,
      context.runId,
      context.job,
      identity.step,
      identity.pipeline,
      identity.parameters,
      identity.requested,
    ]),
  ).slice(0, 12);
}

/**
 * ClientRequestToken: the same within one attempt, so a step retried after a
 * lost response gets the execution it already started instead of a second one.
 */
export function requestToken(identity: StepIdentity): string {
  return sha256Hex(`${stepKey(identity)}/attempt-${identity.context.runAttempt}`);
}

const MARKER = /\[mlops-actions run (\S+) attempt (\d+) key ([0-9a-f]{12})\]/;

export function runMarker(identity: StepIdentity): string {
  const { context } = identity;
  return `[mlops-actions run ${context.repository}#${context.runId} attempt ${context.runAttempt} key ${stepKey(identity)}]`;
}

/** What PipelineExecutionDescription carries: the user's description, then the run marker. */
export function executionDescription(description: string | undefined, identity: StepIdentity): string {
  return [description, runMarker(identity)].filter(Boolean).join(' ');
}

export function parseRunMarker(
  description: string | undefined,
): { run: string; attempt: number; key: string } | undefined {
  const match = MARKER.exec(description ?? '');
  return match ? { run: match[1]!, attempt: Number(match[2]), key: match[3]! } : undefined;
}

/**
 * ClientRequestToken of the n-th RetryPipelineExecution of an execution (n from 1). A function of
 * the execution and n alone: a step retried within an attempt, or a re-run attached to the same
 * execution, asking for the same retry again gets the retry already made, never a second one.
 */
export function retryToken(executionArn: string, retry: number): string {
  return sha256Hex(canonicalJson(['retry', executionArn, retry]));
}

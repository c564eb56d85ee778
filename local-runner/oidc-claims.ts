/**
 * The claims GitHub puts in a job's OIDC token, registered with the emulator's
 * issuer so that trust policies on sub (branch, pull request, environment),
 * job_workflow_ref and the rest are exercised as on AWS.
 */
import { ACTOR_ID, OWNER_ID, REPOSITORY_ID, type RunFacts } from './github-context.ts';

/** aud is not here: the step sets it when it asks for the token. */
export function oidcClaims(
  facts: RunFacts,
  job: { environment: string | undefined; jobWorkflowRef: string },
): Record<string, unknown> {
  const subject = job.environment
    ? `environment:${job.environment}`
    : facts.eventName === 'pull_request'
      ? 'pull_request'
      : `ref:${facts.ref}`;
  return {
    sub: `repo:${facts.repository}:${subject}`,
    repository: facts.repository,
    repository_id: String(REPOSITORY_ID),
    repository_owner: facts.owner,
    repository_owner_id: String(OWNER_ID),
    repository_visibility: 'private',
    actor: facts.actor,
    actor_id: ACTOR_ID,
    ref: facts.ref,
    ref_type: facts.refType,
    ref_protected: 'false',
    sha: facts.sha,
    workflow: facts.workflowName,
    workflow_ref: facts.workflowRef,
    workflow_sha: facts.sha,
    job_workflow_ref: job.jobWorkflowRef,
    job_workflow_sha: facts.sha,
    event_name: facts.eventName,
    run_id: facts.runId,
    run_number: facts.runNumber,
    run_attempt: facts.runAttempt,
    runner_environment: 'github-hosted',
    ...(facts.headRef ? { head_ref: facts.headRef, base_ref: facts.baseRef } : {}),
    ...(job.environment ? { environment: job.environment } : {}),
  };
}

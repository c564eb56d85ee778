/**
 * The claims GitHub puts in a job's OIDC token, derived from the run's facts and registered with the
 * OIDC issuer, so that trust policies on sub (branch, tag, pull request, environment),
 * job_workflow_ref and the rest are exercised as on AWS.
 */
import { ACTOR_ID, OWNER_ID, ownerOf, refType, REPOSITORY_ID, type RunFacts } from './run-facts.ts';

/**
 * The subject, in the forms GitHub emits: the job's environment when it has one, else
 * `pull_request` for a pull request's run, else the ref (`ref:refs/heads/main`, `ref:refs/tags/v1`).
 */
export function oidcSubject(facts: RunFacts): string {
  const subject = facts.environment
    ? `environment:${facts.environment}`
    : facts.eventName === 'pull_request'
      ? 'pull_request'
      : `ref:${facts.ref}`;
  return `repo:${facts.repository}:${subject}`;
}

/** GitHub's audience when a step asks for a token without naming one: the owner's URL. */
export function defaultAudience(facts: RunFacts): string {
  return `https://github.com/${ownerOf(facts)}`;
}

/** The token's claims; a step that names an audience when it asks gets that audience instead of aud here. */
export function oidcClaims(facts: RunFacts): Record<string, unknown> {
  return {
    sub: oidcSubject(facts),
    aud: defaultAudience(facts),
    repository: facts.repository,
    repository_id: String(REPOSITORY_ID),
    repository_owner: ownerOf(facts),
    repository_owner_id: String(OWNER_ID),
    repository_visibility: 'private',
    actor: facts.actor,
    actor_id: ACTOR_ID,
    ref: facts.ref,
    ref_type: refType(facts),
    ref_protected: 'false',
    sha: facts.sha,
    workflow: facts.workflow,
    workflow_ref: facts.workflowRef,
    workflow_sha: facts.sha,
    job_workflow_ref: facts.jobWorkflowRef,
    job_workflow_sha: facts.sha,
    event_name: facts.eventName,
    run_id: facts.runId,
    run_number: facts.runNumber,
    run_attempt: facts.runAttempt,
    runner_environment: 'github-hosted',
    ...(facts.headRef ? { head_ref: facts.headRef, base_ref: facts.baseRef } : {}),
    ...(facts.environment ? { environment: facts.environment } : {}),
  };
}

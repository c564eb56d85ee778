/**
 * What a job is shown of its run, derived from the run's facts: the `github` context of its
 * expressions, the GITHUB_* variables of its steps and the payload behind GITHUB_EVENT_PATH.
 * src/runtime/github-context.ts reads these variables back on the action side.
 */
import { ACTOR_ID, OWNER_ID, ownerOf, refName, refType, REPOSITORY_ID, type RunFacts } from './run-facts.ts';

const SERVER_URL = 'https://github.com';
const API_URL = 'https://api.github.com';
const GRAPHQL_URL = 'https://api.github.com/graphql';
const RETENTION_DAYS = '90';

/** A plausible payload of the run's event (push, pull_request, workflow_dispatch; others get a minimal one). */
export function eventPayload(facts: RunFacts): Record<string, unknown> {
  return { ...derivedPayload(facts), ...facts.eventFields };
}

function derivedPayload(facts: RunFacts): Record<string, unknown> {
  const [owner, name] = facts.repository.split('/');
  const repository = {
    id: REPOSITORY_ID,
    name,
    full_name: facts.repository,
    owner: { login: owner, id: OWNER_ID, type: 'Organization' },
    private: true,
    default_branch: 'main',
    html_url: `${SERVER_URL}/${facts.repository}`,
  };
  const sender = { login: facts.actor, id: Number(ACTOR_ID), type: 'User' };
  switch (facts.eventName) {
    case 'push':
      return {
        ref: facts.ref,
        before: '0'.repeat(40),
        after: facts.sha,
        created: false,
        deleted: false,
        forced: false,
        base_ref: null,
        compare: `${SERVER_URL}/${facts.repository}/commit/${facts.sha}`,
        head_commit: {
          id: facts.sha,
          message: 'Local run',
          timestamp: new Date().toISOString(),
          author: { name: facts.actor, email: `${facts.actor}@users.noreply.github.com`, username: facts.actor },
        },
        pusher: { name: facts.actor, email: `${facts.actor}@users.noreply.github.com` },
        repository,
        sender,
      };
    case 'pull_request': {
      const number = facts.pullRequestNumber ?? 1;
      return {
        action: 'synchronize',
        number,
        pull_request: {
          number,
          state: 'open',
          title: `Local run of ${facts.headRef}`,
          html_url: `${SERVER_URL}/${facts.repository}/pull/${number}`,
          user: sender,
          merged: false,
          draft: false,
          head: { ref: facts.headRef, sha: facts.sha, label: `${owner}:${facts.headRef}`, repo: repository },
          base: { ref: facts.baseRef, sha: 'b'.repeat(40), label: `${owner}:${facts.baseRef}`, repo: repository },
        },
        repository,
        sender,
      };
    }
    case 'workflow_dispatch':
      return {
        // The payload carries inputs as strings; the inputs context keeps their types.
        inputs: facts.dispatchInputs ?? {},
        ref: facts.ref,
        workflow: facts.workflowRef.replace(/^[^/]+\/[^/]+\//, '').replace(/@.*$/, ''),
        repository,
        sender,
      };
    default:
      return { repository, sender };
  }
}

/** The `github` context of the job; `event` is the payload the job's steps find at GITHUB_EVENT_PATH. */
export function githubContext(
  facts: RunFacts,
  job: { workspace: string; event: Record<string, unknown> },
): Record<string, unknown> {
  return {
    event_name: facts.eventName,
    event: job.event,
    ref: facts.ref,
    ref_name: refName(facts),
    ref_type: refType(facts),
    ref_protected: false,
    sha: facts.sha,
    actor: facts.actor,
    actor_id: ACTOR_ID,
    triggering_actor: facts.actor,
    repository: facts.repository,
    repository_id: String(REPOSITORY_ID),
    repository_owner: ownerOf(facts),
    repository_owner_id: String(OWNER_ID),
    repositoryUrl: `git://github.com/${facts.repository}.git`,
    run_id: facts.runId,
    run_number: facts.runNumber,
    run_attempt: facts.runAttempt,
    retention_days: RETENTION_DAYS,
    workflow: facts.workflow,
    workflow_ref: facts.workflowRef,
    workflow_sha: facts.sha,
    job: facts.job,
    head_ref: facts.headRef,
    base_ref: facts.baseRef,
    server_url: SERVER_URL,
    api_url: API_URL,
    graphql_url: GRAPHQL_URL,
    workspace: job.workspace,
    action: '',
    action_path: '',
    secret_source: 'Actions',
    token: '***',
  };
}

/** The GITHUB_* variables the runner gives every step of the job. */
export function githubEnv(facts: RunFacts, job: { workspace: string; eventPath: string }): Record<string, string> {
  return {
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: facts.repository,
    GITHUB_REPOSITORY_ID: String(REPOSITORY_ID),
    GITHUB_REPOSITORY_OWNER: ownerOf(facts),
    GITHUB_REPOSITORY_OWNER_ID: String(OWNER_ID),
    GITHUB_REF: facts.ref,
    GITHUB_REF_NAME: refName(facts),
    GITHUB_REF_TYPE: refType(facts),
    GITHUB_REF_PROTECTED: 'false',
    GITHUB_HEAD_REF: facts.headRef,
    GITHUB_BASE_REF: facts.baseRef,
    GITHUB_SHA: facts.sha,
    GITHUB_ACTOR: facts.actor,
    GITHUB_ACTOR_ID: ACTOR_ID,
    GITHUB_TRIGGERING_ACTOR: facts.actor,
    GITHUB_WORKFLOW: facts.workflow,
    GITHUB_WORKFLOW_REF: facts.workflowRef,
    GITHUB_WORKFLOW_SHA: facts.sha,
    GITHUB_RUN_ID: facts.runId,
    GITHUB_RUN_NUMBER: facts.runNumber,
    GITHUB_RUN_ATTEMPT: facts.runAttempt,
    GITHUB_RETENTION_DAYS: RETENTION_DAYS,
    GITHUB_EVENT_NAME: facts.eventName,
    GITHUB_EVENT_PATH: job.eventPath,
    GITHUB_JOB: facts.job,
    GITHUB_SERVER_URL: SERVER_URL,
    GITHUB_API_URL: API_URL,
    GITHUB_GRAPHQL_URL: GRAPHQL_URL,
    GITHUB_WORKSPACE: job.workspace,
  };
}

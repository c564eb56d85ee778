/**
 * The facts of one local run as GitHub would present them: the `github`
 * context, the GITHUB_* variables, and a plausible event payload for the
 * event (push, pull_request, workflow_dispatch).
 */
import { DEFAULT_CONTEXT, type GitHubRunContext } from './job.ts';
import type { RunWorkflowOptions } from './types.ts';

export interface RunFacts {
  eventName: string;
  ref: string;
  refName: string;
  refType: 'branch' | 'tag';
  sha: string;
  actor: string;
  repository: string;
  owner: string;
  runId: string;
  runNumber: string;
  runAttempt: string;
  headRef: string;
  baseRef: string;
  /** The top workflow's name and `owner/repo/path@ref`: a called workflow's jobs still see these. */
  workflowName: string;
  workflowRef: string;
  event: Record<string, unknown>;
}

export const REPOSITORY_ID = 123456789;
export const OWNER_ID = 987654;
export const ACTOR_ID = '583231';

/** The repository a run is in. */
export function runRepository(options: RunWorkflowOptions): string {
  return options.repository ?? DEFAULT_CONTEXT.repository;
}

/** The ref a run is on: the pushed ref, or for a pull request its merge ref (the branch is the head ref). */
export function runRef(options: RunWorkflowOptions): string {
  return options.event === 'pull_request'
    ? `refs/pull/${options.pullRequestNumber ?? 1}/merge`
    : (options.ref ?? 'refs/heads/main');
}

/** `workflow`: the top workflow's name and `owner/repo/path@ref`, which a called workflow's jobs see too. */
export function runFacts(
  options: RunWorkflowOptions,
  workflow: { name: string; ref: string },
  inputs: Record<string, unknown>,
): RunFacts {
  const repository = runRepository(options);
  const owner = repository.split('/')[0]!;
  const pushed = options.ref ?? 'refs/heads/main';
  const sha = options.sha ?? DEFAULT_CONTEXT.sha;
  const actor = options.actor ?? DEFAULT_CONTEXT.actor;
  const pullRequest = options.event === 'pull_request';
  const number = options.pullRequestNumber ?? 1;
  const ref = runRef(options);
  const headRef = pullRequest ? pushed.replace(/^refs\/heads\//, '') : '';
  const baseRef = pullRequest ? (options.baseRef ?? 'main').replace(/^refs\/heads\//, '') : '';
  const facts: RunFacts = {
    eventName: options.event,
    ref,
    refName: ref.replace(/^refs\/(heads|tags|pull)\//, ''),
    refType: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    sha,
    actor,
    repository,
    owner,
    runId: options.runId ?? DEFAULT_CONTEXT.runId,
    runNumber: '1',
    runAttempt: options.runAttempt ?? DEFAULT_CONTEXT.runAttempt,
    headRef,
    baseRef,
    workflowName: workflow.name,
    workflowRef: workflow.ref,
    event: {},
  };
  facts.event = eventPayload(facts, number, inputs);
  return facts;
}

function eventPayload(facts: RunFacts, number: number, inputs: Record<string, unknown>): Record<string, unknown> {
  const [owner, name] = facts.repository.split('/');
  const repository = {
    id: REPOSITORY_ID,
    name,
    full_name: facts.repository,
    owner: { login: owner, id: OWNER_ID, type: 'Organization' },
    private: true,
    default_branch: 'main',
    html_url: `https://github.com/${facts.repository}`,
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
        compare: `https://github.com/${facts.repository}/commit/${facts.sha}`,
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
    case 'pull_request':
      return {
        action: 'synchronize',
        number,
        pull_request: {
          number,
          state: 'open',
          title: `Local run of ${facts.headRef}`,
          html_url: `https://github.com/${facts.repository}/pull/${number}`,
          user: sender,
          merged: false,
          draft: false,
          head: { ref: facts.headRef, sha: facts.sha, label: `${owner}:${facts.headRef}`, repo: repository },
          base: { ref: facts.baseRef, sha: 'b'.repeat(40), label: `${owner}:${facts.baseRef}`, repo: repository },
        },
        repository,
        sender,
      };
    case 'workflow_dispatch':
      return {
        // The payload carries inputs as strings; the inputs context keeps their types.
        inputs: Object.fromEntries(Object.entries(inputs).map(([key, value]) => [key, String(value)])),
        ref: facts.ref,
        workflow: facts.workflowRef.replace(/^[^/]+\/[^/]+\//, '').replace(/@.*$/, ''),
        repository,
        sender,
      };
    default:
      return { repository, sender };
  }
}

/** The `github` context of one job. */
export function githubContext(facts: RunFacts, jobId: string, workspace: string): Record<string, unknown> {
  return {
    event_name: facts.eventName,
    event: facts.event,
    ref: facts.ref,
    ref_name: facts.refName,
    ref_type: facts.refType,
    ref_protected: false,
    sha: facts.sha,
    actor: facts.actor,
    actor_id: ACTOR_ID,
    triggering_actor: facts.actor,
    repository: facts.repository,
    repository_id: String(REPOSITORY_ID),
    repository_owner: facts.owner,
    repository_owner_id: String(OWNER_ID),
    repositoryUrl: `git://github.com/${facts.repository}.git`,
    run_id: facts.runId,
    run_number: facts.runNumber,
    run_attempt: facts.runAttempt,
    retention_days: '90',
    workflow: facts.workflowName,
    workflow_ref: facts.workflowRef,
    workflow_sha: facts.sha,
    job: jobId,
    head_ref: facts.headRef,
    base_ref: facts.baseRef,
    server_url: 'https://github.com',
    api_url: 'https://api.github.com',
    graphql_url: 'https://api.github.com/graphql',
    workspace,
    action: '',
    action_path: '',
    secret_source: 'Actions',
    token: '***',
  };
}

/** SimulatedJob's part of the GITHUB_* variables. */
export function runContext(facts: RunFacts, jobId: string): GitHubRunContext {
  return {
    repository: facts.repository,
    ref: facts.ref,
    sha: facts.sha,
    actor: facts.actor,
    workflow: facts.workflowName,
    runId: facts.runId,
    runAttempt: facts.runAttempt,
    eventName: facts.eventName,
    job: jobId,
  };
}

/** The rest of the GITHUB_* variables the runner sets. */
export function githubEnv(facts: RunFacts): Record<string, string> {
  return {
    GITHUB_REF_NAME: facts.refName,
    GITHUB_REF_TYPE: facts.refType,
    GITHUB_REF_PROTECTED: 'false',
    GITHUB_HEAD_REF: facts.headRef,
    GITHUB_BASE_REF: facts.baseRef,
    GITHUB_WORKFLOW_REF: facts.workflowRef,
    GITHUB_WORKFLOW_SHA: facts.sha,
    GITHUB_RUN_NUMBER: facts.runNumber,
    GITHUB_TRIGGERING_ACTOR: facts.actor,
    GITHUB_REPOSITORY_ID: String(REPOSITORY_ID),
    GITHUB_REPOSITORY_OWNER_ID: String(OWNER_ID),
    GITHUB_ACTOR_ID: ACTOR_ID,
    GITHUB_RETENTION_DAYS: '90',
    GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
    RUNNER_NAME: 'local-runner',
    RUNNER_ENVIRONMENT: 'github-hosted',
  };
}

/**
 * The identity of one GitHub run, as one set of facts: what a job's `github` context, its GITHUB_*
 * variables and the claims of its OIDC token are all derived from (github-context.ts, oidc-claims.ts),
 * so a step run alone (SimulatedJob) and a step of a workflow run cannot see different runs.
 */
import type { RunWorkflowOptions } from './types.ts';

export interface RunFacts {
  /** `owner/name`. */
  repository: string;
  eventName: string;
  /** The ref the run is on: `refs/heads/main`, `refs/tags/v1.2.0`, or a pull request's `refs/pull/<n>/merge`. */
  ref: string;
  sha: string;
  actor: string;
  runId: string;
  runNumber: string;
  runAttempt: string;
  /** The top workflow's name; a called workflow's jobs still see it. */
  workflow: string;
  /** The top workflow's `owner/repo/path@ref`. */
  workflowRef: string;
  /** The workflow file the job is written in, `owner/repo/path@ref` (a called workflow's for its jobs). */
  jobWorkflowRef: string;
  /** The job's id. */
  job: string;
  /** The job's deployment environment, if it has one. */
  environment?: string;
  /** pull_request: the pull request, its head branch and base branch (both without refs/heads/). */
  pullRequestNumber?: number;
  headRef: string;
  baseRef: string;
  /** workflow_dispatch: the inputs, as strings like the event payload carries them. */
  dispatchInputs?: Record<string, string>;
  /** Fields the caller gave for the event's payload (repository_dispatch's action and client_payload), laid over it. */
  eventFields?: Record<string, unknown>;
}

/** The ids GitHub gives the repository, its owner and the actor; fixed, like the sample repository. */
export const REPOSITORY_ID = 123456789;
export const OWNER_ID = 987654;
export const ACTOR_ID = '583231';

const DEFAULT_REPOSITORY = 'example-org/ml-pipelines';
const DEFAULT_WORKFLOW = 'promote';

/** A push to main of the sample repository, its `promote` job. */
export const DEFAULT_RUN_FACTS: RunFacts = {
  repository: DEFAULT_REPOSITORY,
  eventName: 'push',
  ref: 'refs/heads/main',
  sha: '3f1c2e9a7b6d5c4e3f2a1b0c9d8e7f6a5b4c3d2e',
  actor: 'octocat',
  runId: '9876543210',
  runNumber: '1',
  runAttempt: '1',
  workflow: DEFAULT_WORKFLOW,
  workflowRef: workflowFileRef(DEFAULT_REPOSITORY, DEFAULT_WORKFLOW, 'refs/heads/main'),
  jobWorkflowRef: workflowFileRef(DEFAULT_REPOSITORY, DEFAULT_WORKFLOW, 'refs/heads/main'),
  job: DEFAULT_WORKFLOW,
  headRef: '',
  baseRef: '',
};

/**
 * The facts of a run given some of them; the rest are the default run's, and what follows from what
 * is given follows from it: a pull request is on its merge ref, the workflow refs name the ref.
 */
export function runFacts(given: Partial<RunFacts> = {}): RunFacts {
  // A key given as undefined is not given.
  const known = Object.fromEntries(
    Object.entries(given).filter(([, value]) => value !== undefined),
  ) as Partial<RunFacts>;
  const facts: RunFacts = { ...DEFAULT_RUN_FACTS, ...known };
  if (facts.eventName === 'pull_request') {
    facts.pullRequestNumber ??= 1;
    facts.ref = known.ref ?? pullRequestRef(facts.pullRequestNumber);
    facts.headRef = known.headRef ?? 'feature';
    facts.baseRef = known.baseRef ?? 'main';
  }
  facts.workflowRef = known.workflowRef ?? workflowFileRef(facts.repository, facts.workflow, facts.ref);
  facts.jobWorkflowRef = known.jobWorkflowRef ?? facts.workflowRef;
  return facts;
}

/**
 * The facts of a run of runWorkflow: for pull_request `ref` is the head branch and the run is on
 * the pull request's merge ref. `workflow` is the top workflow's name and `owner/repo/path@ref`.
 */
export function workflowRunFacts(
  options: RunWorkflowOptions,
  workflow: { name: string; ref: string },
  dispatchInputs: Record<string, string> = {},
): RunFacts {
  const pushed = options.ref ?? DEFAULT_RUN_FACTS.ref;
  const pullRequest = options.event === 'pull_request';
  return runFacts({
    repository: runRepository(options),
    eventName: options.event,
    ref: runRef(options),
    ...(options.sha ? { sha: options.sha } : {}),
    ...(options.actor ? { actor: options.actor } : {}),
    ...(options.runId ? { runId: options.runId } : {}),
    ...(options.runAttempt ? { runAttempt: options.runAttempt } : {}),
    workflow: workflow.name,
    workflowRef: workflow.ref,
    job: '',
    ...(pullRequest
      ? {
          pullRequestNumber: options.pullRequestNumber ?? 1,
          headRef: branchName(pushed),
          baseRef: branchName(options.baseRef ?? 'main'),
        }
      : {}),
    ...(options.event === 'workflow_dispatch' ? { dispatchInputs } : {}),
  });
}

/** The repository a run of runWorkflow is in. */
export function runRepository(options: RunWorkflowOptions): string {
  return options.repository ?? DEFAULT_RUN_FACTS.repository;
}

/** The ref a run of runWorkflow is on: the pushed ref, or for a pull request its merge ref. */
export function runRef(options: RunWorkflowOptions): string {
  return options.event === 'pull_request'
    ? pullRequestRef(options.pullRequestNumber ?? 1)
    : (options.ref ?? DEFAULT_RUN_FACTS.ref);
}

export function ownerOf(facts: RunFacts): string {
  return facts.repository.split('/')[0]!;
}

/** GITHUB_REF_NAME: `main`, `v1.2.0`, `7/merge`. */
export function refName(facts: RunFacts): string {
  return facts.ref.replace(/^refs\/(heads|tags|pull)\//, '');
}

export function refType(facts: RunFacts): 'branch' | 'tag' {
  return facts.ref.startsWith('refs/tags/') ? 'tag' : 'branch';
}

function pullRequestRef(number: number): string {
  return `refs/pull/${number}/merge`;
}

function branchName(ref: string): string {
  return ref.replace(/^refs\/heads\//, '');
}

function workflowFileRef(repository: string, workflow: string, ref: string): string {
  return `${repository}/.github/workflows/${workflow}.yml@${ref}`;
}

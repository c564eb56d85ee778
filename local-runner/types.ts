/** What runWorkflow takes and returns. */
import type { ConcurrencyGroups, ConcurrencyOutcome } from './concurrency.ts';

export type { ConcurrencyOutcome };
import type { OidcTokenIssuer } from './oidc-issuer.ts';

export type JobStatus = 'success' | 'failure' | 'cancelled' | 'skipped';

export interface ApprovalRequest {
  environment: string;
  /** The job asking, as shown in results (`promote / deploy` for a job of a called workflow). */
  job: string;
  workflow: string;
  url?: string;
}

/**
 * Who approves deployments to environments: every one (`'all'`), the named
 * environments, or a function asked each time (e.g. a prompt at the terminal).
 */
export type ApprovalPolicy =
  'all' | readonly string[] | ReadonlySet<string> | ((request: ApprovalRequest) => boolean | Promise<boolean>);

export interface RunWorkflowOptions {
  /** The workflow file. `./.github/workflows/x.yml` calls are looked up beside it (under the folder holding .github). */
  workflow: string;
  /**
   * The triggering event: push, pull_request, workflow_dispatch, repository_dispatch (others get a minimal
   * payload).
   */
  event: string;
  /**
   * Fields of the event's payload (`github.event`), over what the runner builds. repository_dispatch needs
   * `action` (the dispatch's event_type, checked against on.repository_dispatch.types) and may have
   * `client_payload`; workflow_dispatch may give its `inputs` here (those in `inputs` win).
   */
  eventPayload?: Record<string, unknown>;
  /** The pushed ref, or for pull_request the head branch. Default refs/heads/main. */
  ref?: string;
  /** pull_request: the base branch (default main). */
  baseRef?: string;
  /** pull_request: the pull request number (default 1). */
  pullRequestNumber?: number;
  sha?: string;
  actor?: string;
  /** owner/name of the repository the workflow runs in (default example-org/ml-pipelines). */
  repository?: string;
  runId?: string;
  runAttempt?: string;
  /** workflow_dispatch inputs, or the inputs of a workflow_call workflow run directly. */
  inputs?: Record<string, string | number | boolean>;
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  /** The emulator (or AWS) endpoint: AWS_ENDPOINT_URL of every job. */
  endpoint: string;
  /** Serves the OIDC tokens of jobs with `id-token: write` (e.g. the emulator's admin client); without one no job gets a token. */
  oidcIssuer?: OidcTokenIssuer;
  /** Environment variables of the runner machine, under what the workflow sets (e.g. MLOPS_ACTIONS_CLOCK_SCALE). */
  env?: Record<string, string>;
  /** Deployment approvals for jobs with an `environment`; without one every such job is refused. */
  approve?: ApprovalPolicy;
  /** A folder actions/checkout copies into the job's workspace; without it checkout is a no-op. */
  checkout?: string;
  /**
   * Simulated seconds per real second for timeout-minutes (a 60-minute timeout
   * lasts 60/scale real minutes). Default: env MLOPS_ACTIONS_CLOCK_SCALE, else 1.
   */
  timeScale?: number;
  /** Cancels the run like the Cancel button: running steps get SIGINT, then SIGTERM, then SIGKILL. */
  signal?: AbortSignal;
  /** Called when a job starts (after its `if` and approval). */
  onJobStart?: (job: string) => void;
  /** Called with each line of a step's log as it is printed (masked, workflow commands rendered). */
  onStepLog?: (job: string, step: string, line: string) => void;
  /** Called when a step (or post step) has ended. */
  onStepEnd?: (job: string, step: StepRunResult) => void;
  /** Called when a job has ended, skipped jobs included. */
  onJobEnd?: (job: JobResult) => void;
  /** Keep each job's RUNNER_TEMP and workspace instead of removing them. */
  keepTemp?: boolean;
  /**
   * The concurrency groups this run shares with others (one repository's runs): give the same object to
   * runs that should queue behind each other. Without it the run has groups of its own, which still order
   * its jobs.
   */
  concurrencyGroups?: ConcurrencyGroups;
}

export interface StepRunResult {
  /** The step's `id:`, if it has one. */
  id: string | undefined;
  name: string;
  kind: 'action' | 'run' | 'checkout' | 'post';
  /** Before continue-on-error. */
  outcome: JobStatus;
  /** After continue-on-error. */
  conclusion: JobStatus;
  outputs: Record<string, string>;
  /** The log as the runner shows it: workflow commands rendered, masked values as ***. */
  log: string;
  /** The step's job summary (masked). */
  summary: string;
  exitCode: number | null;
  /** Why the runner failed the step itself (an expression, a timeout), if it did. */
  error?: string;
  /** When the step started on this machine (ms since the epoch) and how long it took (0 when skipped). */
  startedAt: number;
  durationMs: number;
}

export interface JobResult {
  id: string;
  /** Ids from the top workflow down: `promote / deploy`. */
  path: string;
  name: string;
  /** After continue-on-error. */
  result: JobStatus;
  /** Before continue-on-error. */
  outcome: JobStatus;
  outputs: Record<string, string>;
  steps: StepRunResult[];
  /** The step summaries together, as GitHub shows the job's summary. */
  summary: string;
  environment?: { name: string; url?: string };
  /** Why the job failed before or around its steps (approval refused, timeout, a bad expression). */
  error?: string;
  /** For a job that calls a reusable workflow: that workflow's run. */
  workflow?: WorkflowRunResult;
  /** The ids of the jobs it needs, as declared (the edges of the run's job graph). */
  needs: string[];
  /** When the job started on this machine (ms since the epoch, after the jobs it needs) and how long it took. */
  startedAt: number;
  durationMs: number;
  /**
   * For a job with a strategy: one result per combination, in the matrix's order. The job's own result,
   * outputs and name are then the legs' together (result: failure if a leg failed, else cancelled if one
   * was; outputs: the last leg to finish that set a non-empty value).
   */
  legs?: JobResult[];
  /** For one leg of a matrix: which combination it ran. */
  leg?: { index: number; total: number; matrix: Record<string, unknown> };
  /** The job's `concurrency:`, evaluated, and what the group did to it. */
  concurrency?: ConcurrencyOutcome;
}

export interface WorkflowRunResult {
  file: string;
  name: string;
  conclusion: 'success' | 'failure' | 'cancelled';
  /** In the order the file declares them. */
  jobs: Record<string, JobResult>;
  /** A reusable workflow's on.workflow_call.outputs. */
  outputs: Record<string, string>;
  /**
   * Errors in the workflow met while running (references to nothing, bad values),
   * from this workflow and the ones it calls. Any makes the conclusion failure.
   */
  errors: string[];
  /** What the runner did differently from a plain run (outputs dropped as secret, …). */
  notes: string[];
  /** The workflow's `concurrency:`, evaluated, and what the group did to the run. */
  concurrency?: ConcurrencyOutcome;
}

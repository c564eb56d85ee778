/** The local workflow runner: run a workflow file, or single action steps, as the GitHub runner would. */
export { runWorkflow } from './workflow-runner.ts';
export { WorkflowDefinitionError, WorkflowRuntimeError } from './errors.ts';
export { ConcurrencyGroups } from './concurrency.ts';
export type { ConcurrencyEvent, ConcurrencyOutcome } from './concurrency.ts';
export type {
  ApprovalPolicy,
  ApprovalRequest,
  JobResult,
  JobStatus,
  RunWorkflowOptions,
  StepRunResult,
  WorkflowRunResult,
} from './types.ts';
export { SimulatedJob } from './job.ts';
export type { JobOptions, StepOptions, RunStepOptions, StepResult, CancelPlan } from './job.ts';
export { DEFAULT_RUN_FACTS, runFacts, type RunFacts } from './run-facts.ts';
export type { OidcTokenIssuer } from './oidc-issuer.ts';
export { renderStepLog } from './step-log.ts';

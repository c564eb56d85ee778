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
export { SimulatedJob, DEFAULT_CONTEXT } from './job.ts';
export type { GitHubRunContext, JobOptions, StepOptions, RunStepOptions, StepResult, CancelPlan } from './job.ts';
export { renderStepLog } from './step-log.ts';

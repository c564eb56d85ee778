/** What the jobs of one run, and of each workflow level in it, share. */
import type { ConcurrencyScope } from './concurrency.ts';
import type { RunFacts } from './run-facts.ts';
import type { Masker } from './masker.ts';
import type { RunWorkflowOptions } from './types.ts';
import type { InputValue } from './workflow-inputs.ts';
import type { LoadedWorkflow } from './workflow-loader.ts';
import type { WorkflowIdentity } from './uses.ts';

export interface RunState {
  options: RunWorkflowOptions;
  /** The run's facts; each job adds its id, environment and workflow file. */
  facts: RunFacts;
  /** The event's payload: github.event and the file behind GITHUB_EVENT_PATH. */
  event: Record<string, unknown>;
  /** The run's secrets; each job masks on top of it. */
  masker: Masker;
  /** Simulated seconds per real second, for timeout-minutes. */
  timeScale: number;
  /** Aborted when the run is cancelled. */
  signal: AbortSignal;
  /** The runner machine's environment: PATH and the caller's variables. */
  runnerEnv: Record<string, string>;
  /** The concurrency groups the run waits in, and those held around the current point. */
  concurrency: ConcurrencyScope;
}

/** One workflow in the run: the top one, or one called by a job. */
export interface WorkflowLevel {
  loaded: LoadedWorkflow;
  identity: WorkflowIdentity;
  inputs: Record<string, InputValue>;
  inputNames: string[];
  secrets: Record<string, string>;
  /** The secrets a workflow called without `secrets: inherit` declares; undefined: no such limit. */
  declaredSecrets: string[] | undefined;
  /** How the level's job ids are prefixed in results: '' or 'promote / '. */
  prefix: string;
  /** The calling job's id-token permission, or undefined for the top workflow. */
  idTokenCeiling: boolean | undefined;
  /** The workflow's `env:`, evaluated. */
  env: Record<string, string>;
  /** Errors met while running this level (and levels it called). */
  errors: string[];
  /** What the runner did differently from a plain run (ignored settings, dropped outputs). */
  notes: string[];
}

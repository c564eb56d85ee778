/**
 * Runs one step whose values are already evaluated — an action, a `run:`
 * script, the checkout stand-in, or a post step — on the job's SimulatedJob,
 * and turns what happened into the step's outcome and its log as the runner
 * shows it (live, masked, workflow commands rendered).
 */
import { checkout } from './checkout.ts';
import type { PendingPost, SimulatedJob, StepResult } from './job.ts';
import type { Masker } from './masker.ts';
import { StepLogRenderer } from './step-log.ts';
import type { JobStatus } from './types.ts';

export type StepWork =
  | { kind: 'action'; dir: string; inputs: Record<string, string> }
  | { kind: 'run'; script: string; shell: 'bash' | 'default'; workingDirectory: string | undefined }
  | { kind: 'checkout'; source: string | undefined; path: string | undefined }
  | { kind: 'post'; post: PendingPost };

export interface StepContext {
  job: SimulatedJob;
  masker: Masker;
  name: string;
  stepId: string;
  env: Record<string, string>;
  /** Cancels the step: the run was cancelled, or the job or the step ran out of time. */
  signal: AbortSignal;
  /** Each log line as shown. */
  onLog: (line: string) => void;
  /** Whether the abort was the step's own timeout-minutes. */
  stepTimedOut: () => boolean;
}

export interface StepOutcome {
  outcome: JobStatus;
  outputs: Record<string, string>;
  log: string;
  summary: string;
  exitCode: number | null;
  error?: string;
}

export async function executeStep(work: StepWork, context: StepContext): Promise<StepOutcome> {
  const renderer = new StepLogRenderer(context.masker);
  const show = (line: string): void => {
    const shown = renderer.push(line);
    if (shown !== undefined) context.onLog(shown);
  };
  const options = { signal: context.signal, onLine: show, stepId: context.stepId };
  let result: StepResult;
  try {
    switch (work.kind) {
      case 'action':
        result = await context.job.step(work.dir, {
          ...options,
          inputs: work.inputs,
          env: context.env,
          label: context.name,
        });
        break;
      case 'run':
        result = await context.job.run(work.script, {
          ...options,
          env: context.env,
          shell: work.shell,
          ...(work.workingDirectory !== undefined ? { workingDirectory: work.workingDirectory } : {}),
        });
        break;
      case 'post':
        result = await context.job.post(work.post, options);
        break;
      case 'checkout':
        for (const line of checkout(work.source, context.job.workspace, work.path)) show(line);
        return { outcome: 'success', outputs: {}, log: renderer.text(), summary: '', exitCode: 0 };
    }
  } catch (error) {
    const message = (error as Error).message;
    show(`Error: ${message}`);
    return { outcome: 'failure', outputs: {}, log: renderer.text(), summary: '', exitCode: null, error: message };
  }

  let outcome: JobStatus = result.exitCode === 0 ? 'success' : 'failure';
  let error: string | undefined;
  if (result.cancelled) {
    // The runner fails a step that ran out of time; a cancelled run cancels it.
    if (context.stepTimedOut()) {
      error = 'The action has timed out.';
      outcome = 'failure';
    } else {
      outcome = 'cancelled';
    }
    show(`Error: ${error ?? 'The operation was canceled.'}`);
  } else if (outcome === 'failure' && work.kind === 'run') {
    show(`Error: Process completed with exit code ${result.exitCode}.`);
  }
  return {
    outcome,
    outputs: result.outputs,
    log: renderer.text(),
    summary: context.masker.mask(result.summary),
    exitCode: result.exitCode,
    ...(error ? { error } : {}),
  };
}

/**
 * The expression contexts of a running workflow, built strict where GitHub
 * would silently give '' (steps, needs, jobs, inputs, a called workflow's
 * declared secrets): asking for something that does not exist fails with the
 * same message the checks before the run give.
 */
import { data } from '@actions/expressions';
import { strictContext, toData, type ExpressionData, type StrictDictionary } from './expressions.ts';
import { messages, stepHasOutput, type StepInfo } from './references.ts';
import type { JobStatus } from './types.ts';

export interface StepState {
  info: StepInfo;
  outputs: Record<string, string>;
  outcome: JobStatus;
  conclusion: JobStatus;
}

/** `steps`: the job's steps with an id that ran (or were skipped) before this point. */
export function stepsContext(jobId: string, done: StepState[], later: string[]): StrictDictionary {
  const steps = strictContext({}, (id) =>
    messages.noStep(
      id,
      jobId,
      later.some((name) => name.toLowerCase() === id.toLowerCase()),
    ),
  );
  for (const step of done) {
    if (!step.info.id) continue;
    const entry = strictContext({ outcome: step.outcome, conclusion: step.conclusion }, (key) =>
      messages.noStepProperty(step.info.id, key),
    );
    entry.add('outputs', outputsContext(step));
    steps.add(step.info.id, entry);
  }
  return steps;
}

/** A step's outputs: what it wrote, '' for outputs it may write but did not, an error for anything else. */
function outputsContext(step: StepState): data.Dictionary {
  const outputs = new LenientWhen(
    (name) => stepHasOutput(step.info, name),
    (name) => messages.noStepOutput(step.info, name),
  );
  for (const [name, value] of Object.entries(step.outputs)) outputs.add(name, toData(value));
  for (const name of step.info.declaredOutputs ?? []) outputs.add(name, toData(''));
  return outputs;
}

/** A dictionary that answers '' for names `known` accepts and fails for others. */
class LenientWhen extends data.Dictionary {
  private readonly known: (key: string) => boolean;
  private readonly describe: (key: string) => string;

  constructor(known: (key: string) => boolean, describe: (key: string) => string) {
    super();
    this.known = known;
    this.describe = describe;
  }

  override get(key: string): ExpressionData | undefined {
    const value = super.get(key);
    if (value !== undefined) return value;
    if (this.known(key)) return new data.StringData('');
    throw new Error(this.describe(key));
  }
}

export interface FinishedJob {
  result: JobStatus;
  outputs: Record<string, string>;
  declaredOutputs: string[];
}

/** `needs` (a job's needed jobs) or `jobs` (a called workflow's jobs, for its outputs). */
export function jobsContext(root: 'needs' | 'jobs', jobId: string, jobs: Map<string, FinishedJob>): StrictDictionary {
  const context = strictContext({}, (id) =>
    root === 'needs' ? messages.noNeed(id, jobId, [...jobs.keys()]) : messages.noJob(id),
  );
  for (const [id, job] of jobs) {
    const outputs = strictContext({}, (name) => messages.noJobOutput(root, id, name, job.declaredOutputs));
    for (const name of job.declaredOutputs) outputs.add(name, toData(job.outputs[name] ?? ''));
    const entry = strictContext({ result: job.result }, (key) => messages.noJobProperty(root, id, key));
    entry.add('outputs', outputs);
    context.add(id, entry);
  }
  return context;
}

export function inputsContext(values: Record<string, unknown>, declared: string[]): StrictDictionary {
  return strictContext(values, (name) => messages.noInput(name, declared));
}

/**
 * `secrets`: in a workflow called without `secrets: inherit`, exactly the ones it
 * declares ('' when not passed); elsewhere whatever the run has ('' for others, as
 * a repository's unset secret is).
 */
export function secretsContext(values: Record<string, string>, declared: string[] | undefined): data.Dictionary {
  if (!declared) return toData(values) as data.Dictionary;
  const context = strictContext(
    {},
    (name) =>
      `secrets.${name}: the called workflow declares no secret '${name}' (its secrets: ${declared.join(', ') || 'none'})`,
  );
  for (const name of declared) context.add(name, toData(values[name] ?? ''));
  context.add('GITHUB_TOKEN', toData(values['GITHUB_TOKEN'] ?? ''));
  return context;
}

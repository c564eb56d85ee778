/**
 * runWorkflow: runs a workflow file locally over the real dist/ bundles and an
 * emulator endpoint. Jobs start as soon as the jobs they need have finished
 * (independent jobs run at the same time, as on GitHub); a job that calls a
 * reusable workflow runs that workflow's jobs the same way, nested.
 */
import { basename, dirname, resolve, sep } from 'node:path';
import { ConcurrencyGroups, evaluateConcurrency, underConcurrency, type ConcurrencyOutcome } from './concurrency.ts';
import { WorkflowDefinitionError, WorkflowRuntimeError } from './errors.ts';
import { readEventDetails } from './events.ts';
import {
  evaluateCondition,
  evaluateString,
  evaluateStringMap,
  evaluateToken,
  toData,
  type ExpressionScope,
} from './expressions.ts';
import { eventPayload, githubContext } from './github-context.ts';
import { jobContexts, runStepsJob } from './job-runner.ts';
import { Masker } from './masker.ts';
import { runMatrixJob, withLeg, type MatrixLeg } from './matrix-job.ts';
import { jobIdToken } from './permissions.ts';
import { jobsContext, secretsContext, type FinishedJob } from './run-contexts.ts';
import { runRef, runRepository, workflowRunFacts, type RunFacts } from './run-facts.ts';
import type { RunState, WorkflowLevel } from './run-state.ts';
import { entries, type TemplateToken } from './tokens.ts';
import { triggerProblem } from './triggers.ts';
import type { JobResult, JobStatus, RunWorkflowOptions, WorkflowRunResult } from './types.ts';
import { workflowRef, type WorkflowIdentity } from './uses.ts';
import { resolveInputs, type InputValue } from './workflow-inputs.ts';
import { loadWorkflow } from './workflow-loader.ts';
import type { CallJobModel, InputDeclaration, JobModel, WorkflowModel } from './workflow-model.ts';
import { clockScale } from './action-runtime-seam.ts';

/** What secrets.GITHUB_TOKEN holds locally: a placeholder, masked like a real token. */
const LOCAL_GITHUB_TOKEN = 'ghs_localRunnerPlaceholderToken000000000';

/**
 * Runs the workflow. Rejects with WorkflowDefinitionError (every problem, each
 * with file and line) when the workflow cannot run as written; otherwise
 * resolves with every job's and step's result, even when jobs failed.
 */
export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowRunResult> {
  const file = resolve(options.workflow);
  const identity = topIdentity(file, options);
  const loaded = await loadWorkflow(file, identity, { checkout: options.checkout });
  const model = loaded.model;
  const baseRef = (options.baseRef ?? 'main').replace(/^refs\/heads\//, '');
  const eventProblems: string[] = [];
  const event = readEventDetails(options, eventProblems);
  if (eventProblems.length > 0)
    throw new WorkflowDefinitionError(eventProblems.map((line) => `${model.file}: ${line}`));
  const notRun = triggerProblem(model, options.event, options.ref ?? 'refs/heads/main', baseRef, event.action);
  if (notRun) throw new WorkflowDefinitionError([`${model.file}: ${notRun}`]);

  const workflow = { name: model.name ?? identity.path, ref: workflowRef(identity) };
  const undecided = workflowRunFacts(options, workflow);
  const declarations = inputDeclarations(model, options.event);
  const defaultsScope: ExpressionScope = {
    contexts: {
      github: toData(githubContext(undecided, { workspace: '', event: eventPayload(undecided) })),
      inputs: toData({}),
      vars: toData(options.vars ?? {}),
    },
    status: { success: () => true, failure: () => false, cancelled: () => false },
  };
  let inputs;
  try {
    inputs = resolveInputs(model.file, declarations, { ...event.inputs, ...options.inputs }, (token) =>
      evaluateToken(token, model.file, defaultsScope),
    );
  } catch (error) {
    throw new WorkflowDefinitionError((error as Error).message.split('\n'));
  }
  const facts: RunFacts = { ...workflowRunFacts(options, workflow, stringValues(inputs)), eventFields: event.payload };
  const secrets = { GITHUB_TOKEN: LOCAL_GITHUB_TOKEN, ...options.secrets };
  const missing = (model.events.has(options.event) ? [] : (model.call?.secrets ?? [])).filter(
    (secret) => secret.required && secrets[secret.name as keyof typeof secrets] === undefined,
  );
  if (missing.length > 0) {
    throw new WorkflowDefinitionError(
      missing.map((secret) => `${model.file}: secret '${secret.name}' is required but was not given`),
    );
  }

  const masker = new Masker();
  for (const value of Object.values(secrets)) masker.add(value);
  const cancel = new AbortController();
  if (options.signal?.aborted) cancel.abort();
  options.signal?.addEventListener('abort', () => cancel.abort(), { once: true });
  const runnerEnv = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...options.env };
  const run: RunState = {
    options,
    facts,
    event: eventPayload(facts),
    masker,
    timeScale: options.timeScale ?? clockScale(runnerEnv),
    signal: cancel.signal,
    runnerEnv,
    concurrency: { groups: options.concurrencyGroups ?? new ConcurrencyGroups(), held: [] },
  };
  return runLevel(run, {
    loaded,
    identity,
    inputs: withEmptyInputs(inputs, declaredInputNames(model)),
    inputNames: declaredInputNames(model),
    secrets,
    declaredSecrets: undefined,
    prefix: '',
    idTokenCeiling: undefined,
    env: {},
    errors: [],
    notes: [...model.notes],
  });
}

/** Where a workflow file sits: `<root>/.github/workflows/x.yml`, or any file taken as if it were there. */
function topIdentity(file: string, options: RunWorkflowOptions): WorkflowIdentity {
  const marker = `${sep}.github${sep}workflows${sep}`;
  const at = file.lastIndexOf(marker);
  return {
    repository: runRepository(options),
    path:
      at >= 0
        ? file
            .slice(at + 1)
            .split(sep)
            .join('/')
        : `.github/workflows/${basename(file)}`,
    ref: runRef(options),
    root: at >= 0 ? file.slice(0, at) : dirname(file),
  };
}

/**
 * The inputs a run is given: a workflow_dispatch run the dispatch inputs, a
 * reusable workflow run directly its call inputs; other events none.
 */
function inputDeclarations(model: WorkflowModel, event: string): InputDeclaration[] {
  if (event === 'workflow_dispatch' && model.dispatch) return model.dispatch.inputs;
  if (!model.events.has(event) && model.call) return model.call.inputs;
  return [];
}

/** Every input name the workflow declares: valid to refer to in any run, '' when the run has no value. */
function declaredInputNames(model: WorkflowModel): string[] {
  return [...new Set([...(model.call?.inputs ?? []), ...(model.dispatch?.inputs ?? [])].map((input) => input.name))];
}

function withEmptyInputs(values: Record<string, InputValue>, names: string[]): Record<string, InputValue> {
  return { ...Object.fromEntries(names.map((name) => [name, ''])), ...values };
}

function stringValues(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, String(value)]));
}

async function runLevel(run: RunState, level: WorkflowLevel): Promise<WorkflowRunResult> {
  const model = level.loaded.model;
  const result: WorkflowRunResult = {
    file: model.file,
    name: model.name ?? level.identity.path,
    conclusion: 'success',
    jobs: {},
    outputs: {},
    errors: level.errors,
    notes: level.notes,
  };
  const workflowScope: ExpressionScope = {
    contexts: {
      github: toData(githubContext(run.facts, { workspace: '', event: run.event })),
      inputs: jobContexts(run, level, '', new Map())['inputs']!,
      vars: toData(run.options.vars ?? {}),
      secrets: secretsContext(level.secrets, level.declaredSecrets),
    },
    status: { success: () => true, failure: () => false, cancelled: () => run.signal.aborted },
  };
  let concurrency;
  try {
    level.env = evaluateStringMap(model.env, model.file, workflowScope);
    concurrency = evaluateConcurrency(model.concurrency, model.file, workflowScope);
  } catch (error) {
    level.errors.push((error as Error).message);
    result.conclusion = 'failure';
    return result;
  }
  const runLabel = `${run.facts.workflow} (run ${run.facts.runId})`;
  const { outcome } = await underConcurrency(
    run.concurrency,
    concurrency,
    {
      holder: level.prefix === '' ? runLabel : `${runLabel} / ${level.prefix.slice(0, -3)}`,
      name: level.prefix === '' ? 'top level workflow' : level.prefix.slice(0, -3),
    },
    run.signal,
    async (signal, held) => {
      await runLevelJobs({ ...run, signal, concurrency: { ...run.concurrency, held } }, level, result, workflowScope);
    },
    (message) => {
      for (const job of model.jobs) {
        result.jobs[job.id] = { ...emptyJob(job, `${level.prefix}${job.id}`, 'cancelled'), error: message };
      }
      result.conclusion = 'cancelled';
    },
  );
  if (outcome) result.concurrency = outcome;
  return result;
}

/** Runs a workflow's jobs, each once the jobs it needs have finished, and works out its outputs and conclusion. */
async function runLevelJobs(
  run: RunState,
  level: WorkflowLevel,
  result: WorkflowRunResult,
  workflowScope: ExpressionScope,
): Promise<void> {
  const model = level.loaded.model;
  const started = new Map<string, Promise<JobResult>>();
  const byId = new Map(model.jobs.map((job) => [job.id, job]));
  const start = (job: JobModel): Promise<JobResult> => {
    let promise = started.get(job.id);
    if (!promise) {
      promise = runJob(run, level, job, (id) => start(byId.get(id)!));
      started.set(job.id, promise);
    }
    return promise;
  };
  const results = await Promise.all(model.jobs.map(start));
  for (const job of results) result.jobs[job.id] = job;

  if (model.call) {
    const finished = new Map(results.map((job) => [job.id, finishedJob(job, level.loaded.jobOutputs.get(job.id))]));
    const scope: ExpressionScope = {
      ...workflowScope,
      contexts: { ...workflowScope.contexts, jobs: jobsContext('jobs', '', finished) },
    };
    for (const output of model.call.outputs) {
      try {
        result.outputs[output.name] = evaluateString(output.value, model.file, scope);
      } catch (error) {
        level.errors.push((error as Error).message);
      }
    }
  }
  result.conclusion = run.signal.aborted
    ? 'cancelled'
    : level.errors.length > 0 || results.some((job) => job.result === 'failure')
      ? 'failure'
      : results.some((job) => job.result === 'cancelled')
        ? 'cancelled'
        : 'success';
}

function finishedJob(job: JobResult, declaredOutputs: string[] | undefined): FinishedJob {
  return { result: job.result, outputs: job.outputs, declaredOutputs: declaredOutputs ?? [] };
}

async function runJob(
  run: RunState,
  level: WorkflowLevel,
  job: JobModel,
  start: (id: string) => Promise<JobResult>,
): Promise<JobResult> {
  const needed = await Promise.all(job.needs.map(start));
  const path = `${level.prefix}${job.id}`;
  const needs = new Map(
    job.needs.map((id, index) => [id, finishedJob(needed[index]!, level.loaded.jobOutputs.get(id))]),
  );
  const chosen = (names: string[]): JobResult[] =>
    names.length === 0 ? needed : needed.filter((need) => names.includes(need.id));
  const scope: ExpressionScope = {
    contexts: jobContexts(run, level, job.id, needs),
    status: {
      success: (names) => !run.signal.aborted && chosen(names).every((need) => need.result === 'success'),
      failure: (names) => chosen(names).some((need) => need.result === 'failure'),
      cancelled: () => run.signal.aborted,
    },
  };
  const file = level.loaded.model.file;
  const startedAt = Date.now();
  const result = await failingOnError(level, job, path, async () => {
    if (!evaluateCondition(job.if, file, scope))
      return emptyJob(job, path, run.signal.aborted ? 'cancelled' : 'skipped');
    if (!job.strategy) return runJobOnce(run, level, job, path, needs, scope, undefined);
    return runMatrixJob({
      run,
      job,
      file,
      path,
      scope,
      declaredOutputs: level.loaded.jobOutputs.get(job.id) ?? [],
      runLeg: (leg, legRun) =>
        failingOnError(level, job, leg.path, () => runJobOnce(legRun, level, job, leg.path, needs, scope, leg)),
    });
  });
  // A job that never started (skipped, refused) is placed on the graph where it would have run.
  const placed =
    result.steps.length === 0 && !result.workflow && !result.legs
      ? { ...result, startedAt, durationMs: Date.now() - startedAt }
      : result;
  run.options.onJobEnd?.(placed);
  return placed;
}

/** A job (or leg) whose expressions fail ends as a failed job; a WorkflowRuntimeError is also the run's error. */
async function failingOnError(
  level: WorkflowLevel,
  job: JobModel,
  path: string,
  body: () => Promise<JobResult>,
): Promise<JobResult> {
  try {
    return await body();
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof WorkflowRuntimeError) level.errors.push(message);
    return { ...emptyJob(job, path, 'failure'), error: message };
  }
}

/** Runs a job (or one leg of a matrix job) once its concurrency group lets it. */
async function runJobOnce(
  run: RunState,
  level: WorkflowLevel,
  job: JobModel,
  path: string,
  needs: Map<string, FinishedJob>,
  jobScope: ExpressionScope,
  leg: MatrixLeg | undefined,
): Promise<JobResult> {
  const scope = withLeg(jobScope, job.id, leg);
  const setting = evaluateConcurrency(job.concurrency, level.loaded.model.file, scope);
  const { value, outcome } = await underConcurrency(
    run.concurrency,
    setting,
    { holder: `${run.facts.workflow} (run ${run.facts.runId}) / ${path}`, name: path },
    run.signal,
    (signal, held) => {
      const jobRun: RunState = { ...run, signal, concurrency: { ...run.concurrency, held } };
      return job.kind === 'steps'
        ? runStepsJob({ run: jobRun, level, job, path, needs, leg })
        : runCallJob(jobRun, level, job, path, scope);
    },
    (message) => ({ ...emptyJob(job, path, 'cancelled'), error: message }),
  );
  return outcome ? withConcurrencyOutcome(value, outcome) : value;
}

function withConcurrencyOutcome(job: JobResult, outcome: ConcurrencyOutcome): JobResult {
  const cancelledInProgress = outcome.cancelled !== undefined && !job.error?.includes(outcome.cancelled);
  return {
    ...job,
    concurrency: outcome,
    ...(cancelledInProgress ? { error: job.error ? `${job.error}\n${outcome.cancelled}` : outcome.cancelled } : {}),
  };
}

function emptyJob(job: JobModel, path: string, status: JobStatus): JobResult {
  return {
    id: job.id,
    path,
    name: job.id,
    result: status,
    outcome: status,
    outputs: {},
    steps: [],
    summary: '',
    needs: job.needs,
    startedAt: Date.now(),
    durationMs: 0,
  };
}

async function runCallJob(
  run: RunState,
  level: WorkflowLevel,
  job: CallJobModel,
  path: string,
  scope: ExpressionScope,
): Promise<JobResult> {
  const file = level.loaded.model.file;
  const called = level.loaded.called.get(job.id)!;
  const call = called.model.call!;
  const given = Object.fromEntries(
    entries(job.with).map(([name, value]: [string, TemplateToken, TemplateToken]) => [
      name,
      evaluateToken(value, file, scope),
    ]),
  );
  const defaultsScope: ExpressionScope = {
    ...scope,
    contexts: { github: scope.contexts['github']!, inputs: toData({}), vars: scope.contexts['vars']! },
  };
  const inputs = resolveInputs(called.model.file, call.inputs, given, (token) =>
    evaluateToken(token, called.model.file, defaultsScope),
  );
  const secrets = job.inheritSecrets
    ? level.secrets
    : { GITHUB_TOKEN: level.secrets['GITHUB_TOKEN'] ?? '', ...evaluateStringMap(job.secrets, file, scope) };
  // Whatever is passed as a secret is masked, also a literal.
  for (const value of Object.values(secrets)) run.masker.add(value);
  const name = job.name ? evaluateString(job.name, file, scope) : job.id;
  run.options.onJobStart?.(path);
  const startedAt = Date.now();

  const child: WorkflowLevel = {
    loaded: called,
    identity: called.identity,
    inputs: withEmptyInputs(inputs, declaredInputNames(called.model)),
    inputNames: declaredInputNames(called.model),
    secrets,
    declaredSecrets: job.inheritSecrets ? undefined : call.secrets.map((secret) => secret.name),
    prefix: `${path} / `,
    idTokenCeiling: jobIdToken(job.permissions, level.loaded.model.permissions, level.idTokenCeiling),
    env: {},
    errors: [],
    notes: [...called.model.notes],
  };
  const workflow = await runLevel(run, child);
  level.errors.push(...child.errors);
  level.notes.push(...child.notes);
  const status: JobStatus = workflow.conclusion;
  return {
    id: job.id,
    path,
    name,
    result: status,
    outcome: status,
    outputs: workflow.outputs,
    steps: [],
    summary: '',
    workflow,
    needs: job.needs,
    startedAt,
    durationMs: Date.now() - startedAt,
  };
}

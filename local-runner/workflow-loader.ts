/**
 * Loads a workflow and every workflow it calls, and checks everything that can
 * be checked before anything runs: the parser's own errors (syntax, schema,
 * expressions), unsupported features, `uses:` that cannot run locally, `with:`
 * keys the action or workflow does not declare, and every literal reference to
 * a step, step output, needed job, job output or input that does not exist.
 * All problems are reported together, each with its file and line.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { WorkflowDefinitionError } from './errors.ts';
import { conditionText, evaluateToken, parseExpression, CONTEXT_NAMES } from './expressions.ts';
import { matrixShape, readStrategy, StrategyError, type MatrixShape } from './matrix.ts';
import { loadWorkflowParser } from './parser-loader.ts';
import { checkReferences, type ReferenceScope, type StepInfo } from './references.ts';
import {
  entries,
  find,
  isExpression,
  isMapping,
  isSequence,
  sourceText,
  tokenError,
  type TemplateToken,
} from './tokens.ts';
import {
  resolveStepUses,
  resolveWorkflowUses,
  workflowExists,
  type ResolvedStepUses,
  type WorkflowIdentity,
} from './uses.ts';
import {
  readWorkflow,
  type CallJobModel,
  type JobModel,
  type StepModel,
  type WorkflowModel,
} from './workflow-model.ts';

/** GitHub allows a caller and up to nine levels of called workflows. */
const MAX_DEPTH = 10;

export interface LoadedStep extends StepModel {
  resolved: ResolvedStepUses | undefined;
  info: StepInfo;
}

export interface LoadedWorkflow {
  model: WorkflowModel;
  identity: WorkflowIdentity;
  /** Steps of each steps job, with their `uses:` resolved. */
  steps: Map<string, LoadedStep[]>;
  /** The workflow each calling job calls. */
  called: Map<string, LoadedWorkflow>;
  /** The outputs each job declares (a calling job: the called workflow's outputs). */
  jobOutputs: Map<string, string[]>;
}

export interface LoadOptions {
  /** The folder the runner's actions/checkout copies into the workspace. */
  checkout?: string | undefined;
}

/** Loads and checks; throws WorkflowDefinitionError listing every problem. */
export async function loadWorkflow(
  file: string,
  identity: WorkflowIdentity,
  options: LoadOptions = {},
): Promise<LoadedWorkflow> {
  const problems: string[] = [];
  const loaded = await load(file, identity, options, problems, 1);
  if (problems.length > 0 || !loaded) throw new WorkflowDefinitionError([...new Set(problems)]);
  return loaded;
}

/** How a file is named in messages: relative to the current folder when inside it. */
export function displayPath(file: string): string {
  const shown = relative(process.cwd(), file);
  return shown.startsWith('..') || shown === '' ? file : shown;
}

async function load(
  file: string,
  identity: WorkflowIdentity,
  options: LoadOptions,
  problems: string[],
  depth: number,
): Promise<LoadedWorkflow | undefined> {
  const shown = displayPath(file);
  const parser = await loadWorkflowParser();
  const parsed = parser.parseWorkflow(
    { name: shown, content: readFileSync(file, 'utf8') },
    new parser.NoOperationTraceWriter(),
  );
  const parseErrors = parsed.context.errors.getErrors().map((error) => error.message);
  if (parseErrors.length > 0 || !parsed.value) {
    problems.push(...parseErrors);
    return undefined;
  }
  // Conversion validates what reading does not: needs, step ids, if: conditions.
  const template = await parser.convertWorkflowTemplate(parsed.context, parsed.value);
  const converted = (template.errors ?? []).map((error) => error.Message);
  if (converted.length > 0) {
    problems.push(...converted);
    return undefined;
  }

  const model = readWorkflow(shown, parsed.value, problems);
  const loaded: LoadedWorkflow = { model, identity, steps: new Map(), called: new Map(), jobOutputs: new Map() };
  for (const job of model.jobs) {
    if (job.kind === 'steps') {
      loaded.steps.set(job.id, loadSteps(shown, job.id, job.steps, options, problems));
      loaded.jobOutputs.set(
        job.id,
        job.outputs.map((output) => output.name),
      );
      continue;
    }
    const called = await loadCalled(shown, job, identity, options, problems, depth);
    if (called) {
      loaded.called.set(job.id, called);
      loaded.jobOutputs.set(job.id, called.model.call?.outputs.map((output) => output.name) ?? []);
    } else {
      loaded.jobOutputs.set(job.id, []);
    }
  }
  checkWorkflowReferences(loaded, problems);
  return loaded;
}

function loadSteps(
  file: string,
  jobId: string,
  steps: StepModel[],
  options: LoadOptions,
  problems: string[],
): LoadedStep[] {
  return steps.map((step) => {
    let resolved: ResolvedStepUses | undefined;
    if (step.uses) {
      try {
        resolved = resolveStepUses(step.uses.text, { checkout: options.checkout });
      } catch (error) {
        problems.push(tokenError(file, step.uses.token, `${(error as Error).message} (job '${jobId}')`));
      }
    }
    if (resolved?.kind === 'action') {
      const declared = Object.keys(resolved.metadata.inputs);
      for (const [name, , key] of entries(step.with)) {
        if (!declared.some((input) => input.toLowerCase() === name.toLowerCase())) {
          problems.push(
            tokenError(
              file,
              key,
              `${step.uses!.text} has no input '${name}' (its inputs: ${declared.join(', ') || 'none'})`,
            ),
          );
        }
      }
    }
    const info: StepInfo = {
      id: step.id ?? '',
      description: step.uses ? `uses ${step.uses.text}` : 'run',
      declaredOutputs:
        resolved?.kind === 'action' ? Object.keys(resolved.metadata.outputs) : step.uses ? [] : undefined,
      script: sourceText(step.run),
    };
    return { ...step, resolved, info };
  });
}

async function loadCalled(
  file: string,
  job: CallJobModel,
  caller: WorkflowIdentity,
  options: LoadOptions,
  problems: string[],
  depth: number,
): Promise<LoadedWorkflow | undefined> {
  const fail = (message: string): undefined => {
    problems.push(tokenError(file, job.uses.token, `${message} (job '${job.id}')`));
    return undefined;
  };
  if (depth >= MAX_DEPTH) return fail(`reusable workflows nest more than ${MAX_DEPTH} levels deep`);
  let target: ReturnType<typeof resolveWorkflowUses>;
  try {
    target = resolveWorkflowUses(job.uses.text, caller);
  } catch (error) {
    return fail((error as Error).message);
  }
  if (!workflowExists(target.file)) return fail(`uses: ${job.uses.text} — ${target.file} does not exist`);
  const called = await load(target.file, target.identity, options, problems, depth + 1);
  if (!called) return undefined;
  const call = called.model.call;
  if (!call) return fail(`${called.model.file} is not a reusable workflow (no on.workflow_call)`);

  for (const [name, , key] of entries(job.with)) {
    if (!call.inputs.some((input) => input.name.toLowerCase() === name.toLowerCase())) {
      problems.push(tokenError(file, key, `${called.model.file} declares no input '${name}' (job '${job.id}')`));
    }
  }
  const given = entries(job.with).map(([name]) => name.toLowerCase());
  for (const input of call.inputs) {
    if (input.required && input.default === undefined && !given.includes(input.name.toLowerCase())) {
      fail(`input '${input.name}' of ${called.model.file} is required but not given`);
    }
  }
  if (!job.inheritSecrets) {
    for (const [name, , key] of entries(job.secrets)) {
      if (!call.secrets.some((secret) => secret.name.toLowerCase() === name.toLowerCase())) {
        problems.push(tokenError(file, key, `${called.model.file} declares no secret '${name}' (job '${job.id}')`));
      }
    }
    const passed = entries(job.secrets).map(([name]) => name.toLowerCase());
    for (const secret of call.secrets) {
      if (secret.required && !passed.includes(secret.name.toLowerCase())) {
        fail(`secret '${secret.name}' of ${called.model.file} is required but not passed`);
      }
    }
  }
  return called;
}

function checkWorkflowReferences(loaded: LoadedWorkflow, problems: string[]): void {
  const { model } = loaded;
  const inputs = [...(model.call?.inputs ?? []), ...(model.dispatch?.inputs ?? [])].map((input) => input.name);
  const check = (token: TemplateToken | undefined, scope: ReferenceScope, condition = false): void => {
    for (const { expression, at } of expressionsIn(token, condition)) {
      let tree;
      try {
        tree = parseExpression(expression, CONTEXT_NAMES);
      } catch {
        continue; // syntax errors are the parser's to report
      }
      for (const problem of checkReferences(tree, scope)) problems.push(tokenError(model.file, at, problem));
    }
  };

  check(model.env, { inputs });
  check(model.concurrency, { inputs });
  for (const job of model.jobs) {
    const needs = new Map(job.needs.map((need) => [need, loaded.jobOutputs.get(need) ?? []]));
    check(job.if, { inputs, needs, jobId: job.id }, true);
    check(job.strategy, { inputs, needs, jobId: job.id });
    const jobScope: ReferenceScope = {
      inputs,
      needs,
      jobId: job.id,
      matrix: literalMatrix(model.file, job, problems),
    };
    check(job.name, jobScope);
    check(job.concurrency, jobScope);
    if (job.kind === 'call') {
      check(job.with, jobScope);
      check(job.secrets, jobScope);
      continue;
    }
    for (const token of [job.env, job.environment, job.timeoutMinutes, job.continueOnError]) check(token, jobScope);
    const steps = loaded.steps.get(job.id) ?? [];
    steps.forEach((step, index) => {
      const scope: ReferenceScope = {
        ...jobScope,
        steps: stepInfos(steps.slice(0, index)),
        laterSteps: stepInfos(steps.slice(index)).map((info) => info.id),
      };
      check(step.if, scope, true);
      for (const token of [
        step.name,
        step.env,
        step.with,
        step.run,
        step.workingDirectory,
        step.continueOnError,
        step.timeoutMinutes,
      ]) {
        check(token, scope);
      }
    });
    const all: ReferenceScope = { ...jobScope, steps: stepInfos(steps) };
    for (const output of job.outputs) check(output.value, all);
  }
  const jobs = new Map(model.jobs.map((job: JobModel) => [job.id, loaded.jobOutputs.get(job.id) ?? []]));
  for (const output of model.call?.outputs ?? []) check(output.value, { inputs, jobs });
}

/**
 * What a job's `matrix` holds as far as it is known before the run: a literal
 * strategy is read now (so an empty vector is reported before anything runs,
 * as GitHub does); one with expressions is read when the job runs.
 */
function literalMatrix(file: string, job: JobModel, problems: string[]): MatrixShape | 'dynamic' | 'none' {
  if (!job.strategy) return 'none';
  if (expressionsIn(job.strategy, false).length > 0) return 'dynamic';
  try {
    const literal = evaluateToken(job.strategy, file, { contexts: {}, status: NO_STATUS });
    return matrixShape(readStrategy(literal).combinations);
  } catch (error) {
    if (!(error instanceof StrategyError)) throw error;
    problems.push(tokenError(file, find(job.strategy, 'matrix') ?? job.strategy, error.message));
    return 'dynamic';
  }
}

const NO_STATUS = { success: () => true, failure: () => false, cancelled: () => false };

function stepInfos(steps: LoadedStep[]): StepInfo[] {
  return steps.filter((step) => step.id !== undefined).map((step) => step.info);
}

/** The expressions inside a value, each with the token it came from. */
function expressionsIn(
  token: TemplateToken | undefined,
  condition: boolean,
): { expression: string; at: TemplateToken }[] {
  if (!token) return [];
  if (condition) {
    const text = conditionText(token);
    return text === '' ? [] : [{ expression: text, at: token }];
  }
  if (isExpression(token)) return [{ expression: token.expression, at: token }];
  if (isMapping(token)) return entries(token).flatMap(([, value]) => expressionsIn(value, false));
  if (isSequence(token)) return [...token].flatMap((item) => expressionsIn(item, false));
  return [];
}

/**
 * What a workflow may refer to at a given place — step ids and their outputs,
 * needed jobs and their outputs, declared inputs — and the messages for a
 * reference to something that does not exist. Used before the run, on every
 * literal reference in the file, and during it by the strict contexts, so both
 * say the same thing.
 */
import type { Expr } from '@actions/expressions';
import {
  ContextAccess,
  FunctionCall,
  IndexAccess,
  Literal,
  Logical,
  Binary,
  Unary,
  Grouping,
} from '@actions/expressions/ast';
import type { MatrixShape } from './matrix.ts';

export interface StepInfo {
  id: string;
  /** `uses: $/x` or `run:`, for messages. */
  description: string;
  /** An action's declared outputs; undefined for a run step, whose outputs are whatever its script writes. */
  declaredOutputs: string[] | undefined;
  /** A run step's script text. */
  script: string;
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
const listed = (names: string[]): string => (names.length ? names.join(', ') : 'none');

/**
 * Whether a step can have an output of this name. A run step can write any
 * name, so the runner accepts a name its script text mentions: that still
 * catches a misspelled reference, which the script never mentions.
 */
export function stepHasOutput(step: StepInfo, name: string): boolean {
  if (step.declaredOutputs) return step.declaredOutputs.some((output) => same(output, name));
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w-])${escaped}([^\\w-]|$)`, 'i').test(step.script);
}

export const messages = {
  noStep: (id: string, jobId: string, later: boolean): string =>
    later
      ? `steps.${id}: step '${id}' runs later in job '${jobId}'; only earlier steps can be referred to`
      : `steps.${id}: job '${jobId}' has no step with id '${id}'`,
  noStepOutput: (step: StepInfo, name: string): string =>
    step.declaredOutputs
      ? `steps.${step.id}.outputs.${name}: step '${step.id}' (${step.description}) has no output '${name}' (its outputs: ${listed(step.declaredOutputs)})`
      : `steps.${step.id}.outputs.${name}: step '${step.id}' (${step.description}) never writes an output '${name}' (its script does not mention it)`,
  noStepProperty: (id: string, key: string): string =>
    `steps.${id}.${key}: a step has outputs, outcome and conclusion, not '${key}'`,
  noNeed: (need: string, jobId: string, needs: string[]): string =>
    `needs.${need}: job '${jobId}' does not need job '${need}' (its needs: ${listed(needs)})`,
  noJob: (id: string): string => `jobs.${id}: the workflow has no job '${id}'`,
  noJobOutput: (root: 'needs' | 'jobs', jobId: string, name: string, outputs: string[]): string =>
    `${root}.${jobId}.outputs.${name}: job '${jobId}' declares no output '${name}' (its outputs: ${listed(outputs)})`,
  noJobProperty: (root: 'needs' | 'jobs', jobId: string, key: string): string =>
    `${root}.${jobId}.${key}: a job has outputs and result, not '${key}'`,
  noInput: (name: string, declared: string[]): string =>
    `inputs.${name}: the workflow declares no input '${name}' (its inputs: ${listed(declared)})`,
  noMatrix: (path: string, jobId: string): string => `${path}: job '${jobId}' has no strategy.matrix`,
  noMatrixKey: (path: string, jobId: string, keys: string[]): string =>
    `${path}: no combination of the matrix of job '${jobId}' has '${path.split('.').pop()!}' (its keys: ${listed(keys)})`,
  noStrategyKey: (key: string): string =>
    `strategy.${key}: the strategy context has fail-fast, job-index, job-total and max-parallel, not '${key}'`,
};

const STRATEGY_KEYS = ['fail-fast', 'job-index', 'job-total', 'max-parallel'];

/** What may be referred to at one place in a workflow. */
export interface ReferenceScope {
  inputs: string[];
  /** Steps before this point, or every step of the job for job outputs; undefined where `steps` is not available. */
  steps?: StepInfo[] | undefined;
  /** Ids of the job's steps after this point, for a clearer message. */
  laterSteps?: string[] | undefined;
  jobId?: string | undefined;
  /** Needed jobs and their declared outputs. */
  needs?: Map<string, string[]> | undefined;
  /** A called workflow's jobs and their outputs (for on.workflow_call.outputs). */
  jobs?: Map<string, string[]> | undefined;
  /**
   * Inside a job: its matrix's keys (a literal matrix), 'dynamic' (one known only when the job runs),
   * or 'none' (no strategy.matrix).
   */
  matrix?: MatrixShape | 'dynamic' | 'none' | undefined;
}

/** The problems with the literal references of one parsed expression. */
export function checkReferences(tree: Expr, scope: ReferenceScope): string[] {
  const problems: string[] = [];
  visit(tree, true, (path) => {
    const problem = checkPath(path, scope);
    if (problem) problems.push(problem);
  });
  return [...new Set(problems)];
}

/**
 * Calls `check` with each chain of property accesses that starts at a context,
 * as far as its keys are literal: `steps.build.outputs['digest']` → [steps, build, outputs, digest].
 */
function visit(node: Expr, chainTop: boolean, check: (path: string[]) => void): void {
  if (node instanceof ContextAccess) {
    if (chainTop) check([node.name.lexeme]);
  } else if (node instanceof IndexAccess) {
    const path = chainTop ? accessPath(node) : undefined;
    if (path) {
      const computed = path.indexOf(null);
      check((computed < 0 ? path : path.slice(0, computed)) as string[]);
    }
    visit(node.expr, false, check);
    visit(node.index, true, check);
  } else if (node instanceof FunctionCall || node instanceof Logical) {
    for (const arg of node.args) visit(arg, true, check);
  } else if (node instanceof Binary) {
    visit(node.left, true, check);
    visit(node.right, true, check);
  } else if (node instanceof Unary) {
    visit(node.expr, true, check);
  } else if (node instanceof Grouping) {
    visit(node.group, true, check);
  }
}

/** An access chain's keys; null for a computed key (`steps[format(…)]`), after which nothing is checked. */
function accessPath(node: Expr): (string | null)[] | undefined {
  if (node instanceof ContextAccess) return [node.name.lexeme];
  if (!(node instanceof IndexAccess)) return undefined;
  const base = accessPath(node.expr);
  if (!base) return undefined;
  const key = node.index instanceof Literal && node.index.literal.primitive ? node.index.literal.coerceString() : null;
  return [...base, key];
}

function checkPath(path: string[], scope: ReferenceScope): string | undefined {
  const [root, first, second, third] = path;
  const context = root!.toLowerCase();
  if (context === 'matrix') return checkMatrixPath(path, scope);
  if (first === undefined) return undefined;
  if (context === 'strategy') {
    return STRATEGY_KEYS.some((key) => same(key, first)) ? undefined : messages.noStrategyKey(first);
  }
  if (context === 'inputs') {
    return scope.inputs.some((name) => same(name, first)) ? undefined : messages.noInput(first, scope.inputs);
  }
  if (context === 'steps' && scope.steps) {
    const step = scope.steps.find((candidate) => same(candidate.id, first));
    if (!step) {
      return messages.noStep(first, scope.jobId ?? '', scope.laterSteps?.some((id) => same(id, first)) ?? false);
    }
    if (second === undefined) return undefined;
    if (!['outputs', 'outcome', 'conclusion'].includes(second.toLowerCase()))
      return messages.noStepProperty(step.id, second);
    if (second.toLowerCase() === 'outputs' && third !== undefined && !stepHasOutput(step, third)) {
      return messages.noStepOutput(step, third);
    }
    return undefined;
  }
  if ((context === 'needs' && scope.needs) || (context === 'jobs' && scope.jobs)) {
    const rootName = context as 'needs' | 'jobs';
    const jobs = (rootName === 'needs' ? scope.needs : scope.jobs)!;
    const jobId = [...jobs.keys()].find((id) => same(id, first));
    if (jobId === undefined) {
      return rootName === 'needs' ? messages.noNeed(first, scope.jobId ?? '', [...jobs.keys()]) : messages.noJob(first);
    }
    if (second === undefined) return undefined;
    if (!['outputs', 'result'].includes(second.toLowerCase())) return messages.noJobProperty(rootName, jobId, second);
    const outputs = jobs.get(jobId)!;
    if (second.toLowerCase() === 'outputs' && third !== undefined && !outputs.some((name) => same(name, third))) {
      return messages.noJobOutput(rootName, jobId, third, outputs);
    }
  }
  return undefined;
}

function checkMatrixPath(path: string[], scope: ReferenceScope): string | undefined {
  if (path.length < 2 || scope.matrix === undefined || scope.matrix === 'dynamic') return undefined;
  if (scope.matrix === 'none') return messages.noMatrix(path.join('.'), scope.jobId ?? '');
  let shape: MatrixShape | undefined = scope.matrix;
  for (let depth = 1; depth < path.length && shape; depth++) {
    const key = [...shape.keys.keys()].find((name) => same(name, path[depth]!));
    if (key === undefined) {
      return messages.noMatrixKey(path.slice(0, depth + 1).join('.'), scope.jobId ?? '', [...shape.keys.keys()]);
    }
    shape = shape.keys.get(key);
  }
  return undefined;
}

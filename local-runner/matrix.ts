/**
 * A job's `strategy` as GitHub reads it, on plain (already evaluated) values:
 * the matrix's combinations in GitHub's order, `fail-fast`, `max-parallel`,
 * the `strategy` context of each leg and the leg's default name. Pure, so the
 * rules can be tested as a table; running the legs is matrix-job.ts's job.
 */
import { toData } from './expressions.ts';
import type { JobStatus } from './types.ts';

/** One leg's `matrix` context. */
export type Combination = Record<string, unknown>;

export interface Strategy {
  /** In GitHub's order: the product (first key outermost) less exclusions, then include's own combinations. */
  combinations: Combination[];
  failFast: boolean;
  /** How many legs may run at once; unset means all of them. */
  maxParallel: number;
}

/** The `strategy` context of one leg. */
export interface StrategyContext {
  'fail-fast': boolean;
  'job-index': number;
  'job-total': number;
  'max-parallel': number;
}

/** GitHub's ceiling on the jobs one matrix generates. */
export const MAX_COMBINATIONS = 256;

/** A strategy GitHub would refuse; the message is GitHub's where GitHub has one. */
export class StrategyError extends Error {}

type Mapping = Record<string, unknown>;

const isMapping = (value: unknown): value is Mapping =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const kindOf = (value: unknown): string =>
  Array.isArray(value) ? 'a sequence' : isMapping(value) ? 'a mapping' : `'${String(value)}'`;

/** `strategy:` evaluated: its matrix expanded, fail-fast (default true) and max-parallel read. */
export function readStrategy(value: unknown): Strategy {
  if (!isMapping(value)) throw new StrategyError(`strategy must be a mapping, not ${kindOf(value)}`);
  for (const key of Object.keys(value)) {
    if (!['matrix', 'fail-fast', 'max-parallel'].includes(key)) {
      throw new StrategyError(`strategy has no key '${key}' (its keys: matrix, fail-fast, max-parallel)`);
    }
  }
  const combinations = 'matrix' in value ? expandMatrix(value['matrix']) : [{}];
  const failFast = value['fail-fast'] === undefined ? true : readBoolean(value['fail-fast'], 'fail-fast');
  const maxParallel =
    value['max-parallel'] === undefined ? combinations.length : readCount(value['max-parallel'], 'max-parallel');
  return { combinations, failFast, maxParallel };
}

function readBoolean(value: unknown, key: string): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new StrategyError(`strategy ${key} must be true or false, not ${kindOf(value)}`);
}

function readCount(value: unknown, key: string): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1) {
    throw new StrategyError(`strategy ${key} must be a whole number of at least 1, not ${kindOf(value)}`);
  }
  return number;
}

/**
 * The combinations of `strategy.matrix`, as GitHub documents them: the product
 * of the vectors (the first key outermost); `exclude` removes every
 * combination an entry partially matches; then each `include` entry is added to
 * every original combination whose original values it does not change (values
 * added by an earlier entry may be overwritten), and becomes a combination of
 * its own when it fits none. A matrix whose combinations are all excluded runs
 * once, with an empty `matrix`.
 */
export function expandMatrix(matrix: unknown): Combination[] {
  if (!isMapping(matrix)) {
    throw new StrategyError(`strategy.matrix must be a mapping of vectors to values, not ${kindOf(matrix)}`);
  }
  const vectors: [string, unknown[]][] = [];
  let include: Mapping[] = [];
  let exclude: Mapping[] = [];
  for (const [key, value] of Object.entries(matrix)) {
    if (key === 'include' || key === 'exclude') {
      const entries = filterEntries(key, value);
      if (key === 'include') include = entries;
      else exclude = entries;
      continue;
    }
    if (!Array.isArray(value))
      throw new StrategyError(`Matrix vector '${key}' must be a sequence, not ${kindOf(value)}`);
    if (value.length === 0) throw new StrategyError(`Matrix vector '${key}' does not contain any values`);
    vectors.push([key, value]);
  }
  if (vectors.length === 0 && include.length === 0) throw new StrategyError('Matrix must define at least one vector');
  const vectorNames = vectors.map(([name]) => name);
  for (const entry of exclude) {
    for (const key of Object.keys(entry)) {
      if (!vectorNames.includes(key)) {
        throw new StrategyError(`Matrix exclude key '${key}' does not match any key within the matrix`);
      }
    }
  }

  let product: Combination[] = vectors.length > 0 ? [{}] : [];
  for (const [name, values] of vectors) {
    product = product.flatMap((combination) => values.map((value) => ({ ...combination, [name]: value })));
  }
  const originals = product.filter((combination) => !exclude.some((entry) => matches(entry, combination)));
  const expanded = originals.map((combination) => ({ original: combination, values: { ...combination } }));
  const added: Combination[] = [];
  for (const entry of include) {
    let fitted = false;
    for (const combination of expanded) {
      const changesAnOriginal = Object.entries(entry).some(
        ([key, value]) => key in combination.original && !sameValue(combination.original[key], value),
      );
      if (changesAnOriginal) continue;
      Object.assign(combination.values, entry);
      fitted = true;
    }
    if (!fitted) added.push({ ...entry });
  }
  const combinations = [...expanded.map((combination) => combination.values), ...added];
  if (combinations.length > MAX_COMBINATIONS) {
    throw new StrategyError(
      `the matrix has ${combinations.length} combinations; GitHub runs at most ${MAX_COMBINATIONS} jobs per matrix`,
    );
  }
  return combinations.length > 0 ? combinations : [{}];
}

function filterEntries(key: 'include' | 'exclude', value: unknown): Mapping[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value))
    throw new StrategyError(`Matrix ${key} must be a sequence of mappings, not ${kindOf(value)}`);
  return value.map((entry) => {
    if (!isMapping(entry)) throw new StrategyError(`Matrix ${key} entries must be mappings, not ${kindOf(entry)}`);
    return entry;
  });
}

/** An exclude entry matches a combination that has each of its values (a partial match). */
function matches(entry: Mapping, combination: Combination): boolean {
  return Object.entries(entry).every(([key, value]) => key in combination && sameValue(combination[key], value));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  if (isMapping(a) && isMapping(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && sameValue(a[key], b[key]));
  }
  return a === b;
}

/** The `strategy` context of leg `index` (zero-based) of `total`. */
export function strategyContext(strategy: Strategy, index: number): StrategyContext {
  return {
    'fail-fast': strategy.failFast,
    'job-index': index,
    'job-total': strategy.combinations.length,
    'max-parallel': strategy.maxParallel,
  };
}

/** What a job without a strategy sees in `strategy`: one job of one. */
export const SINGLE_JOB_STRATEGY: StrategyContext = {
  'fail-fast': true,
  'job-index': 0,
  'job-total': 1,
  'max-parallel': 1,
};

/**
 * GitHub's name for a leg whose `name:` has no expression: the name (or job
 * id) followed by the leg's matrix values in parentheses, `build (linux, 20)`;
 * empty values are left out, and values inside a mapping are listed in order.
 */
export function defaultLegName(base: string, combination: Combination): string {
  const values = leafValues(combination).filter((value) => value !== '');
  return values.length > 0 ? `${base} (${values.join(', ')})` : base;
}

function leafValues(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(leafValues);
  if (isMapping(value)) return Object.values(value).flatMap(leafValues);
  // As the expression language prints them: 1.20 is 1.2, true is true.
  return [toData(value).coerceString()];
}

/**
 * The keys that occur at each level of the combinations, for strict `matrix`
 * contexts and the checks before the run: `matrix.pipeline.name` is known when
 * some combination has it; a key no combination has is a mistake.
 */
export interface MatrixShape {
  keys: Map<string, MatrixShape | undefined>;
}

export function matrixShape(combinations: Combination[]): MatrixShape {
  return shapeOf(combinations)!;
}

function shapeOf(values: unknown[]): MatrixShape | undefined {
  const mappings = values.filter(isMapping);
  // A key that holds a mapping in one combination and a scalar in another is not checked further.
  if (mappings.length === 0 || mappings.length !== values.filter((value) => value !== undefined).length)
    return undefined;
  const keys = new Map<string, MatrixShape | undefined>();
  for (const key of new Set(mappings.flatMap((mapping) => Object.keys(mapping)))) {
    keys.set(key, shapeOf(mappings.map((mapping) => mapping[key])));
  }
  return { keys };
}

/**
 * A matrix job's result as `needs` sees it: failure when a leg failed (after
 * its continue-on-error), else cancelled when one was cancelled, skipped when
 * all were, else success.
 */
export function legsResult(results: JobStatus[]): JobStatus {
  if (results.includes('failure')) return 'failure';
  if (results.includes('cancelled')) return 'cancelled';
  if (results.length > 0 && results.every((result) => result === 'skipped')) return 'skipped';
  return 'success';
}

/**
 * A matrix job's outputs: for each output, the value of the last leg to
 * finish that set it to something other than ''. `finished` is in the order
 * the legs finished; a leg that does not count (a called workflow's leg that
 * did not succeed, see the GitHub docs on reusable workflows with a matrix)
 * is left out by the caller.
 */
export function mergeLegOutputs(declared: string[], finished: Record<string, string>[]): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const name of declared) {
    merged[name] = '';
    for (const outputs of finished) if ((outputs[name] ?? '') !== '') merged[name] = outputs[name]!;
  }
  return merged;
}

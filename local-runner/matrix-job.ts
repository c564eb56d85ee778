/**
 * Runs a job with a `strategy`: evaluates the strategy once the jobs it needs
 * have finished (so `${{ fromJSON(needs.x.outputs.y) }}` works), runs a leg per
 * combination — at most max-parallel at a time, started in the matrix's order —
 * and, with fail-fast, cancels the legs running and not yet started once one
 * fails. The job's result and outputs are the legs' together, as GitHub gives
 * them to the jobs that need it.
 */
import { data } from '@actions/expressions';
import { at, WorkflowRuntimeError } from './errors.ts';
import {
  evaluateToken,
  MissingReference,
  strictContext,
  toData,
  type ExpressionData,
  type ExpressionScope,
} from './expressions.ts';
import {
  defaultLegName,
  legsResult,
  matrixShape,
  mergeLegOutputs,
  readStrategy,
  SINGLE_JOB_STRATEGY,
  strategyContext,
  StrategyError,
  type Combination,
  type MatrixShape,
  type StrategyContext,
} from './matrix.ts';
import { messages } from './references.ts';
import type { RunState } from './run-state.ts';
import { find, isExpression, literalString, placeOf } from './tokens.ts';
import type { JobResult } from './types.ts';
import type { JobModel } from './workflow-model.ts';

/** One combination of a matrix, as the job run for it sees it. */
export interface MatrixLeg {
  index: number;
  matrix: Combination;
  strategy: StrategyContext;
  /** The keys any combination has, for a strict `matrix` context. */
  shape: MatrixShape;
  /** Where the leg shows in results: `build (linux, 20)`, unique among the legs. */
  path: string;
}

/** `matrix` and `strategy` for a job's expressions: a leg's, or those of a job without a strategy. */
export function matrixContexts(jobId: string, leg: MatrixLeg | undefined): Record<string, ExpressionData> {
  if (!leg) {
    return {
      matrix: strictContext({}, (key) => messages.noMatrix(`matrix.${key}`, jobId)),
      strategy: strategyData(SINGLE_JOB_STRATEGY),
    };
  }
  return { matrix: matrixData(leg.matrix, leg.shape, 'matrix', jobId), strategy: strategyData(leg.strategy) };
}

/** A job-level scope with a leg's contexts (unchanged without a leg). */
export function withLeg(scope: ExpressionScope, jobId: string, leg: MatrixLeg | undefined): ExpressionScope {
  return { ...scope, contexts: { ...scope.contexts, ...matrixContexts(jobId, leg) } };
}

function strategyData(strategy: StrategyContext): ExpressionData {
  return strictContext({ ...strategy }, (key) => messages.noStrategyKey(key));
}

/**
 * A combination as expression data: a key some other combination has is null
 * here (as on GitHub); a key no combination has is an error, at any depth.
 */
function matrixData(value: unknown, shape: MatrixShape | undefined, path: string, jobId: string): ExpressionData {
  if (!shape || typeof value !== 'object' || value === null || Array.isArray(value)) return toData(value);
  const known = [...shape.keys.keys()];
  const dictionary = new KnownKeys(
    (key) => known.some((name) => name.toLowerCase() === key.toLowerCase()),
    (key) => messages.noMatrixKey(`${path}.${key}`, jobId, known),
  );
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    dictionary.add(key, matrixData(item, shape.keys.get(key), `${path}.${key}`, jobId));
  }
  return dictionary;
}

/** A dictionary that answers null for keys `known` accepts and it lacks, and fails for others. */
class KnownKeys extends data.Dictionary {
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
    if (this.known(key)) return new data.Null();
    throw new MissingReference(this.describe(key));
  }
}

export interface MatrixJobRun {
  run: RunState;
  job: JobModel;
  file: string;
  /** The job's path (`promote / deploy`); legs add their values to it. */
  path: string;
  /** The job-level scope (github, inputs, vars, needs), which is what `strategy:` may use. */
  scope: ExpressionScope;
  /** The outputs the job declares (for a job calling a workflow, that workflow's). */
  declaredOutputs: string[];
  /** Runs one leg as a job of its own; `run` carries the signal that cancels the leg. */
  runLeg(leg: MatrixLeg, run: RunState): Promise<JobResult>;
}

/** GitHub's annotation on the legs fail-fast cancelled. */
const failFastMessage = (failed: string): string =>
  `The strategy configuration was canceled because "${failed}" failed`;

export async function runMatrixJob({
  run,
  job,
  file,
  path,
  scope,
  declaredOutputs,
  runLeg,
}: MatrixJobRun): Promise<JobResult> {
  const legs = expandLegs(job, file, path, scope);
  const startedAt = Date.now();
  const strategy = legs[0]!.strategy;
  const failFast = new AbortController();
  const legRun: RunState = { ...run, signal: AbortSignal.any([run.signal, failFast.signal]) };
  const results: JobResult[] = [];
  const finished: JobResult[] = [];
  let failed: string | undefined;
  let next = 0;

  const legName = (leg: MatrixLeg, ran: JobResult | undefined): string => {
    if (job.name && isExpression(job.name) && ran) return ran.name;
    return defaultLegName(literalString(job.name) ?? job.id, leg.matrix);
  };
  const worker = async (): Promise<void> => {
    while (next < legs.length) {
      const leg = legs[next++]!;
      let result: JobResult;
      if (legRun.signal.aborted) {
        result = notStarted(job, leg, legName(leg, undefined), failed);
      } else {
        const ran = await runLeg(leg, legRun);
        result = { ...ran, name: legName(leg, ran) };
        if (result.result === 'cancelled' && failed !== undefined && !run.signal.aborted && !result.error) {
          result.error = failFastMessage(failed);
        }
        finished.push(result);
      }
      result.leg = { index: leg.index, total: strategy['job-total'], matrix: leg.matrix };
      results[leg.index] = result;
      run.options.onJobEnd?.(result);
      if (result.result === 'failure' && strategy['fail-fast'] && failed === undefined) {
        failed = result.name;
        failFast.abort();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(strategy['max-parallel'], legs.length) }, worker));

  const counted = finished.filter((leg) => job.kind === 'steps' || leg.result === 'success');
  return {
    id: job.id,
    path,
    name: literalString(job.name) ?? job.id,
    result: legsResult(results.map((leg) => leg.result)),
    outcome: legsResult(results.map((leg) => leg.outcome)),
    outputs: mergeLegOutputs(
      declaredOutputs,
      counted.map((leg) => leg.outputs),
    ),
    steps: [],
    summary: '',
    needs: job.needs,
    legs: results,
    startedAt,
    durationMs: Date.now() - startedAt,
  };
}

/** The legs of a job's strategy, evaluated now; a strategy GitHub would refuse fails the job as GitHub words it. */
function expandLegs(job: JobModel, file: string, path: string, scope: ExpressionScope): MatrixLeg[] {
  const token = job.strategy!;
  let strategy;
  try {
    strategy = readStrategy(evaluateToken(token, file, scope));
  } catch (error) {
    if (!(error instanceof StrategyError)) throw error;
    const place = placeOf(file, find(token, 'matrix') ?? token);
    throw new WorkflowRuntimeError(`Error when evaluating 'strategy' for job '${job.id}'. ${at(place, error.message)}`);
  }
  const shape = matrixShape(strategy.combinations);
  const paths = new Set<string>();
  return strategy.combinations.map((matrix, index) => {
    let legPath = defaultLegName(path, matrix);
    if (legPath === path || paths.has(legPath)) legPath = `${legPath} [${index + 1}]`;
    paths.add(legPath);
    return { index, matrix, strategy: strategyContext(strategy, index), shape, path: legPath };
  });
}

function notStarted(job: JobModel, leg: MatrixLeg, name: string, failed: string | undefined): JobResult {
  return {
    id: job.id,
    path: leg.path,
    name,
    result: 'cancelled',
    outcome: 'cancelled',
    outputs: {},
    steps: [],
    summary: '',
    needs: job.needs,
    ...(failed !== undefined ? { error: failFastMessage(failed) } : {}),
    startedAt: Date.now(),
    durationMs: 0,
  };
}

import type { EmulatorState } from '../../state.ts';
import { logStoreOf } from '../log-store.ts';
import { areaStore, areaStores, notFound, parseArn, validation, type Scope } from './common.ts';
import type { PipelineGraph, StepNode } from './definition.ts';
import type { Value } from './expressions.ts';

/** Pipelines, their versions and their executions, per account and region. */

export interface S3Location {
  Bucket: string;
  ObjectKey: string;
  VersionId?: string;
}

export interface PipelineVersion {
  id: number;
  creationTime: number;
  /** The definition text, given inline or read from s3Location at create/update. */
  definition: string | undefined;
  s3Location: S3Location | undefined;
  /** The parsed graph the executions of this version run. */
  graph: PipelineGraph | undefined;
  displayName: string | undefined;
  description: string | undefined;
}

export interface Pipeline {
  name: string;
  arn: string;
  displayName: string;
  description: string | undefined;
  roleArn: string;
  parallelism: number | undefined;
  creationTime: number;
  lastModifiedTime: number;
  lastRunTime: number | undefined;
  createdBy: Record<string, unknown>;
  lastModifiedBy: Record<string, unknown>;
  versions: PipelineVersion[];
  createToken: string | undefined;
  /** StartPipelineExecution ClientRequestToken → execution ARN. */
  startTokens: Map<string, string>;
}

export type ExecutionStatus = 'Executing' | 'Stopping' | 'Stopped' | 'Failed' | 'Succeeded';
export type StepRunStatus = 'Executing' | 'Stopping' | 'Stopped' | 'Failed' | 'Succeeded';

export interface JobLog {
  group: string;
  stream: string;
  /** Every event the job will write, in time order; `written` of them are in the log store. */
  lines: { timestamp: number; message: string }[];
  written: number;
}

export interface StepRun {
  node: StepNode;
  /** Order in which steps started, for ties in listings. */
  order: number;
  startTime: number;
  /** When the step will end if nothing stops it. */
  plannedEnd: number;
  endTime: number | undefined;
  status: StepRunStatus;
  /** The outcome decided at start from the scenario. */
  outcome: 'Succeeded' | 'Failed';
  failureReason: string | undefined;
  attempts: number;
  conditionOutcome: boolean;
  metadata: Record<string, unknown>;
  /** Training, processing and transform jobs: their name and the log they write. */
  job: { name: string; arn: string; log: JobLog } | undefined;
}

export interface Execution {
  id: string;
  arn: string;
  pipelineName: string;
  pipelineArn: string;
  roleArn: string;
  version: PipelineVersion;
  displayName: string;
  description: string | undefined;
  /** Values as given at start, for ListPipelineParametersForExecution. */
  givenParameters: { Name: string; Value: string }[];
  /** Every declared parameter, typed, with defaults filled in. */
  parameters: Map<string, Value>;
  parallelism: number;
  parallelismGiven: number | undefined;
  creationTime: number;
  createdBy: Record<string, unknown>;
  status: ExecutionStatus;
  failureReason: string | undefined;
  endTime: number | undefined;
  /** Simulated time up to which events have been applied. */
  cursor: number;
  /** A step failed: nothing new starts; the execution fails once running steps end. */
  stepFailed: boolean;
  stopRequestedAt: number | undefined;
  stopCompleteAt: number | undefined;
  stopToken: string | undefined;
  runs: Map<string, StepRun>;
  /** How often each step has run in this execution, counting runs a retry replaced. */
  stepRuns: Map<string, number>;
  /** ClientRequestTokens of the RetryPipelineExecution calls applied, for idempotency. */
  retryTokens: Set<string>;
}

export interface PipelineStore {
  scope: Scope;
  /** By lower-cased name: the ARN lower-cases it, so names are unique regardless of case. */
  pipelines: Map<string, Pipeline>;
  executions: Map<string, Execution>;
}

const AREA = 'pipelines';

/**
 * The store of one account and region. On first use it registers with that account's log
 * store, so reading job logs brings running executions up to date first.
 */
export function pipelineStoreOf(
  state: EmulatorState,
  scope: Scope,
  advance: (store: PipelineStore, now: number) => void,
): PipelineStore {
  return areaStore<PipelineStore>(state, scope, AREA, () => {
    const store: PipelineStore = { scope, pipelines: new Map(), executions: new Map() };
    logStoreOf(state.resources, scope.account, scope.region).addSource((now) => advance(store, now));
    return store;
  });
}

export function allPipelineStores(state: EmulatorState): PipelineStore[] {
  return areaStores<PipelineStore>(state, AREA).map((entry) => entry.bucket);
}

const PIPELINE_ARN_NAME = /^pipeline\/([^/]+)$/;

/** PipelineName parameters accept a name or the pipeline's ARN (of the caller's account and region). */
export function findPipeline(scope: Scope, store: PipelineStore, nameOrArn: string): Pipeline {
  let name = nameOrArn;
  if (nameOrArn.startsWith('arn:')) {
    const arn = parseArn(nameOrArn);
    const match = arn ? PIPELINE_ARN_NAME.exec(`${arn.resource}/${arn.path}`) : null;
    if (!arn || !match) throw validation(`Invalid pipeline ARN: ${nameOrArn}`);
    if (arn.account !== scope.account || arn.region !== scope.region) throw pipelineMissing(nameOrArn);
    name = match[1] ?? '';
  }
  const pipeline = store.pipelines.get(name.toLowerCase());
  if (!pipeline) throw pipelineMissing(name);
  return pipeline;
}

export const pipelineMissing = (name: string) => notFound(`Pipeline '${name}' does not exist.`);

export function findExecution(store: PipelineStore, arn: string): Execution {
  const execution = store.executions.get(arn) ?? store.executions.get(arn.toLowerCase());
  if (!execution) throw notFound(`Pipeline execution '${arn}' does not exist.`);
  return execution;
}

/** The version asked for, or the newest; a version the pipeline never had is not found. */
export function pipelineVersion(pipeline: Pipeline, id: number | undefined): PipelineVersion | undefined {
  if (id === undefined) return pipeline.versions.at(-1);
  const version = pipeline.versions.find((v) => v.id === id);
  if (!version) throw notFound(`Pipeline version ${id} of pipeline '${pipeline.name}' does not exist.`);
  return version;
}

export function currentVersion(pipeline: Pipeline): PipelineVersion {
  return pipeline.versions.at(-1) as PipelineVersion;
}

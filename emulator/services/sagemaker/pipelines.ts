import { AwsError } from '../../errors.ts';
import type { Handler, OperationContext } from '../../registry.ts';
import type { JsonInput } from '../json-input.ts';
import { readObject } from '../s3/store.ts';
import {
  arnOf,
  byTime,
  conflict,
  createdBetween,
  inputOf,
  listPage,
  scopeOf,
  sortOrder,
  userContext,
  validation,
} from './common.ts';
import { parseDefinition } from './definition.ts';
import {
  currentVersion,
  findPipeline,
  pipelineVersion,
  type Pipeline,
  type PipelineVersion,
  type S3Location,
} from './pipeline-store.ts';
import { pipelinesOf } from './simulation.ts';
import { dropTags, putTags } from './tags.ts';

// CreatePipeline, UpdatePipeline, DescribePipeline, ListPipelines, ListPipelineVersions, DeletePipeline.

function storeOf(context: OperationContext) {
  return pipelinesOf(context.state, scopeOf(context));
}

function readS3Location(input: JsonInput): S3Location | undefined {
  const raw = input.object('PipelineDefinitionS3Location');
  if (raw === undefined) return undefined;
  const { Bucket, ObjectKey, VersionId } = raw;
  if (typeof Bucket !== 'string' || Bucket.length < 3 || typeof ObjectKey !== 'string' || ObjectKey === '')
    throw validation('PipelineDefinitionS3Location needs a Bucket and an ObjectKey.');
  return { Bucket, ObjectKey, ...(typeof VersionId === 'string' ? { VersionId } : {}) };
}

/**
 * SageMaker reads a definition given by location once, at create/update, with the caller's
 * access (a bucket of another account is not readable); later changes to the object do not
 * change the pipeline.
 */
function definitionFromS3(context: OperationContext, location: S3Location): string {
  try {
    const object = readObject(context.state, context.caller.accountId, {
      bucket: location.Bucket,
      key: location.ObjectKey,
      versionId: location.VersionId,
    });
    return object.body.toString('utf8');
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    const version = location.VersionId !== undefined ? ` (version ${location.VersionId})` : '';
    throw validation(
      `Unable to read the pipeline definition from s3://${location.Bucket}/${location.ObjectKey}${version}: ${error.code}: ${error.message}`,
    );
  }
}

/** The definition fields of Create/UpdatePipeline: inline text or an S3 location, read and checked alike. */
function readDefinition(
  context: OperationContext,
  input: JsonInput,
  required: boolean,
): Pick<PipelineVersion, 'definition' | 's3Location' | 'graph'> | undefined {
  const definition = input.string('PipelineDefinition');
  const s3Location = readS3Location(input);
  if (definition !== undefined && s3Location !== undefined)
    throw validation('Provide either PipelineDefinition or PipelineDefinitionS3Location, not both.');
  if (s3Location !== undefined) {
    const text = definitionFromS3(context, s3Location);
    return { definition: text, s3Location, graph: parseDefinition(text) };
  }
  if (definition === undefined) {
    if (required) throw validation('Either PipelineDefinition or PipelineDefinitionS3Location must be provided.');
    return undefined;
  }
  return { definition, s3Location: undefined, graph: parseDefinition(definition) };
}

function readParallelism(input: JsonInput): number | undefined {
  return input.object('ParallelismConfiguration')?.MaxParallelExecutionSteps as number | undefined;
}

function createPipeline(context: OperationContext): Record<string, unknown> {
  const input = inputOf(context);
  const name = input.string('PipelineName') ?? '';
  const displayName = input.string('PipelineDisplayName');
  const description = input.string('PipelineDescription');
  const roleArn = input.string('RoleArn') ?? '';
  const token = input.string('ClientRequestToken');
  const tags = input.list('Tags');
  const parallelism = readParallelism(input);
  const definition = readDefinition(context, input, true);
  if (!definition) throw validation('Either PipelineDefinition or PipelineDefinitionS3Location must be provided.');

  const scope = scopeOf(context);
  const store = storeOf(context);
  const existing = store.pipelines.get(name.toLowerCase());
  if (existing) {
    // A retried create with the same token succeeds once more, as idempotency promises.
    if (token !== undefined && existing.createToken === token) return { PipelineArn: existing.arn };
    throw validation('Pipeline names must be unique within an AWS account and region');
  }
  const now = context.state.clock.now();
  const pipeline: Pipeline = {
    name,
    arn: arnOf(scope, 'pipeline', name),
    displayName: displayName ?? name,
    description,
    roleArn,
    parallelism,
    creationTime: now,
    lastModifiedTime: now,
    lastRunTime: undefined,
    createdBy: userContext(context),
    lastModifiedBy: userContext(context),
    versions: [{ id: 1, creationTime: now, ...definition, displayName, description }],
    createToken: token,
    startTokens: new Map(),
  };
  store.pipelines.set(name.toLowerCase(), pipeline);
  if (tags) putTags(context, pipeline.arn, tags);
  return { PipelineArn: pipeline.arn };
}

function updatePipeline(context: OperationContext): Record<string, unknown> {
  const input = inputOf(context);
  const name = input.string('PipelineName') ?? '';
  const displayName = input.string('PipelineDisplayName');
  const description = input.string('PipelineDescription');
  const roleArn = input.string('RoleArn');
  const parallelism = readParallelism(input);
  const definition = readDefinition(context, input, false);

  const pipeline = findPipeline(scopeOf(context), storeOf(context), name);
  const now = context.state.clock.now();
  const previous = currentVersion(pipeline);
  // Every update is a new version, even one that changes only the description.
  const version: PipelineVersion = {
    id: previous.id + 1,
    creationTime: now,
    ...(definition ?? { definition: previous.definition, s3Location: previous.s3Location, graph: previous.graph }),
    displayName: displayName ?? previous.displayName,
    description: description ?? previous.description,
  };
  pipeline.versions.push(version);
  if (displayName !== undefined) pipeline.displayName = displayName;
  if (description !== undefined) pipeline.description = description;
  if (roleArn !== undefined) pipeline.roleArn = roleArn;
  if (parallelism !== undefined) pipeline.parallelism = parallelism;
  pipeline.lastModifiedTime = now;
  pipeline.lastModifiedBy = userContext(context);
  return { PipelineArn: pipeline.arn, PipelineVersionId: version.id };
}

function describePipeline(context: OperationContext): Record<string, unknown> {
  const input = inputOf(context);
  const name = input.string('PipelineName') ?? '';
  const pipeline = findPipeline(scopeOf(context), storeOf(context), name);
  const version = pipelineVersion(pipeline, input.number('PipelineVersionId')) ?? currentVersion(pipeline);
  // Deliberately no PipelineVersionId: DescribePipeline does not return it (ListPipelineVersions does).
  return {
    PipelineArn: pipeline.arn,
    PipelineName: pipeline.name,
    PipelineDisplayName: pipeline.displayName,
    ...(version.definition !== undefined ? { PipelineDefinition: version.definition } : {}),
    ...(pipeline.description !== undefined ? { PipelineDescription: pipeline.description } : {}),
    RoleArn: pipeline.roleArn,
    PipelineStatus: 'Active',
    CreationTime: new Date(pipeline.creationTime),
    LastModifiedTime: new Date(pipeline.lastModifiedTime),
    ...(pipeline.lastRunTime !== undefined ? { LastRunTime: new Date(pipeline.lastRunTime) } : {}),
    CreatedBy: pipeline.createdBy,
    LastModifiedBy: pipeline.lastModifiedBy,
    ...(pipeline.parallelism !== undefined
      ? { ParallelismConfiguration: { MaxParallelExecutionSteps: pipeline.parallelism } }
      : {}),
    ...(version.displayName !== undefined ? { PipelineVersionDisplayName: version.displayName } : {}),
    ...(version.description !== undefined ? { PipelineVersionDescription: version.description } : {}),
  };
}

function listPipelines(context: OperationContext): Record<string, unknown> {
  const input = inputOf(context);
  const prefix = input.string('PipelineNamePrefix');
  const sortBy = input.string<'Name' | 'CreationTime'>('SortBy') ?? 'CreationTime';
  const order = sortOrder(input, 'Descending');
  const created = createdBetween(input);
  const pipelines = [...storeOf(context).pipelines.values()]
    .filter((p) => (prefix === undefined || p.name.startsWith(prefix)) && created(p.creationTime))
    .sort(
      sortBy === 'Name'
        ? (a, b) => (order === 'Ascending' ? 1 : -1) * a.name.localeCompare(b.name)
        : byTime((p: Pipeline) => p.creationTime, order),
    );
  const page = listPage(input, `ListPipelines/${sortBy}/${order}`, pipelines);
  return {
    PipelineSummaries: page.items.map((p) => ({
      PipelineArn: p.arn,
      PipelineName: p.name,
      PipelineDisplayName: p.displayName,
      ...(p.description !== undefined ? { PipelineDescription: p.description } : {}),
      RoleArn: p.roleArn,
      CreationTime: new Date(p.creationTime),
      LastModifiedTime: new Date(p.lastModifiedTime),
      ...(p.lastRunTime !== undefined ? { LastExecutionTime: new Date(p.lastRunTime) } : {}),
    })),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
}

function listPipelineVersions(context: OperationContext): Record<string, unknown> {
  const input = inputOf(context);
  const name = input.string('PipelineName') ?? '';
  const order = sortOrder(input, 'Descending');
  const created = createdBetween(input);
  const store = storeOf(context);
  const pipeline = findPipeline(scopeOf(context), store, name);
  const lastExecution = new Map<number, { arn: string; time: number }>();
  for (const execution of store.executions.values()) {
    if (execution.pipelineArn !== pipeline.arn) continue;
    const seen = lastExecution.get(execution.version.id);
    if (!seen || seen.time <= execution.creationTime)
      lastExecution.set(execution.version.id, { arn: execution.arn, time: execution.creationTime });
  }
  // Versions share creation times when updated within one millisecond; the id breaks the tie.
  const versions = pipeline.versions
    .filter((v) => created(v.creationTime))
    .sort((a, b) => (order === 'Ascending' ? a.id - b.id : b.id - a.id));
  const page = listPage(input, `ListPipelineVersions/${order}`, versions);
  return {
    PipelineVersionSummaries: page.items.map((v) => ({
      PipelineArn: pipeline.arn,
      PipelineVersionId: v.id,
      CreationTime: new Date(v.creationTime),
      ...(v.displayName !== undefined ? { PipelineVersionDisplayName: v.displayName } : {}),
      ...(v.description !== undefined ? { PipelineVersionDescription: v.description } : {}),
      ...(lastExecution.has(v.id) ? { LastExecutionPipelineExecutionArn: lastExecution.get(v.id)?.arn } : {}),
    })),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
}

function deletePipeline(context: OperationContext): Record<string, unknown> {
  const input = inputOf(context);
  const name = input.string('PipelineName') ?? '';
  const store = storeOf(context);
  const pipeline = findPipeline(scopeOf(context), store, name);
  // SageMaker deletes a pipeline only once none of its executions is running.
  const running = [...store.executions.values()].find(
    (e) => e.pipelineArn === pipeline.arn && (e.status === 'Executing' || e.status === 'Stopping'),
  );
  if (running)
    throw conflict(
      `Pipeline ${pipeline.arn} has an execution in ${running.status} status (${running.arn}); stop its executions before deleting it.`,
    );
  store.pipelines.delete(pipeline.name.toLowerCase());
  for (const [arn, execution] of store.executions)
    if (execution.pipelineArn === pipeline.arn) store.executions.delete(arn);
  dropTags(context, pipeline.arn);
  return { PipelineArn: pipeline.arn };
}

export const pipelineOperations: Record<string, Handler> = {
  CreatePipeline: createPipeline,
  UpdatePipeline: updatePipeline,
  DescribePipeline: describePipeline,
  ListPipelines: listPipelines,
  ListPipelineVersions: listPipelineVersions,
  DeletePipeline: deletePipeline,
};

/** Pipelines are taggable by ARN. */
export function pipelineExists(context: OperationContext, arn: string): boolean {
  return [...storeOf(context).pipelines.values()].some((p) => p.arn === arn);
}

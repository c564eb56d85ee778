import * as core from '@actions/core';
import {
  AddTagsCommand,
  CreatePipelineCommand,
  DeleteTagsCommand,
  DescribePipelineCommand,
  ListPipelineVersionsCommand,
  ListTagsCommand,
  SageMakerClient,
  UpdatePipelineCommand,
  type PipelineDefinitionS3Location,
} from '@aws-sdk/client-sagemaker';
import { createClient } from '../runtime/aws-client.ts';
import { sha256Hex } from '../runtime/canonical-json.ts';
import { awsErrorCode, deniedPermission, describeError } from '../runtime/errors.ts';
import { isNotFound } from '../runtime/not-found.ts';
import { githubContext } from '../runtime/github-context.ts';
import { SummaryBuilder } from '../runtime/summary.ts';
import { s3UriOf } from './definition-location.ts';
import { readInputs, type DesiredPipeline, type Inputs } from './inputs.ts';
import { describePlan, parseStoredDefinition, planChanges, type CurrentPipeline, type Plan } from './plan.ts';
import { desiredTagSet, tagChanges } from './tags.ts';
import { ownershipTags, pullRequestOf } from '../sagemaker/ownership-tags.ts';

export const ACTION_NAME = 'upsert-pipeline';

async function describeCurrent(client: SageMakerClient, name: string): Promise<CurrentPipeline | undefined> {
  try {
    const pipeline = await client.send(new DescribePipelineCommand({ PipelineName: name }));
    const definition = parseStoredDefinition(pipeline.PipelineDefinition);
    if (definition === undefined) {
      core.warning(
        `The definition stored in pipeline ${name} could not be read for comparing (missing, not JSON, or a key written twice); every step counts as changed and the pipeline is updated`,
      );
    }
    return {
      arn: pipeline.PipelineArn ?? '',
      definition,
      ...(pipeline.RoleArn ? { executionRoleArn: pipeline.RoleArn } : {}),
      ...(pipeline.PipelineDisplayName ? { displayName: pipeline.PipelineDisplayName } : {}),
      ...(pipeline.PipelineDescription ? { description: pipeline.PipelineDescription } : {}),
      ...(pipeline.ParallelismConfiguration?.MaxParallelExecutionSteps
        ? { parallelism: pipeline.ParallelismConfiguration.MaxParallelExecutionSteps }
        : {}),
    };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * The version the pipeline is at. Read after a write has succeeded, so a failure here only
 * costs the output: it never turns the write into a failed step — unless the read is refused,
 * which is the role's policy to fix, and said as such (outputs and tags are in place by then).
 */
async function latestVersionId(client: SageMakerClient, name: string): Promise<string> {
  try {
    const versions = await client.send(
      new ListPipelineVersionsCommand({ PipelineName: name, SortOrder: 'Descending', MaxResults: 1 }),
    );
    return String(versions.PipelineVersionSummaries?.[0]?.PipelineVersionId ?? '');
  } catch (error) {
    if (deniedPermission(error)) throw error;
    core.warning(
      `Could not read the version of pipeline ${name} (${describeError(error)}); pipeline-version-id is empty, so a later start runs the latest version`,
    );
    return '';
  }
}

/** The definition as Create/UpdatePipeline take it; empty when an update leaves it as it is. */
type DefinitionField =
  | { PipelineDefinition: string }
  | { PipelineDefinitionS3Location: PipelineDefinitionS3Location }
  | Record<string, never>;

const settingsOf = (pipeline: DesiredPipeline, definition: DefinitionField) => ({
  PipelineName: pipeline.name,
  ...definition,
  RoleArn: pipeline.executionRoleArn,
  PipelineDisplayName: pipeline.displayName,
  PipelineDescription: pipeline.description,
  ParallelismConfiguration: pipeline.parallelism ? { MaxParallelExecutionSteps: pipeline.parallelism } : undefined,
});

const isDuplicateName = (error: unknown): boolean =>
  awsErrorCode(error) === 'ValidationException' && /must be unique/i.test((error as Error).message);

/** Creates the pipeline; when another run created it first, updates it instead. */
async function createOrUpdate(
  client: SageMakerClient,
  pipeline: DesiredPipeline,
  definition: DefinitionField,
): Promise<{ arn: string; created: boolean }> {
  try {
    const created = await client.send(
      new CreatePipelineCommand({
        ...settingsOf(pipeline, definition),
        Tags: Object.entries({
          ...desiredTagSet(pipeline.tags),
          ...ownershipTags(ACTION_NAME, githubContext()),
        }).map(([Key, Value]) => ({ Key, Value })),
        ClientRequestToken: sha256Hex(`${githubContext().runId}/${pipeline.name}/${pipeline.definitionText}`).slice(
          0,
          64,
        ),
      }),
    );
    return { arn: created.PipelineArn ?? '', created: true };
  } catch (error) {
    if (!isDuplicateName(error)) throw error;
    core.info(`Pipeline ${pipeline.name} was created meanwhile; updating it instead.`);
    const updated = await client.send(new UpdatePipelineCommand(settingsOf(pipeline, definition)));
    return { arn: updated.PipelineArn ?? '', created: false };
  }
}

/**
 * Inline text, or with definition-s3-uri the location of the object just uploaded. Only a
 * create or an update gets here, so plan mode and an unchanged pipeline upload nothing; an
 * update of settings alone sends no definition at all (SageMaker keeps the one it has) rather
 * than a second copy of the same object.
 */
async function definitionToSend(inputs: Inputs, plan: Plan): Promise<DefinitionField> {
  const { pipeline } = inputs;
  if (!pipeline.definitionLocation) return { PipelineDefinition: pipeline.definitionText };
  if (!plan.definitionChanged) return {};
  // A bundle of its own (see s3-upload.ts): steps without definition-s3-uri never load the S3 client.
  const { uploadDefinition } = await import('./s3-upload.ts');
  const location = await uploadDefinition(inputs, pipeline.definitionLocation, pipeline.definitionText);
  core.info(`Uploaded the definition to ${s3UriOf(pipeline.definitionLocation, location.VersionId)}`);
  return { PipelineDefinitionS3Location: location };
}

async function syncTags(client: SageMakerClient, arn: string, desired: Record<string, string>): Promise<string[]> {
  const listed = await client.send(new ListTagsCommand({ ResourceArn: arn, MaxResults: 100 }));
  const current = Object.fromEntries((listed.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
  const changes = tagChanges(current, desired, pullRequestOf(githubContext()));
  const notes: string[] = [];
  if (Object.keys(changes.set).length > 0) {
    await client.send(
      new AddTagsCommand({
        ResourceArn: arn,
        Tags: Object.entries(changes.set).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    notes.push(`set tags ${Object.keys(changes.set).join(', ')}`);
  }
  if (changes.remove.length > 0) {
    await client.send(new DeleteTagsCommand({ ResourceArn: arn, TagKeys: changes.remove }));
    notes.push(`removed tags ${changes.remove.join(', ')}`);
  }
  return notes;
}

async function writeSummary(
  inputs: Inputs,
  plan: Plan,
  headline: string,
  versionId: string,
  sha: string,
): Promise<void> {
  const summary = new SummaryBuilder().heading(`Pipeline ${inputs.pipeline.name}: ${headline}`);
  summary.keyValues([
    ['Mode', inputs.mode === 'plan' ? 'plan (nothing changed)' : 'apply'],
    ['Version', versionId || undefined],
    ['Definition', { code: inputs.definitionPath }],
    [
      'Definition location',
      inputs.pipeline.definitionLocation ? { code: s3UriOf(inputs.pipeline.definitionLocation) } : undefined,
    ],
    ['Definition sha256', { code: sha }],
    ['Region', inputs.region],
  ]);
  const rows: string[][] = [];
  for (const name of plan.stepsAdded) rows.push([name, 'added']);
  for (const name of plan.stepsRemoved) rows.push([name, 'removed']);
  for (const name of plan.stepsChanged) rows.push([name, 'changed']);
  if (plan.action !== 'create') summary.table(['Step', 'Change'], rows);
  summary.table(
    ['Setting', 'Before', 'After'],
    plan.settings.map((change) => [change.setting, change.from, change.to]),
  );
  await summary.write();
}

export async function run(): Promise<void> {
  const inputs = await readInputs();
  const { pipeline } = inputs;
  if (inputs.unusedSubstitutions.length > 0) {
    core.warning(`substitutions not used by ${inputs.definitionPath}: ${inputs.unusedSubstitutions.join(', ')}`);
  }
  const sha = sha256Hex(pipeline.definitionText);
  const client = createClient(SageMakerClient, inputs);

  const current = await describeCurrent(client, pipeline.name);
  const plan = planChanges(current, pipeline);
  for (const line of describePlan(plan)) core.info(`${inputs.mode === 'plan' ? 'Plan' : 'Change'}: ${line}`);
  if (inputs.mode === 'plan' && pipeline.definitionLocation && plan.definitionChanged)
    core.info(`Plan: upload the definition to ${s3UriOf(pipeline.definitionLocation)}`);

  let arn = current?.arn ?? '';
  let versionId = '';
  let headline: string;
  if (inputs.mode === 'plan') {
    headline = plan.action === 'none' ? 'no change' : `would ${plan.action}`;
    if (current) versionId = await latestVersionId(client, pipeline.name);
  } else {
    const definition = plan.action === 'none' ? {} : await definitionToSend(inputs, plan);
    if (plan.action === 'create') {
      const result = await createOrUpdate(client, pipeline, definition);
      arn = result.arn;
    } else if (plan.action === 'update') {
      const updated = await client.send(new UpdatePipelineCommand(settingsOf(pipeline, definition)));
      arn = updated.PipelineArn ?? arn;
      versionId = String(updated.PipelineVersionId ?? '');
    }
    core.setOutput('pipeline-arn', arn);
    const tagNotes = await syncTags(client, arn, pipeline.tags);
    for (const note of tagNotes) core.info(`Tags: ${note}`);
    versionId ||= await latestVersionId(client, pipeline.name);
    const version = versionId || 'unknown';
    headline =
      plan.action === 'create'
        ? `created (version ${version})`
        : plan.action === 'update'
          ? `updated to version ${version}`
          : `unchanged (version ${version})`;
  }
  core.info(`Pipeline ${pipeline.name}: ${headline}`);

  core.setOutput('pipeline-arn', arn);
  core.setOutput('pipeline-version-id', versionId);
  core.setOutput('changed', String(plan.action !== 'none'));
  core.setOutput('action', plan.action);
  core.setOutput('definition-sha256', sha);
  await writeSummary(inputs, plan, headline, versionId, sha);
}

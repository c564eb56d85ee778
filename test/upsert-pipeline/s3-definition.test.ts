/** upsert-pipeline with definition-s3-uri, run as the runner runs it, against the emulator's S3 and SageMaker. */
import { CreateBucketCommand, GetObjectCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Call } from '../../emulator/admin-client.ts';
import type { SimulatedJob } from '../../local-runner/job.ts';
import { accountsWorld, BOOTSTRAP_KEYS } from '../../testkit/accounts-world.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { ABALONE, DEV_VALUES, devJob, EXECUTION_ROLE, REGION, storedDefinition } from '../../testkit/sagemaker.ts';

const ACTION = 'upsert-pipeline';
const BUCKET = 'ml-dev-artifacts';
const LIMIT = 1_048_576;
const emulator = useEmulator(accountsWorld);
const jobs: SimulatedJob[] = [];
afterEach(() => {
  for (const job of jobs.splice(0)) job.dispose();
});

function s3(): S3Client {
  return new S3Client({ region: REGION, endpoint: emulator.endpoint, credentials: BOOTSTRAP_KEYS });
}

async function createBucket(name: string, versioned: boolean): Promise<void> {
  const client = s3();
  await client.send(new CreateBucketCommand({ Bucket: name }));
  if (versioned)
    await client.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }));
  client.destroy();
}

async function objectText(key: string, versionId?: string): Promise<string> {
  const client = s3();
  const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, VersionId: versionId }));
  const text = (await got.Body?.transformToString()) ?? '';
  client.destroy();
  return text;
}

/**
 * The sample pipeline fanned out into evaluation shards with long argument lists, as large
 * generated pipelines are, until it is over SageMaker's inline limit.
 */
function largeDefinition(numRound = '50'): string {
  const definition = JSON.parse(ABALONE.replace('"num_round": "50"', `"num_round": "${numRound}"`)) as {
    Steps: { Name: string; Arguments: { AppSpecification: Record<string, unknown> } }[];
  };
  const evaluate = definition.Steps.find((step) => step.Name === 'Evaluate')!;
  for (let shard = 1; shard <= 300; shard++) {
    const step = structuredClone(evaluate);
    step.Name = `Evaluate-shard-${shard}`;
    step.Arguments.AppSpecification['ContainerArguments'] = Array.from(
      { length: 60 },
      (_, i) => `--feature-${i}=s3://<<BUCKET>>/abalone/features/shard-${shard}/column-${i}.parquet`,
    );
    definition.Steps.push(step);
  }
  const text = JSON.stringify(definition, null, 2);
  expect(text.length).toBeGreaterThan(LIMIT);
  return text;
}

function upsert(definition: string, inputs: Record<string, string> = {}) {
  const job = devJob(emulator.endpoint);
  jobs.push(job);
  job.writeFile('config/dev.json', DEV_VALUES);
  job.writeFile('pipelines/abalone.json', definition);
  return job.step(ACTION, {
    inputs: {
      'pipeline-name': 'abalone',
      'definition-file': 'pipelines/abalone.json',
      'substitutions-file': 'config/dev.json',
      'execution-role-arn': EXECUTION_ROLE,
      ...inputs,
    },
  });
}

async function mutatingCalls(): Promise<Call[]> {
  return (await emulator.admin.calls()).filter((c) => c.mutating && c.status === 200);
}

describe('upsert-pipeline with definition-s3-uri', () => {
  beforeEach(async () => {
    await createBucket(BUCKET, true);
    await emulator.admin.clearCalls();
  });

  it('refuses a definition over the inline limit without definition-s3-uri, before any call', async () => {
    const step = await upsert(largeDefinition());
    expect(step.exitCode).toBe(1);
    expect(step.errors).toHaveLength(1);
    expect(step.errors[0]).toMatch(
      /^upsert-pipeline: input 'definition-file': the definition is \d+ characters, over SageMaker's inline limit of 1048576; give definition-s3-uri/,
    );
    expect(await emulator.admin.calls()).toEqual([]);
  });

  it('uploads a large definition, creates from S3, then uploads nothing while it is unchanged', async () => {
    const created = await upsert(largeDefinition(), { 'definition-s3-uri': `s3://${BUCKET}/pipelines/` });
    expect(created.errors).toEqual([]);
    expect(created.outputs).toMatchObject({ action: 'create', changed: 'true', 'pipeline-version-id': '1' });
    const sha = created.outputs['definition-sha256']!;
    const key = `pipelines/abalone/${sha}.json`;
    const [put, create] = await mutatingCalls();
    expect([put?.operation, create?.operation]).toEqual(['PutObject', 'CreatePipeline']);
    expect(put?.input).toMatchObject({ Bucket: BUCKET, Key: key });
    const location = create?.input['PipelineDefinitionS3Location'] as { VersionId?: string };
    expect(location).toMatchObject({ Bucket: BUCKET, ObjectKey: key });
    expect(location.VersionId).toMatch(/^[\w.]{32}$/);
    expect(create?.input['PipelineDefinition']).toBeUndefined();
    expect(created.stdout).toContain(
      `Uploaded the definition to s3://${BUCKET}/${key} (version ${location.VersionId})`,
    );
    expect(created.summary).toContain(`s3://${BUCKET}/${key}`);

    // What was uploaded is the substituted definition, and it is what SageMaker describes.
    const uploaded = JSON.parse(await objectText(key, location.VersionId)) as unknown;
    expect(JSON.stringify(uploaded)).not.toContain('<<');
    expect(await storedDefinition(emulator.endpoint, 'abalone')).toEqual(uploaded);

    await emulator.admin.clearCalls();
    const reformatted = JSON.stringify(JSON.parse(largeDefinition()));
    const same = await upsert(reformatted, { 'definition-s3-uri': `s3://${BUCKET}/pipelines/` });
    expect(same.errors).toEqual([]);
    expect(same.outputs).toMatchObject({ action: 'none', changed: 'false', 'pipeline-version-id': '1' });
    expect(await mutatingCalls()).toEqual([]);
    expect((await emulator.admin.calls()).filter((c) => c.service === 's3')).toEqual([]);

    await emulator.admin.clearCalls();
    const changed = await upsert(largeDefinition('80'), { 'definition-s3-uri': `s3://${BUCKET}/pipelines/` });
    expect(changed.outputs).toMatchObject({ action: 'update', changed: 'true', 'pipeline-version-id': '2' });
    const newKey = `pipelines/abalone/${changed.outputs['definition-sha256']}.json`;
    expect(newKey).not.toBe(key);
    expect((await mutatingCalls()).map((c) => [c.operation, c.input['Key'] ?? c.input['PipelineName']])).toEqual([
      ['PutObject', newKey],
      ['UpdatePipeline', 'abalone'],
    ]);
    const stored = (await storedDefinition(emulator.endpoint, 'abalone')) as {
      Steps: { Name: string; Arguments: { HyperParameters?: { num_round?: string } } }[];
    };
    expect(stored.Steps.find((s) => s.Name === 'Train')?.Arguments.HyperParameters?.num_round).toBe('80');
  });

  it('uploads to a given key, on an unversioned bucket without a VersionId', async () => {
    await createBucket('plain-artifacts', false);
    await emulator.admin.clearCalls();
    const step = await upsert(ABALONE, { 'definition-s3-uri': 's3://plain-artifacts/definitions/abalone.json' });
    expect(step.errors).toEqual([]);
    expect(step.outputs).toMatchObject({ action: 'create' });
    const create = (await mutatingCalls()).find((c) => c.operation === 'CreatePipeline');
    expect(create?.input['PipelineDefinitionS3Location']).toEqual({
      Bucket: 'plain-artifacts',
      ObjectKey: 'definitions/abalone.json',
    });
    expect(step.stdout).toContain('Uploaded the definition to s3://plain-artifacts/definitions/abalone.json\n');
  });

  it('plan mode says it would upload and uploads nothing', async () => {
    const plan = await upsert(ABALONE, { 'definition-s3-uri': `s3://${BUCKET}/pipelines/`, mode: 'plan' });
    expect(plan.errors).toEqual([]);
    expect(plan.outputs).toMatchObject({ action: 'create', changed: 'true' });
    expect(plan.stdout).toMatch(
      new RegExp(`Plan: upload the definition to s3://${BUCKET}/pipelines/abalone/[0-9a-f]{64}\\.json`),
    );
    expect(await mutatingCalls()).toEqual([]);
  });

  it('fails with the S3 error and creates nothing when the upload fails', async () => {
    const step = await upsert(ABALONE, { 'definition-s3-uri': 's3://no-such-bucket/pipelines/' });
    expect(step.exitCode).toBe(1);
    expect(step.errors).toHaveLength(1);
    expect(step.errors[0]).toMatch(
      /^upsert-pipeline: uploading the definition to s3:\/\/no-such-bucket\/pipelines\/abalone\/[0-9a-f]{64}\.json failed: NoSuchBucket: .*\(create the bucket first/,
    );
    expect(await mutatingCalls()).toEqual([]);
  });

  const malformed: [string, RegExp][] = [
    [`${BUCKET}/pipelines/`, /it must start with s3:\/\//],
    [`https://${BUCKET}.s3.amazonaws.com/pipelines/`, /it must start with s3:\/\//],
    ['s3://My_Bucket/pipelines/', /'My_Bucket' is not a bucket name/],
    ['s3:///pipelines/', /'' is not a bucket name/],
    [`s3://${BUCKET}//pipelines/`, /the key must not start with \//],
    [`s3://${BUCKET}/abalone.json?versionId=1`, /control character, \? or #/],
  ];

  it.each(malformed)('%s: one line naming definition-s3-uri, exit 1, no AWS call', async (uri, message) => {
    const step = await upsert(ABALONE, { 'definition-s3-uri': uri });
    expect(step.exitCode).toBe(1);
    expect(step.errors).toHaveLength(1);
    expect(step.errors[0]).toMatch(/^upsert-pipeline: input 'definition-s3-uri': '.*' is not a usable S3 URI: /);
    expect(step.errors[0]).toMatch(message);
    expect(step.outputs).toEqual({});
    expect(await emulator.admin.calls()).toEqual([]);
  });
});

/** SageMaker pipelines over the real SDK: create/update/describe, definition checks, lists, tags. */
import {
  AddTagsCommand,
  CreatePipelineCommand,
  DeletePipelineCommand,
  DescribePipelineCommand,
  ListPipelinesCommand,
  ListPipelineVersionsCommand,
  ListTagsCommand,
  UpdatePipelineCommand,
} from '@aws-sdk/client-sagemaker';
import { describe, expect, it } from 'vitest';
import { sagemaker } from '../../testkit/clients.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { rejection } from '../../testkit/requests.ts';
import { definition, PIPELINE_ROLE, processing, token, training } from '../../testkit/sagemaker.ts';
import { ALICE, prodKeys, world } from '../../testkit/worlds/emulator-tests.ts';

const t = useEmulator(world);

const simple = definition([processing('Prepare'), training('Train', { DependsOn: ['Prepare'] })]);

function create(name: string, pipelineDefinition = simple, extra: Record<string, unknown> = {}) {
  return sagemaker(t.endpoint, ALICE).send(
    new CreatePipelineCommand({
      PipelineName: name,
      PipelineDefinition: pipelineDefinition,
      RoleArn: PIPELINE_ROLE,
      ...extra,
    }),
  );
}

async function validationMessage(pipelineDefinition: string): Promise<string> {
  const error = await rejection(create('checked', pipelineDefinition));
  expect(error.name).toBe('ValidationException');
  expect(error.$metadata?.httpStatusCode).toBe(400);
  return error.message;
}

describe('SageMaker pipelines', () => {
  it('creates, updates to version 2 and describes without a version id', async () => {
    const client = sagemaker(t.endpoint, ALICE);
    const created = await create('Churn-Model', simple, {
      PipelineDescription: 'first',
      ParallelismConfiguration: { MaxParallelExecutionSteps: 2 },
    });
    expect(created.PipelineArn).toBe('arn:aws:sagemaker:us-east-1:111111111111:pipeline/churn-model');

    const changed = definition([training('Train')]);
    const updated = await client.send(
      new UpdatePipelineCommand({
        PipelineName: 'Churn-Model',
        PipelineDefinition: changed,
        PipelineDescription: 'second',
      }),
    );
    expect(updated).toMatchObject({ PipelineArn: created.PipelineArn, PipelineVersionId: 2 });

    // By ARN as well as by name.
    const described = await client.send(new DescribePipelineCommand({ PipelineName: created.PipelineArn }));
    expect(described).toMatchObject({
      PipelineName: 'Churn-Model',
      PipelineDefinition: changed,
      PipelineDescription: 'second',
      RoleArn: PIPELINE_ROLE,
      PipelineStatus: 'Active',
      ParallelismConfiguration: { MaxParallelExecutionSteps: 2 },
    });
    expect(described.CreationTime).toBeInstanceOf(Date);
    expect(described).not.toHaveProperty('PipelineVersionId');

    const versions = await client.send(new ListPipelineVersionsCommand({ PipelineName: 'Churn-Model' }));
    expect(versions.PipelineVersionSummaries?.map((v) => v.PipelineVersionId)).toEqual([2, 1]);
  });

  it('refuses a second pipeline of the same name, unless the same token retries the create', async () => {
    await create('dup', simple, { ClientRequestToken: 'create-dup-0123456789abcdef0123456789' });
    await expect(
      create('dup', simple, { ClientRequestToken: 'create-dup-0123456789abcdef0123456789' }),
    ).resolves.toMatchObject({
      PipelineArn: expect.stringMatching(/pipeline\/dup$/),
    });
    const error = await rejection(create('DUP'));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe('Pipeline names must be unique within an AWS account and region');
  });

  it('checks definitions and names what is wrong', async () => {
    expect(await validationMessage('{"Steps": []')).toMatch(/^Unable to parse pipeline definition/);
    expect(await validationMessage(JSON.stringify({ Steps: [] }))).toMatch(/'Version' is missing/);
    expect(await validationMessage(definition([training('Train'), processing('Train')]))).toMatch(
      /step names must be unique; 'Train'/,
    );
    expect(await validationMessage(definition([training('Train', { DependsOn: ['Nope'] })]))).toMatch(
      /step 'Train' depends on step 'Nope', which is not defined/,
    );
    const undeclared = definition([
      training('Train', { Arguments: { ResourceConfig: { InstanceType: { Get: 'Parameters.InstanceType' } } } }),
    ]);
    expect(await validationMessage(undeclared)).toMatch(/references parameter 'InstanceType', which is not declared/);
    const unknownStep = definition([training('Train', { Arguments: { X: { Get: 'Steps.Missing.Properties' } } })]);
    expect(await validationMessage(unknownStep)).toMatch(/step 'Missing' is not defined/);
    expect(await validationMessage(definition([{ Name: 'Odd', Type: 'Quantum' }]))).toMatch(
      /unsupported Type 'Quantum'/,
    );
    const cycle = definition([training('A', { DependsOn: ['B'] }), training('B', { DependsOn: ['A'] })]);
    expect(await validationMessage(cycle)).toMatch(/cycle: A -> B -> A/);
  });

  it('validates names and the definition size the way the API layer does', async () => {
    const error = await rejection(create('bad_name'));
    expect(error.message).toBe(
      "1 validation error detected: Value 'bad_name' at 'pipelineName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}",
    );
    const huge = await rejection(create('huge', 'x'.repeat(1_048_577)));
    expect(huge.message).toMatch(
      /at 'pipelineDefinition' failed to satisfy constraint: Member must have length less than or equal to 1048576/,
    );
  });

  it('reads an S3-stored definition at create, so a missing object fails (more in s3.test.ts)', async () => {
    const error = await rejection(
      sagemaker(t.endpoint, ALICE).send(
        new CreatePipelineCommand({
          PipelineName: 'from-s3',
          RoleArn: PIPELINE_ROLE,
          PipelineDefinitionS3Location: { Bucket: 'defs', ObjectKey: 'p.json', VersionId: 'v1' },
        }),
      ),
    );
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(/s3:\/\/defs\/p\.json \(version v1\): NoSuchBucket/);
  });

  it('lists with a prefix and pages with NextToken', async () => {
    for (const name of ['team-a', 'team-b', 'team-c', 'other']) await create(name);
    const client = sagemaker(t.endpoint, ALICE);
    const first = await client.send(new ListPipelinesCommand({ PipelineNamePrefix: 'team', MaxResults: 2 }));
    expect(first.PipelineSummaries?.map((p) => p.PipelineName)).toHaveLength(2);
    expect(first.NextToken).toBeDefined();
    const second = await client.send(
      new ListPipelinesCommand({ PipelineNamePrefix: 'team', MaxResults: 2, NextToken: first.NextToken }),
    );
    expect(second.NextToken).toBeUndefined();
    const names = [...(first.PipelineSummaries ?? []), ...(second.PipelineSummaries ?? [])].map((p) => p.PipelineName);
    expect(names.sort()).toEqual(['team-a', 'team-b', 'team-c']);
    const bad = await rejection(client.send(new ListPipelinesCommand({ NextToken: 'garbage' })));
    expect(bad.name).toBe('ValidationException');
  });

  it('tags pipelines and forgets them on delete', async () => {
    const client = sagemaker(t.endpoint, ALICE);
    const { PipelineArn } = await create('tagged', simple, { Tags: [{ Key: 'team', Value: 'ml' }] });
    await client.send(new AddTagsCommand({ ResourceArn: PipelineArn, Tags: [{ Key: 'stage', Value: 'dev' }] }));
    const tags = await client.send(new ListTagsCommand({ ResourceArn: PipelineArn }));
    expect(tags.Tags).toEqual([
      { Key: 'team', Value: 'ml' },
      { Key: 'stage', Value: 'dev' },
    ]);
    await client.send(new DeletePipelineCommand({ PipelineName: 'tagged', ClientRequestToken: token('delete') }));
    const missing = await rejection(client.send(new DescribePipelineCommand({ PipelineName: 'tagged' })));
    expect(missing.name).toBe('ResourceNotFound');
    expect(missing.message).toBe("Pipeline 'tagged' does not exist.");
  });

  it('keeps pipelines per account and region', async () => {
    await create('shared-name');
    const prod = sagemaker(t.endpoint, await prodKeys(t.endpoint));
    expect((await rejection(prod.send(new DescribePipelineCommand({ PipelineName: 'shared-name' })))).name).toBe(
      'ResourceNotFound',
    );
    const elsewhere = sagemaker(t.endpoint, ALICE, { region: 'eu-west-1' });
    expect((await rejection(elsewhere.send(new DescribePipelineCommand({ PipelineName: 'shared-name' })))).name).toBe(
      'ResourceNotFound',
    );
    // The same name is free in another account.
    await prod.send(
      new CreatePipelineCommand({ PipelineName: 'shared-name', PipelineDefinition: simple, RoleArn: PIPELINE_ROLE }),
    );
  });
});

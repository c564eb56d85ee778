/**
 * Every request is checked against AWS's published model before any handler runs, and refused
 * with the code and wording of the service it addressed: one test per protocol and kind of
 * constraint (required, type, length, range, pattern with `\p{…}`, enum, list length, nested
 * members, unknown members), plus proof that a refused request changed nothing.
 */
import type { ECRClient } from '@aws-sdk/client-ecr';
import { CreateRepositoryCommand } from '@aws-sdk/client-ecr';
import { CreateLogGroupCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { S3Client } from '@aws-sdk/client-s3';
import { CreateBucketCommand, PutObjectCommand, type StorageClass } from '@aws-sdk/client-s3';
import {
  CreateEndpointConfigCommand,
  CreatePipelineCommand,
  ListPipelinesCommand,
  StartPipelineExecutionCommand,
  type SortPipelinesBy,
} from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { builtInServices } from '../../emulator/services/index.ts';
import type { OidcIssuer } from '../../emulator/oidc-issuer.ts';
import { serviceModel } from '../../emulator/models/service-model.ts';
import { javaPatternToJs } from '../../emulator/models/pattern.ts';
import { ecr as ecrClient, logs, s3 as s3Client, sagemaker, sts } from '../../testkit/clients.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { rejection, signedPost } from '../../testkit/requests.ts';
import { definition, PIPELINE_ROLE, training } from '../../testkit/sagemaker.ts';
import { ALICE, ROLE, world } from '../../testkit/worlds/emulator-tests.ts';

const t = useEmulator(world);
const ecr = (): ECRClient => ecrClient(t.endpoint, ALICE);
const s3 = (): S3Client => s3Client(t.endpoint, ALICE);

async function sagemakerRaw(
  operation: string,
  input: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await signedPost(t.endpoint, {
    keys: ALICE,
    service: 'sagemaker',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `SageMaker.${operation}` },
    body: JSON.stringify(input),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function stsRaw(params: Record<string, string>): Promise<{ status: number; body: string }> {
  const response = await signedPost(t.endpoint, {
    keys: ALICE,
    service: 'sts',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ Version: '2011-06-15', ...params }).toString(),
  });
  return { status: response.status, body: await response.text() };
}

async function s3Get(path: string): Promise<{ status: number; body: string }> {
  const url = new URL(path, t.endpoint);
  const signer = new SignatureV4({
    credentials: ALICE,
    region: 'us-east-1',
    service: 's3',
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'GET',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    }),
  );
  const headers = { ...signed.headers };
  delete headers.host;
  const response = await fetch(url, { headers });
  return { status: response.status, body: await response.text() };
}

const simple = definition([training('Train')]);
const createPipeline = (input: Record<string, unknown>) =>
  sagemaker(t.endpoint, ALICE).send(
    new CreatePipelineCommand({
      PipelineName: 'p',
      RoleArn: PIPELINE_ROLE,
      PipelineDefinition: simple,
      ClientRequestToken: 'token-0123456789abcdef0123456789abcdef',
      ...input,
    }),
  );

describe('awsJson1_1 (SageMaker): ValidationException, counted and joined as AWS does', () => {
  it('length: a hyphenated 300-character name passes the pattern and fails the length', async () => {
    const name = `${'a-'.repeat(149)}ab`;
    const error = await rejection(createPipeline({ PipelineName: name }));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(
      `1 validation error detected: Value '${name}' at 'pipelineName' failed to satisfy constraint: Member must have length less than or equal to 256`,
    );
  });

  it('pattern and required together: two errors, joined with "; "', async () => {
    const error = await rejection(createPipeline({ PipelineName: 'bad_name', RoleArn: undefined }));
    expect(error.message).toBe(
      '2 validation errors detected: ' +
        "Value 'bad_name' at 'pipelineName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}; " +
        "Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
    );
  });

  it('a name breaking both its length and its pattern gets both, as AWS lists them', async () => {
    const error = await rejection(createPipeline({ PipelineName: `${'x'.repeat(256)}_` }));
    expect(error.message).toMatch(/^2 validation errors detected: /);
    expect(error.message).toContain('Member must have length less than or equal to 256; ');
    expect(error.message).toContain('Member must satisfy regular expression pattern');
  });

  it("enum and range, in the order of the model's members", async () => {
    const error = await rejection(
      sagemaker(t.endpoint, ALICE).send(
        new ListPipelinesCommand({ SortBy: 'Size' as SortPipelinesBy, MaxResults: 101 }),
      ),
    );
    expect(error.message).toBe(
      '2 validation errors detected: ' +
        "Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100; " +
        "Value 'Size' at 'sortBy' failed to satisfy constraint: Member must satisfy enum value set: [Name, CreationTime]",
    );
  });

  it('list length, and list members named tags.N.member.key', async () => {
    const parameters = Array.from({ length: 201 }, (_, i) => ({ Name: `p${i}`, Value: 'v' }));
    const tooMany = await rejection(
      sagemaker(t.endpoint, ALICE).send(
        new StartPipelineExecutionCommand({ PipelineName: 'p', PipelineParameters: parameters }),
      ),
    );
    expect(tooMany.message).toMatch(
      /^1 validation error detected: Value '\[.*\]' at 'pipelineParameters' failed to satisfy constraint: Member must have length less than or equal to 200$/,
    );
    const badTag = await rejection(
      createPipeline({
        Tags: [
          { Key: 'ok', Value: 'v' },
          { Key: 'a'.repeat(129), Value: 'v' },
        ],
      }),
    );
    expect(badTag.message).toBe(
      `1 validation error detected: Value '${'a'.repeat(129)}' at 'tags.2.member.key' failed to satisfy constraint: Member must have length less than or equal to 128`,
    );
  });

  it('nested structures: productionVariants.1.member.variantName', async () => {
    const error = await rejection(
      sagemaker(t.endpoint, ALICE).send(
        new CreateEndpointConfigCommand({
          EndpointConfigName: 'c',
          ProductionVariants: [
            { VariantName: 'all_traffic', ModelName: 'm', InstanceType: 'ml.m5.large', InitialInstanceCount: 0 },
          ],
        }),
      ),
    );
    expect(error.message).toBe(
      '2 validation errors detected: ' +
        "Value '0' at 'productionVariants.1.member.initialInstanceCount' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
        "Value 'all_traffic' at 'productionVariants.1.member.variantName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
    );
  });

  it('a value of the wrong type, or a member the model lacks, cannot be read: SerializationException', async () => {
    const wrongType = await sagemakerRaw('ListPipelines', { MaxResults: 'ten' });
    expect(wrongType).toMatchObject({ status: 400, body: { __type: 'SerializationException' } });
    expect(wrongType.body.message).toBe('STRING_VALUE can not be converted to Integer');
    const unknown = await sagemakerRaw('ListPipelines', { Colour: 'blue' });
    expect(unknown).toMatchObject({ status: 400, body: { __type: 'SerializationException' } });
    expect(unknown.body.message).toMatch(/^Unrecognized field "Colour"/);
  });

  it('a refused request never reaches the handler: nothing was created', async () => {
    await rejection(createPipeline({ PipelineName: 'x'.repeat(257) }));
    const listed = await sagemaker(t.endpoint, ALICE).send(new ListPipelinesCommand({}));
    expect(listed.PipelineSummaries).toEqual([]);
    const calls = await t.admin.calls();
    expect(calls.find((c) => c.operation === 'CreatePipeline')).toMatchObject({ errorCode: 'ValidationException' });
  });
});

describe('awsJson1_1, services with codes of their own', () => {
  it('CloudWatch Logs: InvalidParameterException in the counted wording', async () => {
    const error = await rejection(
      logs(t.endpoint, ALICE).send(new CreateLogGroupCommand({ logGroupName: 'bad name!' })),
    );
    expect(error.name).toBe('InvalidParameterException');
    expect(error.message).toBe(
      "1 validation error detected: Value 'bad name!' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
    );
    const limit = await rejection(
      logs(t.endpoint, ALICE).send(new GetLogEventsCommand({ logGroupName: 'g', logStreamName: 's', limit: 0 })),
    );
    expect(limit.message).toBe(
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });

  it("ECR: InvalidParameterException, \"Invalid parameter at '…' failed to satisfy constraint: '…'\"", async () => {
    const short = await rejection(ecr().send(new CreateRepositoryCommand({ repositoryName: 'a' })));
    expect(short.name).toBe('InvalidParameterException');
    expect(short.message).toBe(
      "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must have length greater than or equal to 2'",
    );
    const upper = await rejection(ecr().send(new CreateRepositoryCommand({ repositoryName: 'Team/Repo' })));
    expect(upper.message).toBe(
      "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(\\/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*''",
    );
  });
});

describe('awsQuery (STS): ValidationError', () => {
  it('length and range', async () => {
    const error = await rejection(
      sts(t.endpoint, ALICE).send(
        new AssumeRoleCommand({ RoleArn: ROLE.hub, RoleSessionName: 'a', DurationSeconds: 100 }),
      ),
    );
    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe(
      '2 validation errors detected: ' +
        "Value '100' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900; " +
        "Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
    );
  });

  it('patterns with \\p{…} classes match as Java does (the u flag): a Cyrillic tag key passes, "!" does not', async () => {
    const out = await sts(t.endpoint, ALICE).send(
      new AssumeRoleCommand({
        RoleArn: ROLE.hub,
        RoleSessionName: 'tagged',
        Tags: [{ Key: 'ключ', Value: 'значение' }],
      }),
    );
    expect(out.Credentials?.AccessKeyId).toBeDefined();
    const error = await rejection(
      sts(t.endpoint, ALICE).send(
        new AssumeRoleCommand({ RoleArn: ROLE.hub, RoleSessionName: 'tagged', Tags: [{ Key: 'ключ!', Value: 'v' }] }),
      ),
    );
    expect(error.message).toBe(
      "1 validation error detected: Value 'ключ!' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+",
    );
  });

  it('a missing required parameter and a non-number, as raw query calls', async () => {
    const missing = await stsRaw({ Action: 'AssumeRole', RoleSessionName: 'raw' });
    expect(missing.status).toBe(400);
    expect(missing.body).toContain('<Code>ValidationError</Code>');
    expect(missing.body).toContain(
      '1 validation error detected: Value null at &#39;roleArn&#39; failed to satisfy constraint: Member must not be null',
    );
    const notNumber = await stsRaw({
      Action: 'AssumeRole',
      RoleArn: ROLE.hub,
      RoleSessionName: 'raw',
      DurationSeconds: 'long',
    });
    expect(notNumber.body).toContain('<Code>MalformedQueryString</Code>');
  });
});

describe('restXml (S3): the header or parameter S3 cannot accept', () => {
  it('an enum header outside its set: InvalidStorageClass / InvalidArgument', async () => {
    await s3().send(new CreateBucketCommand({ Bucket: 'defs' }));
    const storage = await rejection(
      s3().send(new PutObjectCommand({ Bucket: 'defs', Key: 'k', Body: 'x', StorageClass: 'COLD' as StorageClass })),
    );
    expect(storage.name).toBe('InvalidStorageClass');
    expect(storage.message).toBe('The storage class you specified is not valid');
    const acl = await rejection(
      s3().send(new PutObjectCommand({ Bucket: 'defs', Key: 'k', Body: 'x', ACL: 'everyone' as 'private' })),
    );
    expect(acl.name).toBe('InvalidArgument');
    expect(acl).toMatchObject({ ArgumentName: 'x-amz-acl', ArgumentValue: 'everyone' });
  });

  it('a query parameter of the wrong type', async () => {
    await s3().send(new CreateBucketCommand({ Bucket: 'defs' }));
    const answer = await s3Get('/defs/k?partNumber=one');
    expect(answer.body).toContain('<Code>InvalidArgument</Code>');
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('<Message>Provided partNumber not an integer or within integer range</Message>');
    expect(answer.body).toContain('<ArgumentName>partNumber</ArgumentName>');
  });
});

describe('restJson1 (SageMaker Runtime): ValidationError, counted', () => {
  it('a header member over its length (sensitive: its value not quoted) and an endpoint name breaking its pattern', async () => {
    const runtime = new SageMakerRuntimeClient({ region: 'us-east-1', endpoint: t.endpoint, credentials: ALICE });
    const refused = await rejection(
      runtime.send(
        new InvokeEndpointCommand({ EndpointName: 'bad_name', Body: '1', CustomAttributes: 'x'.repeat(1025) }),
      ),
    );
    runtime.destroy();
    expect(refused.name).toBe('ValidationError');
    expect(refused.message).toMatch(
      /^2 validation errors detected: Value at 'customAttributes' failed to satisfy constraint: Member must have length less than or equal to 1024; Value 'bad_name' at 'endpointName' failed to satisfy constraint: Member must satisfy regular expression pattern: /,
    );
  });
});

describe('the models the emulator serves from', () => {
  it('every operation of every service the emulator serves is in that service’s published model', () => {
    const missing: string[] = [];
    for (const service of builtInServices({} as OidcIssuer)) {
      const model = serviceModel(service.name);
      expect(model, service.name).toBeDefined();
      for (const operation of Object.keys(service.operations))
        if (!model?.operations[operation]) missing.push(`${service.name}:${operation}`);
    }
    expect(missing).toEqual([]);
  });

  it('turns Java spellings into JavaScript `u`-mode patterns', () => {
    const table: [string, string][] = [
      ['[\\w-_]*', '[\\w\\-_]*'],
      ['[a-zA-Z0-9\\_\\-]+', '[a-zA-Z0-9_\\-]+'],
      ['[a-z]+\\-[0-9a-z\\-]+', '[a-z]+-[0-9a-z\\-]+'],
      ['([\\p{L}\\p{Z}]*)${1,128}', '([\\p{L}\\p{Z}]*)$'],
      ['\\A\\S[\\p{Print}]*\\z', '^\\S[\\x20-\\x7E]*$'],
      ['arn:[\\p{Alnum}\\-]+', 'arn:[a-zA-Z0-9\\-]+'],
      ['^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}', '^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}'],
    ];
    for (const [java, js] of table) {
      expect(javaPatternToJs(java), java).toBe(js);
      expect(() => new RegExp(js, 'u')).not.toThrow();
    }
  });
});

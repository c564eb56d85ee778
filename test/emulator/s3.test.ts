/** The emulator's S3 through the real S3 client, and SageMaker reading definitions from it. */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  CreateBucketCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import {
  CreatePipelineCommand,
  DescribePipelineCommand,
  ListPipelineExecutionStepsCommand,
  StartPipelineExecutionCommand,
  UpdatePipelineCommand,
} from '@aws-sdk/client-sagemaker';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { s3 as s3Client, sagemaker } from '../../testkit/clients.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { rejection } from '../../testkit/requests.ts';
import { definition, PIPELINE_ROLE, token, training } from '../../testkit/sagemaker.ts';
import { type Keys } from '../../testkit/worlds/accounts.ts';
import { ALICE, MALLORY, prodKeys, world } from '../../testkit/worlds/emulator-tests.ts';

const t = useEmulator(world);
const REGION = 'us-east-1';
const s3 = (credentials: Keys = ALICE, region = REGION): S3Client => s3Client(t.endpoint, credentials, { region });

async function bucket(name: string, options: { versioned?: boolean; credentials?: Keys } = {}): Promise<void> {
  const client = s3(options.credentials);
  await client.send(new CreateBucketCommand({ Bucket: name }));
  if (options.versioned)
    await client.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }));
}

async function read(client: S3Client, Bucket: string, Key: string, VersionId?: string): Promise<string> {
  const got = await client.send(new GetObjectCommand({ Bucket, Key, VersionId }));
  return (await got.Body?.transformToString()) ?? '';
}

describe('S3 objects', () => {
  it('puts and gets objects, with keys that need escaping, in an unversioned bucket', async () => {
    await bucket('plain');
    const client = s3();
    const key = 'pipelines/a b+c~é.json';
    const put = await client.send(
      new PutObjectCommand({ Bucket: 'plain', Key: key, Body: '{"a":1}', ContentType: 'application/json' }),
    );
    expect(put.ETag).toBe(`"${createHash('md5').update('{"a":1}').digest('hex')}"`);
    expect(put.VersionId).toBeUndefined();
    expect(await read(client, 'plain', key)).toBe('{"a":1}');
    const head = await client.send(new HeadObjectCommand({ Bucket: 'plain', Key: key }));
    expect(head).toMatchObject({ ContentLength: 7, ContentType: 'application/json', ETag: put.ETag });
    // Unversioned: a second put replaces the object.
    await client.send(new PutObjectCommand({ Bucket: 'plain', Key: key, Body: '{"a":2}' }));
    expect(await read(client, 'plain', key)).toBe('{"a":2}');
  });

  it('keeps every version once versioning is enabled and returns each by VersionId', async () => {
    await bucket('versioned', { versioned: true });
    const client = s3();
    expect((await client.send(new GetBucketVersioningCommand({ Bucket: 'versioned' }))).Status).toBe('Enabled');
    const first = await client.send(new PutObjectCommand({ Bucket: 'versioned', Key: 'k', Body: 'one' }));
    const second = await client.send(new PutObjectCommand({ Bucket: 'versioned', Key: 'k', Body: 'two' }));
    expect(first.VersionId).toMatch(/^[\w.]{32}$/);
    expect(second.VersionId).not.toBe(first.VersionId);
    expect(await read(client, 'versioned', 'k', first.VersionId)).toBe('one');
    expect(await read(client, 'versioned', 'k')).toBe('two');
    const head = await client.send(new HeadObjectCommand({ Bucket: 'versioned', Key: 'k' }));
    expect(head.VersionId).toBe(second.VersionId);
    const missing = await rejection(
      client.send(new GetObjectCommand({ Bucket: 'versioned', Key: 'k', VersionId: 'x'.repeat(32) })),
    );
    expect(missing.name).toBe('NoSuchVersion');
  });

  it('takes streamed uploads (aws-chunked with a trailing checksum) and checks checksums', async () => {
    await bucket('streams');
    const client = s3();
    const body = Readable.from([Buffer.from('hello '), Buffer.from('world')]);
    await client.send(new PutObjectCommand({ Bucket: 'streams', Key: 's', Body: body, ContentLength: 11 }));
    // The checksum given at upload comes back with checksum mode on, and the client verifies it.
    const got = await client.send(new GetObjectCommand({ Bucket: 'streams', Key: 's', ChecksumMode: 'ENABLED' }));
    expect(await got.Body?.transformToString()).toBe('hello world');
    expect(got.ChecksumCRC32).toBeDefined();

    const wrong = await rejection(
      client.send(new PutObjectCommand({ Bucket: 'streams', Key: 'bad', Body: 'data', ChecksumCRC32: 'AAAAAA==' })),
    );
    expect(wrong.name).toBe('BadDigest');
    expect(wrong.$metadata?.httpStatusCode).toBe(400);
  });

  it('answers missing buckets, keys and other accounts the way S3 does', async () => {
    await bucket('mine');
    const client = s3();
    const noBucket = await rejection(client.send(new GetObjectCommand({ Bucket: 'nobody', Key: 'k' })));
    expect(noBucket.name).toBe('NoSuchBucket');
    expect(noBucket.$metadata?.httpStatusCode).toBe(404);
    expect((noBucket as { BucketName?: string }).BucketName).toBe('nobody');
    const noKey = await rejection(client.send(new GetObjectCommand({ Bucket: 'mine', Key: 'missing.json' })));
    expect(noKey.name).toBe('NoSuchKey');
    // HEAD answers carry no body: the client goes by the status alone.
    const noHead = await rejection(client.send(new HeadObjectCommand({ Bucket: 'mine', Key: 'missing.json' })));
    expect(noHead.name).toBe('NotFound');
    expect(noHead.$metadata?.httpStatusCode).toBe(404);

    const prod = s3(await prodKeys(t.endpoint));
    const denied = await rejection(prod.send(new PutObjectCommand({ Bucket: 'mine', Key: 'k', Body: 'x' })));
    expect(denied.name).toBe('AccessDenied');
    expect(denied.$metadata?.httpStatusCode).toBe(403);
    expect(denied.message).toMatch(/is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::mine\/k"/);
    const taken = await rejection(prod.send(new CreateBucketCommand({ Bucket: 'mine' })));
    expect(taken.name).toBe('BucketAlreadyExists');
    const badName = await rejection(client.send(new CreateBucketCommand({ Bucket: 'Not_Valid' })));
    expect(badName.name).toBe('InvalidBucketName');
  });

  it('refuses a request signed for another region than the bucket', async () => {
    await s3(ALICE, 'eu-west-1').send(new CreateBucketCommand({ Bucket: 'in-ireland' }));
    const wrong = await rejection(s3().send(new PutObjectCommand({ Bucket: 'in-ireland', Key: 'k', Body: 'x' })));
    expect(wrong.name).toBe('AuthorizationHeaderMalformed');
    expect(wrong.message).toMatch(/the region 'us-east-1' is wrong; expecting 'eu-west-1'/);
  });

  it('verifies signatures and rejects unsigned requests', async () => {
    await bucket('signed');
    const forged = await rejection(
      s3({ accessKeyId: ALICE.accessKeyId, secretAccessKey: MALLORY.secretAccessKey }).send(
        new PutObjectCommand({ Bucket: 'signed', Key: 'k', Body: 'x' }),
      ),
    );
    expect(forged.name).toBe('SignatureDoesNotMatch');
    expect(forged.$metadata?.httpStatusCode).toBe(403);
    const unknown = await rejection(
      s3({ accessKeyId: 'AKIANOBODY0000000000', secretAccessKey: 'x'.repeat(40) }).send(
        new GetObjectCommand({ Bucket: 'signed', Key: 'k' }),
      ),
    );
    expect(unknown.name).toBe('InvalidAccessKeyId');

    // A body other than the one signed: S3 compares it with x-amz-content-sha256 first.
    const url = new URL(t.endpoint);
    const signer = new SignatureV4({
      credentials: ALICE,
      region: REGION,
      service: 's3',
      sha256: Hash.bind(null, 'sha256'),
    });
    const signed = await signer.sign(
      new HttpRequest({
        method: 'PUT',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: '/signed/k',
        headers: { host: url.host, 'x-amz-content-sha256': createHash('sha256').update('signed').digest('hex') },
        body: 'signed',
      }),
    );
    const headers = { ...signed.headers };
    delete headers['host'];
    const tampered = await fetch(`${t.endpoint}/signed/k`, { method: 'PUT', headers, body: 'tampered' });
    expect(tampered.status).toBe(400);
    expect(await tampered.text()).toContain('<Code>XAmzContentSHA256Mismatch</Code>');

    const anonymous = await fetch(`${t.endpoint}/signed/k`);
    expect(anonymous.status).toBe(403);
    expect(await anonymous.text()).toMatch(/<Error><Code>AccessDenied<\/Code><Message>Access Denied<\/Message>/);
  });

  it('records calls, PutObject as mutating and without its body', async () => {
    await bucket('logged');
    await t.admin.clearCalls();
    const client = s3();
    await client.send(new PutObjectCommand({ Bucket: 'logged', Key: 'k', Body: 'payload' }));
    await read(client, 'logged', 'k');
    await client.send(new HeadObjectCommand({ Bucket: 'logged', Key: 'k' }));
    const calls = await t.admin.calls();
    expect(calls.map((c) => [c.service, c.operation, c.mutating, c.status])).toEqual([
      ['s3', 'PutObject', true, 200],
      ['s3', 'GetObject', false, 200],
      ['s3', 'HeadObject', false, 200],
    ]);
    expect(calls[0]?.input).toEqual({ Bucket: 'logged', Key: 'k', ContentLength: 7 });
    expect(calls[0]?.account).toBe('111111111111');
  });
});

describe('SageMaker definitions from S3', () => {
  const steps = definition([training('Train'), training('Evaluate', { DependsOn: ['Train'] })]);

  async function upload(key: string, body: string): Promise<string | undefined> {
    const put = await s3().send(new PutObjectCommand({ Bucket: 'defs', Key: key, Body: body }));
    return put.VersionId;
  }

  it('reads the definition at create and update, describes it and runs its steps', async () => {
    await bucket('defs', { versioned: true });
    const v1 = await upload('p.json', steps);
    const client = sagemaker(t.endpoint, ALICE);
    await client.send(
      new CreatePipelineCommand({
        PipelineName: 'from-s3',
        RoleArn: PIPELINE_ROLE,
        PipelineDefinitionS3Location: { Bucket: 'defs', ObjectKey: 'p.json', VersionId: v1 },
      }),
    );
    // Overwriting the object does not change the pipeline: SageMaker copied it at create.
    await upload('p.json', definition([training('Other')]));
    const described = await client.send(new DescribePipelineCommand({ PipelineName: 'from-s3' }));
    expect(JSON.parse(described.PipelineDefinition ?? 'null')).toEqual(JSON.parse(steps));

    const started = await client.send(
      new StartPipelineExecutionCommand({ PipelineName: 'from-s3', ClientRequestToken: token('s3-run') }),
    );
    await t.admin.advanceClock(30 * 60_000);
    const ran = await client.send(
      new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: started.PipelineExecutionArn }),
    );
    expect(ran.PipelineExecutionSteps?.map((s) => [s.StepName, s.StepStatus]).sort()).toEqual([
      ['Evaluate', 'Succeeded'],
      ['Train', 'Succeeded'],
    ]);

    // Without a VersionId the latest object is read.
    await client.send(
      new UpdatePipelineCommand({
        PipelineName: 'from-s3',
        PipelineDefinitionS3Location: { Bucket: 'defs', ObjectKey: 'p.json' },
      }),
    );
    const updated = await client.send(new DescribePipelineCommand({ PipelineName: 'from-s3' }));
    expect(JSON.parse(updated.PipelineDefinition ?? 'null').Steps.map((s: { Name: string }) => s.Name)).toEqual([
      'Other',
    ]);
  });

  it('fails like SageMaker when the object is missing, invalid or in another account', async () => {
    await bucket('defs');
    await upload('broken.json', definition([training('A', { DependsOn: ['Nope'] })]));
    const create = (key: string, credentials?: Keys) =>
      rejection(
        sagemaker(t.endpoint, credentials ?? ALICE).send(
          new CreatePipelineCommand({
            PipelineName: 'p',
            RoleArn: PIPELINE_ROLE,
            PipelineDefinitionS3Location: { Bucket: 'defs', ObjectKey: key },
          }),
        ),
      );
    const missing = await create('missing.json');
    expect(missing.name).toBe('ValidationException');
    expect(missing.message).toMatch(/s3:\/\/defs\/missing\.json: NoSuchKey/);
    const invalid = await create('broken.json');
    expect(invalid.name).toBe('ValidationException');
    expect(invalid.message).toMatch(/Nope/);
    const foreign = await create('broken.json', await prodKeys(t.endpoint));
    expect(foreign.name).toBe('ValidationException');
    expect(foreign.message).toMatch(/AccessDenied/);
  });
});

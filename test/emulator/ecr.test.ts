/**
 * The emulator's ECR control plane against real Distribution registries: what
 * DescribeImages, BatchGetImage and PutImage say is what the registry holds, and the
 * authorization token logs in to the account's own registry only.
 */
import type { ECRClient } from '@aws-sdk/client-ecr';
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorAdmin, World } from '../../emulator/admin-client.ts';
import { startLocalRegistry, type LocalRegistry } from '../../emulator/services/ecr/local-registry.ts';
import { RegistryAuthError, RegistryClient } from '../../src/build-push-image/registry-client.ts';
import { ecr as ecrClient } from '../../testkit/clients.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { pushImage, pushIndex, registryClient } from '../../testkit/images.ts';
import { rejection } from '../../testkit/requests.ts';
import { DEV as A, type Keys, PROD as B, REGISTRY as C } from '../../testkit/worlds/accounts.ts';

const KEYS = {
  a: { accessKeyId: 'AKIAECRTESTA00000001', secretAccessKey: 'ecr/test/secret/key/for/account/a/000001' },
  b: { accessKeyId: 'AKIAECRTESTB00000001', secretAccessKey: 'ecr/test/secret/key/for/account/b/000001' },
  c: { accessKeyId: 'AKIAECRTESTC00000001', secretAccessKey: 'ecr/test/secret/key/for/account/c/000001' },
};
const world: World = {
  authorization: 'allow-all',
  accounts: [
    { id: A, users: [{ name: 'ci', ...KEYS.a }] },
    { id: B, users: [{ name: 'ci', ...KEYS.b }] },
    { id: C, users: [{ name: 'ci', ...KEYS.c }] },
  ],
};

const emulator = useEmulator(world);
let admin: EmulatorAdmin;
let registryA: LocalRegistry;
let registryB: LocalRegistry;

const ecr = (keys: Keys, region = 'eu-west-1'): ECRClient => ecrClient(emulator.endpoint, keys, { region });

beforeAll(async () => {
  [registryA, registryB] = await Promise.all([startLocalRegistry(), startLocalRegistry()]);
  admin = emulator.admin;
  for (const [account, registry] of [
    [A, registryA],
    [B, registryB],
  ] as const) {
    await admin.setEcrRegistry({ account, endpoint: registry.endpoint, password: registry.password });
  }
});
afterAll(async () => {
  await Promise.all([registryA?.stop(), registryB?.stop()]);
});

describe('ECR authorization', () => {
  it('hands out the account registry password as AWS:<password> with the registry as proxy endpoint', async () => {
    const { authorizationData } = await ecr(KEYS.a).send(new GetAuthorizationTokenCommand({}));
    const [data] = authorizationData ?? [];
    expect(data?.proxyEndpoint).toBe(registryA.endpoint);
    const decoded = Buffer.from(data!.authorizationToken!, 'base64').toString();
    expect(decoded).toBe(`AWS:${registryA.password}`);
    expect(data!.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 11 * 3600 * 1000);

    const [username, password] = decoded.split(/:(.*)/s) as [string, string];
    await new RegistryClient({ scheme: 'http:', host: registryA.host }, { username, password }).ping();
    // Account A's token is no key to account B's registry.
    const crossed = await rejection(
      new RegistryClient({ scheme: 'http:', host: registryB.host }, { username, password }).ping(),
    );
    expect(crossed).toBeInstanceOf(RegistryAuthError);
  });

  it('gives an account without a registry an AWS-shaped endpoint, and lists backings without passwords', async () => {
    const { authorizationData } = await ecr(KEYS.c, 'us-east-2').send(new GetAuthorizationTokenCommand({}));
    expect(authorizationData?.[0]?.proxyEndpoint).toBe(`https://${C}.dkr.ecr.us-east-2.amazonaws.com`);
    const backings = await admin.ecrRegistries();
    expect(backings.map((b) => [b.account, b.endpoint, b.password])).toEqual([
      [A, registryA.endpoint, '***'],
      [B, registryB.endpoint, '***'],
    ]);
    await expect(admin.setEcrRegistry({ account: '12', endpoint: 'x', password: 'p' })).rejects.toThrow(/400.*account/);
  });
});

describe('ECR repositories', () => {
  it('creates repositories per account with the registry host in the URI and the requested settings', async () => {
    const created = await ecr(KEYS.a).send(
      new CreateRepositoryCommand({
        repositoryName: 'ml/train',
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: { encryptionType: 'KMS' },
      }),
    );
    expect(created.repository).toMatchObject({
      repositoryName: 'ml/train',
      registryId: A,
      repositoryUri: `${registryA.host}/ml/train`,
      repositoryArn: `arn:aws:ecr:eu-west-1:${A}:repository/ml/train`,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: 'KMS', kmsKey: `arn:aws:kms:eu-west-1:${A}:alias/aws/ecr` },
    });
    const again = await rejection(ecr(KEYS.a).send(new CreateRepositoryCommand({ repositoryName: 'ml/train' })));
    expect(again.name).toBe('RepositoryAlreadyExistsException');

    const described = await ecr(KEYS.a).send(new DescribeRepositoriesCommand({ repositoryNames: ['ml/train'] }));
    expect(described.repositories?.map((r) => r.repositoryUri)).toEqual([`${registryA.host}/ml/train`]);
    // Other accounts and regions do not see it.
    const elsewhere = await rejection(
      ecr(KEYS.b).send(new DescribeRepositoriesCommand({ repositoryNames: ['ml/train'] })),
    );
    expect(elsewhere.name).toBe('RepositoryNotFoundException');
    expect(elsewhere.message).toBe(`The repository with name 'ml/train' does not exist in the registry with id '${B}'`);
    const otherRegion = await ecr(KEYS.a, 'us-east-1').send(new DescribeRepositoriesCommand({}));
    expect(otherRegion.repositories).toEqual([]);
  });

  it('refuses names ECR refuses', async () => {
    for (const repositoryName of ['Upper', 'a', 'trailing/', 'double//slash']) {
      const error = await rejection(ecr(KEYS.a).send(new CreateRepositoryCommand({ repositoryName })));
      expect(error.name).toBe('InvalidParameterException');
    }
  });
});

describe('ECR images read from the registry', () => {
  it('describes and returns exactly the manifest the registry holds', async () => {
    const client = ecr(KEYS.a);
    await client.send(new CreateRepositoryCommand({ repositoryName: 'serve' }));
    const image = await pushImage(registryClient(registryA), 'serve', { layers: [3000, 500], tag: 'v1' });

    const { imageDetails } = await client.send(
      new DescribeImagesCommand({ repositoryName: 'serve', imageIds: [{ imageTag: 'v1' }] }),
    );
    expect(imageDetails).toHaveLength(1);
    expect(imageDetails![0]).toMatchObject({
      registryId: A,
      repositoryName: 'serve',
      imageDigest: image.digest,
      imageTags: ['v1'],
      imageSizeInBytes: 3500,
      imageManifestMediaType: image.mediaType,
      artifactMediaType: 'application/vnd.docker.container.image.v1+json',
    });

    const batch = await client.send(
      new BatchGetImageCommand({
        repositoryName: 'serve',
        imageIds: [{ imageDigest: image.digest }, { imageTag: 'missing' }],
      }),
    );
    expect(batch.images?.[0]?.imageManifest).toBe(image.body.toString());
    expect(batch.images?.[0]?.imageId).toEqual({ imageDigest: image.digest });
    expect(batch.failures).toEqual([
      { imageId: { imageTag: 'missing' }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' },
    ]);

    const notAccepted = await client.send(
      new BatchGetImageCommand({
        repositoryName: 'serve',
        imageIds: [{ imageTag: 'v1' }],
        acceptedMediaTypes: ['application/vnd.oci.image.manifest.v1+json'],
      }),
    );
    expect(notAccepted.failures?.[0]?.failureCode).toBe('UnsupportedImageType');

    const missing = await rejection(
      client.send(new DescribeImagesCommand({ repositoryName: 'serve', imageIds: [{ imageTag: 'v2' }] })),
    );
    expect(missing.name).toBe('ImageNotFoundException');
  });

  it('reports an index with its media type and the size of its largest image', async () => {
    const client = ecr(KEYS.a);
    await client.send(new CreateRepositoryCommand({ repositoryName: 'multi' }));
    const index = await pushIndex(registryClient(registryA), 'multi', {
      architectures: ['amd64', 'arm64'],
      ownLayers: [100],
      format: 'oci',
      tag: 'both',
    });
    const { imageDetails } = await client.send(new DescribeImagesCommand({ repositoryName: 'multi' }));
    expect(imageDetails).toEqual([
      expect.objectContaining({
        imageDigest: index.digest,
        imageTags: ['both'],
        imageManifestMediaType: 'application/vnd.oci.image.index.v1+json',
        imageSizeInBytes: 100,
      }),
    ]);
  });

  it('PutImage tags in the registry, and refuses what ECR refuses', async () => {
    const client = ecr(KEYS.a);
    await client.send(new CreateRepositoryCommand({ repositoryName: 'locked', imageTagMutability: 'IMMUTABLE' }));
    const registry = registryClient(registryA);
    const first = await pushImage(registry, 'locked', { layers: [64], tag: 'v1' });
    const second = await pushImage(registry, 'locked', { layers: [64] });

    const put = await client.send(
      new PutImageCommand({ repositoryName: 'locked', imageManifest: first.body.toString(), imageTag: 'stable' }),
    );
    expect(put.image?.imageId).toEqual({ imageDigest: first.digest, imageTag: 'stable' });
    expect(await registry.headManifest('locked', 'stable')).toBe(first.digest);

    const moved = await rejection(
      client.send(
        new PutImageCommand({ repositoryName: 'locked', imageManifest: second.body.toString(), imageTag: 'v1' }),
      ),
    );
    expect(moved.name).toBe('ImageTagAlreadyExistsException');
    expect(await registry.headManifest('locked', 'v1')).toBe(first.digest);

    const same = await rejection(
      client.send(
        new PutImageCommand({ repositoryName: 'locked', imageManifest: first.body.toString(), imageTag: 'v1' }),
      ),
    );
    expect(same.name).toBe('ImageAlreadyExistsException');

    const orphan = JSON.parse(first.body.toString()) as { layers: { digest: string }[] };
    orphan.layers[0]!.digest = `sha256:${'0'.repeat(64)}`;
    const noLayers = await rejection(
      client.send(
        new PutImageCommand({ repositoryName: 'locked', imageManifest: JSON.stringify(orphan), imageTag: 'x' }),
      ),
    );
    expect(noLayers.name).toBe('LayersNotFoundException');

    const calls = await admin.calls();
    expect(calls.filter((c) => c.operation === 'PutImage').map((c) => c.mutating)).toEqual([true, true, true, true]);
  });
});

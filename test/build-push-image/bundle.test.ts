/**
 * build-push-image run as the runner runs it (node dist/…/index.js, then post.js) against
 * the emulator, whose ECR is backed by real docker-registry processes (htpasswd basic auth,
 * one per account), with real builds by a private dockerd and by buildah.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRegistry, type LocalRegistry } from '../../emulator/services/ecr/local-registry.ts';
import { DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, OCI_MANIFEST } from '../../src/build-push-image/media-types.ts';
import type { RegistryClient } from '../../src/build-push-image/registry-client.ts';
import { buildahStorage, type BuildahStorage, type Dockerd, startDockerd } from '../../testkit/container-tools.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { DEFAULT_RUN_FACTS } from '../../local-runner/run-facts.ts';
import { pushImage, pushIndex, registryClient } from '../../testkit/images.ts';
import { testJob } from '../../testkit/jobs.ts';
import { startTokenRegistry } from '../../testkit/token-registry.ts';
import { DEV, PROD, REGISTRY } from '../../testkit/worlds/accounts.ts';
import { accountsWorld, BOOTSTRAP_KEYS, OPERATOR_KEYS, ROLES } from '../../testkit/worlds/actions.ts';
import type { SimulatedJob } from '../../local-runner/job.ts';
import { type JobOptions, type StepResult } from '../../local-runner/job.ts';

const ACTION = 'build-push-image';
const SHA = DEFAULT_RUN_FACTS.sha;
const DOCKERFILE = `FROM scratch AS serve
ARG MODEL_VERSION=none
COPY model.txt /opt/ml/model/model.txt
LABEL stage=serve model.version=$MODEL_VERSION

FROM serve AS final
LABEL stage=final
`;

const emulator = useEmulator(accountsWorld);
let dev: LocalRegistry;
let prod: LocalRegistry;
let dockerd: Dockerd;
let buildah: BuildahStorage;
let profilesDir: string;

beforeAll(async () => {
  [dev, prod, dockerd] = await Promise.all([startLocalRegistry(), startLocalRegistry(), startDockerd()]);
  buildah = buildahStorage();
  await emulator.admin.setEcrRegistry({ account: DEV, endpoint: dev.endpoint, password: dev.password });
  await emulator.admin.setEcrRegistry({ account: PROD, endpoint: prod.endpoint, password: prod.password });
  // The registry account's ECR points at prod's registry with a password that registry does not take.
  await emulator.admin.setEcrRegistry({ account: REGISTRY, endpoint: prod.endpoint, password: 'not-the-password' });

  profilesDir = mkdtempSync(join(tmpdir(), 'bpi-profiles-'));
  const section = (name: string, keys: { accessKeyId: string; secretAccessKey: string }): string =>
    `[${name}]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`;
  writeFileSync(
    join(profilesDir, 'credentials'),
    [
      section('dev', BOOTSTRAP_KEYS),
      section('prod', OPERATOR_KEYS.prod),
      section('registry', OPERATOR_KEYS.registry),
      section('stale', { accessKeyId: 'AKIAEXAMPLESTALE0001', secretAccessKey: 'x'.repeat(40) }),
    ].join('\n'),
    { mode: 0o600 },
  );
  writeFileSync(join(profilesDir, 'config'), '', { mode: 0o600 });
}, 90_000);

afterAll(async () => {
  buildah?.remove();
  if (profilesDir) rmSync(profilesDir, { recursive: true, force: true });
  await Promise.all([dev?.stop(), prod?.stop(), dockerd?.stop()]);
}, 60_000);

/** A job on this machine's tools; `staticProfiles` points the SDK at the test's credentials file. */
function job(options: { staticProfiles?: boolean } & Omit<JobOptions, 'emulator'> = {}): SimulatedJob {
  const { staticProfiles = true, env, ...rest } = options;
  return testJob(emulator.endpoint, {
    ...rest,
    env: {
      AWS_REGION: 'eu-west-1',
      DOCKER_HOST: dockerd.host,
      ...buildah.env,
      ...(staticProfiles
        ? {
            AWS_SHARED_CREDENTIALS_FILE: join(profilesDir, 'credentials'),
            AWS_CONFIG_FILE: join(profilesDir, 'config'),
          }
        : {}),
      ...env,
    },
  });
}

function workspaceFiles(target: SimulatedJob, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    const path = join(target.workspace, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
}

async function imageConfig(
  client: RegistryClient,
  repository: string,
  digest: string,
): Promise<{ config: { Labels: Record<string, string> } }> {
  const manifest = await client.getManifest(repository, digest);
  const configDigest = (JSON.parse(manifest!.body.toString()) as { config: { digest: string } }).config.digest;
  const blob = await client.getBlob(repository, configDigest);
  return JSON.parse(await new Response(blob.body).text()) as { config: { Labels: Record<string, string> } };
}

function writesTo(registry: LocalRegistry): string[] {
  return registry
    .requests()
    .filter((r) => r.method !== 'GET' && r.method !== 'HEAD')
    .map((r) => `${r.method} ${r.path}`);
}

/** Waits for the registry's access log to catch up with requests already answered. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 150));
}

/** Every occurrence of a secret in the step's stdout comes right after ::add-mask::, and it is nowhere else. */
function expectMasked(step: StepResult, secrets: string[]): void {
  for (const secret of secrets) {
    let from = step.stdout.indexOf(secret);
    expect(from).toBeGreaterThan(0);
    while (from >= 0) {
      expect(step.stdout.slice(from - '::add-mask::'.length, from)).toBe('::add-mask::');
      from = step.stdout.indexOf(secret, from + 1);
    }
    expect(step.stderr).not.toContain(secret);
    for (const text of Object.values(step.files)) expect(text).not.toContain(secret);
  }
}

function tokenOf(registry: LocalRegistry): string {
  return Buffer.from(`AWS:${registry.password}`).toString('base64');
}

async function mutatingCalls(): Promise<string[]> {
  return (await emulator.admin.calls()).filter((call) => call.mutating).map((call) => call.operation);
}

describe('build-push-image builds and pushes with real tools', () => {
  it('builds with docker, pushes with basic auth, and reads back the digest and a schema-2 media type', async () => {
    const build = job();
    workspaceFiles(build, { Dockerfile: DOCKERFILE, 'model.txt': 'weights v1' });
    const step = await build.step(ACTION, {
      inputs: { repository: 'ml/serve', 'aws-profile': 'dev', 'build-args': 'MODEL_VERSION=1.2.3' },
    });
    expect(step.errors).toEqual([]);
    expect(step.exitCode).toBe(0);
    expect(step.stdout).toContain('[command] docker build');

    const digest = step.outputs['digest']!;
    expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(step.outputs).toMatchObject({
      'image-uri': `${dev.host}/ml/serve@${digest}`,
      'repository-uri': `${dev.host}/ml/serve`,
      tags: SHA,
      'media-type': DOCKER_MANIFEST,
      result: 'built',
    });
    expect(Number(step.outputs['image-size'])).toBeGreaterThan(0);

    // What the registry holds: the tag names that digest, and the image is the one built.
    const registry = registryClient(dev);
    expect(await registry.headManifest('ml/serve', SHA)).toBe(digest);
    const config = await imageConfig(registry, 'ml/serve', digest);
    expect(config.config.Labels).toMatchObject({
      stage: 'final',
      'model.version': '1.2.3',
      'org.opencontainers.image.revision': SHA,
      'org.opencontainers.image.source': 'https://github.com/example-org/ml-pipelines',
    });

    const calls = await emulator.admin.calls();
    const create = calls.find((call) => call.operation === 'CreateRepository');
    expect(create?.input).toMatchObject({
      repositoryName: 'ml/serve',
      imageTagMutability: 'MUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
    });
    expect(calls.every((call) => call.account === DEV)).toBe(true);

    // The credentials: masked first, never on a command line, gone when the step ends.
    expectMasked(step, [dev.password, tokenOf(dev)]);
    const folder = step.state['registry-auth-folder']!;
    expect(folder.startsWith(build.runnerTemp)).toBe(true);
    expect(existsSync(folder)).toBe(false);
    expect(step.summary).toContain('Image ml/serve: built and pushed');
    expect(step.summary).toContain(digest);
  });

  it('builds with buildah: build-target stage, extra tags, docker media types', async () => {
    const build = job();
    workspaceFiles(build, { 'images/serve/Dockerfile': DOCKERFILE, 'images/serve/model.txt': 'weights v2' });
    const step = await build.step(ACTION, {
      inputs: {
        repository: 'ml/train',
        'aws-profile': 'dev',
        builder: 'buildah',
        context: 'images/serve',
        'build-target': 'serve',
        tags: 'latest, v2',
        labels: 'team=ml-platform',
      },
    });
    expect(step.errors).toEqual([]);
    expect(step.stdout).toContain('[command] buildah build');
    const digest = step.outputs['digest']!;
    expect(step.outputs['tags']).toBe(`${SHA},latest,v2`);
    expect(step.outputs['media-type']).toBe(DOCKER_MANIFEST);

    const registry = registryClient(dev);
    for (const tag of [SHA, 'latest', 'v2']) expect(await registry.headManifest('ml/train', tag)).toBe(digest);
    const manifest = await registry.getManifest('ml/train', digest);
    expect(manifest?.mediaType).toBe(DOCKER_MANIFEST);
    const config = await imageConfig(registry, 'ml/train', digest);
    expect(config.config.Labels).toMatchObject({ stage: 'serve', team: 'ml-platform', 'model.version': 'none' });

    // The extra tags went on through the registry (a manifest PUT per tag), so what ECR lists is what the registry has.
    await settle();
    const tagPuts = dev.requests().filter((r) => r.method === 'PUT' && /\/manifests\/(latest|v2)$/.test(r.path));
    expect(tagPuts.map((r) => r.status)).toEqual([201, 201]);
    expectMasked(step, [dev.password]);
  });

  it('skips the build when an immutable tag exists (if-exists: skip), and refuses fail/overwrite before building', async () => {
    const build = job();
    workspaceFiles(build, { Dockerfile: DOCKERFILE, 'model.txt': 'weights v3' });
    const inputs = {
      repository: 'ml/locked',
      'aws-profile': 'dev',
      builder: 'buildah',
      'image-tag-mutability': 'IMMUTABLE',
    };
    const first = await build.step(ACTION, { inputs });
    expect(first.outputs['result']).toBe('built');

    // A Dockerfile that cannot build: if anything built, the step would fail.
    workspaceFiles(build, { Dockerfile: 'FROM scratch\nCOPY missing.txt /missing.txt\n' });
    await emulator.admin.clearCalls();
    dev.clearRequests();
    const again = await build.step(ACTION, { inputs });
    expect(again.errors).toEqual([]);
    expect(again.exitCode).toBe(0);
    expect(again.outputs['result']).toBe('skipped');
    expect(again.outputs['digest']).toBe(first.outputs['digest']);
    expect(again.stdout).not.toContain('[command]');
    expect(again.summary).toContain('build skipped');
    expect(await mutatingCalls()).toEqual([]);
    await settle();
    expect(writesTo(dev)).toEqual([]);

    for (const [ifExists, message] of [
      ['fail', `already has tag ${SHA} (if-exists: fail)`],
      ['overwrite', 'its tags are immutable'],
    ] as const) {
      const refused = await build.step(ACTION, { inputs: { ...inputs, 'if-exists': ifExists } });
      expect(refused.exitCode).toBe(1);
      expect(refused.errors).toHaveLength(1);
      expect(refused.errors[0]).toContain(message);
      expect(refused.stdout).not.toContain('[command]');
    }
    expect(await mutatingCalls()).toEqual([]);
  });

  it('reads the pushed manifest back through ECR and refuses one SageMaker cannot pull', async () => {
    const build = job();
    workspaceFiles(build, { Dockerfile: DOCKERFILE, 'model.txt': 'weights v5' });
    const inputs = { repository: 'ml/oci', 'aws-profile': 'dev', builder: 'buildah' };
    // Not SageMaker-safe: buildah keeps its own default, OCI.
    const oci = await build.step(ACTION, { inputs: { ...inputs, 'sagemaker-safe': 'false' } });
    expect(oci.errors).toEqual([]);
    expect(oci.outputs['media-type']).toBe(OCI_MANIFEST);

    const refused = await build.step(ACTION, { inputs });
    expect(refused.exitCode).toBe(1);
    expect(refused.errors).toHaveLength(1);
    expect(refused.errors[0]).toContain(
      `${dev.host}/ml/oci@${oci.outputs['digest']} as ECR holds it cannot be used by SageMaker`,
    );
    expect(refused.errors[0]).toContain('OCI image manifest');
    expect(refused.outputs).toEqual({});
  });

  it('a cancel during the build stops the builder, pushes nothing and removes the credentials', async () => {
    const build = job();
    workspaceFiles(build, { Dockerfile: DOCKERFILE, 'model.txt': 'weights' });
    dev.clearRequests();
    const step = await build.step(ACTION, {
      inputs: { repository: 'ml/cancelled', 'aws-profile': 'dev', builder: 'docker' },
      cancel: { whenStdout: /Step 3\/\d+ : COPY/ },
    });
    // It stopped by itself after passing SIGINT on, before the runner's SIGTERM and SIGKILL.
    expect(step.signal).toBeNull();
    expect(step.exitCode).toBe(1);
    expect(step.errors).toEqual([expect.stringContaining('the run was cancelled (SIGINT) during docker build')]);
    expect(existsSync(step.state['registry-auth-folder']!)).toBe(false);
    await settle();
    expect(writesTo(dev)).toEqual([]);
    expect(await registryClient(dev).headManifest('ml/cancelled', SHA)).toBeUndefined();
  });

  it('post step removes registry credentials a cancelled main step left behind', async () => {
    const build = job();
    workspaceFiles(build, { Dockerfile: DOCKERFILE, 'model.txt': 'weights' });
    const step = await build.step(ACTION, {
      inputs: { repository: 'ml/post', 'aws-profile': 'dev', builder: 'buildah' },
    });
    const folder = step.state['registry-auth-folder']!;
    // As if the step had been killed before its own cleanup ran.
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'config.json'), '{"auths":{}}');
    const [post] = await build.finish();
    expect(post?.exitCode).toBe(0);
    expect(post?.stdout).toContain('Removed the registry credentials');
    expect(existsSync(folder)).toBe(false);
    expect(readdirSync(dirname(folder))).toEqual([]);
  });
});

describe('build-push-image promotes from any registry of the distribution API', () => {
  let other: LocalRegistry;
  beforeAll(async () => {
    // A registry that is not ECR: htpasswd basic auth with a user and password of its own.
    other = await startLocalRegistry({ username: 'ci-bot', password: 'other-registry-password-0001' });
  }, 60_000);
  afterAll(async () => {
    await other?.stop();
  });

  it('copies with a user and password given as inputs, 0 bytes on repeat; a wrong password changes nothing', async () => {
    const image = await pushImage(registryClient(other), 'team/serve', { layers: [40_000, 2_000] });
    const inputs = {
      operation: 'promote',
      'source-image': `${other.host}/team/serve@${image.digest}`,
      'source-username': 'ci-bot',
      'source-password': other.password,
      'aws-profile': 'prod',
      repository: 'ml/serve',
    };
    const promote = job();
    const first = await promote.step(ACTION, { inputs });
    expect(first.errors).toEqual([]);
    expect(first.outputs).toMatchObject({
      digest: image.digest,
      'image-uri': `${prod.host}/ml/serve@${image.digest}`,
      result: 'promoted',
    });
    expect(await registryClient(prod).headManifest('ml/serve', image.digest)).toBe(image.digest);
    expectMasked(first, [other.password]);

    prod.clearRequests();
    const repeat = await promote.step(ACTION, { inputs });
    expect(repeat.outputs['result']).toBe('already-present');
    expect(repeat.summary).toContain('0 B sent');
    await settle();
    expect(writesTo(prod)).toEqual([]);

    await emulator.admin.clearCalls();
    const refused = await promote.step(ACTION, {
      inputs: { ...inputs, 'source-password': 'wrong-password', repository: 'ml/serve-2' },
    });
    expect(refused.exitCode).toBe(1);
    expect(refused.errors).toEqual([
      `build-push-image: input 'source-password': registry ${other.host} refused these credentials (HTTP 401)`,
    ]);
    expect(await mutatingCalls()).toEqual([]);
  });

  it('reads the credentials from a docker config.json and keeps a multi-platform index whole', async () => {
    const index = await pushIndex(registryClient(other), 'team/multi', {
      architectures: ['amd64', 'arm64'],
      shared: [Buffer.alloc(30_000, 3)],
      ownLayers: [10_000, 2_000],
    });
    const promote = job();
    const auth = Buffer.from(`ci-bot:${other.password}`).toString('base64');
    workspaceFiles(promote, { '.docker/config.json': JSON.stringify({ auths: { [other.host]: { auth } } }) });
    const step = await promote.step(ACTION, {
      inputs: {
        operation: 'promote',
        'source-image': `${other.host}/team/multi@${index.digest}`,
        'source-docker-config': '.docker/config.json',
        'sagemaker-safe': 'false',
        'aws-profile': 'prod',
        repository: 'ml/multi-other',
      },
    });
    expect(step.errors).toEqual([]);
    expect(step.outputs['digest']).toBe(index.digest);
    expect(step.outputs['media-type']).toBe(DOCKER_MANIFEST_LIST);
    for (const child of index.children)
      expect(await registryClient(prod).headManifest('ml/multi-other', child.digest)).toBe(child.digest);
  });

  it('answers a Bearer challenge with an anonymous token, as Docker Hub and GHCR ask', async () => {
    const image = await pushImage(registryClient(other), 'library/python', { layers: [20_000] });
    const hub = await startTokenRegistry(other, { anonymous: true });
    try {
      const step = await job().step(ACTION, {
        inputs: {
          operation: 'promote',
          'source-image': `${hub.host}/library/python@${image.digest}`,
          'source-registry': 'distribution',
          'aws-profile': 'prod',
          repository: 'mirror/python',
        },
      });
      expect(step.errors).toEqual([]);
      expect(step.outputs['digest']).toBe(image.digest);
      expect(hub.tokenRequests[0]).toEqual({
        scope: 'repository:library/python:pull',
        service: 'test-registry',
        authorized: false,
      });
      // After the first challenge every request carried the token.
      expect(hub.registryRequests.filter((r) => !r.bearer)).toHaveLength(1);
      expect(hub.registryRequests.filter((r) => r.path.includes('/blobs/')).every((r) => r.bearer)).toBe(true);
    } finally {
      await hub.stop();
    }
  });

  it('a registry that refuses anonymous tokens says which inputs give credentials', async () => {
    const image = await pushImage(registryClient(other), 'private/model', { layers: [1_000] });
    const ghcr = await startTokenRegistry(other, { anonymous: false });
    try {
      await emulator.admin.clearCalls();
      const step = await job().step(ACTION, {
        inputs: {
          operation: 'promote',
          'source-image': `${ghcr.host}/private/model@${image.digest}`,
          'source-registry': 'distribution',
          'aws-profile': 'prod',
          repository: 'mirror/private',
        },
      });
      expect(step.exitCode).toBe(1);
      expect(step.errors[0]).toMatch(
        /input 'source-image': registry .* refused anonymous access to private\/model \(HTTP 401\); give source-username and source-password, or source-docker-config/,
      );
      expect(await mutatingCalls()).toEqual([]);
    } finally {
      await ghcr.stop();
    }
  });
});

describe('build-push-image promotes by digest', () => {
  it('copies a build from dev to prod with profiles from assume-cross-account-role; a repeat sends no blob', async () => {
    const promote = job({ staticProfiles: false });
    workspaceFiles(promote, { Dockerfile: DOCKERFILE, 'model.txt': 'weights v4' });
    for (const [role, profile] of [
      [ROLES.devRunner, 'dev'],
      [ROLES.prodDeploy, 'prod'],
    ] as const) {
      const assumed = await promote.step('assume-cross-account-role', {
        inputs: { 'role-to-assume': role, 'aws-region': 'eu-west-1', 'aws-profile': profile },
      });
      expect(assumed.errors).toEqual([]);
    }
    const built = await promote.step(ACTION, {
      inputs: { repository: 'ml/model', 'aws-profile': 'dev', builder: 'buildah' },
    });
    expect(built.errors).toEqual([]);
    const digest = built.outputs['digest']!;

    prod.clearRequests();
    const inputs = {
      operation: 'promote',
      'source-image': built.outputs['image-uri']!,
      'source-aws-profile': 'dev',
      'aws-profile': 'prod',
      repository: 'ml/model',
      tags: 'release-1',
    };
    const first = await promote.step(ACTION, { inputs });
    expect(first.errors).toEqual([]);
    expect(first.outputs).toMatchObject({
      digest,
      'image-uri': `${prod.host}/ml/model@${digest}`,
      tags: `${SHA},release-1`,
      result: 'promoted',
      'media-type': DOCKER_MANIFEST,
    });
    await settle();
    expect(writesTo(prod).filter((w) => /\/blobs\/uploads\//.test(w)).length).toBeGreaterThan(0);

    // What prod's control plane says is what prod's registry holds.
    const registry = registryClient(prod);
    expect(await registry.headManifest('ml/model', 'release-1')).toBe(digest);
    const ecr = new ECRClient({ region: 'eu-west-1', endpoint: emulator.endpoint, credentials: OPERATOR_KEYS.prod });
    const { imageDetails } = await ecr.send(
      new DescribeImagesCommand({ repositoryName: 'ml/model', imageIds: [{ imageDigest: digest }] }),
    );
    ecr.destroy();
    expect(imageDetails?.[0]?.imageTags).toEqual([SHA, 'release-1'].sort());
    const created = (await emulator.admin.calls()).filter((call) => call.operation === 'CreateRepository');
    expect(created.map((call) => call.account)).toEqual([DEV, PROD]);
    expect(first.summary).toContain('Image ml/model: promoted');
    expectMasked(first, [dev.password, prod.password]);

    prod.clearRequests();
    const repeat = await promote.step(ACTION, { inputs });
    expect(repeat.errors).toEqual([]);
    expect(repeat.outputs['digest']).toBe(digest);
    expect(repeat.outputs['result']).toBe('already-present');
    await settle();
    expect(writesTo(prod)).toEqual([]);
    expect(prod.requests().filter((r) => r.path.includes('/blobs/'))).toEqual([]);
    expect(repeat.summary).toContain('0 B sent');
  });

  it('rides out ECR throttling and server errors', async () => {
    const image = await pushImage(registryClient(dev), 'ml/throttled', { layers: [2_000, 3_000] });
    await emulator.admin.setFaults([
      { kind: 'throttle', service: 'ecr', operation: 'GetAuthorizationToken', count: 2 },
      { kind: 'server-error', service: 'ecr', operation: 'DescribeRepositories', status: 503, count: 1 },
      { kind: 'throttle', service: 'ecr', operation: 'BatchGetImage', count: 1 },
    ]);
    const step = await job().step(ACTION, {
      inputs: {
        operation: 'promote',
        'source-image': `${dev.host}/ml/throttled@${image.digest}`,
        'source-aws-profile': 'dev',
        'aws-profile': 'prod',
        repository: 'ml/throttled',
      },
    });
    expect(step.errors).toEqual([]);
    expect(step.outputs['digest']).toBe(image.digest);
    const faulted = (await emulator.admin.calls()).filter((call) => call.fault !== null).map((call) => call.operation);
    expect(faulted.sort()).toEqual([
      'BatchGetImage',
      'DescribeRepositories',
      'GetAuthorizationToken',
      'GetAuthorizationToken',
    ]);
  });

  it('copies every manifest of a multi-platform index and keeps its digest; SageMaker-safe refuses it up front', async () => {
    const source = registryClient(dev);
    const shared = [Buffer.alloc(200_000, 7)];
    const index = await pushIndex(source, 'ml/multi', {
      architectures: ['amd64', 'arm64'],
      shared,
      ownLayers: [50_000, 3_000],
    });
    const promote = job();
    const inputs = {
      operation: 'promote',
      'source-image': `${dev.host}/ml/multi@${index.digest}`,
      'source-aws-profile': 'dev',
      'aws-profile': 'prod',
      repository: 'ml/multi',
    };

    prod.clearRequests();
    const refused = await promote.step(ACTION, { inputs });
    expect(refused.exitCode).toBe(1);
    expect(refused.errors).toHaveLength(1);
    expect(refused.errors[0]).toContain('image index');
    expect(refused.errors[0]).toContain('sagemaker-safe: false');
    expect(await mutatingCalls()).toEqual([]);
    await settle();
    expect(writesTo(prod)).toEqual([]);

    const step = await promote.step(ACTION, { inputs: { ...inputs, 'sagemaker-safe': 'false' } });
    expect(step.errors).toEqual([]);
    expect(step.outputs['digest']).toBe(index.digest);
    expect(step.outputs['media-type']).toBe(DOCKER_MANIFEST_LIST);
    const target = registryClient(prod);
    const copied = await target.getManifest('ml/multi', index.digest);
    expect(copied?.body.equals(index.body)).toBe(true);
    for (const child of index.children) {
      expect(await target.headManifest('ml/multi', child.digest)).toBe(child.digest);
      for (const blob of child.blobs) expect(await target.hasBlob('ml/multi', blob)).toBe(true);
    }
    // The shared layer went once.
    await settle();
    const uploads = writesTo(prod).filter((w) => w.startsWith('POST ') && w.includes('/blobs/uploads/'));
    expect(uploads).toHaveLength(index.blobs.length);
  });
});

describe('build-push-image bad inputs', () => {
  const cases: [string, Record<string, string>, string, ((target: SimulatedJob) => void)?][] = [
    [
      'missing Dockerfile',
      { repository: 'ml/bad', 'aws-profile': 'dev' },
      "input 'file': Dockerfile 'Dockerfile' does not exist",
      () => undefined,
    ],
    [
      'context outside the workspace',
      { repository: 'ml/bad', 'aws-profile': 'dev', context: '../runner-temp' },
      "input 'context': '../runner-temp' is outside the workspace",
    ],
    [
      'context reaching out through a symlink',
      { repository: 'ml/bad', 'aws-profile': 'dev', context: 'escape' },
      "input 'context': 'escape' is outside the workspace",
      (target) => symlinkSync(tmpdir(), join(target.workspace, 'escape')),
    ],
    [
      'invalid tag',
      { repository: 'ml/bad', 'aws-profile': 'dev', tags: 'v1, bad tag!' },
      "input 'tags': 'bad tag!' is not a valid image tag",
    ],
    [
      'credentials AWS refuses',
      { repository: 'ml/bad', 'aws-profile': 'stale' },
      "input 'aws-profile': the credentials of profile 'stale' could not get an ECR authorization token",
    ],
    [
      'a token the registry refuses',
      { repository: 'ml/bad', 'aws-profile': 'registry' },
      "input 'aws-profile': registry",
    ],
    [
      'a profile that does not exist',
      { repository: 'ml/bad', 'aws-profile': 'nope' },
      "input 'aws-profile': profile 'nope' is in neither",
    ],
    [
      'promote without a digest',
      {
        operation: 'promote',
        repository: 'ml/bad',
        'aws-profile': 'prod',
        'source-image': '111111111111.dkr.ecr.eu-west-1.amazonaws.com/ml/serve:latest',
      },
      "input 'source-image': '111111111111.dkr.ecr.eu-west-1.amazonaws.com/ml/serve:latest' names no digest",
    ],
    [
      'promote without a source',
      { operation: 'promote', repository: 'ml/bad', 'aws-profile': 'prod' },
      "input 'source-image': is required with operation: promote",
    ],
    [
      'a source user without a password',
      {
        operation: 'promote',
        repository: 'ml/bad',
        'aws-profile': 'prod',
        'source-image': 'ghcr.io/org/serve@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        'source-username': 'bot',
      },
      "input 'source-password': is required with input 'source-username'",
    ],
    [
      'a docker config and a password together',
      {
        operation: 'promote',
        repository: 'ml/bad',
        'aws-profile': 'prod',
        'source-image': 'ghcr.io/org/serve@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        'source-username': 'bot',
        'source-password': 'x',
        'source-docker-config': 'config.json',
      },
      "input 'source-docker-config': cannot be given with input 'source-username' or 'source-password'",
    ],
    [
      'a source profile for a registry that is not ECR',
      {
        operation: 'promote',
        repository: 'ml/bad',
        'aws-profile': 'prod',
        'source-image':
          'docker.io/library/python@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        'source-aws-profile': 'dev',
      },
      "input 'source-aws-profile': is only used for an ECR source; docker.io is read over the registry API",
    ],
    [
      'credentials for ECR',
      {
        operation: 'promote',
        repository: 'ml/bad',
        'aws-profile': 'prod',
        'source-image':
          '111111111111.dkr.ecr.eu-west-1.amazonaws.com/ml/serve@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        'source-registry': 'ecr',
        'source-docker-config': 'config.json',
      },
      "input 'source-docker-config': is not used with source-registry: ecr",
    ],
    [
      'source credentials when building',
      { repository: 'ml/bad', 'aws-profile': 'dev', 'source-username': 'bot' },
      "input 'source-username': is only used with operation: promote",
    ],
    [
      'unknown builder',
      { repository: 'ml/bad', 'aws-profile': 'dev', builder: 'kaniko' },
      "input 'builder': 'kaniko' is not one of auto, buildx, docker, buildah",
    ],
    [
      'a builder this machine lacks',
      { repository: 'ml/bad', 'aws-profile': 'dev', builder: 'buildx' },
      "input 'builder': 'buildx' is not available here",
    ],
    [
      'repository given as a URI',
      { repository: `${'1'.repeat(12)}.dkr.ecr.eu-west-1.amazonaws.com/ml`, 'aws-profile': 'dev' },
      "input 'repository'",
    ],
    [
      'two platforms for SageMaker',
      { repository: 'ml/bad', 'aws-profile': 'dev', platform: 'linux/amd64,linux/arm64' },
      "input 'platform': 2 platforms make an image index",
    ],
    [
      'a cache the builder cannot keep',
      { repository: 'ml/bad', 'aws-profile': 'dev', builder: 'docker', cache: 'gha' },
      "input 'cache': cache: gha needs builder buildx",
    ],
  ];

  it.each(cases)(
    '%s: one line naming the input, exit 1, nothing pushed, no mutating call',
    async (_, inputs, message, prepare) => {
      const target = job();
      if (prepare) prepare(target);
      else workspaceFiles(target, { Dockerfile: DOCKERFILE, 'model.txt': 'weights' });
      dev.clearRequests();
      prod.clearRequests();
      const step = await target.step(ACTION, { inputs });
      expect(step.exitCode).toBe(1);
      expect(step.errors).toHaveLength(1);
      expect(step.errors[0]).toMatch(/^build-push-image: input '/);
      expect(step.errors[0]).toContain(message);
      expect(step.outputs).toEqual({});
      expect(step.stdout).not.toContain('[command]');
      expect(await mutatingCalls()).toEqual([]);
      await settle();
      expect([...writesTo(dev), ...writesTo(prod)]).toEqual([]);
    },
  );
});

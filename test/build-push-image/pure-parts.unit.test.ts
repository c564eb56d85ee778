/**
 * The pure parts of build-push-image: the exact arguments each builder gets (buildx is not
 * installed here, so this is how its path is covered), tag decisions, references, labels,
 * media-type rules and the private docker config folder.
 */
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeAuthFolder, removeAuthFolder, writeAuthFolder } from '../../src/build-push-image/auth-files.ts';
import {
  buildahInvocations,
  buildxInvocations,
  digestFromBuildxMetadata,
  digestFromDockerPush,
  dockerInvocations,
  type BuildPlan,
} from '../../src/build-push-image/builders.ts';
import { mergeLabels, ociLabels } from '../../src/build-push-image/labels.ts';
import {
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  OCI_INDEX,
  OCI_MANIFEST,
  sagemakerProblem,
} from '../../src/build-push-image/media-types.ts';
import { ecrHost, parseImageReference } from '../../src/build-push-image/references.ts';
import { endpointFor, parseBearerChallenge } from '../../src/build-push-image/registry-client.ts';
import { apiRepository, dockerConfigCredentials, registryApiHost } from '../../src/build-push-image/source-registry.ts';
import { displayCommand, lastMeaningfulLine } from '../../src/build-push-image/run-command.ts';
import { planTags } from '../../src/build-push-image/tag-plan.ts';
import { githubContext } from '../../src/runtime/github-context.ts';

const URI = '111111111111.dkr.ecr.eu-west-1.amazonaws.com/ml/serve';
const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

function plan(overrides: Partial<BuildPlan> = {}): BuildPlan {
  return {
    context: '/ws/images/serve',
    file: '/ws/images/serve/Dockerfile',
    buildArgs: [['MODEL_VERSION', '1.2.3']],
    platforms: ['linux/amd64'],
    labels: [['org.opencontainers.image.revision', 'abc']],
    refs: [`${URI}:abc`, `${URI}:latest`],
    sagemakerSafe: true,
    insecure: false,
    cache: 'none',
    cacheRef: `${URI}:buildcache`,
    cacheScope: 'ml/serve',
    metadataFile: '/tmp/auth/metadata.json',
    digestFile: '/tmp/auth/digest',
    authFile: '/tmp/auth/config.json',
    ...overrides,
  };
}

describe('buildx arguments', () => {
  it('SageMaker-safe: one platform, no attestations, docker media types, every tag, digest to a metadata file', () => {
    const [invocation] = buildxInvocations(plan({ buildTarget: 'serve' }));
    expect(invocation!.command).toBe('docker');
    expect(invocation!.args).toEqual([
      'buildx',
      'build',
      '--file',
      '/ws/images/serve/Dockerfile',
      '--platform',
      'linux/amd64',
      '--build-arg',
      'MODEL_VERSION=1.2.3',
      '--label',
      'org.opencontainers.image.revision=abc',
      '--target',
      'serve',
      '--tag',
      `${URI}:abc`,
      '--tag',
      `${URI}:latest`,
      '--provenance=false',
      '--sbom=false',
      '--output',
      'type=registry,oci-mediatypes=false',
      '--metadata-file',
      '/tmp/auth/metadata.json',
      '/ws/images/serve',
    ]);
  });

  it('without sagemaker-safe, leaves attestations and media types to buildx and builds several platforms', () => {
    const args = buildxInvocations(plan({ sagemakerSafe: false, platforms: ['linux/amd64', 'linux/arm64'] }))[0]!.args;
    expect(args).toContain('linux/amd64,linux/arm64');
    expect(args).not.toContain('--provenance=false');
    expect(args[args.indexOf('--output') + 1]).toBe('type=registry');
  });

  it('caches in the GitHub cache scoped to the repository, or in ECR as an image manifest', () => {
    const gha = buildxInvocations(plan({ cache: 'gha' }))[0]!.args;
    expect(gha[gha.indexOf('--cache-from') + 1]).toBe('type=gha,scope=ml/serve');
    expect(gha[gha.indexOf('--cache-to') + 1]).toBe('type=gha,mode=max,scope=ml/serve');

    const registry = buildxInvocations(plan({ cache: 'registry', insecure: true }))[0]!.args;
    expect(registry[registry.indexOf('--cache-from') + 1]).toBe(
      `type=registry,ref=${URI}:buildcache,registry.insecure=true`,
    );
    expect(registry[registry.indexOf('--cache-to') + 1]).toBe(
      `type=registry,ref=${URI}:buildcache,mode=max,image-manifest=true,oci-mediatypes=true,registry.insecure=true`,
    );
    expect(registry[registry.indexOf('--output') + 1]).toBe(
      'type=registry,oci-mediatypes=false,registry.insecure=true',
    );
    expect(buildxInvocations(plan())[0]!.args).not.toContain('--cache-to');
  });

  it('reads the digest from the metadata file, and from docker push output', () => {
    expect(digestFromBuildxMetadata(JSON.stringify({ 'containerimage.digest': D1, 'image.name': URI }))).toBe(D1);
    expect(digestFromBuildxMetadata('not json')).toBeUndefined();
    expect(digestFromDockerPush(`The push refers to repository [${URI}]\nabc: digest: ${D2} size: 524\n`)).toBe(D2);
    expect(digestFromDockerPush('denied: not authorized')).toBeUndefined();
  });
});

describe('docker and buildah arguments', () => {
  it('docker: classic build of the first tag, then push', () => {
    const [build, push] = dockerInvocations(plan());
    expect(build!.env).toEqual({ DOCKER_BUILDKIT: '0' });
    expect(build!.args.slice(0, 1)).toEqual(['build']);
    expect(build!.args.slice(-3)).toEqual(['--tag', `${URI}:abc`, '/ws/images/serve']);
    expect(build!.args).not.toContain(`${URI}:latest`);
    expect(push!.args).toEqual(['push', `${URI}:abc`]);
  });

  it('buildah: docker format, v2s2 push, private auth file, plain HTTP only for an insecure registry', () => {
    const [build, push] = buildahInvocations(plan({ insecure: true }));
    expect(build!.args).toEqual(
      expect.arrayContaining(['--format', 'docker', '--authfile', '/tmp/auth/config.json', '--tls-verify=false']),
    );
    expect(push!.args).toEqual([
      'push',
      '--authfile',
      '/tmp/auth/config.json',
      '--digestfile',
      '/tmp/auth/digest',
      '--format',
      'v2s2',
      '--tls-verify=false',
      `${URI}:abc`,
      `docker://${URI}:abc`,
    ]);
    const [, secure] = buildahInvocations(plan({ sagemakerSafe: false }));
    expect(secure!.args).not.toContain('--tls-verify=false');
    expect(secure!.args).not.toContain('v2s2');
  });

  it('no invocation carries anything but its arguments: values with spaces stay one argument', () => {
    const [build] = dockerInvocations(plan({ buildArgs: [['NOTE', 'a b; rm -rf /']] }));
    expect(build!.args).toContain('NOTE=a b; rm -rf /');
    expect(displayCommand('docker', ['build', '--build-arg', 'NOTE=a b'])).toBe('docker build --build-arg "NOTE=a b"');
  });

  it('picks the line that says what failed', () => {
    const output = 'Step 1/2 : FROM scratch\nCOPY failed: file not found in build context: stat missing.txt\n\n';
    expect(lastMeaningfulLine(output)).toBe('COPY failed: file not found in build context: stat missing.txt');
  });
});

describe('if-exists', () => {
  const existing = new Map([
    ['abc', D1],
    ['latest', D2],
  ]);

  it('skip: the first tag exists → no build, other tags naming another image are kept', () => {
    expect(planTags(['abc', 'latest', 'v1'], existing, 'skip', 'MUTABLE', URI)).toEqual({
      skipWith: D1,
      write: ['abc', 'v1'],
      keep: ['latest'],
    });
    expect(planTags(['new', 'latest'], existing, 'skip', 'MUTABLE', URI)).toEqual({ write: ['new'], keep: ['latest'] });
  });

  it('fail stops on any existing tag; overwrite moves tags unless they are immutable', () => {
    expect(() => planTags(['new', 'latest'], existing, 'fail', 'MUTABLE', URI)).toThrow(
      /already has tag latest \(if-exists: fail\)/,
    );
    expect(planTags(['new'], existing, 'fail', 'MUTABLE', URI)).toEqual({ write: ['new'], keep: [] });
    expect(planTags(['abc', 'latest'], existing, 'overwrite', 'MUTABLE', URI)).toEqual({
      write: ['abc', 'latest'],
      keep: [],
    });
    expect(() => planTags(['abc'], existing, 'overwrite', 'IMMUTABLE', URI)).toThrow(/immutable/);
  });

  it('promote: a tag already naming the digest is no conflict', () => {
    expect(planTags(['abc', 'new'], existing, 'fail', 'IMMUTABLE', URI, D1)).toEqual({
      write: ['abc', 'new'],
      keep: [],
    });
    expect(() => planTags(['abc', 'latest'], existing, 'fail', 'IMMUTABLE', URI, D2)).toThrow(/tag abc/);
    expect(planTags(['abc', 'latest'], existing, 'skip', 'MUTABLE', URI, D2)).toEqual({
      write: ['latest'],
      keep: ['abc'],
    });
  });
});

describe('references', () => {
  it('parses hosts, repositories, tags and digests the way docker does', () => {
    expect(parseImageReference(`${URI}@${D1}`)).toEqual({
      host: '111111111111.dkr.ecr.eu-west-1.amazonaws.com',
      repository: 'ml/serve',
      digest: D1,
    });
    expect(parseImageReference(`127.0.0.1:5000/ml/serve:v1@${D1}`)).toEqual({
      host: '127.0.0.1:5000',
      repository: 'ml/serve',
      tag: 'v1',
      digest: D1,
    });
    expect(parseImageReference(`ml/serve@${D1}`)).toEqual({ repository: 'ml/serve', digest: D1 });
    expect(parseImageReference('localhost/app:1')).toEqual({ host: 'localhost', repository: 'app', tag: '1' });
    expect(parseImageReference('ML/Serve')).toBeUndefined();
    expect(parseImageReference('app:bad tag')).toBeUndefined();
  });

  it('reads account and region from ECR hosts only', () => {
    expect(ecrHost('111111111111.dkr.ecr.eu-west-1.amazonaws.com')).toEqual({
      account: '111111111111',
      region: 'eu-west-1',
    });
    expect(ecrHost('111111111111.dkr.ecr-fips.us-gov-west-1.amazonaws.com')?.region).toBe('us-gov-west-1');
    expect(ecrHost('127.0.0.1:5000')).toBeUndefined();
  });

  it('speaks HTTP to loopback registries and whatever the proxy endpoint says for its own host', () => {
    expect(endpointFor('127.0.0.1:5000')).toEqual({ scheme: 'http:', host: '127.0.0.1:5000' });
    expect(endpointFor('111111111111.dkr.ecr.eu-west-1.amazonaws.com').scheme).toBe('https:');
    expect(endpointFor('registry.internal:5000', 'http://registry.internal:5000').scheme).toBe('http:');
    expect(endpointFor('registry.internal:5000', 'http://elsewhere:5000').scheme).toBe('https:');
  });
});

describe('SageMaker media types and labels', () => {
  it('accepts docker schema-2 image manifests only', () => {
    expect(sagemakerProblem(DOCKER_MANIFEST)).toBeUndefined();
    expect(sagemakerProblem(DOCKER_MANIFEST_LIST)).toMatch(/image index/);
    expect(sagemakerProblem(OCI_INDEX)).toMatch(/image index/);
    expect(sagemakerProblem(OCI_MANIFEST)).toMatch(/OCI image manifest/);
  });

  it('labels the image with the repository, commit and ref; given labels win', () => {
    const context = githubContext({
      GITHUB_REPOSITORY: 'example-org/ml-pipelines',
      GITHUB_SHA: 'abc',
      GITHUB_REF: 'refs/tags/v1.2.0',
    });
    const labels = new Map(mergeLabels(ociLabels(context, new Date(0)), [['org.opencontainers.image.title', 'serve']]));
    expect(Object.fromEntries(labels)).toEqual({
      'org.opencontainers.image.created': '1970-01-01T00:00:00.000Z',
      'org.opencontainers.image.source': 'https://github.com/example-org/ml-pipelines',
      'org.opencontainers.image.url': 'https://github.com/example-org/ml-pipelines',
      'org.opencontainers.image.title': 'serve',
      'org.opencontainers.image.revision': 'abc',
      'org.opencontainers.image.version': 'v1.2.0',
    });
  });
});

describe('private docker config folder', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  it('keeps the user config and builders, adds our registry, is private, and goes without touching what it links', () => {
    const root = mkdtempSync(join(tmpdir(), 'bpi-auth-'));
    roots.push(root);
    const userConfig = join(root, 'home', '.docker');
    mkdirSync(join(userConfig, 'buildx', 'instances'), { recursive: true });
    writeFileSync(
      join(userConfig, 'config.json'),
      JSON.stringify({
        auths: { 'ghcr.io': { auth: 'Z2hjcjp0b2tlbg==' } },
        credsStore: 'desktop',
        credHelpers: { [URI.split('/')[0]!]: 'ecr-login', 'gcr.io': 'gcloud' },
        currentContext: 'ci',
      }),
    );
    const env = { HOME: join(root, 'home'), RUNNER_TEMP: join(root, 'runner-temp') };
    const dir = makeAuthFolder(env);
    expect(dir.startsWith(env.RUNNER_TEMP)).toBe(true);
    const host = URI.split('/')[0]!;
    const folder = writeAuthFolder(dir, [{ host, auth: 'QVdTOnNlY3JldA==' }], env);

    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(folder.file).mode & 0o777).toBe(0o600);
    const config = JSON.parse(readFileSync(folder.file, 'utf8')) as Record<string, unknown>;
    expect(config).toEqual({
      auths: { 'ghcr.io': { auth: 'Z2hjcjp0b2tlbg==' }, [host]: { auth: 'QVdTOnNlY3JldA==' } },
      credHelpers: { 'gcr.io': 'gcloud' },
      currentContext: 'ci',
    });
    expect(folder.droppedCredsStore).toBe(true);
    expect(lstatSync(join(dir, 'buildx')).isSymbolicLink()).toBe(true);

    expect(removeAuthFolder(dir)).toBe(true);
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(join(userConfig, 'buildx', 'instances'))).toBe(true);
    expect(removeAuthFolder(dir)).toBe(false);
  });
});

describe('registries other than ECR', () => {
  it('reads Bearer challenges, and nothing else as one', () => {
    expect(
      parseBearerChallenge(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/python:pull"',
      ),
    ).toEqual({
      realm: 'https://auth.docker.io/token',
      service: 'registry.docker.io',
      scope: 'repository:library/python:pull',
    });
    expect(parseBearerChallenge('Bearer realm="https://ghcr.io/token"')).toEqual({ realm: 'https://ghcr.io/token' });
    expect(parseBearerChallenge('Basic realm="local-ecr"')).toBeUndefined();
    expect(parseBearerChallenge('Bearer service="x"')).toBeUndefined();
    expect(parseBearerChallenge(undefined)).toBeUndefined();
  });

  it('names Docker Hub as its API does', () => {
    expect(registryApiHost('docker.io')).toBe('registry-1.docker.io');
    expect(registryApiHost('ghcr.io')).toBe('ghcr.io');
    expect(apiRepository('docker.io', 'python')).toBe('library/python');
    expect(apiRepository('docker.io', 'bitnami/python')).toBe('bitnami/python');
    expect(apiRepository('ghcr.io', 'python')).toBe('python');
  });

  const auth = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');
  const configs: [string, unknown, string, { username: string; password: string } | RegExp][] = [
    [
      'an auth entry',
      { auths: { 'ghcr.io': { auth: auth('bot', 'p:w') } } },
      'ghcr.io',
      { username: 'bot', password: 'p:w' },
    ],
    [
      'a URL key',
      { auths: { 'https://quay.io': { auth: auth('u', 'p') } } },
      'quay.io',
      { username: 'u', password: 'p' },
    ],
    [
      "Docker Hub's legacy key",
      { auths: { 'https://index.docker.io/v1/': { auth: auth('hub', 'tok') } } },
      'docker.io',
      { username: 'hub', password: 'tok' },
    ],
    [
      'user and password fields',
      { auths: { 'r.example': { username: 'a', password: 'b' } } },
      'r.example',
      { username: 'a', password: 'b' },
    ],
    [
      'a credential helper',
      { credHelpers: { 'ghcr.io': 'gh' } },
      'ghcr.io',
      /credential helper 'gh', which this action does not run/,
    ],
    ['an identity token', { auths: { 'ghcr.io': { identitytoken: 'x' } } }, 'ghcr.io', /identity token/],
    ['no entry', { auths: {} }, 'ghcr.io', /has no credentials for ghcr.io/],
  ];
  it.each(configs)('docker config: %s', (_, config, host, expected) => {
    const read = () => dockerConfigCredentials(JSON.stringify(config), host, 'config.json');
    if (expected instanceof RegExp) expect(read).toThrow(expected);
    else expect(read()).toEqual(expected);
  });
});

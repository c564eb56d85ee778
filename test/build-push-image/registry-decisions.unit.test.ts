/**
 * build-push-image's remaining pure decisions: which builder commands a plan gives, manifests and
 * repository URIs read apart, the docker config folder of the user, and which refusals name the
 * input that chose the credentials.
 */
import { describe, expect, it } from 'vitest';
import { invocations, type BuildPlan, type Builder } from '../../src/build-push-image/builders.ts';
import { userDockerConfigDir } from '../../src/build-push-image/auth-files.ts';
import { explainCredentials, type AccountAccess } from '../../src/build-push-image/ecr.ts';
import {
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  isIndex,
  OCI_INDEX,
  OCI_MANIFEST,
  parseManifest,
} from '../../src/build-push-image/media-types.ts';
import { splitRepositoryUri } from '../../src/build-push-image/references.ts';
import { ecrActionOf, sha256Of } from '../../src/build-push-image/registry-client.ts';
import { ActionError, InputError } from '../../src/runtime/errors.ts';

const URI = '111111111111.dkr.ecr.eu-west-1.amazonaws.com/ml/serve';
const D1 = `sha256:${'1'.repeat(64)}`;

describe('invocations', () => {
  const plan: BuildPlan = {
    context: '/ws',
    file: '/ws/Dockerfile',
    buildArgs: [],
    platforms: ['linux/amd64'],
    labels: [],
    refs: [`${URI}:abc`],
    sagemakerSafe: true,
    insecure: false,
    cache: 'none',
    cacheRef: `${URI}:buildcache`,
    cacheScope: 'ml/serve',
    metadataFile: '/tmp/m.json',
    digestFile: '/tmp/digest',
    authFile: '/tmp/config.json',
  };
  it.each([
    ['buildx', [['docker', 'docker buildx build']]],
    [
      'docker',
      [
        ['docker', 'docker build'],
        ['docker', 'docker push'],
      ],
    ],
    [
      'buildah',
      [
        ['buildah', 'buildah build'],
        ['buildah', 'buildah push'],
      ],
    ],
  ] as [Builder, [string, string][]][])('%s runs %j', (builder, commands) => {
    expect(invocations(builder, plan).map((invocation) => [invocation.command, invocation.what])).toEqual(commands);
  });
});

describe('manifests', () => {
  it.each([
    [DOCKER_MANIFEST_LIST, true],
    [OCI_INDEX, true],
    [DOCKER_MANIFEST, false],
    [OCI_MANIFEST, false],
    ['', false],
  ])('%j is an index: %s', (mediaType, index) => expect(isIndex(mediaType)).toBe(index));

  it('reads config and layers of an image, and the media type from Content-Type when the body has none', () => {
    const image = { schemaVersion: 2, config: { digest: D1, size: 7 }, layers: [{ digest: D1, size: 9 }] };
    expect(parseManifest(Buffer.from(JSON.stringify(image)), `${DOCKER_MANIFEST}; charset=utf-8`)).toEqual({
      mediaType: DOCKER_MANIFEST,
      config: { digest: D1, size: 7 },
      layers: [{ digest: D1, size: 9 }],
      manifests: [],
    });
  });

  it('reads the manifests of an index, its own media type first', () => {
    const index = {
      mediaType: OCI_INDEX,
      manifests: [{ mediaType: OCI_MANIFEST, digest: D1, size: 5, platform: { os: 'linux', architecture: 'arm64' } }],
    };
    expect(parseManifest(JSON.stringify(index), DOCKER_MANIFEST)).toEqual({
      mediaType: OCI_INDEX,
      layers: [],
      manifests: index.manifests,
    });
  });

  it('refuses a body that is not JSON', () => expect(() => parseManifest('<html>')).toThrow(SyntaxError));
});

describe('splitRepositoryUri', () => {
  it.each([
    [URI, { host: '111111111111.dkr.ecr.eu-west-1.amazonaws.com', repository: 'ml/serve' }],
    ['127.0.0.1:5000/app', { host: '127.0.0.1:5000', repository: 'app' }],
  ])('%s', (uri, parts) => expect(splitRepositoryUri(uri)).toEqual(parts));
});

describe('userDockerConfigDir', () => {
  it.each([
    [{ DOCKER_CONFIG: '/etc/docker-ci', HOME: '/home/runner' }, '/etc/docker-ci'],
    [{ HOME: '/home/runner' }, '/home/runner/.docker'],
    [{ DOCKER_CONFIG: '', HOME: '/home/runner' }, '/home/runner/.docker'],
  ])('%j: %s', (env, dir) => expect(userDockerConfigDir(env)).toBe(dir));
});

describe('explainCredentials', () => {
  const aws = (name: string, message: string) =>
    Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });
  const withProfile: AccountAccess = { region: 'eu-west-1', profile: 'prod', credentialsInput: 'aws-profile' };
  const noProfile: AccountAccess = { region: 'eu-west-1', credentialsInput: 'source-aws-profile' };

  it.each([
    [
      'an expired token, from a profile',
      aws('ExpiredTokenException', 'The security token included in the request is expired'),
      withProfile,
      "input 'aws-profile': the credentials of profile 'prod' could not push: ExpiredTokenException: The security token included in the request is expired",
    ],
    [
      'a refusal, with the job’s credentials',
      aws('AccessDeniedException', 'not authorized'),
      noProfile,
      "input 'source-aws-profile': the job's AWS credentials (no profile given) could not push: AccessDeniedException: not authorized",
    ],
    [
      'no credentials at all',
      Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      noProfile,
      "input 'source-aws-profile': the job's AWS credentials (no profile given) could not push: Could not load credentials from any providers",
    ],
  ])('%s names the input', (_, error, access, message) => {
    const explained = explainCredentials(error, access, 'push');
    expect(explained).toBeInstanceOf(InputError);
    expect(explained.message).toBe(message);
  });

  it('leaves errors that are not about credentials as they were, in one line', () => {
    const ours = new ActionError('already said');
    expect(explainCredentials(ours, withProfile, 'push')).toBe(ours);
    const other = explainCredentials(aws('RepositoryNotFoundException', 'no\nrepository'), withProfile, 'push');
    expect(other).toBeInstanceOf(ActionError);
    expect(other.message).toBe('push: RepositoryNotFoundException: no repository');
  });
});

describe('ecrActionOf', () => {
  // The full table, checked against the emulator's gate as well, is test/build-push-image/ecr-actions.test.ts.
  it.each([
    ['HEAD', '/v2/ml/train/blobs/sha256:ab', 'ecr:BatchCheckLayerAvailability'],
    ['PUT', '/v2/ml/train/manifests/v1', 'ecr:PutImage'],
    ['DELETE', '/v2/ml/train/manifests/v1', undefined],
    ['GET', '/v2/', undefined],
    ['GET', '/v2/_catalog', undefined],
    ['GET', '/health', undefined],
  ])('%s %s: %s', (method, path, action) => expect(ecrActionOf(method, path)).toBe(action));
});

describe('sha256Of', () => {
  it('names content by its digest, as registries do', () => {
    expect(sha256Of('')).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Of(Buffer.from('{}'))).toBe(sha256Of('{}'));
  });
});

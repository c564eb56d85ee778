/** Which ECR action a registry API call is authorised as: what the action names on a refusal, what the emulator's gate checks. */
import { describe, expect, it } from 'vitest';
import { registryAction } from '../../emulator/services/ecr/registry-gate.ts';
import { ecrActionOf } from '../../src/build-push-image/registry-client.ts';

const cases: [string, string, string][] = [
  ['HEAD', '/v2/ml/train/blobs/sha256:ab', 'BatchCheckLayerAvailability'],
  ['GET', '/v2/ml/train/blobs/sha256:ab', 'GetDownloadUrlForLayer'],
  ['POST', '/v2/ml/train/blobs/uploads/', 'InitiateLayerUpload'],
  ['PATCH', '/v2/ml/train/blobs/uploads/1f2e', 'UploadLayerPart'],
  ['PUT', '/v2/ml/train/blobs/uploads/1f2e?digest=sha256:ab', 'CompleteLayerUpload'],
  ['GET', '/v2/ml/train/manifests/latest', 'BatchGetImage'],
  ['HEAD', '/v2/ml/train/manifests/sha256:ab', 'BatchGetImage'],
  ['PUT', '/v2/ml/train/manifests/latest', 'PutImage'],
  ['GET', '/v2/ml/train/tags/list', 'ListImages'],
];

describe('ECR actions of registry API calls', () => {
  it.each(cases)('%s %s is ecr:%s, for the action and for the emulator alike', (method, path, action) => {
    expect(ecrActionOf(method, path)).toBe(`ecr:${action}`);
    const url = new URL(path, 'http://registry');
    expect(registryAction(method, url.pathname, url.searchParams)).toMatchObject({ action, repository: 'ml/train' });
  });

  it('a monolithic upload sends a part too, and a mount reads the source repository', () => {
    expect(registryAction('PUT', '/v2/ml/train/blobs/uploads/1f2e', new URLSearchParams(), true)).toMatchObject({
      action: 'CompleteLayerUpload',
      alsoUploads: true,
    });
    const mount = new URLSearchParams({ mount: 'sha256:ab', from: 'ml/base' });
    expect(registryAction('POST', '/v2/ml/train/blobs/uploads/', mount)).toMatchObject({
      action: 'InitiateLayerUpload',
      mountFrom: 'ml/base',
    });
    expect(registryAction('GET', '/v2/', new URLSearchParams())).toBe('ping');
  });
});

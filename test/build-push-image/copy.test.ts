/**
 * The registry-to-registry copy on its own, against real docker-registry processes: the
 * upload paths (monolithic PUT, streamed PATCH + PUT, cross-repository mount) and the digest
 * checks, including a source that serves bytes other than its digest promises.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRegistry, type LocalRegistry } from '../../emulator/services/ecr/local-registry.ts';
import { copyByDigest } from '../../src/build-push-image/copy.ts';
import { RegistryAuthError, RegistryClient, sha256Of } from '../../src/build-push-image/registry-client.ts';
import { pushImage, registryClient } from '../../testkit/images.ts';

let a: LocalRegistry;
let b: LocalRegistry;

beforeAll(async () => {
  [a, b] = await Promise.all([startLocalRegistry(), startLocalRegistry()]);
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 150));
}

describe('copy by digest', () => {
  it('streams large blobs as PATCH + PUT and small ones as one PUT, and the digest survives', async () => {
    const source = registryClient(a);
    const image = await pushImage(source, 'big', { layers: [3 * 1024 * 1024, 1000] });
    b.clearRequests();
    const result = await copyByDigest(
      { client: source, repository: 'big' },
      { client: registryClient(b), repository: 'copy' },
      image.digest,
      { monolithicLimit: 64 * 1024 },
    );
    expect(result.digest).toBe(image.digest);
    const configSize = (JSON.parse(image.body.toString()) as { config: { size: number } }).config.size;
    expect(result.stats).toMatchObject({
      manifestsCopied: 1,
      blobsUploaded: 3,
      bytesSent: image.layerBytes + configSize,
    });
    await settle();
    const methods = b
      .requests()
      .filter((r) => r.path.includes('/blobs/uploads/'))
      .map((r) => r.method);
    // one PATCH: the 3 MiB layer; the config and the small layer went as a single PUT each
    expect(methods.filter((m) => m === 'PATCH')).toHaveLength(1);
    expect(methods.filter((m) => m === 'PUT')).toHaveLength(3);
    const stored = await registryClient(b).getManifest('copy', image.digest);
    expect(sha256Of(stored!.body)).toBe(image.digest);
  });

  it('mounts blobs from the source repository when both are on one registry', async () => {
    const client = registryClient(a);
    const image = await pushImage(client, 'team/dev', { layers: [5000, 6000] });
    const result = await copyByDigest(
      { client, repository: 'team/dev' },
      { client, repository: 'team/prod' },
      image.digest,
    );
    expect(result.stats).toMatchObject({ blobsMounted: 3, blobsUploaded: 0, bytesSent: 0, manifestsCopied: 1 });
    expect(await client.headManifest('team/prod', image.digest)).toBe(image.digest);
  });

  it('refuses a source whose bytes do not match their digest, and leaves nothing under that digest', async () => {
    const real = randomBytes(4096);
    const digest = sha256Of(real);
    const config = Buffer.from('{"architecture":"amd64","os":"linux"}');
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        config: {
          mediaType: 'application/vnd.docker.container.image.v1+json',
          digest: sha256Of(config),
          size: config.length,
        },
        layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest, size: real.length }],
      }),
    );
    const tampered = Buffer.from(real);
    tampered[0] = tampered[0]! ^ 0xff;
    // A source registry that serves the manifest faithfully but the layer altered.
    const server: Server = createServer((request, response) => {
      const path = request.url ?? '';
      if (path === '/v2/') return response.end('{}');
      if (path.endsWith(`/manifests/${sha256Of(manifest)}`)) {
        response.setHeader('content-type', 'application/vnd.docker.distribution.manifest.v2+json');
        return response.end(manifest);
      }
      if (path.endsWith(`/blobs/${sha256Of(config)}`)) return response.end(config);
      if (path.endsWith(`/blobs/${digest}`)) return response.end(tampered);
      response.statusCode = 404;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const source = new RegistryClient(
      { scheme: 'http:', host: `127.0.0.1:${(server.address() as AddressInfo).port}` },
      { username: 'AWS', password: 'x' },
    );
    try {
      for (const monolithicLimit of [1 << 20, 0]) {
        await expect(
          copyByDigest(
            { client: source, repository: 'evil' },
            { client: registryClient(b), repository: 'victim' },
            sha256Of(manifest),
            {
              monolithicLimit,
            },
          ),
        ).rejects.toThrow(/DIGEST_INVALID|arrived as/);
      }
      expect(await registryClient(b).hasBlob('victim', digest)).toBe(false);
      expect(await registryClient(b).headManifest('victim', sha256Of(manifest))).toBeUndefined();
    } finally {
      server.close();
    }
  });

  it('says the credentials were refused, apart from other failures', async () => {
    const wrong = new RegistryClient({ scheme: 'http:', host: a.host }, { username: 'AWS', password: 'wrong' });
    await expect(wrong.ping()).rejects.toBeInstanceOf(RegistryAuthError);
    await expect(registryClient(a).ping()).resolves.toBeUndefined();
  });
});

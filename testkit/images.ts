/**
 * Images made directly through the registry HTTP API: random layers, a config, a manifest,
 * and optionally an index over several platforms. Used where the image's content does not
 * matter, only its shape (promotion, the ECR control plane, the promotion benchmark).
 */
import { randomBytes } from 'node:crypto';
import {
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  OCI_INDEX,
  OCI_MANIFEST,
  type Descriptor,
} from '../src/build-push-image/media-types.ts';
import { RegistryClient, sha256Of } from '../src/build-push-image/registry-client.ts';

export interface TestImage {
  digest: string;
  mediaType: string;
  /** The manifest as pushed. */
  body: Buffer;
  /** Digests of every blob (configs and layers) the image needs. */
  blobs: string[];
  /** Compressed layer bytes, what ECR reports as imageSizeInBytes. */
  layerBytes: number;
}

export interface ImageSpec {
  /** Sizes of random layers to create, or existing layer blobs to reuse. */
  layers: (number | Buffer)[];
  architecture?: string;
  /** docker (v2 schema-2, the default) or oci. */
  format?: 'docker' | 'oci';
  tag?: string;
}

export function registryClient(registry: { endpoint: string; username: string; password: string }): RegistryClient {
  const url = new URL(registry.endpoint);
  return new RegistryClient(
    { scheme: url.protocol === 'http:' ? 'http:' : 'https:', host: url.host },
    { username: registry.username, password: registry.password },
  );
}

export async function pushImage(client: RegistryClient, repository: string, spec: ImageSpec): Promise<TestImage> {
  const oci = spec.format === 'oci';
  const layers = spec.layers.map((layer) => (typeof layer === 'number' ? randomBytes(layer) : layer));
  const layerDescriptors: Descriptor[] = [];
  for (const layer of layers) {
    const digest = await client.pushBlob(repository, layer);
    layerDescriptors.push({
      mediaType: oci
        ? 'application/vnd.oci.image.layer.v1.tar+gzip'
        : 'application/vnd.docker.image.rootfs.diff.tar.gzip',
      digest,
      size: layer.length,
    });
  }
  const config = Buffer.from(
    JSON.stringify({
      architecture: spec.architecture ?? 'amd64',
      os: 'linux',
      config: { Labels: { made: randomBytes(4).toString('hex') } },
      rootfs: { type: 'layers', diff_ids: layerDescriptors.map((l) => l.digest) },
    }),
  );
  const configDigest = await client.pushBlob(repository, config);
  const mediaType = oci ? OCI_MANIFEST : DOCKER_MANIFEST;
  const body = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType,
      config: {
        mediaType: oci ? 'application/vnd.oci.image.config.v1+json' : 'application/vnd.docker.container.image.v1+json',
        digest: configDigest,
        size: config.length,
      },
      layers: layerDescriptors,
    }),
  );
  const digest = sha256Of(body);
  await client.putManifest(repository, spec.tag ?? digest, mediaType, body);
  return {
    digest,
    mediaType,
    body,
    blobs: [configDigest, ...layerDescriptors.map((l) => l.digest)],
    layerBytes: layers.reduce((sum, layer) => sum + layer.length, 0),
  };
}

/** An index over one image per architecture; `shared` layers are in every image. */
export async function pushIndex(
  client: RegistryClient,
  repository: string,
  spec: { architectures: string[]; shared?: Buffer[]; ownLayers?: number[]; format?: 'docker' | 'oci'; tag?: string },
): Promise<TestImage & { children: TestImage[] }> {
  const children: TestImage[] = [];
  for (const architecture of spec.architectures) {
    children.push(
      await pushImage(client, repository, {
        layers: [...(spec.shared ?? []), ...(spec.ownLayers ?? [1024])],
        architecture,
        format: spec.format ?? 'docker',
      }),
    );
  }
  const mediaType = spec.format === 'oci' ? OCI_INDEX : DOCKER_MANIFEST_LIST;
  const body = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType,
      manifests: children.map((child, i) => ({
        mediaType: child.mediaType,
        digest: child.digest,
        size: child.body.length,
        platform: { os: 'linux', architecture: spec.architectures[i] },
      })),
    }),
  );
  const digest = sha256Of(body);
  await client.putManifest(repository, spec.tag ?? digest, mediaType, body);
  return {
    digest,
    mediaType,
    body,
    blobs: [...new Set(children.flatMap((child) => child.blobs))],
    layerBytes: Math.max(...children.map((child) => child.layerBytes)),
    children,
  };
}

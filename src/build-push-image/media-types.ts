/** Manifest media types, and which of them SageMaker accepts. */

export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/** Every manifest type we ask registries for, images and indexes alike. */
export const MANIFEST_TYPES = [DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, OCI_MANIFEST, OCI_INDEX];

export function isIndex(mediaType: string): boolean {
  return mediaType === DOCKER_MANIFEST_LIST || mediaType === OCI_INDEX;
}

/**
 * SageMaker pulls docker v2 schema-2 image manifests. It rejects image indexes (what a
 * multi-platform build, or a default BuildKit build with provenance attestations, pushes)
 * and, per reports, OCI image manifests.
 */
export function sagemakerProblem(mediaType: string): string | undefined {
  if (mediaType === DOCKER_MANIFEST) return undefined;
  if (isIndex(mediaType)) {
    return `it is an image index (${mediaType}), which SageMaker rejects: build one platform without provenance/SBOM attestations`;
  }
  if (mediaType === OCI_MANIFEST) {
    return `it is an OCI image manifest (${mediaType}); SageMaker expects docker v2 schema-2 (${DOCKER_MANIFEST})`;
  }
  return `its media type ${mediaType || '(none)'} is not docker v2 schema-2 (${DOCKER_MANIFEST})`;
}

export interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
  platform?: { os?: string; architecture?: string; variant?: string };
}

export interface ParsedManifest {
  mediaType: string;
  config?: Descriptor;
  layers: Descriptor[];
  manifests: Descriptor[];
}

/** Reads the parts of a manifest a copy needs; the media type falls back to the registry's Content-Type. */
export function parseManifest(body: Buffer | string, contentType = ''): ParsedManifest {
  const parsed = JSON.parse(body.toString()) as {
    mediaType?: string;
    config?: Descriptor;
    layers?: Descriptor[];
    manifests?: Descriptor[];
  };
  return {
    mediaType: parsed.mediaType ?? contentType.split(';')[0]!.trim(),
    ...(parsed.config ? { config: parsed.config } : {}),
    layers: parsed.layers ?? [],
    manifests: parsed.manifests ?? [],
  };
}

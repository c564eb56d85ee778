/**
 * Copies an image by digest from one registry to another over the registry HTTP API,
 * without unpacking or rebuilding anything, so the digest is the same on both sides:
 *
 *   - every manifest of an index is copied (children first), as `skopeo copy --all` does;
 *   - a manifest the target already has is skipped with everything under it;
 *   - a blob the target already has is skipped (HEAD); on the same registry it is mounted
 *     from the source repository; otherwise it streams from source to target (one PUT when its
 *     size is known, else a streamed PATCH and a closing PUT);
 *   - every manifest read is checked against its digest, and every manifest written is
 *     checked against the digest the target computed; the target registry checks every blob
 *     against its digest when the upload is committed.
 */
import { ActionError } from '../runtime/errors.ts';
import { formatBytes } from '../runtime/log-lines.ts';
import { isIndex, parseManifest, type Descriptor } from './media-types.ts';
import type { ManifestResponse, RegistryClient } from './registry-client.ts';

export interface CopyEnd {
  client: RegistryClient;
  repository: string;
}

export interface CopyStats {
  manifestsCopied: number;
  /** Manifests the target already had (their blobs were not even looked at). */
  manifestsPresent: number;
  blobsUploaded: number;
  blobsMounted: number;
  blobsPresent: number;
  /** Blob bytes sent to the target. */
  bytesSent: number;
}

export interface CopyResult {
  digest: string;
  mediaType: string;
  /** As ECR reports imageSizeInBytes: the compressed layers; for an index, its largest image. */
  size: number;
  /** The top manifest's bytes. */
  manifest: Buffer;
  stats: CopyStats;
}

export interface CopyOptions {
  /** Tags to point at the copy; the first also names the upload of the top manifest. */
  tags?: string[];
  /** The source's top manifest when the caller has read it already (checked against the digest). */
  manifest?: ManifestResponse;
  /** Whether the target has the digest already, when the caller has asked. */
  present?: boolean;
  /** Blobs up to this size go in one PUT; larger ones (and those of unknown size) as a streamed PATCH then PUT. */
  monolithicLimit?: number;
  /** Blobs in flight at once. */
  concurrency?: number;
  log?: (line: string) => void;
}

// One PUT whenever the size is known: the fewest requests, and what containerd does on ECR.
const DEFAULT_MONOLITHIC_LIMIT = Number.MAX_SAFE_INTEGER;
const DEFAULT_CONCURRENCY = 6;

function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/**
 * Points tags at a manifest already in the repository (a manifest PUT by tag, which is what
 * ECR's PutImage does too), all at once; each answer must name the manifest's digest.
 */
export async function putTags(
  target: CopyEnd,
  manifest: { digest: string; mediaType: string; body: Buffer },
  tags: string[],
): Promise<void> {
  await Promise.all(
    tags.map(async (tag) => {
      const written = await target.client.putManifest(target.repository, tag, manifest.mediaType, manifest.body);
      if (written !== manifest.digest) {
        throw new ActionError(
          `${target.client.host}/${target.repository}:${tag} was stored as ${written}, not ${manifest.digest}`,
        );
      }
    }),
  );
}

export async function copyByDigest(
  source: CopyEnd,
  target: CopyEnd,
  digest: string,
  options: CopyOptions = {},
): Promise<CopyResult> {
  const monolithicLimit = options.monolithicLimit ?? DEFAULT_MONOLITHIC_LIMIT;
  const log = options.log ?? (() => undefined);
  const limit = limiter(options.concurrency ?? DEFAULT_CONCURRENCY);
  const sameRegistry = source.client.host === target.client.host;
  const stats: CopyStats = {
    manifestsCopied: 0,
    manifestsPresent: 0,
    blobsUploaded: 0,
    blobsMounted: 0,
    blobsPresent: 0,
    bytesSent: 0,
  };
  const blobs = new Map<string, Promise<void>>();
  const manifests = new Map<string, Promise<void>>();

  const copyBlob = (descriptor: Descriptor): Promise<void> => {
    let pending = blobs.get(descriptor.digest);
    if (!pending) {
      pending = limit(async () => {
        const { digest: blob } = descriptor;
        if (await target.client.hasBlob(target.repository, blob)) {
          stats.blobsPresent++;
          return;
        }
        if (sameRegistry) {
          const started = await target.client.startUpload(target.repository, { digest: blob, from: source.repository });
          if (started === 'mounted') {
            stats.blobsMounted++;
            log(`mounted ${blob} from ${source.repository}`);
            return;
          }
          const stream = await source.client.getBlob(source.repository, blob);
          stats.bytesSent += await target.client.finishUpload(started, blob, stream, { monolithicLimit });
          stats.blobsUploaded++;
          return;
        }
        // Opening the upload and the download at once saves a round trip (two on ECR, whose blob
        // downloads redirect to S3); the download waits, unread, until the upload takes it.
        const opening = source.client.getBlob(source.repository, blob);
        // Awaited below; a refusal that arrives while the upload opens must not count as unhandled
        // (Node would end the process with a stack trace instead of the one-line failure).
        opening.catch(() => undefined);
        let started: URL | 'mounted';
        try {
          started = await target.client.startUpload(target.repository);
        } catch (error) {
          void opening.then(
            (stream) => stream.body.destroy(),
            () => undefined,
          );
          throw error;
        }
        const stream = await opening;
        if (started === 'mounted') {
          stream.body.destroy();
          return;
        }
        const sent = await target.client.finishUpload(started, blob, stream, { monolithicLimit });
        stats.blobsUploaded++;
        stats.bytesSent += sent;
        log(`copied ${blob} (${formatBytes(sent)})`);
      });
      blobs.set(descriptor.digest, pending);
    }
    return pending;
  };

  const readSource = async (manifestDigest: string): Promise<ManifestResponse> => {
    const manifest = await source.client.getManifest(source.repository, manifestDigest);
    if (!manifest) throw new ActionError(`${source.client.host}/${source.repository}@${manifestDigest} does not exist`);
    if (manifest.digest !== manifestDigest) {
      throw new ActionError(
        `${source.client.host}/${source.repository}@${manifestDigest} answered a manifest whose digest is ${manifest.digest}`,
      );
    }
    return manifest;
  };

  /** Copies what a manifest references, then the manifest itself under `reference`. */
  const copyTree = async (manifest: ManifestResponse, reference: string): Promise<void> => {
    const parsed = parseManifest(manifest.body, manifest.mediaType);
    if (isIndex(parsed.mediaType)) {
      await Promise.all(parsed.manifests.map((child) => copyChild(child.digest)));
    } else {
      await Promise.all([...(parsed.config ? [parsed.config] : []), ...parsed.layers].map(copyBlob));
    }
    const written = await target.client.putManifest(target.repository, reference, manifest.mediaType, manifest.body);
    if (written !== manifest.digest) {
      throw new ActionError(
        `${target.client.host}/${target.repository} stored manifest ${manifest.digest} as ${written}`,
      );
    }
    stats.manifestsCopied++;
  };

  const copyChild = (manifestDigest: string): Promise<void> => {
    let pending = manifests.get(manifestDigest);
    if (!pending) {
      pending = (async () => {
        // Already there: so is everything it references (a registry refuses a manifest whose parts are missing).
        if (await target.client.headManifest(target.repository, manifestDigest)) {
          stats.manifestsPresent++;
          return;
        }
        await copyTree(await readSource(manifestDigest), manifestDigest);
      })();
      manifests.set(manifestDigest, pending);
    }
    return pending;
  };

  const given = options.manifest;
  if (given && given.digest !== digest) {
    throw new ActionError(`the manifest given for ${digest} has digest ${given.digest}`);
  }
  const [top, present] = await Promise.all([
    given ?? readSource(digest),
    options.present ?? target.client.headManifest(target.repository, digest),
  ]);
  const tags = options.tags ?? [];
  if (present) {
    stats.manifestsPresent++;
    await putTags(target, top, tags);
  } else {
    // The first tag names the upload of the top manifest: one request instead of two.
    await copyTree(top, tags[0] ?? digest);
    await putTags(target, top, tags.slice(1));
  }
  return { digest, mediaType: top.mediaType, manifest: top.body, size: await imageSize(target, top), stats };
}

/** The compressed size of an image's layers; for an index, of its largest image (children read from the target). */
export async function imageSize(target: CopyEnd, manifest: ManifestResponse): Promise<number> {
  const parsed = parseManifest(manifest.body, manifest.mediaType);
  if (!isIndex(parsed.mediaType)) return parsed.layers.reduce((sum, layer) => sum + layer.size, 0);
  const sizes = await Promise.all(
    parsed.manifests.map(async (child) => {
      const stored = await target.client.getManifest(target.repository, child.digest);
      return stored ? imageSize(target, stored) : 0;
    }),
  );
  return Math.max(0, ...sizes);
}

import { randomBytes } from 'node:crypto';
import { RestXmlError } from '../../protocols/rest-xml.ts';
import type { EmulatorState } from '../../state.ts';

/**
 * S3 buckets and their objects. Bucket names are global on S3 (one namespace across accounts
 * and regions), so the emulator keeps one store for all of them and each bucket remembers its
 * owner and region; a bucket of another account answers AccessDenied, as it does without a
 * bucket policy granting access.
 */

export interface S3ObjectVersion {
  /** "null" for objects written while versioning was never enabled or is suspended, as on S3. */
  versionId: string;
  body: Buffer;
  /** Quoted MD5 hex of the body, as S3 reports single-part uploads. */
  etag: string;
  contentType: string;
  lastModified: number;
  /** The checksum given at upload (checked then), returned when asked for with x-amz-checksum-mode. */
  checksum: { algorithm: string; value: string } | undefined;
  metadata: Record<string, string>;
}

export type Versioning = 'Enabled' | 'Suspended' | undefined;

export interface S3Bucket {
  name: string;
  owner: string;
  region: string;
  creationTime: number;
  /** Unset until PutBucketVersioning: new buckets are unversioned, as on S3. */
  versioning: Versioning;
  /** By key; versions oldest first. */
  objects: Map<string, S3ObjectVersion[]>;
}

export interface S3Store {
  buckets: Map<string, S3Bucket>;
}

/** One store for the whole emulator: the resource store is per account and region, bucket names are not. */
export function s3StoreOf(state: EmulatorState): S3Store {
  return state.resources.bucket<S3Store>('*', '*', 's3', () => ({ buckets: new Map() }));
}

const VERSION_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._';

/** 32 URL-safe characters, the length S3's version ids usually have. */
export function newVersionId(): string {
  let id = '';
  for (const byte of randomBytes(32)) id += VERSION_ALPHABET[byte % VERSION_ALPHABET.length];
  return id;
}

export const noSuchBucket = (bucket: string) =>
  new RestXmlError('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket });

export const noSuchKey = (key: string) =>
  new RestXmlError('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });

export const noSuchVersion = (key: string, versionId: string) =>
  new RestXmlError('NoSuchVersion', 'The specified version does not exist.', 404, { Key: key, VersionId: versionId });

/** The bucket when it exists and belongs to the account; NoSuchBucket or AccessDenied otherwise. */
export function ownedBucket(
  store: S3Store,
  name: string,
  account: string | null,
  denied: () => RestXmlError,
): S3Bucket {
  const bucket = store.buckets.get(name);
  if (!bucket) throw noSuchBucket(name);
  if (bucket.owner !== account) throw denied();
  return bucket;
}

/** The latest version, or the one asked for. */
export function findVersion(bucket: S3Bucket, key: string, versionId: string | undefined): S3ObjectVersion {
  const versions = bucket.objects.get(key);
  if (versionId === undefined) {
    const latest = versions?.at(-1);
    if (!latest) throw noSuchKey(key);
    return latest;
  }
  const version = versions?.find((v) => v.versionId === versionId);
  if (!version) throw noSuchVersion(key, versionId);
  return version;
}

/** Adds a version; while versioning is off or suspended the "null" version is replaced instead. */
export function putVersion(
  bucket: S3Bucket,
  key: string,
  version: Omit<S3ObjectVersion, 'versionId'>,
): S3ObjectVersion {
  const versions = bucket.objects.get(key) ?? [];
  const versionId = bucket.versioning === 'Enabled' ? newVersionId() : 'null';
  const kept = versionId === 'null' ? versions.filter((v) => v.versionId !== 'null') : versions;
  const stored = { ...version, versionId };
  bucket.objects.set(key, [...kept, stored]);
  return stored;
}

/**
 * Reads an object for another service of the emulator (SageMaker reading a pipeline definition
 * from PipelineDefinitionS3Location), with the caller's account: no cross-account access.
 */
export function readObject(
  state: EmulatorState,
  account: string | null,
  location: { bucket: string; key: string; versionId?: string | undefined },
): S3ObjectVersion {
  const store = s3StoreOf(state);
  const bucket = ownedBucket(
    store,
    location.bucket,
    account,
    () => new RestXmlError('AccessDenied', 'Access Denied', 403, { BucketName: location.bucket }),
  );
  return findVersion(bucket, location.key, location.versionId);
}

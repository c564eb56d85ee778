/**
 * Where a definition goes when it is passed by S3 location (definition-s3-uri). Checked with
 * the other inputs, before any call; the upload itself is in s3-upload.ts, which is loaded
 * only when this input is given because the S3 client is as large as the rest of the action.
 */
import { InputError } from '../runtime/errors.ts';

const INPUT = 'definition-s3-uri';
/** S3's bucket naming rules. */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const MAX_KEY_BYTES = 1024;

export interface DefinitionLocation {
  bucket: string;
  key: string;
}

/** `s3://bucket/key.json` is the key itself; `s3://bucket/prefix/` (or `s3://bucket`) is a prefix. */
export interface S3Uri {
  bucket: string;
  /** The key, or a prefix when it ends with "/" or is empty. */
  path: string;
}

export function parseS3Uri(value: string): S3Uri {
  const bad = (why: string) =>
    new InputError(
      INPUT,
      `'${value}' is not a usable S3 URI: ${why} (use s3://bucket/prefix/ or s3://bucket/key.json)`,
    );
  const match = /^s3:\/\/([^/]*)(?:\/(.*))?$/s.exec(value);
  if (!match) throw bad('it must start with s3://');
  const bucket = match[1] ?? '';
  const path = match[2] ?? '';
  if (!BUCKET.test(bucket) || bucket.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(bucket))
    throw bad(`'${bucket}' is not a bucket name (3-63 lower-case letters, digits, dots and hyphens)`);
  if (path.startsWith('/')) throw bad('the key must not start with /');
  // "?" and "#" are legal in keys but far more often a pasted URL's query or fragment.
  const controlOrQuery = [...path].some((ch) => ch.charCodeAt(0) < 0x20 || ch === '\u007f' || ch === '?' || ch === '#');
  if (controlOrQuery) throw bad('the key holds a control character, ? or #');
  return { bucket, path };
}

/** A prefix gets `<pipeline-name>/<sha256>.json`: one object per distinct definition, never overwritten. */
export function definitionLocation(uri: S3Uri, pipelineName: string, sha256: string): DefinitionLocation {
  const key = uri.path === '' || uri.path.endsWith('/') ? `${uri.path}${pipelineName}/${sha256}.json` : uri.path;
  if (Buffer.byteLength(key) > MAX_KEY_BYTES)
    throw new InputError(INPUT, `the object key '${key.slice(0, 40)}…' is over S3's ${MAX_KEY_BYTES}-byte limit`);
  return { bucket: uri.bucket, key };
}

export const s3UriOf = (location: DefinitionLocation, versionId?: string): string =>
  `s3://${location.bucket}/${location.key}${versionId ? ` (version ${versionId})` : ''}`;

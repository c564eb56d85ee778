import { createHash } from 'node:crypto';
import { RestXmlError, type RestOutput } from '../../protocols/rest-xml.ts';
import type { OperationContext } from '../../registry.ts';
import { bucketFor, headerOf, targetOf } from './access.ts';
import { findVersion, putVersion, type S3ObjectVersion } from './store.ts';
import { readUpload } from './upload-body.ts';

// PutObject, GetObject, HeadObject. Whole objects only: no ranges, no conditional requests.

const MAX_KEY_BYTES = 1024;

function checkKey(key: string): void {
  if (Buffer.byteLength(key) > MAX_KEY_BYTES)
    throw new RestXmlError('KeyTooLongError', 'Your key is too long', 400, { MaxSizeAllowed: String(MAX_KEY_BYTES) });
}

function userMetadata(context: OperationContext): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const name of Object.keys(context.request.headers)) {
    if (name.startsWith('x-amz-meta-')) metadata[name] = headerOf(context, name) ?? '';
  }
  return metadata;
}

function putObject(context: OperationContext): RestOutput {
  const { key } = targetOf(context);
  checkKey(key);
  const bucket = bucketFor(context, 's3:PutObject');
  const upload = readUpload(context.request);
  const stored = putVersion(bucket, key, {
    body: upload.body,
    etag: `"${createHash('md5').update(upload.body).digest('hex')}"`,
    // S3's default when a client sends none.
    contentType: headerOf(context, 'content-type') ?? 'binary/octet-stream',
    lastModified: context.state.clock.now(),
    checksum: upload.checksum,
    metadata: userMetadata(context),
  });
  return {
    headers: {
      etag: stored.etag,
      'x-amz-server-side-encryption': 'AES256',
      ...(stored.versionId !== 'null' ? { 'x-amz-version-id': stored.versionId } : {}),
      ...(stored.checksum ? { [`x-amz-checksum-${stored.checksum.algorithm}`]: stored.checksum.value } : {}),
    },
  };
}

/** The headers GetObject and HeadObject share; the checksum only when asked for, as S3 does. */
function objectHeaders(context: OperationContext, version: S3ObjectVersion): Record<string, string> {
  const withChecksum = headerOf(context, 'x-amz-checksum-mode') === 'ENABLED' && version.checksum;
  return {
    'content-type': version.contentType,
    etag: version.etag,
    'last-modified': new Date(version.lastModified).toUTCString(),
    'accept-ranges': 'bytes',
    'x-amz-server-side-encryption': 'AES256',
    ...(version.versionId !== 'null' ? { 'x-amz-version-id': version.versionId } : {}),
    ...(withChecksum
      ? {
          [`x-amz-checksum-${version.checksum!.algorithm}`]: version.checksum!.value,
          'x-amz-checksum-type': 'FULL_OBJECT',
        }
      : {}),
    ...version.metadata,
  };
}

function readObjectVersion(context: OperationContext, action: string): S3ObjectVersion {
  const { key } = targetOf(context);
  const bucket = bucketFor(context, action);
  const versionId = context.request.query.get('versionId') ?? undefined;
  return findVersion(bucket, key, versionId);
}

function getObject(context: OperationContext): RestOutput {
  const version = readObjectVersion(context, 's3:GetObject');
  return { headers: objectHeaders(context, version), body: version.body };
}

/** The body goes along only so content-length is the object's size: Node sends no body for HEAD. */
function headObject(context: OperationContext): RestOutput {
  const version = readObjectVersion(context, 's3:GetObject');
  return { headers: objectHeaders(context, version), body: version.body };
}

export const objectOperations = {
  PutObject: putObject,
  GetObject: getObject,
  HeadObject: headObject,
};

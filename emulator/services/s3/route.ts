import { RestXmlError } from '../../protocols/rest-xml.ts';
import type { RestRoute } from '../../registry.ts';
import type { ReceivedRequest } from '../../sigv4.ts';

/**
 * Names the S3 operation of a path-style request (`/<bucket>/<key>`: the SDK uses path style
 * whenever the endpoint is an IP address, as the emulator's is). Requests for subresources
 * the emulator does not serve (tagging, ACLs, multipart uploads, ...) get a name of their own
 * and are answered NotImplemented instead of being mistaken for a plain object or bucket call.
 */

const SUBRESOURCES = [
  'accelerate',
  'acl',
  'analytics',
  'attributes',
  'cors',
  'delete',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'legal-hold',
  'lifecycle',
  'location',
  'logging',
  'metrics',
  'notification',
  'object-lock',
  'ownershipControls',
  'policy',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'restore',
  'retention',
  'select',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
  'versioning',
  'versions',
  'website',
] as const;

function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new RestXmlError('InvalidURI', "Couldn't parse the specified URI.", 400);
  }
}

function bucketOperation(method: string, subresource: string | undefined, query: URLSearchParams): string {
  if (subresource === 'versioning') return method === 'PUT' ? 'PutBucketVersioning' : 'GetBucketVersioning';
  if (subresource !== undefined) return `${method} ?${subresource}`;
  switch (method) {
    case 'PUT':
      return 'CreateBucket';
    case 'HEAD':
      return 'HeadBucket';
    case 'GET':
      return query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    case 'DELETE':
      return 'DeleteBucket';
    default:
      return `${method} bucket`;
  }
}

function objectOperation(method: string, subresource: string | undefined, request: ReceivedRequest): string {
  if (subresource !== undefined) return `${method} object ?${subresource}`;
  switch (method) {
    case 'PUT':
      return request.headers['x-amz-copy-source'] !== undefined ? 'CopyObject' : 'PutObject';
    case 'GET':
      return 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'DELETE':
      return 'DeleteObject';
    default:
      return `${method} object`;
  }
}

export function routeS3(request: ReceivedRequest): RestRoute {
  const path = request.path.startsWith('/') ? request.path.slice(1) : request.path;
  const slash = path.indexOf('/');
  const bucket = decodeSegment(slash < 0 ? path : path.slice(0, slash));
  const key = slash < 0 ? '' : decodeSegment(path.slice(slash + 1));
  const method = request.method.toUpperCase();
  const subresource = SUBRESOURCES.find((name) => request.query.has(name));
  const versionId = request.query.get('versionId') ?? undefined;

  if (bucket === '') return { operation: method === 'GET' ? 'ListBuckets' : `${method} /`, input: {} };
  if (key === '') return { operation: bucketOperation(method, subresource, request.query), input: { Bucket: bucket } };
  const operation = objectOperation(method, subresource, request);
  // What the calls log shows: never the body, which may be megabytes.
  const input: Record<string, unknown> = { Bucket: bucket, Key: key };
  if (versionId !== undefined) input['VersionId'] = versionId;
  if (operation === 'PutObject') {
    const length = request.headers['x-amz-decoded-content-length'] ?? request.headers['content-length'];
    if (length !== undefined) input['ContentLength'] = Number(length);
  }
  return { operation, input };
}

import { RestXmlError } from '../../protocols/rest-xml.ts';
import type { OperationContext } from '../../registry.ts';
import { ownedBucket, s3StoreOf, type S3Bucket } from './store.ts';

// What every S3 operation checks before it touches a bucket: the signing region and ownership.

export function headerOf(context: OperationContext, name: string): string | undefined {
  const value = context.request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Bucket and key as routed (see route.ts); the key is empty for bucket operations. */
export function targetOf(context: OperationContext): { bucket: string; key: string } {
  return { bucket: String(context.input['Bucket'] ?? ''), key: String(context.input['Key'] ?? '') };
}

/** S3's answer to a caller without a policy that lets it act on the bucket of another account. */
export function accessDenied(context: OperationContext, action: string, resource: string): RestXmlError {
  return new RestXmlError(
    'AccessDenied',
    `User: ${context.caller.arn ?? 'anonymous'} is not authorized to perform: ${action} on resource: "arn:aws:s3:::${resource}" because no resource-based policy allows the ${action} action`,
    403,
  );
}

/**
 * The bucket for an operation of the caller's account. A request signed for another region
 * than the bucket's fails as S3 fails it (the SDK does not follow region redirects by default),
 * before ownership is looked at.
 */
export function bucketFor(context: OperationContext, action: string): S3Bucket {
  const { bucket: name, key } = targetOf(context);
  const bucket = s3StoreOf(context.state).buckets.get(name);
  if (bucket && bucket.region !== context.region) {
    throw new RestXmlError(
      'AuthorizationHeaderMalformed',
      `The authorization header is malformed; the region '${context.region}' is wrong; expecting '${bucket.region}'`,
      400,
      { Region: bucket.region },
    );
  }
  return ownedBucket(s3StoreOf(context.state), name, context.caller.accountId, () =>
    accessDenied(context, action, key ? `${name}/${key}` : name),
  );
}

/** Every SigV4 request to S3 must say how its payload was hashed; S3 refuses one that does not. */
export function requirePayloadHash(context: OperationContext): void {
  if (headerOf(context, 'x-amz-content-sha256') === undefined)
    throw new RestXmlError('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256', 400);
}

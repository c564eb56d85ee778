import { escapeXml, RestXmlError, XML_DECLARATION, type RestOutput } from '../../protocols/rest-xml.ts';
import type { OperationContext } from '../../registry.ts';
import { bucketFor, targetOf } from './access.ts';
import { s3StoreOf } from './store.ts';
import { readUpload } from './upload-body.ts';

// CreateBucket, HeadBucket, PutBucketVersioning, GetBucketVersioning.

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
/** S3's naming rules: 3-63 lower-case letters, digits, dots and hyphens, alphanumeric at both ends. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d+\.\d+\.\d+\.\d+$/;

/** The text of one element of a small request document; S3's own bodies here are that simple. */
function element(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>\\s*([^<]*?)\\s*</${name}>`).exec(xml)?.[1];
}

function malformed(): RestXmlError {
  return new RestXmlError(
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema',
    400,
  );
}

function createBucket(context: OperationContext): RestOutput {
  const { bucket: name } = targetOf(context);
  if (!BUCKET_NAME.test(name) || IP_ADDRESS.test(name) || name.includes('..'))
    throw new RestXmlError('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: name });
  const body = context.request.body.toString('utf8');
  if (body.trim() !== '' && !body.includes('CreateBucketConfiguration')) throw malformed();
  const constraint = element(body, 'LocationConstraint') || undefined;
  // Without a constraint a bucket is made in us-east-1, so any other regional endpoint refuses it.
  if ((constraint ?? 'us-east-1') !== context.region) {
    throw new RestXmlError(
      'IllegalLocationConstraintException',
      `The ${constraint ?? 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`,
      400,
    );
  }
  const store = s3StoreOf(context.state);
  const existing = store.buckets.get(name);
  if (existing && existing.owner !== context.caller.accountId) {
    throw new RestXmlError(
      'BucketAlreadyExists',
      'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
      409,
      { BucketName: name },
    );
  }
  // us-east-1 answers a repeated create of one's own bucket with success, every other region with 409.
  if (existing && context.region !== 'us-east-1') {
    throw new RestXmlError(
      'BucketAlreadyOwnedByYou',
      'Your previous request to create the named bucket succeeded and you already own it.',
      409,
      { BucketName: name },
    );
  }
  if (!existing) {
    store.buckets.set(name, {
      name,
      owner: context.caller.accountId ?? '',
      region: context.region,
      creationTime: context.state.clock.now(),
      versioning: undefined,
      objects: new Map(),
    });
  }
  return { headers: { location: `/${name}` } };
}

function headBucket(context: OperationContext): RestOutput {
  const bucket = bucketFor(context, 's3:ListBucket');
  return { headers: { 'x-amz-bucket-region': bucket.region } };
}

function putBucketVersioning(context: OperationContext): RestOutput {
  const bucket = bucketFor(context, 's3:PutBucketVersioning');
  const status = element(readUpload(context.request).body.toString('utf8'), 'Status');
  if (status !== 'Enabled' && status !== 'Suspended') throw malformed();
  bucket.versioning = status;
  return {};
}

function getBucketVersioning(context: OperationContext): RestOutput {
  const bucket = bucketFor(context, 's3:GetBucketVersioning');
  const status = bucket.versioning ? `<Status>${escapeXml(bucket.versioning)}</Status>` : '';
  return {
    headers: { 'content-type': 'application/xml' },
    body: `${XML_DECLARATION}<VersioningConfiguration xmlns="${XMLNS}">${status}</VersioningConfiguration>`,
  };
}

export const bucketOperations = {
  CreateBucket: createBucket,
  HeadBucket: headBucket,
  PutBucketVersioning: putBucketVersioning,
  GetBucketVersioning: getBucketVersioning,
};

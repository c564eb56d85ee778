import type { Handler, OperationDefinition, ServiceDefinition } from '../registry.ts';
import { requirePayloadHash } from './s3/access.ts';
import { bucketOperations } from './s3/buckets.ts';
import { objectOperations } from './s3/objects.ts';
import { routeS3 } from './s3/route.ts';

/**
 * S3 over restXml, path style: buckets (owned by one account, in one region, versioning off
 * until PutBucketVersioning) and whole objects. Enough for uploading what another service
 * reads by S3 location, such as a SageMaker pipeline definition; s3/store.ts lets the other
 * emulated services read objects.
 */

const OPERATIONS: Record<string, Handler> = { ...bucketOperations, ...objectOperations };

function checked(handler: Handler): Handler {
  return (context) => {
    requirePayloadHash(context);
    return handler(context);
  };
}

export function createS3Service(): ServiceDefinition {
  const operations: Record<string, OperationDefinition> = {};
  for (const [name, handler] of Object.entries(OPERATIONS)) operations[name] = { handler: checked(handler) };
  return {
    name: 's3',
    protocol: 'restXml',
    operations,
    route: routeS3,
    // HeadObject and HeadBucket read; the default rule only knows Describe/List/Get.
    isMutating: (operation) => !/^(Get|Head|List)/.test(operation),
  };
}

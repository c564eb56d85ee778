/**
 * Uploads a definition for PipelineDefinitionS3Location. Imported with `import()` from
 * main.ts, so the build makes it a bundle of its own (dist/upsert-pipeline/s3-upload.cjs)
 * that only a step with definition-s3-uri loads: the S3 client alone is about as large as
 * the rest of the action and would slow down every other step's start.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { PipelineDefinitionS3Location } from '@aws-sdk/client-sagemaker';
import { createClient, type ClientSettings } from '../runtime/aws-client.ts';
import { ActionError, awsErrorCode, describeError } from '../runtime/errors.ts';
import { s3UriOf, type DefinitionLocation } from './definition-location.ts';

const HINTS: Record<string, string> = {
  AccessDenied: 'the role needs s3:PutObject on that key',
  NoSuchBucket: 'create the bucket first, in the region of the pipeline',
  AuthorizationHeaderMalformed: 'the bucket is in another region than the pipeline',
  PermanentRedirect: 'the bucket is in another region than the pipeline',
};

/** PutObject, then the location to give SageMaker, pinned to the version S3 returned (versioned buckets). */
export async function uploadDefinition(
  settings: ClientSettings,
  location: DefinitionLocation,
  text: string,
): Promise<PipelineDefinitionS3Location> {
  const client = createClient(S3Client, settings);
  try {
    const put = await client.send(
      new PutObjectCommand({
        Bucket: location.bucket,
        Key: location.key,
        Body: text,
        ContentType: 'application/json',
      }),
    );
    return {
      Bucket: location.bucket,
      ObjectKey: location.key,
      ...(put.VersionId ? { VersionId: put.VersionId } : {}),
    };
  } catch (error) {
    // This bundle has its own copy of ActionError; main's describeError prints any Error by its
    // message, so the failure line reads the same as if main had raised it.
    const hint = HINTS[awsErrorCode(error) ?? ''];
    throw new ActionError(
      `uploading the definition to ${s3UriOf(location)} failed: ${describeError(error)}${hint ? ` (${hint})` : ''}`,
      { cause: error },
    );
  } finally {
    client.destroy();
  }
}

/**
 * "Not found", as each AWS service (and the AWS-compatible ones) says it, known in this one place.
 * Every client the factory makes marks such an error as it leaves the SDK (notFoundMiddleware);
 * call sites ask isNotFound, whatever the service and however it worded the answer.
 */
import type { InitializeMiddleware } from '@aws-sdk/types';
import { awsErrorCode } from './errors.ts';

/**
 * ResourceNotFound (SageMaker: pipelines, packages, executions), ResourceNotFoundException
 * (CloudWatch Logs, and AWS-compatible services for SageMaker), RepositoryNotFoundException and
 * ImageNotFoundException (ECR), NoSuchBucket and NoSuchKey (S3), NoSuchEntity (IAM).
 */
const NOT_FOUND_CODE = /NotFound(Exception)?$|^NoSuch[A-Z]/;

/**
 * SageMaker answers a missing endpoint, endpoint config or model with a ValidationException
 * ("Could not find endpoint …"); AWS-compatible services word theirs "… does not exist" or
 * "… not found".
 */
const NOT_FOUND_MESSAGE = /could not find|does not exist|not found/i;

function saysNotFound(error: unknown): boolean {
  const code = awsErrorCode(error);
  if (code === undefined) return false;
  if (NOT_FOUND_CODE.test(code)) return true;
  return code === 'ValidationException' && NOT_FOUND_MESSAGE.test((error as Error).message);
}

/** What a marked error carries beside the service's own code and message, which it keeps. */
interface MarkedNotFound {
  notFound?: true;
}

/** Marks the service's error, unchanged otherwise: the lines that describe it read as before. */
export const notFoundMiddleware: InitializeMiddleware<object, object> = (next) => async (args) => {
  try {
    return await next(args);
  } catch (error) {
    if (saysNotFound(error)) Object.defineProperty(error, 'notFound', { value: true, enumerable: false });
    throw error;
  }
};

/** The answer, or undefined when what the call asks about does not exist; any other failure stays one. */
export async function unlessNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * The one check. An error from a client made elsewhere (a test's mocked client, which answers
 * before any middleware runs) is read by the same rules, so it is recognised all the same.
 */
export function isNotFound(error: unknown): boolean {
  return (error as MarkedNotFound | undefined)?.notFound === true || saysNotFound(error);
}

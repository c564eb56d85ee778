import { describe, expect, it } from 'vitest';
import { awsErrorCode, describeError, isUnreadableAnswer } from '../../src/runtime/errors.ts';
import { isNotFound } from '../../src/runtime/not-found.ts';

/** An error as the SDK throws it: a service error with its code, or its parser's error on a foreign body. */
function sdkError(name: string, message: string, status: number, operation?: string): Error {
  const error = new Error(message);
  error.name = name;
  Object.assign(error, { $metadata: { httpStatusCode: status, requestId: 'req-1' } });
  if (operation) Object.defineProperty(error, '$operation', { value: operation });
  return error;
}

describe('not found, as AWS and AWS-compatible services say it', () => {
  it.each([
    ['ResourceNotFound', 'Pipeline abalone does not exist.', true],
    ['ResourceNotFoundException', 'Endpoint abalone not found', true],
    ['RepositoryNotFoundException', "The repository with name 'x' does not exist", true],
    ['ValidationException', 'Could not find endpoint "abalone".', true],
    ['ValidationException', "Pipeline 'arn:aws:sagemaker:eu-west-1:1:pipeline/x' does not exist.", true],
    ['ValidationException', 'Pipeline names must be unique within an AWS account and region', false],
    ['AccessDeniedException', 'not authorized', false],
  ])('%s "%s" → %s', (code, message, expected) => {
    expect(isNotFound(sdkError(code, message, 400))).toBe(expected);
  });

  it('an error that is not from AWS is never "not found"', () => {
    expect(isNotFound(new Error('Pipeline does not exist'))).toBe(false);
  });
});

describe('an answer that is not an AWS error document', () => {
  const html = sdkError(
    'SyntaxError',
    `Unexpected token '<', "<html><bod"... is not valid JSON\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.`,
    503,
    'DescribePipeline',
  );

  it('is told apart, carries no AWS code, and is one line naming the operation and the status', () => {
    expect(isUnreadableAnswer(html)).toBe(true);
    expect(awsErrorCode(html)).toBeUndefined();
    expect(describeError(html)).toBe(
      'DescribePipeline failed: HTTP 503 with a body that is not an AWS answer (a proxy or load balancer in the way?) (request id req-1)',
    );
  });

  it('AWS errors keep their code and request id', () => {
    const throttled = sdkError('ThrottlingException', 'Rate exceeded', 400);
    expect(isUnreadableAnswer(throttled)).toBe(false);
    expect(describeError(throttled)).toBe('ThrottlingException: Rate exceeded (request id req-1)');
  });
});

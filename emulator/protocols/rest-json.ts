import { AwsError } from '../errors.ts';
import { epochSecondsReplacer } from './aws-json.ts';
import type { RestOutput } from './rest-xml.ts';
import type { WireResponse } from './wire.ts';

// restJson1 (SageMaker Runtime): the operation is in the method and path, input in headers, path
// and body; a result is a status, headers and a body (the payload member's bytes); an error is a
// JSON document with the error's members, its code in the x-amzn-ErrorType header.

/** An error with the members its shape adds (ModelError: OriginalStatusCode, OriginalMessage, LogStreamArn). */
export class RestJsonError extends AwsError {
  readonly members: Record<string, unknown>;

  constructor(code: string, message: string, status: number, members: Record<string, unknown> = {}) {
    super(code, message, status);
    this.members = members;
  }
}

/** A JSON document answer (Scheduler): its members are the body, timestamps in epoch seconds. */
export function jsonAnswer(output: Record<string, unknown>, status = 200): RestOutput {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(output, epochSecondsReplacer),
  };
}

export function encodeRestJsonResult(output: RestOutput, requestId: string): WireResponse {
  return {
    status: output.status ?? 200,
    headers: { 'x-amzn-requestid': requestId, ...output.headers },
    body: output.body ?? '',
  };
}

export function encodeRestJsonError(error: AwsError, requestId: string): WireResponse {
  const members = error instanceof RestJsonError ? error.members : {};
  return {
    status: error.status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': error.code },
    body: JSON.stringify({ ...members, message: error.message }),
  };
}

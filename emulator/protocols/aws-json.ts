import type { AwsError } from '../errors.ts';
import { frontDoorError } from '../errors.ts';
import type { WireResponse } from './wire.ts';

// awsJson1_1: POST / with X-Amz-Target "Prefix.Operation" and a JSON body; timestamps are epoch seconds.
const CONTENT_TYPE = 'application/x-amz-json-1.1';

export function decodeJson(body: string): Record<string, unknown> {
  if (body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw frontDoorError('serialization', 'awsJson1_1', 'Start of structure or map found where not expected.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw frontDoorError('serialization', 'awsJson1_1', 'Expected a JSON object as the request body.');
  }
  return parsed as Record<string, unknown>;
}

/** Date.prototype.toJSON runs before a replacer sees the value, so look at the holder's raw field. */
export function epochSecondsReplacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return raw instanceof Date ? raw.getTime() / 1000 : value;
}

export function encodeJsonResult(output: Record<string, unknown>, requestId: string): WireResponse {
  return {
    status: 200,
    headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId },
    body: JSON.stringify(output, epochSecondsReplacer),
  };
}

export function encodeJsonError(error: AwsError, requestId: string): WireResponse {
  return {
    status: error.status,
    headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId, 'x-amzn-errortype': error.code },
    body: JSON.stringify({ __type: error.code, message: error.message }),
  };
}

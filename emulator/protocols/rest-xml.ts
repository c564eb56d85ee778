import { randomBytes } from 'node:crypto';
import { AwsError } from '../errors.ts';
import type { WireResponse } from './wire.ts';

// restXml (S3): the operation is in the method, path and query; results are a status, headers
// and a body (an object's bytes, or an XML document); errors are a bare <Error> document.

/** What a restXml handler returns. A type alias, so it fits the handlers' Record output. */
export type RestOutput = {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
};

/** An error with the extra elements S3 puts in its <Error> document (BucketName, Key, ...). */
export class RestXmlError extends AwsError {
  readonly details: Record<string, string>;

  constructor(code: string, message: string, status: number, details: Record<string, string> = {}) {
    super(code, message, status);
    this.details = details;
  }
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** S3 answers every request with a request id and an "extended request id" (x-amz-id-2). */
function idHeaders(requestId: string): { 'x-amz-request-id': string; 'x-amz-id-2': string } {
  return { 'x-amz-request-id': requestId, 'x-amz-id-2': randomBytes(32).toString('base64') };
}

export function encodeRestXmlResult(output: RestOutput, requestId: string): WireResponse {
  return {
    status: output.status ?? 200,
    headers: { ...idHeaders(requestId), ...output.headers },
    body: output.body ?? '',
  };
}

export function encodeRestXmlError(error: AwsError, requestId: string): WireResponse {
  const ids = idHeaders(requestId);
  const details = error instanceof RestXmlError ? error.details : {};
  const extra = Object.entries(details)
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
  const body =
    `${XML_DECLARATION}<Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>` +
    `${extra}<RequestId>${requestId}</RequestId><HostId>${ids['x-amz-id-2']}</HostId></Error>`;
  // HEAD answers carry no body on the wire (Node drops it); clients go by the status alone.
  return { status: error.status, headers: { ...ids, 'content-type': 'application/xml' }, body };
}

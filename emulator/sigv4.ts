import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AuthenticatedCaller, CredentialStore } from './credentials.ts';
import { AwsError, frontDoorError } from './errors.ts';
import type { Protocol } from './registry.ts';

export interface ParsedAuthorization {
  accessKeyId: string;
  /** Credential scope: yyyymmdd/region/service/aws4_request */
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** What arrived on the wire, untouched, so the signature can be recomputed over the same bytes. */
export interface ReceivedRequest {
  method: string;
  /** Raw path without the query string, exactly as sent. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_SKEW_MS = 15 * 60 * 1000;
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';

/** Reads the credential scope without checking anything, so routing can use the service name. */
export function parseAuthorization(header: string, protocol: Protocol): ParsedAuthorization {
  const incomplete = (what: string) =>
    frontDoorError(
      'incompleteSignature',
      protocol,
      `Authorization header requires '${what}' parameter. Authorization=${header}`,
    );
  if (!header.startsWith(`${ALGORITHM} `)) {
    throw frontDoorError(
      'incompleteSignature',
      protocol,
      `Unsupported AWS 'algorithm': '${header.split(' ')[0] ?? ''}'`,
    );
  }
  const fields = new Map<string, string>();
  for (const part of header.slice(ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential) throw incomplete('Credential');
  if (!signedHeaders) throw incomplete('SignedHeaders');
  if (!signature) throw incomplete('Signature');
  const [accessKeyId, scopeDate, region, service, terminator] = credential.split('/');
  if (!accessKeyId || !scopeDate || !region || !service || terminator !== 'aws4_request') {
    throw frontDoorError(
      'incompleteSignature',
      protocol,
      `Credential should be scoped to a valid region. Credential=${credential}`,
    );
  }
  return { accessKeyId, scopeDate, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** 20240102T030405Z → Date */
function parseAmzDate(value: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

async function expectedSignature(
  request: ReceivedRequest,
  auth: ParsedAuthorization,
  secretAccessKey: string,
  sessionToken: string | null,
  signingDate: Date,
): Promise<string> {
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = headerValue(request.headers, name);
    if (value !== undefined) headers[name] = value;
  }
  const host = headerValue(request.headers, 'host') ?? '';
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of request.query) {
    const existing = query[key];
    query[key] = existing === undefined ? value : [existing, value].flat();
  }
  const rebuilt = new HttpRequest({
    method: request.method,
    protocol: 'http:',
    hostname: host.replace(/:\d+$/, ''),
    path: request.path,
    query,
    headers,
    body: request.body,
  });
  const signer = new SignatureV4({
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
    region: auth.region,
    service: auth.service,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: auth.service !== 's3',
    // Sign exactly the headers the client listed; never add a payload-hash header it did not send.
    applyChecksum: false,
  });
  const signed = await signer.sign(rebuilt, {
    signingDate,
    signingRegion: auth.region,
    signingService: auth.service,
    signableHeaders: new Set(auth.signedHeaders),
  });
  const authorization = String(signed.headers.authorization ?? signed.headers.Authorization ?? '');
  return /Signature=([0-9a-f]+)/.exec(authorization)?.[1] ?? '';
}

function sameSignature(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Checks a SigV4-signed request the way AWS does, in AWS's order, and answers with the
 * caller the credentials belong to.
 */
export async function verifyRequest(
  request: ReceivedRequest,
  auth: ParsedAuthorization,
  credentials: CredentialStore,
  protocol: Protocol,
  now = Date.now(),
): Promise<AuthenticatedCaller> {
  const known = credentials.find(auth.accessKeyId);
  if (!known) throw frontDoorError('unknownKey', protocol, INVALID_TOKEN);
  // Long-term keys sent with a (stale) session token fail on AWS too: the token must belong to the key.
  if ((headerValue(request.headers, 'x-amz-security-token') ?? null) !== known.sessionToken) {
    throw frontDoorError('unknownKey', protocol, INVALID_TOKEN);
  }
  // Judged on the simulated clock (CredentialStore), where the session's lifetime runs.
  if (known.expired) {
    throw frontDoorError('expiredToken', protocol, 'The security token included in the request is expired');
  }

  const rawDate = headerValue(request.headers, 'x-amz-date');
  const signingDate = rawDate ? parseAmzDate(rawDate) : null;
  if (!rawDate || !signingDate) {
    throw frontDoorError(
      'incompleteSignature',
      protocol,
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  if (!rawDate.startsWith(auth.scopeDate)) {
    throw frontDoorError(
      'badSignature',
      protocol,
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.scopeDate}' != '${rawDate.slice(0, 8)}', from '${rawDate}'.`,
    );
  }
  const skew = signingDate.getTime() - now;
  if (skew < -MAX_SKEW_MS) {
    throw frontDoorError(
      'badSignature',
      protocol,
      `Signature expired: ${rawDate} is now earlier than ${amzDate(now - MAX_SKEW_MS)} (${amzDate(now)} - 15 min.)`,
    );
  }
  if (skew > MAX_SKEW_MS) {
    throw frontDoorError(
      'badSignature',
      protocol,
      `Signature not yet current: ${rawDate} is still later than ${amzDate(now + MAX_SKEW_MS)} (${amzDate(now)} + 15 min.)`,
    );
  }

  const claimedPayloadHash = headerValue(request.headers, 'x-amz-content-sha256');
  if (
    claimedPayloadHash &&
    !claimedPayloadHash.startsWith('UNSIGNED-PAYLOAD') &&
    !claimedPayloadHash.startsWith('STREAMING-')
  ) {
    if (claimedPayloadHash !== createHash('sha256').update(request.body).digest('hex')) {
      const message = "The provided 'x-amz-content-sha256' header does not match what was computed.";
      // S3 has a code of its own for a body that is not the one signed.
      if (protocol === 'restXml') throw new AwsError('XAmzContentSHA256Mismatch', message, 400);
      throw frontDoorError('badSignature', protocol, message);
    }
  }

  const expected = await expectedSignature(request, auth, known.secretAccessKey, known.sessionToken, signingDate);
  if (!sameSignature(expected, auth.signature)) throw frontDoorError('badSignature', protocol, SIGNATURE_MISMATCH);
  return known.caller;
}

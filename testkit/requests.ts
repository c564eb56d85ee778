/**
 * Requests no SDK client makes for a test: SigV4-signed posts for protocols no installed client
 * speaks, an OIDC token fetched as a runner's step fetches it, and the rejection of a call that
 * must fail.
 */
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { EmulatorAdmin } from '../emulator/admin-client.ts';
import type { Keys } from './worlds/accounts.ts';

/** Resolves to the rejection, failing the test when the promise succeeds. */
export async function rejection(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number }; Code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

/** A SigV4-signed POST as an SDK would send it, for protocols no installed client speaks. */
export async function signedPost(
  endpoint: string,
  options: {
    keys: Keys;
    service: string;
    headers: Record<string, string>;
    body: string;
    region?: string;
    date?: Date;
    /** Send this instead of the signed body, to prove tampering is caught. */
    sendBody?: string;
  },
): Promise<Response> {
  const url = new URL(endpoint);
  const request = new HttpRequest({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: { host: url.host, ...options.headers },
    body: options.body,
  });
  const signer = new SignatureV4({
    credentials: options.keys,
    region: options.region ?? 'us-east-1',
    service: options.service,
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(request, options.date ? { signingDate: options.date } : {});
  const headers = { ...signed.headers };
  delete headers.host;
  return fetch(`${endpoint}/`, { method: 'POST', headers, body: options.sendBody ?? options.body });
}

/** What @actions/core getIDToken does: GET the request URL with the bearer token and an audience. */
export async function fetchIdToken(
  admin: EmulatorAdmin,
  claims: Record<string, unknown>,
  audience?: string,
): Promise<string> {
  const { requestUrl, requestToken } = await admin.issueOidcRequest(claims);
  const url = audience === undefined ? requestUrl : `${requestUrl}&audience=${encodeURIComponent(audience)}`;
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${requestToken}`, accept: 'application/json' },
  });
  if (!response.ok) throw new Error(`token request failed: ${response.status}`);
  return ((await response.json()) as { value: string }).value;
}

import type { FaultInjector } from './faults.ts';
import type { OidcIssuer } from './oidc-issuer.ts';
import type { WireResponse } from './protocols/wire.ts';

export const OIDC_PREFIX = '/_oidc/';

export type OidcOutcome =
  { kind: 'response'; response: WireResponse; delayMs: number } | { kind: 'reset'; delayMs: number };

function json(status: number, value: unknown): WireResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

/**
 * GitHub's token endpoint as the runner exposes it. Faults for service "oidc", operation
 * "GetIdToken" reproduce its outages (a 5xx or a dropped connection) for retry tests.
 */
export async function handleOidc(
  method: string,
  path: string,
  query: URLSearchParams,
  authorization: string | undefined,
  issuer: OidcIssuer,
  faults: FaultInjector,
): Promise<OidcOutcome> {
  const route = path.slice(OIDC_PREFIX.length);
  if (method === 'GET' && route === 'jwks')
    return { kind: 'response', response: json(200, await issuer.jwks()), delayMs: 0 };
  if (method !== 'GET' || route !== 'token')
    return { kind: 'response', response: json(404, { message: 'Not Found' }), delayMs: 0 };

  const decision = faults.decide('oidc', 'GetIdToken');
  const delayMs = decision.latencyMs;
  const fault = decision.fault;
  if (fault?.kind === 'reset') return { kind: 'reset', delayMs };
  if (fault) {
    const status = fault.kind === 'throttle' ? 429 : (fault.status ?? (fault.kind === 'error' ? 400 : 500));
    return {
      kind: 'response',
      response: json(status, { message: fault.message ?? `injected ${fault.kind}` }),
      delayMs,
    };
  }

  const bearer = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
  const token = bearer ? await issuer.issue(bearer, query.get('audience')) : null;
  if (!token) return { kind: 'response', response: json(401, { message: 'Bad credentials' }), delayMs };
  return { kind: 'response', response: json(200, { count: token.length, value: token }), delayMs };
}

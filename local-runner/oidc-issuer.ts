/**
 * Who serves a job's OIDC tokens. The runner registers the claims of each step's token and hands the
 * step what GitHub's runner hands it: the request URL and bearer token behind
 * ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN. The emulator's admin client is one;
 * the caller passes it, so the runner depends on no issuer in particular.
 */
export interface OidcTokenIssuer {
  issueOidcRequest(claims: Record<string, unknown>): Promise<{ requestUrl: string; requestToken: string }>;
}

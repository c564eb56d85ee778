import { randomBytes } from 'node:crypto';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type JSONWebKeySet,
  type JWTPayload,
  type CryptoKey,
} from 'jose';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
/** GitHub's Actions OIDC tokens are valid for five minutes after they are issued. */
export const TOKEN_LIFETIME_S = 5 * 60;

/** Where the issuer reads the time: the emulator's simulated clock, so tokens age like sessions do. */
export interface IssuerClock {
  now(): number;
}

const WALL_CLOCK: IssuerClock = { now: () => Date.now() };

/**
 * Stands in for GitHub's Actions OIDC service: a test registers the claims a job would have,
 * gets the request token the runner would put in ACTIONS_ID_TOKEN_REQUEST_TOKEN, and the
 * action under test fetches a signed JWT with it exactly as @actions/core getIDToken does.
 */
export class OidcIssuer {
  readonly issuer = GITHUB_ISSUER;
  private readonly privateKey: CryptoKey;
  private readonly publicKey: CryptoKey;
  private readonly kid: string;
  private readonly requests = new Map<string, Record<string, unknown>>();
  private readonly clock: IssuerClock;

  private constructor(privateKey: CryptoKey, publicKey: CryptoKey, kid: string, clock: IssuerClock) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.kid = kid;
    this.clock = clock;
  }

  static async create(clock: IssuerClock = WALL_CLOCK): Promise<OidcIssuer> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
    return new OidcIssuer(privateKey, publicKey, kid, clock);
  }

  /** Seconds since the epoch on the issuer's clock, as JWT times are written. */
  nowSeconds(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  /** Returns the bearer token that unlocks tokens carrying these claims. */
  registerRequest(claims: Record<string, unknown>): string {
    const requestToken = randomBytes(24).toString('base64url');
    this.requests.set(requestToken, withGithubDefaults(claims));
    return requestToken;
  }

  clearRequests(): void {
    this.requests.clear();
  }

  /** null when the bearer token is unknown (the endpoint answers 401). */
  async issue(requestToken: string, audience: string | null): Promise<string | null> {
    const claims = this.requests.get(requestToken);
    if (!claims) return null;
    const now = this.nowSeconds();
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.kid })
      .setIssuer(this.issuer)
      .setAudience(audience ?? defaultAudience(claims))
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + TOKEN_LIFETIME_S)
      .setJti(crypto.randomUUID())
      .sign(this.privateKey);
  }

  /** Throws jose's errors (JWTExpired, JWSSignatureVerificationFailed, ...) for the caller to map. */
  async verify(token: string): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, this.publicKey, {
      issuer: this.issuer,
      algorithms: ['RS256'],
      currentDate: new Date(this.clock.now()),
    });
    return payload;
  }

  async jwks(): Promise<JSONWebKeySet> {
    const jwk = await exportJWK(this.publicKey);
    return { keys: [{ ...jwk, kid: this.kid, alg: 'RS256', use: 'sig' }] };
  }
}

/** Fills what GitHub always sets so a test need only name the repository and ref. */
function withGithubDefaults(claims: Record<string, unknown>): Record<string, unknown> {
  const out = { ...claims };
  const repository = typeof out.repository === 'string' ? out.repository : null;
  if (repository && out.repository_owner === undefined) out.repository_owner = repository.split('/')[0];
  if (out.sub === undefined && repository) {
    if (typeof out.environment === 'string') out.sub = `repo:${repository}:environment:${out.environment}`;
    else if (typeof out.ref === 'string') out.sub = `repo:${repository}:ref:${out.ref}`;
  }
  return out;
}

/** GitHub's default audience is the URL of the repository owner. */
function defaultAudience(claims: Record<string, unknown>): string {
  const owner = typeof claims.repository_owner === 'string' ? claims.repository_owner : null;
  return owner ? `https://github.com/${owner}` : 'https://github.com';
}

import { decodeJwt, errors as joseErrors, type JWTPayload } from 'jose';
import { AwsError } from '../errors.ts';
import type { OidcIssuer } from '../oidc-issuer.ts';
import { normalizeProviderUrl, type LoadedOidcProvider, type LoadedWorld } from '../world.ts';

export interface VerifiedWebIdentity {
  provider: LoadedOidcProvider;
  claims: JWTPayload;
  /** The token audience that matched one of the provider's client ids. */
  audience: string;
  subject: string;
}

const invalidToken = (message: string) => new AwsError('InvalidIdentityToken', message);

/**
 * Checks a web identity token against the IAM OIDC providers of the role's account, in the
 * order STS does: provider, audience, signature and expiry. Trust policy evaluation is the caller's.
 */
export async function verifyWebIdentityToken(
  token: string,
  roleAccountId: string,
  world: LoadedWorld,
  issuer: OidcIssuer,
): Promise<VerifiedWebIdentity> {
  let unverified: JWTPayload;
  try {
    unverified = decodeJwt(token);
  } catch {
    throw invalidToken(
      'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)',
    );
  }
  const iss = typeof unverified.iss === 'string' ? unverified.iss : '';
  const provider = world.oidcProviders.find(
    (p) => p.accountId === roleAccountId && p.url === normalizeProviderUrl(iss),
  );
  if (!provider) throw invalidToken(`No OpenIDConnect provider found in your account for ${iss}`);

  const audiences = [unverified.aud ?? []].flat();
  const audience = audiences.find((aud) => provider.clientIds.includes(aud));
  if (audience === undefined) throw invalidToken('Incorrect token audience');

  if (iss !== issuer.issuer) {
    // Only the local issuer's keys are reachable; any other provider is an IdP we cannot call.
    throw new AwsError(
      'IDPCommunicationError',
      "Couldn't retrieve verification key from your identity provider, please reference AssumeRoleWithWebIdentity documentation for requirements",
    );
  }

  let claims: JWTPayload;
  try {
    claims = await issuer.verify(token);
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) {
      const now = issuer.nowSeconds();
      throw new AwsError(
        'ExpiredTokenException',
        `Token expired: current date/time ${now} must be before the expiration date/time ${String(unverified.exp)}`,
      );
    }
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
      throw invalidToken(
        'The web identity token signature could not be verified with the keys of the OpenID Connect provider.',
      );
    }
    throw invalidToken(`The web identity token is not valid: ${(error as Error).message}`);
  }
  if (typeof claims.sub !== 'string') throw invalidToken('The web identity token has no sub claim.');
  return { provider, claims, audience, subject: claims.sub };
}

/** Each claim becomes a condition key under the provider URL, e.g. token.actions.githubusercontent.com:sub. */
export function claimConditionKeys(identity: VerifiedWebIdentity): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = {};
  for (const [claim, value] of Object.entries(identity.claims)) {
    if (typeof value === 'string') context[`${identity.provider.url}:${claim}`] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
      context[`${identity.provider.url}:${claim}`] = value;
    else if (typeof value === 'number' || typeof value === 'boolean')
      context[`${identity.provider.url}:${claim}`] = String(value);
  }
  context[`${identity.provider.url}:aud`] = identity.audience;
  return context;
}

/**
 * AWS refuses a request whose session has ended with ExpiredToken (query protocol, S3) or
 * ExpiredTokenException (JSON protocols). Waiting actions meet it when a job outlives static
 * credentials; the step then says what happened and how to carry on, in one line.
 */
import { ActionError, awsErrorCode } from './errors.ts';

const EXPIRED_CODES = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired']);

export function isExpiredCredentialsError(error: unknown): boolean {
  return EXPIRED_CODES.has(awsErrorCode(error) ?? '');
}

/** How to get credentials that last: the same words in every action. */
export const LASTING_CREDENTIALS_HINT =
  "give the step an aws-profile written by assume-cross-account-role with refresh-credentials: true (the default, with GitHub OIDC and 'id-token: write'), which renews the whole role chain before it expires, or raise role-duration-seconds (at most one hour with a role-chain)";

export interface ExpiredCredentials {
  /** When the credentials expired, if the SDK knew (an Expiration came with them). */
  expiredAt?: Date;
  /** When AWS refused them. */
  refusedAt: Date;
  profile?: string;
  /** What is still going on in AWS, e.g. "the execution arn:... is still running". */
  stillRunning: string;
  /** How to pick up again, e.g. "resume waiting with start-execution's execution-arn: arn:...". */
  resume: string;
}

export function expiredCredentialsMessage(details: ExpiredCredentials): string {
  const whose = details.profile ? `of profile '${details.profile}' ` : '';
  const when = details.expiredAt
    ? `expired at ${details.expiredAt.toISOString()}`
    : `expired (AWS refused them at ${details.refusedAt.toISOString()})`;
  return `the AWS credentials ${whose}${when} and cannot be renewed: ${LASTING_CREDENTIALS_HINT}; ${details.stillRunning}; ${details.resume}`;
}

/** The Expiration of the credentials a client signs with, when they have one. */
export async function credentialsExpiration(client: { config: { credentials?: unknown } }): Promise<Date | undefined> {
  try {
    const provider = client.config.credentials;
    if (typeof provider !== 'function') return undefined;
    const identity = (await (provider as () => Promise<{ expiration?: Date }>)()) ?? {};
    return identity.expiration;
  } catch {
    return undefined;
  }
}

/**
 * The error a waiting step fails with when AWS refused its credentials as expired; any other
 * error comes back unchanged for the caller to throw.
 */
export async function explainExpiry(
  error: unknown,
  client: { config: { credentials?: unknown } },
  context: Omit<ExpiredCredentials, 'expiredAt' | 'refusedAt'>,
): Promise<unknown> {
  if (!isExpiredCredentialsError(error)) return error;
  const expiredAt = await credentialsExpiration(client);
  return new ActionError(
    expiredCredentialsMessage({ ...context, refusedAt: new Date(), ...(expiredAt ? { expiredAt } : {}) }),
    { cause: error },
  );
}

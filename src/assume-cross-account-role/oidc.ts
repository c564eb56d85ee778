/** Fetches the workflow's GitHub OIDC token, with the advice users need when it is not available. */
import * as core from '@actions/core';
import { ActionError, oneLine } from '../runtime/errors.ts';
import { withRetries } from '../runtime/retry.ts';

export function oidcAvailable(env = process.env): boolean {
  return Boolean(env['ACTIONS_ID_TOKEN_REQUEST_URL'] && env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']);
}

export const OIDC_PERMISSION_HINT =
  'add `permissions: id-token: write` to the job (or workflow) so GitHub issues an OIDC token';

export async function fetchOidcToken(audience: string): Promise<string> {
  try {
    // getIDToken masks the token itself before returning it.
    return await withRetries(() => core.getIDToken(audience), {
      attempts: 4,
      baseDelayMs: 500,
      maxDelayMs: 5000,
      isRetryable: () => true,
      onRetry: (error, attempt, delay) =>
        core.info(
          `Fetching the GitHub OIDC token failed (try ${attempt}): ${oneLine(String((error as Error).message))}; retrying in ${delay} ms`,
        ),
    });
  } catch (error) {
    throw new ActionError(
      `could not get a GitHub OIDC token for audience '${audience}': ${oneLine((error as Error).message)}`,
      {
        cause: error,
      },
    );
  }
}

/** The claims of a JWT, read without verifying it: only used to explain a refusal. */
export function tokenClaims(token: string): Record<string, unknown> {
  try {
    const payload = token.split('.')[1] ?? '';
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/**
 * The same request @actions/core's getIDToken makes, without its debug and add-mask lines:
 * the credential_process refresher's stdout must carry nothing but its JSON.
 */
export async function requestOidcToken(audience: string, env = process.env): Promise<string> {
  const url = env['ACTIONS_ID_TOKEN_REQUEST_URL'];
  const bearer = env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'];
  if (!url || !bearer) {
    throw new ActionError(
      `ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not in this step's environment: ${OIDC_PERMISSION_HINT}`,
    );
  }
  return withRetries(
    async () => {
      const response = await fetch(`${url}&audience=${encodeURIComponent(audience)}`, {
        headers: { authorization: `Bearer ${bearer}`, accept: 'application/json; api-version=2.0' },
      });
      if (!response.ok) throw new Error(`the GitHub OIDC token request failed with HTTP ${response.status}`);
      const value = ((await response.json()) as { value?: unknown }).value;
      if (typeof value !== 'string' || value === '') throw new Error('the GitHub OIDC token response has no value');
      return value;
    },
    { attempts: 4, baseDelayMs: 500, maxDelayMs: 5000, isRetryable: () => true },
  );
}

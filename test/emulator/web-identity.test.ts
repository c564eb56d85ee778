/** GitHub OIDC: the local issuer, @actions/core fetching a token, and AssumeRoleWithWebIdentity. */
import * as core from '@actions/core';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials, fromWebToken } from '@aws-sdk/credential-providers';
import { decodeJwt, generateKeyPair, SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sts } from '../../testkit/clients.ts';
import { keysOf } from '../../testkit/credentials.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { fetchIdToken, rejection } from '../../testkit/requests.ts';
import { DEV as A, GITHUB_OIDC as GITHUB, REGISTRY as C, REPO } from '../../testkit/worlds/accounts.ts';
import { ROLE, world } from '../../testkit/worlds/emulator-tests.ts';

const t = useEmulator(world);
const MAIN = { repository: REPO, ref: 'refs/heads/main' };

function assumeWithToken(token: string, roleArn = ROLE.deploy) {
  return sts(t.endpoint).send(
    new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: 'gha-run-1', WebIdentityToken: token }),
  );
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('OIDC issuer', () => {
  it('serves tokens to @actions/core getIDToken exactly as the runner does', async () => {
    const { requestUrl, requestToken } = await t.admin.issueOidcRequest(MAIN);
    vi.stubEnv('ACTIONS_ID_TOKEN_REQUEST_URL', requestUrl);
    vi.stubEnv('ACTIONS_ID_TOKEN_REQUEST_TOKEN', requestToken);
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true); // getIDToken prints ::add-mask::
    const token = await core.getIDToken('sts.amazonaws.com');
    vi.unstubAllEnvs();

    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: 'https://token.actions.githubusercontent.com',
      aud: 'sts.amazonaws.com',
      sub: `repo:${REPO}:ref:refs/heads/main`,
      repository: REPO,
      repository_owner: 'example-org',
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(300);
    expect(claims.jti).toBeTruthy();

    const out = await assumeWithToken(token);
    expect(out.SubjectFromWebIdentityToken).toBe(`repo:${REPO}:ref:refs/heads/main`);
    expect(out.Audience).toBe('sts.amazonaws.com');
    expect(out.Provider).toBe(`arn:aws:iam::${A}:oidc-provider/${GITHUB}`);
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${A}:assumed-role/github-deploy/gha-run-1`);
    const id = await sts(t.endpoint, keysOf(out.Credentials)).send(new GetCallerIdentityCommand({}));
    expect(id.Account).toBe(A);
  });

  it('defaults the audience to the repository owner URL, as GitHub does', async () => {
    const token = await fetchIdToken(t.admin, MAIN);
    expect(decodeJwt(token).aud).toBe('https://github.com/example-org');
  });

  it('answers 401 to a wrong or missing bearer token and serves its public key', async () => {
    const { requestUrl } = await t.admin.issueOidcRequest(MAIN);
    expect((await fetch(requestUrl, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await fetch(requestUrl)).status).toBe(401);
    const jwks = (await (await fetch(`${t.endpoint}/_oidc/jwks`)).json()) as { keys: { kty: string; alg: string }[] };
    expect(jwks.keys).toEqual([expect.objectContaining({ kty: 'RSA', alg: 'RS256' })]);
  });
});

describe('AssumeRoleWithWebIdentity', () => {
  it('is accepted unsigned and refuses another branch with AccessDenied', async () => {
    const token = await fetchIdToken(t.admin, { repository: REPO, ref: 'refs/heads/feature/x' }, 'sts.amazonaws.com');
    const error = await rejection(assumeWithToken(token));
    expect(error.name).toBe('AccessDenied');
    expect(error.$metadata?.httpStatusCode).toBe(403);
    expect(error.message).toBe('Not authorized to perform sts:AssumeRoleWithWebIdentity');
  });

  it('rejects a token for another audience', async () => {
    const token = await fetchIdToken(t.admin, MAIN, 'https://github.com/example-org');
    const error = await rejection(assumeWithToken(token));
    expect(error.name).toBe('InvalidIdentityTokenException');
    expect(error.message).toBe('Incorrect token audience');
  });

  it('rejects a token signed by another key', async () => {
    const genuine = decodeJwt(await fetchIdToken(t.admin, MAIN, 'sts.amazonaws.com'));
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ ...genuine }).setProtectedHeader({ alg: 'RS256', typ: 'JWT' }).sign(privateKey);
    const error = await rejection(assumeWithToken(forged));
    expect(error.name).toBe('InvalidIdentityTokenException');
    expect(error.message).toMatch(/signature could not be verified/);
  });

  it('rejects an expired token with ExpiredTokenException', async () => {
    // Tokens age on the emulator's simulated clock: five minutes later, and it is expired.
    await t.admin.holdClock();
    const token = await fetchIdToken(t.admin, MAIN, 'sts.amazonaws.com');
    await t.admin.advanceClock(299_000);
    await expect(assumeWithToken(token)).resolves.toBeDefined();
    await t.admin.advanceClock(1_000);
    const error = await rejection(assumeWithToken(token));
    expect(error.name).toBe('ExpiredTokenException');
    expect(error.message).toMatch(
      /^Token expired: current date\/time \d+ must be before the expiration date\/time \d+$/,
    );
  });

  it('needs an OIDC provider in the role account', async () => {
    const token = await fetchIdToken(t.admin, MAIN, 'sts.amazonaws.com');
    const error = await rejection(assumeWithToken(token, ROLE.orphan));
    expect(error.name).toBe('InvalidIdentityTokenException');
    expect(error.message).toBe(
      'No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com',
    );
    expect(ROLE.orphan).toContain(C);
  });

  it('keeps the token out of the calls log', async () => {
    const token = await fetchIdToken(t.admin, MAIN, 'sts.amazonaws.com');
    await assumeWithToken(token);
    const [call] = await t.admin.calls();
    expect(call).toMatchObject({ operation: 'AssumeRoleWithWebIdentity', status: 200, account: null, mutating: false });
    expect(call?.input.WebIdentityToken).toBe('***');
    expect(JSON.stringify(call)).not.toContain(token.slice(-20));
  });

  it('works through the SDK credential providers, chained into the hub', async () => {
    const token = await fetchIdToken(t.admin, MAIN, 'sts.amazonaws.com');
    const clientConfig = { endpoint: t.endpoint, region: 'us-east-1' };
    const runner = fromWebToken({
      roleArn: ROLE.deploy,
      webIdentityToken: token,
      roleSessionName: 'runner',
      clientConfig,
    });
    const hub = fromTemporaryCredentials({
      masterCredentials: runner,
      params: { RoleArn: ROLE.hub, RoleSessionName: 'hub' },
      clientConfig,
    });
    const id = await sts(t.endpoint, await hub()).send(new GetCallerIdentityCommand({}));
    expect(id.Arn).toBe(`arn:aws:sts::${A}:assumed-role/hub/hub`);
  });
});

/** STS over the real SDK: identities, AssumeRole rules, chaining, external ids and session tags. */
import { AssumeRoleCommand, GetCallerIdentityCommand, type AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { sts } from '../../testkit/clients.ts';
import { keysOf } from '../../testkit/credentials.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { rejection } from '../../testkit/requests.ts';
import { DEV as A, type Keys, PROD as B } from '../../testkit/worlds/accounts.ts';
import { ALICE, MALLORY, ROLE, world } from '../../testkit/worlds/emulator-tests.ts';

const t = useEmulator(world);

async function assume(keys: Keys, input: Partial<AssumeRoleCommandInput> & { RoleArn: string }) {
  return sts(t.endpoint, keys).send(new AssumeRoleCommand({ RoleSessionName: 'test-session', ...input }));
}

async function hubSession(extra: Partial<AssumeRoleCommandInput> = {}): Promise<Keys> {
  const out = await assume(ALICE, { RoleArn: ROLE.hub, RoleSessionName: 'hub-session', ...extra });
  return keysOf(out.Credentials);
}

describe('GetCallerIdentity', () => {
  it('names the user for long-lived keys', async () => {
    const id = await sts(t.endpoint, ALICE).send(new GetCallerIdentityCommand({}));
    expect(id.Account).toBe(A);
    expect(id.Arn).toBe(`arn:aws:iam::${A}:user/alice`);
    expect(id.UserId).toMatch(/^AIDA[A-Z0-9]{17}$/);
  });

  it('names the assumed role and acts in the role account', async () => {
    const hub = await hubSession();
    const deployer = keysOf(
      (await assume(hub, { RoleArn: ROLE.deployer, RoleSessionName: 'deploy', ExternalId: 'mlops-prod' })).Credentials,
    );
    const id = await sts(t.endpoint, deployer).send(new GetCallerIdentityCommand({}));
    expect(id.Account).toBe(B);
    expect(id.Arn).toBe(`arn:aws:sts::${B}:assumed-role/deployer/deploy`);
    expect(id.UserId).toMatch(/^AROA[A-Z0-9]{17}:deploy$/);
  });
});

describe('AssumeRole', () => {
  it('returns temporary credentials shaped like AWS', async () => {
    const before = Date.now();
    const out = await assume(ALICE, { RoleArn: ROLE.hub });
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(out.Credentials?.SecretAccessKey).toHaveLength(40);
    expect(out.Credentials?.SessionToken?.length).toBeGreaterThan(100);
    const expires = out.Credentials?.Expiration?.getTime() ?? 0;
    expect(expires - before).toBeGreaterThan(3590_000);
    expect(expires - before).toBeLessThanOrEqual(3601_000);
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${A}:assumed-role/hub/test-session`);
    expect(out.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z0-9]{17}:test-session$/);
  });

  it('refuses a role that does not trust the caller, in AWS words', async () => {
    const error = await rejection(assume(ALICE, { RoleArn: ROLE.deployer, ExternalId: 'mlops-prod' }));
    expect(error.name).toBe('AccessDenied');
    expect(error.$metadata?.httpStatusCode).toBe(403);
    expect(error.message).toBe(
      `User: arn:aws:iam::${A}:user/alice is not authorized to perform: sts:AssumeRole on resource: ${ROLE.deployer}`,
    );
  });

  it('answers a missing role exactly like an untrusting one', async () => {
    const error = await rejection(assume(ALICE, { RoleArn: `arn:aws:iam::${B}:role/does-not-exist` }));
    expect(error.name).toBe('AccessDenied');
  });

  it('lets an explicit Deny win over an account-wide Allow', async () => {
    await expect(assume(ALICE, { RoleArn: ROLE.guarded })).resolves.toBeDefined();
    const error = await rejection(assume(MALLORY, { RoleArn: ROLE.guarded }));
    expect(error.name).toBe('AccessDenied');
  });

  it.each([
    [undefined, 'AccessDenied'],
    ['wrong-id', 'AccessDenied'],
    ['mlops-prod', null],
  ])('checks ExternalId %s through the sts:ExternalId condition', async (externalId, expected) => {
    const hub = await hubSession();
    const call = assume(hub, { RoleArn: ROLE.deployer, ...(externalId ? { ExternalId: externalId } : {}) });
    if (expected === null) await expect(call).resolves.toBeDefined();
    else expect((await rejection(call)).name).toBe(expected);
  });

  it('validates the session name with the STS wording', async () => {
    const short = await rejection(assume(ALICE, { RoleArn: ROLE.hub, RoleSessionName: 'a' }));
    expect(short.name).toBe('ValidationError');
    expect(short.message).toBe(
      "1 validation error detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
    );
    const bad = await rejection(assume(ALICE, { RoleArn: ROLE.hub, RoleSessionName: 'has space' }));
    expect(bad.message).toContain('Member must satisfy regular expression pattern: [\\w+=,.@-]*');
  });

  it('bounds DurationSeconds by 900 and the role maximum', async () => {
    const low = await rejection(assume(ALICE, { RoleArn: ROLE.hub, DurationSeconds: 600 }));
    expect(low.name).toBe('ValidationError');
    expect(low.message).toContain('Member must have value greater than or equal to 900');
    await expect(assume(ALICE, { RoleArn: ROLE.hub, DurationSeconds: 7200 })).resolves.toBeDefined();
    const high = await rejection(assume(ALICE, { RoleArn: ROLE.hub, DurationSeconds: 10800 }));
    expect(high.message).toBe('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  });

  it('caps chained role sessions at one hour even when the role allows more', async () => {
    const hub = await hubSession();
    const error = await rejection(
      assume(hub, { RoleArn: ROLE.deployer, ExternalId: 'mlops-prod', DurationSeconds: 7200 }),
    );
    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe(
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
    await expect(
      assume(hub, { RoleArn: ROLE.deployer, ExternalId: 'mlops-prod', DurationSeconds: 3600 }),
    ).resolves.toBeDefined();
  });
});

describe('session tags', () => {
  it('need sts:TagSession in the trust policy', async () => {
    const hub = await hubSession();
    const error = await rejection(assume(hub, { RoleArn: ROLE.noTags, Tags: [{ Key: 'team', Value: 'ml' }] }));
    expect(error.name).toBe('AccessDenied');
    expect(error.message).toBe(
      `User: arn:aws:sts::${A}:assumed-role/hub/hub-session is not authorized to perform: sts:TagSession on resource: ${ROLE.noTags}`,
    );
    await expect(assume(hub, { RoleArn: ROLE.noTags })).resolves.toBeDefined();
  });

  it('pass transitive tags down the chain and only those', async () => {
    const hub = await hubSession({
      Tags: [
        { Key: 'team', Value: 'ml' },
        { Key: 'run', Value: '42' },
      ],
      TransitiveTagKeys: ['team'],
    });
    const out = await assume(hub, { RoleArn: ROLE.deployer, ExternalId: 'mlops-prod' });
    expect(out.PackedPolicySize).toBeUndefined();
    const session = t.emulator.state.credentials.find(out.Credentials!.AccessKeyId!)!.caller;
    expect(session.kind === 'assumed-role' && session.session.tags).toEqual([{ Key: 'team', Value: 'ml' }]);

    const conflict = await rejection(
      assume(hub, { RoleArn: ROLE.deployer, ExternalId: 'mlops-prod', Tags: [{ Key: 'TEAM', Value: 'other' }] }),
    );
    expect(conflict.name).toBe('InvalidParameterValue');
  });

  it('are validated: at most 50, keys up to 128 characters', async () => {
    const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    const tooMany = await rejection(assume(ALICE, { RoleArn: ROLE.hub, Tags: many }));
    expect(tooMany.name).toBe('ValidationError');
    const longKey = await rejection(assume(ALICE, { RoleArn: ROLE.hub, Tags: [{ Key: 'k'.repeat(129), Value: 'v' }] }));
    expect(longKey.message).toContain('Member must have length less than or equal to 128');
    const ok = await assume(ALICE, { RoleArn: ROLE.hub, Tags: [{ Key: 'team', Value: 'v'.repeat(256) }] });
    expect(ok.PackedPolicySize).toBeGreaterThan(0);
  });
});

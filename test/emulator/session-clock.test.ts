/**
 * STS sessions and OIDC tokens age on the emulator's simulated clock, and the Expiration STS
 * reports is the wall-clock instant their simulated end comes, so the SDKs' own refresh logic
 * (which reads Date.now()) acts at the right simulated moment. The clock is held and stepped:
 * nothing here races it.
 */
import { AssumeRoleCommand, AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ListPipelinesCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { SimClock } from '../../emulator/clock.ts';
import { sts } from '../../testkit/clients.ts';
import { keysOf } from '../../testkit/credentials.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { fetchIdToken, rejection } from '../../testkit/requests.ts';
import { type Keys, REPO } from '../../testkit/worlds/accounts.ts';
import { ALICE, ROLE, world } from '../../testkit/worlds/emulator-tests.ts';

const t = useEmulator(world);

afterEach(async () => {
  await t.admin.holdClock(false);
  await t.admin.setClockScale(1);
});

async function assumeHub(durationSeconds?: number): Promise<{ keys: Keys; expiration: number }> {
  const out = await sts(t.endpoint, ALICE).send(
    new AssumeRoleCommand({
      RoleArn: ROLE.hub,
      RoleSessionName: 'clock-test',
      ...(durationSeconds ? { DurationSeconds: durationSeconds } : {}),
    }),
  );
  return { keys: keysOf(out.Credentials), expiration: out.Credentials!.Expiration!.getTime() };
}

function identity(keys: Keys) {
  return sts(t.endpoint, keys).send(new GetCallerIdentityCommand({}));
}

describe('SimClock', () => {
  it.each([
    // scale, held, simulated ms from now -> wall ms from now
    [600, false, 3600_000, 6_000],
    [600, true, 3600_000, 6_000],
    [1, false, 900_000, 900_000],
    [7200, false, 3600_000, 500],
  ])('at scale %d (held %s) reaches +%d simulated ms after %d wall ms', (scale, held, simMs, wallMs) => {
    const clock = new SimClock(scale);
    clock.hold(held);
    const before = Date.now();
    const at = clock.wallTimeOf(clock.now() + simMs);
    expect(at - before).toBeGreaterThanOrEqual(wallMs - 5);
    expect(at - Date.now()).toBeLessThanOrEqual(wallMs + 5);
  });

  it('stands still while held except when advanced', () => {
    const clock = new SimClock(600);
    clock.hold(true);
    const held = clock.now();
    expect(clock.now()).toBe(held);
    clock.advance(60_000);
    expect(clock.now()).toBe(held + 60_000);
    clock.setScale(1);
    expect(clock.now()).toBe(held + 60_000);
    expect(clock.isHeld).toBe(true);
  });
});

describe('STS sessions on the simulated clock', () => {
  it('reports, for a one-hour session at time scale 600, an Expiration about 6 wall-clock seconds away and refuses the session after it', async () => {
    await t.admin.holdClock();
    await t.admin.setClockScale(600);
    const before = Date.now();
    const { keys, expiration } = await assumeHub(3600);
    const after = Date.now();
    // Whole seconds, rounded down, as STS reports them.
    expect(expiration).toBeGreaterThan(before + 6_000 - 1_000);
    expect(expiration).toBeLessThanOrEqual(after + 6_000);

    expect((await identity(keys)).Arn).toMatch(/assumed-role\/hub\/clock-test$/);
    await t.admin.advanceClock(3599_000);
    expect((await identity(keys)).Arn).toMatch(/assumed-role\/hub\/clock-test$/);
    await t.admin.advanceClock(1_000);
    const error = await rejection(identity(keys));
    expect(error.name).toBe('ExpiredToken');
    expect(error.$metadata?.httpStatusCode).toBe(403);
    expect(error.message).toBe('The security token included in the request is expired');
  });

  it('answers an expired session in the words of each protocol', async () => {
    await t.admin.holdClock();
    const { keys } = await assumeHub();
    await t.admin.advanceClock(3600_000);
    const sagemaker = new SageMakerClient({ region: 'eu-west-1', endpoint: t.endpoint, credentials: keys });
    const s3 = new S3Client({ region: 'eu-west-1', endpoint: t.endpoint, credentials: keys, forcePathStyle: true });
    try {
      const json = await rejection(sagemaker.send(new ListPipelinesCommand({})));
      expect(json.name).toBe('ExpiredTokenException');
      expect(json.$metadata?.httpStatusCode).toBe(400);
      expect(json.message).toBe('The security token included in the request is expired');
      const xml = await rejection(s3.send(new ListBucketsCommand({})));
      expect(xml.name).toBe('ExpiredToken');
      expect(xml.$metadata?.httpStatusCode).toBe(400);
    } finally {
      sagemaker.destroy();
      s3.destroy();
    }
  });

  it('defaults to one hour, allows up to the role MaxSessionDuration, and caps a chained session at one hour', async () => {
    await t.admin.holdClock();
    // The hub role allows two hours; asked for nothing, STS gives one.
    const short = await assumeHub();
    const long = await assumeHub(7200);
    await t.admin.advanceClock(3600_000);
    expect((await rejection(identity(short.keys))).name).toBe('ExpiredToken');
    await expect(identity(long.keys)).resolves.toBeDefined();

    // From the two-hour session, a chained one lives an hour at most, and asking for more is refused.
    const chained = keysOf(
      (
        await sts(t.endpoint, long.keys).send(
          new AssumeRoleCommand({ RoleArn: ROLE.deployer, RoleSessionName: 'hop', ExternalId: 'mlops-prod' }),
        )
      ).Credentials,
    );
    const tooLong = await rejection(
      sts(t.endpoint, long.keys).send(
        new AssumeRoleCommand({
          RoleArn: ROLE.deployer,
          RoleSessionName: 'hop',
          ExternalId: 'mlops-prod',
          DurationSeconds: 3601,
        }),
      ),
    );
    expect(tooLong.message).toBe(
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
    await t.admin.advanceClock(3599_000);
    await expect(identity(chained)).resolves.toBeDefined();
    await t.admin.advanceClock(1_000);
    expect((await rejection(identity(chained))).name).toBe('ExpiredToken');
    // The two-hour session itself ended at the same moment.
    expect((await rejection(identity(long.keys))).name).toBe('ExpiredToken');
  });

  it('ages web identity sessions and the OIDC tokens they come from on the same clock', async () => {
    await t.admin.holdClock();
    await t.admin.setClockScale(600);
    const token = await fetchIdToken(t.admin, { repository: REPO, ref: 'refs/heads/main' }, 'sts.amazonaws.com');
    const before = Date.now();
    const out = await sts(t.endpoint).send(
      new AssumeRoleWithWebIdentityCommand({ RoleArn: ROLE.deploy, RoleSessionName: 'gha', WebIdentityToken: token }),
    );
    expect(out.Credentials!.Expiration!.getTime() - before).toBeGreaterThan(5_000);
    expect(out.Credentials!.Expiration!.getTime() - before).toBeLessThanOrEqual(6_000 + (Date.now() - before));
    await t.admin.advanceClock(300_000);
    const expiredToken = await rejection(
      sts(t.endpoint).send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: ROLE.deploy,
          RoleSessionName: 'gha',
          WebIdentityToken: token,
        }),
      ),
    );
    expect(expiredToken.name).toBe('ExpiredTokenException');
    await t.admin.advanceClock(3300_000);
    expect((await rejection(identity(keysOf(out.Credentials)))).name).toBe('ExpiredToken');
  });
});

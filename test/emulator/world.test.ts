/** World loading, the admin API around it, and the awsQuery parameter decoding. */
import { describe, expect, it } from 'vitest';
import { decodeQuery } from '../../emulator/protocols/aws-query.ts';
import { loadWorld, readWorldFile } from '../../emulator/world.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { world } from '../../testkit/worlds/emulator-tests.ts';

const t = useEmulator(world);

describe('loadWorld', () => {
  it('loads the demo world', async () => {
    const world = loadWorld(await readWorldFile(new URL('../../emulator/worlds/demo.yaml', import.meta.url).pathname));
    expect([...world.accounts.keys()]).toEqual(['111111111111', '222222222222', '333333333333']);
    expect(world.roles.size).toBe(7);
    expect(world.usersByAccessKey.get('AKIAIOSFODNN7EXAMPLE')?.arn).toBe('arn:aws:iam::111111111111:user/ci-bootstrap');
  });

  it('derives stable keys for users without them', () => {
    const w = { accounts: [{ id: '123456789012', users: [{ name: 'bot' }] }] };
    const [first] = loadWorld(w).usersByAccessKey.values();
    const [second] = loadWorld(w).usersByAccessKey.values();
    expect(first?.accessKeyId).toMatch(/^AKIA[A-Z0-9]{16}$/);
    expect(first?.accessKeyId).toBe(second?.accessKeyId);
    expect(first?.secretAccessKey).toBe(second?.secretAccessKey);
  });

  it.each([
    [{ accounts: [{ id: '123' }] }, 'accounts[0].id must be a 12-digit account id'],
    [
      { accounts: [], roles: [{ arn: 'arn:aws:iam::123456789012:role/x', trustPolicy: {} }] },
      'roles[0].arn names unknown account',
    ],
    [
      {
        accounts: [{ id: '123456789012' }],
        roles: [{ arn: 'arn:aws:iam::123456789012:role/x', maxSessionDuration: 50000, trustPolicy: { Statement: [] } }],
      },
      'roles[0].maxSessionDuration',
    ],
    [
      {
        accounts: [{ id: '123456789012' }],
        roles: [
          {
            arn: 'arn:aws:iam::123456789012:role/x',
            trustPolicy: { Statement: [{ Effect: 'Allow', Condition: { DateGreaterThan: {} } }] },
          },
        ],
      },
      'condition operator DateGreaterThan is not supported',
    ],
  ])('names what is wrong: %#', (world, message) => {
    expect(() => loadWorld(world)).toThrow(message);
  });

  it('replaces the world over the admin API and refuses a bad one with 400', async () => {
    const summary = await t.admin.loadWorld({ accounts: [{ id: '444444444444', users: [{ name: 'x' }] }] });
    expect(summary.accounts[0]?.users[0]?.accessKeyId).toMatch(/^AKIA/);
    await expect(t.admin.loadWorld({ accounts: [{ id: 'nope' }] })).rejects.toThrow(/\(400\).*accounts\[0\]\.id/);
    expect((await t.admin.health()).accounts).toEqual(['444444444444']);
  });

  it('advances the simulated clock without touching the wall clock', async () => {
    const before = Date.parse((await t.admin.health()).simulatedTime);
    const { simulatedTime } = await t.admin.advanceClock(3_600_000);
    expect(Date.parse(simulatedTime) - before).toBeGreaterThanOrEqual(3_600_000);
    expect(Math.abs(Date.now() - before)).toBeLessThan(60_000);
  });
});

describe('decodeQuery', () => {
  it('rebuilds member lists, lists of structures and maps', () => {
    const params = new URLSearchParams(
      'Action=AssumeRole&Version=2011-06-15&RoleArn=arn&Tags.member.1.Key=team&Tags.member.1.Value=ml' +
        '&Tags.member.2.Key=run&Tags.member.2.Value=7&TransitiveTagKeys.member.1=team' +
        '&Attrs.entry.1.key=a&Attrs.entry.1.value=b&PolicyArns=',
    );
    expect(decodeQuery(params)).toEqual({
      action: 'AssumeRole',
      version: '2011-06-15',
      input: {
        RoleArn: 'arn',
        Tags: [
          { Key: 'team', Value: 'ml' },
          { Key: 'run', Value: '7' },
        ],
        TransitiveTagKeys: ['team'],
        Attrs: { a: 'b' },
        PolicyArns: '',
      },
    });
  });

  it('orders members by index, not by arrival', () => {
    const { input } = decodeQuery(new URLSearchParams('Action=X&L.member.10=j&L.member.2=b&L.member.1=a'));
    expect(input.L).toEqual(['a', 'b', 'j']);
  });
});

/** Fault injection against the real SDK's retry behaviour, and the calls log that records it. */
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { CreateModelPackageGroupCommand, DescribeModelPackageGroupCommand } from '@aws-sdk/client-sagemaker';
import { describe, expect, it } from 'vitest';
import { CallLog } from '../../emulator/calls-log.ts';
import { FaultInjector, parseFaultSettings } from '../../emulator/faults.ts';
import { sagemaker, sts } from '../../testkit/clients.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { fetchIdToken, rejection } from '../../testkit/requests.ts';
import { REPO } from '../../testkit/worlds/accounts.ts';
import { ALICE, ROLE, world } from '../../testkit/worlds/emulator-tests.ts';

const t = useEmulator(world);
const whoami = new GetCallerIdentityCommand({});

describe('faults', () => {
  it('throttles the next two calls; the SDK retries through them and the log shows both', async () => {
    await t.admin.setFaults([{ kind: 'throttle', service: 'sts', operation: 'GetCallerIdentity', count: 2 }]);
    const out = await sts(t.endpoint, ALICE, { maxAttempts: 3 }).send(whoami);
    expect(out.$metadata.attempts).toBe(3);
    const calls = await t.admin.calls();
    expect(calls.map((c) => [c.operation, c.status, c.errorCode, c.fault])).toEqual([
      ['GetCallerIdentity', 400, 'Throttling', 'throttle'],
      ['GetCallerIdentity', 400, 'Throttling', 'throttle'],
      ['GetCallerIdentity', 200, null, null],
    ]);
    expect(calls.every((c) => c.accessKeyId === ALICE.accessKeyId && c.account === '111111111111')).toBe(true);
    expect(await t.admin.faults()).toEqual([expect.objectContaining({ kind: 'throttle', count: 0 })]);
  });

  it('surfaces a reset as a network error when retries are off, and is retried otherwise', async () => {
    await t.admin.setFaults([{ kind: 'reset', operation: 'GetCallerIdentity', count: 1 }]);
    const error = await rejection(sts(t.endpoint, ALICE, { maxAttempts: 1 }).send(whoami));
    expect(error.$metadata?.httpStatusCode).toBeUndefined();
    expect(`${error.name} ${error.message} ${(error as { code?: string }).code}`).toMatch(/ECONNRESET|socket hang up/);
    expect((await t.admin.calls())[0]).toMatchObject({ status: 0, errorCode: 'ConnectionReset', fault: 'reset' });

    await t.admin.setFaults([{ kind: 'reset', operation: 'GetCallerIdentity', count: 1 }]);
    await expect(sts(t.endpoint, ALICE, { maxAttempts: 3 }).send(whoami)).resolves.toMatchObject({
      Account: '111111111111',
    });
  });

  it('a lost response applies the call, then drops the connection; the retry meets what it did', async () => {
    await t.admin.setFaults([{ kind: 'lost-response', operation: 'CreateModelPackageGroup', count: 1 }]);
    const client = sagemaker(t.endpoint, ALICE);
    const create = new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'lost' });
    const error = await rejection(client.send(create));
    expect(error.$metadata?.httpStatusCode).toBeUndefined();
    const [lost] = await t.admin.calls();
    expect(lost).toMatchObject({
      operation: 'CreateModelPackageGroup',
      status: 0,
      errorCode: 'ResponseLost',
      fault: 'lost-response',
    });
    // The group exists although its answer never arrived: a retry is told so.
    const described = await client.send(new DescribeModelPackageGroupCommand({ ModelPackageGroupName: 'lost' }));
    expect(described.ModelPackageGroupName).toBe('lost');
    expect((await rejection(client.send(create))).message).toMatch(/already exists/);
  });

  it('answers server errors with 500 InternalFailure or 503 ServiceUnavailable', async () => {
    await t.admin.setFaults([{ kind: 'server-error', status: 503, count: 1 }]);
    const error = await rejection(sts(t.endpoint, ALICE, { maxAttempts: 1 }).send(whoami));
    expect(error.name).toBe('ServiceUnavailable');
    expect(error.$metadata?.httpStatusCode).toBe(503);
    await t.admin.setFaults([{ kind: 'server-error', count: 1 }]);
    const internal = await rejection(sts(t.endpoint, ALICE, { maxAttempts: 1 }).send(whoami));
    expect(internal.name).toBe('InternalFailure');
  });

  it('injects any AWS error, e.g. IDPCommunicationError on AssumeRoleWithWebIdentity', async () => {
    await t.admin.setFaults([
      {
        kind: 'error',
        operation: 'AssumeRoleWithWebIdentity',
        code: 'IDPCommunicationError',
        message: 'Unable to reach the identity provider',
        status: 400,
        count: 1,
      },
    ]);
    const token = await fetchIdToken(t.admin, { repository: REPO, ref: 'refs/heads/main' }, 'sts.amazonaws.com');
    const call = new AssumeRoleWithWebIdentityCommand({
      RoleArn: ROLE.deploy,
      RoleSessionName: 'r1',
      WebIdentityToken: token,
    });
    const error = await rejection(sts(t.endpoint, undefined, { maxAttempts: 1 }).send(call));
    expect(error.name).toBe('IDPCommunicationErrorException');
    expect(error.message).toBe('Unable to reach the identity provider');
    await expect(sts(t.endpoint).send(call)).resolves.toHaveProperty('Credentials');
  });

  it('delays a call by the latency given, then answers normally', async () => {
    await t.admin.setFaults([{ kind: 'latency', ms: 150 }]);
    const started = performance.now();
    await sts(t.endpoint, ALICE).send(whoami);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('fails the OIDC token endpoint when asked to', async () => {
    await t.admin.setFaults([{ kind: 'server-error', service: 'oidc', count: 1 }]);
    const { requestUrl, requestToken } = await t.admin.issueOidcRequest({ repository: REPO, ref: 'refs/heads/main' });
    const headers = { authorization: `Bearer ${requestToken}` };
    expect((await fetch(requestUrl, { headers })).status).toBe(500);
    expect((await fetch(requestUrl, { headers })).status).toBe(200);
  });

  it('rejects a malformed fault list with a message naming the field', async () => {
    await expect(t.admin.setFaults([{ kind: 'throttle', rate: 2 }])).rejects.toThrow(/faults\[0\]\.rate/);
    await expect(t.admin.setFaults([{ kind: 'throttle', body: '<html>' }])).rejects.toThrow(/faults\[0\]\.body/);
  });

  it('answers a server error with a body of its own, as a proxy in front of a service does', async () => {
    await t.admin.setFaults([
      { kind: 'server-error', status: 503, service: 'sts', body: '<html>Service Unavailable</html>' },
    ]);
    const response = await fetch(`${t.endpoint}/?Action=AssumeRoleWithWebIdentity&Version=2011-06-15`);
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(await response.text()).toBe('<html>Service Unavailable</html>');
  });
});

describe('rate faults', () => {
  it('repeat exactly for the same seed', () => {
    const pattern = (seed: number) => {
      const injector = new FaultInjector();
      injector.set(parseFaultSettings({ faults: [{ kind: 'throttle', rate: 0.5 }], seed }));
      return Array.from({ length: 40 }, () => (injector.decide('sts', 'GetCallerIdentity').fault ? 1 : 0)).join('');
    };
    expect(pattern(7)).toBe(pattern(7));
    expect(pattern(7)).not.toBe(pattern(8));
    const hits = [...pattern(7)].filter((c) => c === '1').length;
    expect(hits).toBeGreaterThan(10);
    expect(hits).toBeLessThan(30);
  });

  it('combine rate and count: at most count firings', () => {
    const injector = new FaultInjector();
    injector.set(parseFaultSettings([{ kind: 'server-error', rate: 0.9, count: 3, service: 'sagemaker' }]));
    const fired = Array.from({ length: 20 }, () => injector.decide('sagemaker', 'CreatePipeline').fault).filter(
      Boolean,
    );
    expect(fired).toHaveLength(3);
    expect(injector.decide('sts', 'AssumeRole').fault).toBeNull();
  });
});

describe('call log', () => {
  const call = (operation: string) => ({
    time: '',
    service: 'sts',
    operation,
    region: 'us-east-1',
    account: null,
    principalArn: null,
    accessKeyId: null,
    mutating: false,
    status: 200,
    errorCode: null,
    fault: null,
    input: {},
  });

  it('keeps the newest calls within its capacity and counts the ones it let go', () => {
    const log = new CallLog(100);
    for (let i = 0; i < 1000; i++) log.record(call(`Op${i}`));
    const kept = log.list();
    expect(kept).toHaveLength(100);
    expect(kept[0]?.seq).toBe(901);
    expect(kept.at(-1)?.operation).toBe('Op999');
    expect(log.dropped).toBe(900);
  });

  it('pages by seq and limit', () => {
    const log = new CallLog(100);
    for (let i = 0; i < 30; i++) log.record(call(`Op${i}`));
    expect(log.list(0, 10).map((c) => c.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(log.list(25).map((c) => c.seq)).toEqual([26, 27, 28, 29, 30]);
    expect(log.list(30)).toEqual([]);
  });

  it('pages through the admin API', async () => {
    for (let i = 0; i < 5; i++) await sts(t.endpoint, ALICE).send(whoami);
    const first = await t.admin.calls(undefined, 2);
    const next = await t.admin.calls(first.at(-1)!.seq, 2);
    expect([...first, ...next].map((c) => c.seq)).toEqual((await t.admin.calls()).slice(0, 4).map((c) => c.seq));
  });
});

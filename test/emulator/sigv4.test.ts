/** The front door: SigV4 verification and AWS-shaped rejections for the query protocol. */
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { sts } from '../../testkit/clients.ts';
import { keysOf } from '../../testkit/credentials.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { rejection, signedPost } from '../../testkit/requests.ts';
import { ALICE, ROLE, world } from '../../testkit/worlds/emulator-tests.ts';

const t = useEmulator(world);
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('SigV4 verification', () => {
  it('rejects a request signed with the wrong secret', async () => {
    const client = sts(t.endpoint, { ...ALICE, secretAccessKey: `${ALICE.secretAccessKey.slice(0, -1)}X` });
    const error = await rejection(client.send(new GetCallerIdentityCommand({})));
    expect(error.name).toBe('SignatureDoesNotMatch');
    expect(error.$metadata?.httpStatusCode).toBe(403);
    expect(error.message).toMatch(/^The request signature we calculated does not match/);
  });

  it('rejects an access key it does not know', async () => {
    const error = await rejection(
      sts(t.endpoint, { ...ALICE, accessKeyId: 'AKIAUNKNOWN000000000' }).send(new GetCallerIdentityCommand({})),
    );
    expect(error.name).toBe('InvalidClientTokenId');
    expect(error.message).toBe('The security token included in the request is invalid.');
  });

  it('rejects an unsigned call to a signed operation', async () => {
    const response = await fetch(`${t.endpoint}/`, {
      method: 'POST',
      headers: FORM,
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    const xml = await response.text();
    expect(xml).toContain('<Code>MissingAuthenticationToken</Code>');
    expect(xml).toContain('<Type>Sender</Type>');
  });

  it('rejects a body changed after signing', async () => {
    const body = 'Action=GetCallerIdentity&Version=2011-06-15';
    const intact = await signedPost(t.endpoint, { keys: ALICE, service: 'sts', headers: FORM, body });
    expect(intact.status).toBe(200);
    const swapped = await signedPost(t.endpoint, {
      keys: ALICE,
      service: 'sts',
      headers: FORM,
      body,
      sendBody: `${body}&Extra=1`,
    });
    expect(swapped.status).toBe(403);
    expect(await swapped.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('rejects a request dated more than 15 minutes off, and the SDK corrects its clock from the Date header', async () => {
    const skewed = sts(t.endpoint, ALICE, { systemClockOffset: -20 * 60 * 1000, maxAttempts: 1 });
    const error = await rejection(skewed.send(new GetCallerIdentityCommand({})));
    expect(error.name).toBe('SignatureDoesNotMatch');
    expect(error.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than/);

    // The SDK resets its offset from the Date header of the rejection; the next call is signed right.
    await expect(skewed.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Account: '111111111111' });
  });

  it('requires the session token of session credentials', async () => {
    const hub = keysOf(
      (await sts(t.endpoint, ALICE).send(new AssumeRoleCommand({ RoleArn: ROLE.hub, RoleSessionName: 'sess' })))
        .Credentials,
    );
    const noToken = await rejection(
      sts(t.endpoint, { accessKeyId: hub.accessKeyId, secretAccessKey: hub.secretAccessKey }).send(
        new GetCallerIdentityCommand({}),
      ),
    );
    expect(noToken.name).toBe('InvalidClientTokenId');
    const wrongToken = await rejection(
      sts(t.endpoint, { ...hub, sessionToken: `${hub.sessionToken}x` }).send(new GetCallerIdentityCommand({})),
    );
    expect(wrongToken.name).toBe('InvalidClientTokenId');
    const userWithToken = await rejection(
      sts(t.endpoint, { ...ALICE, sessionToken: hub.sessionToken }).send(new GetCallerIdentityCommand({})),
    );
    expect(userWithToken.name).toBe('InvalidClientTokenId');
  });

  it('rejects an expired session with ExpiredToken', async () => {
    const hub = keysOf(
      (await sts(t.endpoint, ALICE).send(new AssumeRoleCommand({ RoleArn: ROLE.hub, RoleSessionName: 'sess' })))
        .Credentials,
    );
    await t.admin.advanceClock(3600_000);
    const error = await rejection(sts(t.endpoint, hub).send(new GetCallerIdentityCommand({})));
    expect(error.name).toBe('ExpiredToken');
    expect(error.message).toBe('The security token included in the request is expired');
  });

  it('answers an unknown action with InvalidAction', async () => {
    const response = await signedPost(t.endpoint, {
      keys: ALICE,
      service: 'sts',
      headers: FORM,
      body: 'Action=MakeMeAdmin&Version=2011-06-15',
    });
    expect(response.status).toBe(400);
    const xml = await response.text();
    expect(xml).toContain('<Code>InvalidAction</Code>');
    expect(xml).toContain('Could not find operation MakeMeAdmin for version 2011-06-15');
  });
});

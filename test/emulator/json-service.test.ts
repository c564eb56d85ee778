/**
 * The service registry over awsJson1_1, with a stand-in service registered the way SageMaker,
 * ECR and CloudWatch Logs will be: routing by X-Amz-Target, per-account stores, JSON errors.
 */
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { AwsError } from '../../emulator/errors.ts';
import type { OperationContext, ServiceDefinition } from '../../emulator/registry.ts';
import { sts } from '../../testkit/clients.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { signedPost } from '../../testkit/requests.ts';
import { type Keys } from '../../testkit/worlds/accounts.ts';
import { ALICE, prodKeys, ROLE, world } from '../../testkit/worlds/emulator-tests.ts';

type Widgets = Map<string, { name: string; created: Date }>;
const widgets = (context: OperationContext) => context.store<Widgets>(() => new Map());

const widgetService: ServiceDefinition = {
  name: 'widgets',
  protocol: 'awsJson1_1',
  targetPrefix: 'Widgets_20240101',
  operations: {
    CreateWidget: (context) => {
      const name = String(context.input.Name);
      widgets(context).set(name, { name, created: new Date(1_700_000_000_000) });
      return { WidgetArn: `arn:aws:widgets:${context.region}:${context.caller.accountId}:widget/${name}` };
    },
    DescribeWidget: (context) => {
      const widget = widgets(context).get(String(context.input.Name));
      if (!widget) throw new AwsError('ResourceNotFound', `Widget ${String(context.input.Name)} does not exist.`);
      return { Name: widget.name, CreationTime: widget.created };
    },
  },
};

const t = useEmulator(world, { services: [widgetService] });

async function call(keys: Keys, operation: string, input: unknown, region = 'us-east-1') {
  const response = await signedPost(t.endpoint, {
    keys,
    service: 'widgets',
    region,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Widgets_20240101.${operation}` },
    body: JSON.stringify(input),
  });
  return {
    status: response.status,
    errorType: response.headers.get('x-amzn-errortype'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('awsJson1_1 services', () => {
  it('route by X-Amz-Target and encode timestamps as epoch seconds', async () => {
    expect((await call(ALICE, 'CreateWidget', { Name: 'w1' })).body).toEqual({
      WidgetArn: 'arn:aws:widgets:us-east-1:111111111111:widget/w1',
    });
    expect((await call(ALICE, 'DescribeWidget', { Name: 'w1' })).body).toEqual({
      Name: 'w1',
      CreationTime: 1_700_000_000,
    });
  });

  it('keep resources per account and per region', async () => {
    await call(ALICE, 'CreateWidget', { Name: 'w1' });
    const deployer = await prodKeys(t.endpoint);
    const other = await call(deployer, 'DescribeWidget', { Name: 'w1' });
    expect(other).toEqual({
      status: 400,
      errorType: 'ResourceNotFound',
      body: { __type: 'ResourceNotFound', message: 'Widget w1 does not exist.' },
    });
    expect((await call(ALICE, 'DescribeWidget', { Name: 'w1' }, 'eu-west-1')).status).toBe(400);
    expect((await call(ALICE, 'DescribeWidget', { Name: 'w1' }, 'us-east-1')).status).toBe(200);
  });

  it('answer front-door errors with the JSON codes', async () => {
    expect((await call(ALICE, 'ExplodeWidget', {})).body.__type).toBe('UnknownOperationException');
    const badSecret = await call({ ...ALICE, secretAccessKey: 'x'.repeat(40) }, 'DescribeWidget', { Name: 'w' });
    expect(badSecret.errorType).toBe('InvalidSignatureException');
    const unknownKey = await call({ ...ALICE, accessKeyId: 'AKIAUNKNOWN000000000' }, 'DescribeWidget', {});
    expect(unknownKey.body).toEqual({
      __type: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
    const unsigned = await fetch(`${t.endpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Widgets_20240101.DescribeWidget' },
      body: '{}',
    });
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');

    await t.admin.setFaults([{ kind: 'throttle', service: 'widgets', count: 1 }]);
    const throttled = await call(ALICE, 'DescribeWidget', { Name: 'w' });
    expect(throttled).toMatchObject({ status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } });
  });

  it('mark calls mutating unless they only read', async () => {
    await call(ALICE, 'CreateWidget', { Name: 'w1' });
    await call(ALICE, 'DescribeWidget', { Name: 'w1' });
    await sts(t.endpoint, ALICE).send(new AssumeRoleCommand({ RoleArn: ROLE.hub, RoleSessionName: 'hub' }));
    const calls = await t.admin.calls();
    expect(calls.map((c) => [c.service, c.operation, c.mutating])).toEqual([
      ['widgets', 'CreateWidget', true],
      ['widgets', 'DescribeWidget', false],
      ['sts', 'AssumeRole', false],
    ]);
    expect(calls[0]).toMatchObject({
      account: '111111111111',
      principalArn: 'arn:aws:iam::111111111111:user/alice',
      region: 'us-east-1',
      input: { Name: 'w1' },
    });
    await t.admin.clearCalls();
    expect(await t.admin.calls()).toEqual([]);
  });
});

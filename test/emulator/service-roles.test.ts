/**
 * IAM for the event-driven services: what their operations are authorised as (passing a target
 * role is iam:PassRole to the invoking service), and how a service acts for a customer: it
 * assumes a role only when the role's trust policy names the service (conditions on the source
 * included), then acts with the role's permissions; without a role, a resource policy must name it.
 */
import { describe, expect, it } from 'vitest';
import { authorizationsFor } from '../../emulator/iam/operations.ts';
import { actAsRole, isRefusal, resourcePolicyAllowsService } from '../../emulator/iam/service-roles.ts';
import { EmulatorState } from '../../emulator/state.ts';
import type { PolicyDocument, World } from '../../emulator/types.ts';

const A = '111111111111';
const ROLE = `arn:aws:iam::${A}:role/invoker`;
const PIPELINE = `arn:aws:sagemaker:us-east-1:${A}:pipeline/training`;
const RULE = `arn:aws:events:us-east-1:${A}:rule/retrain`;

describe('operations of Scheduler, EventBridge and SNS', () => {
  const scope = (input: Record<string, unknown>) => ({ account: A, region: 'us-east-1', input });
  it.each([
    [
      'scheduler',
      'CreateSchedule',
      { Name: 'nightly', GroupName: 'ml', Target: { Arn: PIPELINE, RoleArn: ROLE } },
      [
        ['scheduler:CreateSchedule', `arn:aws:scheduler:us-east-1:${A}:schedule/ml/nightly`, undefined],
        ['iam:PassRole', ROLE, 'scheduler.amazonaws.com'],
      ],
    ],
    [
      'scheduler',
      'GetSchedule',
      { Name: 'nightly' },
      [['scheduler:GetSchedule', `arn:aws:scheduler:us-east-1:${A}:schedule/default/nightly`, undefined]],
    ],
    [
      'events',
      'PutTargets',
      { Rule: 'retrain', Targets: [{ Id: 't', Arn: PIPELINE, RoleArn: ROLE }] },
      [
        ['events:PutTargets', RULE, undefined],
        ['iam:PassRole', ROLE, 'events.amazonaws.com'],
      ],
    ],
    [
      'events',
      'PutEvents',
      { Entries: [{ Source: 'a' }, { Source: 'b', EventBusName: 'default' }] },
      [['events:PutEvents', `arn:aws:events:us-east-1:${A}:event-bus/default`, undefined]],
    ],
    [
      'sns',
      'Unsubscribe',
      { SubscriptionArn: `arn:aws:sns:us-east-1:${A}:alerts:0f2d0c1e-3b9a-4a8e-9d2e-5f1c7b6a4e21` },
      [['sns:Unsubscribe', `arn:aws:sns:us-east-1:${A}:alerts`, undefined]],
    ],
    [
      'sns',
      'CreateTopic',
      { Name: 'alerts', Tags: [{ Key: 'team', Value: 'ml' }] },
      [
        ['sns:CreateTopic', `arn:aws:sns:us-east-1:${A}:alerts`, undefined],
        ['sns:TagResource', `arn:aws:sns:us-east-1:${A}:alerts`, undefined],
      ],
    ],
  ])('%s %s', (service, operation, input, expected) => {
    const authorizations = authorizationsFor(service, operation, scope(input)) ?? [];
    expect(
      authorizations.map((a) => [a.action, a.resource, a.context?.['iam:PassedToService'] as string | undefined]),
    ).toEqual(expected);
  });
});

function stateWith(trust: object, policies: object[] = [], authorization: World['authorization'] = 'iam') {
  return new EmulatorState({
    authorization,
    accounts: [{ id: A }],
    roles: [
      {
        arn: ROLE,
        trustPolicy: trust,
        policies: policies.map((document, i) => ({ name: `p${i}`, document })),
      },
    ],
  });
}

const trusts = (service: string, condition?: object) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sts:AssumeRole',
      ...(condition ? { Condition: condition } : {}),
    },
  ],
});

const mayStart = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'sagemaker:StartPipelineExecution', Resource: PIPELINE }],
};

const request = {
  service: 'events.amazonaws.com',
  roleArn: ROLE,
  action: 'sagemaker:StartPipelineExecution',
  resource: PIPELINE,
  sourceArn: RULE,
  sourceAccount: A,
};

describe('a service acting as a role', () => {
  it.each([
    ['trusted and allowed', trusts('events.amazonaws.com'), [mayStart], 'iam', null],
    ['trusting another service', trusts('scheduler.amazonaws.com'), [mayStart], 'iam', 'AccessDenied'],
    [
      'trusted only from another source account',
      trusts('events.amazonaws.com', { StringEquals: { 'aws:SourceAccount': '999999999999' } }),
      [mayStart],
      'iam',
      'AccessDenied',
    ],
    [
      'trusted from this rule',
      trusts('events.amazonaws.com', { ArnLike: { 'aws:SourceArn': `arn:aws:events:*:${A}:rule/*` } }),
      [mayStart],
      'iam',
      null,
    ],
    ['trusted, with no permission', trusts('events.amazonaws.com'), [], 'iam', 'AccessDeniedException'],
    ['trusted, in a world that consults no identity policy', trusts('events.amazonaws.com'), [], 'allow-all', null],
  ] as const)('%s', (_, trust, policies, authorization, refusal) => {
    const outcome = actAsRole(stateWith(trust, [...policies], authorization), request);
    expect(isRefusal(outcome) ? outcome.code : null).toBe(refusal);
    if (!isRefusal(outcome)) expect(outcome.arn).toBe(`arn:aws:sts::${A}:assumed-role/invoker/events`);
  });

  it('a role that does not exist cannot be assumed', () => {
    const outcome = actAsRole(stateWith(trusts('events.amazonaws.com')), { ...request, roleArn: `${ROLE}-gone` });
    expect(isRefusal(outcome) && outcome.code).toBe('AccessDenied');
  });

  it('a resource policy lets a service in only when it names that service', () => {
    const topic = `arn:aws:sns:us-east-1:${A}:alerts`;
    const policy = (service: string): PolicyDocument => ({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sns:Publish', Resource: topic }],
    });
    const publish = { ...request, action: 'sns:Publish', resource: topic };
    expect(resourcePolicyAllowsService(policy('events.amazonaws.com'), publish)).toBe(true);
    expect(resourcePolicyAllowsService(policy('scheduler.amazonaws.com'), publish)).toBe(false);
    expect(resourcePolicyAllowsService(undefined, publish)).toBe(false);
  });
});

/**
 * Shared setup for the emulator's event-driven services (EventBridge Scheduler, EventBridge,
 * SNS): SDK clients, and a world authorised by IAM in which service roles trust (or do not
 * trust) the services that invoke targets as them.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SNSClient } from '@aws-sdk/client-sns';
import { afterAll } from 'vitest';
import type { Delivery, SnsDelivery, TargetInvocation, World } from '../emulator/admin-client.ts';
import { DEV, PROD, type Keys } from './worlds/accounts.ts';

export const ACCOUNT = DEV;
export const OTHER_ACCOUNT = PROD;
export const REGION = 'us-east-1';

export const OPS_KEYS: Keys = {
  accessKeyId: 'AKIAEVENTSOPS0000001',
  secretAccessKey: 'events/ops/secret/key/for/emulator/tests/01',
};
export const OUTSIDER_KEYS: Keys = {
  accessKeyId: 'AKIAEVENTSOUTSIDER01',
  secretAccessKey: 'events/outsider/secret/key/for/emulator/t01',
};

const role = (name: string, account = ACCOUNT) => `arn:aws:iam::${account}:role/${name}`;

export const ROLES = {
  /** What pipelines run as. */
  pipeline: role('sagemaker-pipeline'),
  /** Trusts scheduler.amazonaws.com; may start any pipeline of the account. */
  scheduler: role('scheduler-invoker'),
  /** Trusts events.amazonaws.com; may start pipelines and invoke API destinations. */
  events: role('events-invoker'),
  /** May start pipelines but trusts only SageMaker: neither Scheduler nor EventBridge can assume it. */
  untrusted: role('untrusted-invoker'),
  /** Trusts both services and is allowed nothing. */
  powerless: role('powerless-invoker'),
};

const trust = (...services: string[]) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: services }, Action: 'sts:AssumeRole' }],
});

const allow = (name: string, Action: string | string[], Resource: string | string[]) => ({
  name,
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action, Resource }] },
});

const startPipelines = allow(
  'start-pipelines',
  'sagemaker:StartPipelineExecution',
  `arn:aws:sagemaker:${REGION}:${ACCOUNT}:pipeline/*`,
);

export const eventsWorld: World = {
  accounts: [
    {
      id: ACCOUNT,
      alias: 'prod',
      users: [{ name: 'ops', ...OPS_KEYS, policies: [allow('everything', '*', '*')] }],
    },
    {
      id: OTHER_ACCOUNT,
      alias: 'other',
      users: [{ name: 'outsider', ...OUTSIDER_KEYS, policies: [allow('everything', '*', '*')] }],
    },
  ],
  roles: [
    { arn: ROLES.pipeline, trustPolicy: trust('sagemaker.amazonaws.com') },
    { arn: ROLES.scheduler, trustPolicy: trust('scheduler.amazonaws.com'), policies: [startPipelines] },
    {
      arn: ROLES.events,
      trustPolicy: trust('events.amazonaws.com'),
      policies: [
        startPipelines,
        allow(
          'invoke-api-destinations',
          'events:InvokeApiDestination',
          `arn:aws:events:${REGION}:${ACCOUNT}:api-destination/*`,
        ),
      ],
    },
    { arn: ROLES.untrusted, trustPolicy: trust('sagemaker.amazonaws.com'), policies: [startPipelines] },
    { arn: ROLES.powerless, trustPolicy: trust('scheduler.amazonaws.com', 'events.amazonaws.com') },
  ],
};

const clients: { destroy(): void }[] = [];

afterAll(() => {
  for (const client of clients.splice(0)) client.destroy();
});

function track<T extends { destroy(): void }>(client: T): T {
  clients.push(client);
  return client;
}

export const scheduler = (endpoint: string, credentials: Keys = OPS_KEYS) =>
  track(new SchedulerClient({ region: REGION, endpoint, credentials, maxAttempts: 1 }));

export const eventBridge = (endpoint: string, credentials: Keys = OPS_KEYS) =>
  track(new EventBridgeClient({ region: REGION, endpoint, credentials, maxAttempts: 1 }));

export const sns = (endpoint: string, credentials: Keys = OPS_KEYS) =>
  track(new SNSClient({ region: REGION, endpoint, credentials, maxAttempts: 1 }));

export const invocations = (deliveries: Delivery[]): TargetInvocation[] =>
  deliveries.filter((d): d is TargetInvocation => d.kind === 'invocation');

export const notifications = (deliveries: Delivery[]): SnsDelivery[] =>
  deliveries.filter((d): d is SnsDelivery => d.kind === 'sns' && d.type === 'Notification');

/** A topic policy letting EventBridge rules of the account publish, as AWS documents it. */
export function eventsMayPublish(topicArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowEventBridge',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: topicArn,
        Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
      },
    ],
  });
}

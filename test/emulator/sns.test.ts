/**
 * SNS in the emulator (awsQuery): topics with their attributes, policies and tags;
 * subscriptions, email ones waiting for confirmation as on AWS; Publish delivering to every
 * confirmed subscription, each delivery recorded for tests and the demo to read.
 */
import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  PublishCommand,
  SetTopicAttributesCommand,
  SubscribeCommand,
  TagResourceCommand,
  UnsubscribeCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import type { SnsDelivery } from '../../emulator/admin-client.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import {
  ACCOUNT,
  OTHER_ACCOUNT,
  OUTSIDER_KEYS,
  REGION,
  eventsWorld,
  notifications,
  sns,
} from '../../testkit/emulator-events.ts';
import { rejection } from '../../testkit/requests.ts';

const t = useEmulator(eventsWorld);

const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:pipeline-alerts`;

async function topic(): Promise<string> {
  const { TopicArn } = await sns(t.endpoint).send(new CreateTopicCommand({ Name: 'pipeline-alerts' }));
  return TopicArn ?? '';
}

async function confirmationRequests(): Promise<SnsDelivery[]> {
  return (await t.admin.deliveries()).filter(
    (d): d is SnsDelivery => d.kind === 'sns' && d.type === 'SubscriptionConfirmation',
  );
}

describe('topics', () => {
  it('are created once by name, described with their default policy, and listed', async () => {
    const client = sns(t.endpoint);
    expect(await topic()).toBe(TOPIC);
    expect(await topic()).toBe(TOPIC);
    const { Attributes } = await client.send(new GetTopicAttributesCommand({ TopicArn: TOPIC }));
    expect(Attributes).toMatchObject({
      TopicArn: TOPIC,
      Owner: ACCOUNT,
      DisplayName: '',
      SubscriptionsConfirmed: '0',
      SubscriptionsPending: '0',
      SubscriptionsDeleted: '0',
    });
    const policy = JSON.parse(Attributes?.Policy ?? '{}') as { Statement: { Condition: unknown; Resource: string }[] };
    expect(policy.Statement[0]).toMatchObject({
      Resource: TOPIC,
      Condition: { StringEquals: { 'AWS:SourceOwner': ACCOUNT } },
    });
    await client.send(
      new SetTopicAttributesCommand({ TopicArn: TOPIC, AttributeName: 'DisplayName', AttributeValue: 'ML alerts' }),
    );
    expect((await client.send(new GetTopicAttributesCommand({ TopicArn: TOPIC }))).Attributes?.DisplayName).toBe(
      'ML alerts',
    );
    expect((await client.send(new ListTopicsCommand({}))).Topics).toEqual([{ TopicArn: TOPIC }]);
    await client.send(new DeleteTopicCommand({ TopicArn: TOPIC }));
    expect((await client.send(new ListTopicsCommand({}))).Topics).toEqual([]);
    const gone = await rejection(client.send(new GetTopicAttributesCommand({ TopicArn: TOPIC })));
    expect([gone.name, gone.$metadata?.httpStatusCode]).toEqual(['NotFoundException', 404]);
  });

  it('keep their tags', async () => {
    const client = sns(t.endpoint);
    await client.send(new CreateTopicCommand({ Name: 'pipeline-alerts', Tags: [{ Key: 'team', Value: 'ml' }] }));
    await client.send(new TagResourceCommand({ ResourceArn: TOPIC, Tags: [{ Key: 'env', Value: 'prod' }] }));
    await client.send(new UntagResourceCommand({ ResourceArn: TOPIC, TagKeys: ['team'] }));
    expect((await client.send(new ListTagsForResourceCommand({ ResourceArn: TOPIC }))).Tags).toEqual([
      { Key: 'env', Value: 'prod' },
    ]);
  });

  it.each([
    ['a name with a space', { Name: 'pipeline alerts' }, 'Invalid parameter: Topic Name'],
    [
      'an attribute SNS does not have',
      { Name: 'x', Attributes: { Colour: 'blue' } },
      'Invalid parameter: AttributeName',
    ],
    ['a policy that is not JSON', { Name: 'x', Attributes: { Policy: '{' } }, 'Invalid parameter: Policy Error: null'],
  ])('refuses %s', async (_, input, message) => {
    const error = await rejection(sns(t.endpoint).send(new CreateTopicCommand(input)));
    expect([error.name, error.message]).toEqual(['InvalidParameterException', message]);
    expect((await sns(t.endpoint).send(new ListTopicsCommand({}))).Topics).toEqual([]);
  });

  it('refuse another account unless their policy lets it in', async () => {
    await topic();
    const outsider = sns(t.endpoint, OUTSIDER_KEYS);
    const refused = await rejection(outsider.send(new PublishCommand({ TopicArn: TOPIC, Message: 'hi' })));
    expect(refused.name).toBe('AuthorizationErrorException');
    expect(refused.message).toBe(
      `User: arn:aws:iam::${OTHER_ACCOUNT}:user/outsider is not authorized to perform: sns:Publish on resource: ${TOPIC} because no resource-based policy allows the sns:Publish action`,
    );
    await sns(t.endpoint).send(
      new SetTopicAttributesCommand({
        TopicArn: TOPIC,
        AttributeName: 'Policy',
        AttributeValue: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` },
              Action: 'sns:Publish',
              Resource: TOPIC,
            },
          ],
        }),
      }),
    );
    expect((await outsider.send(new PublishCommand({ TopicArn: TOPIC, Message: 'hi' }))).MessageId).toMatch(
      /^[0-9a-f-]{36}$/,
    );
  });
});

describe('subscriptions and deliveries', () => {
  it('an email subscription gets nothing until confirmed with the token SNS sent it', async () => {
    const client = sns(t.endpoint);
    await topic();
    const { SubscriptionArn } = await client.send(
      new SubscribeCommand({ TopicArn: TOPIC, Protocol: 'email', Endpoint: 'ml-team@example.com' }),
    );
    expect(SubscriptionArn).toBe('pending confirmation');
    const listed = await client.send(new ListSubscriptionsByTopicCommand({ TopicArn: TOPIC }));
    expect(listed.Subscriptions).toEqual([
      {
        SubscriptionArn: 'PendingConfirmation',
        Owner: ACCOUNT,
        Protocol: 'email',
        Endpoint: 'ml-team@example.com',
        TopicArn: TOPIC,
      },
    ]);
    await client.send(new PublishCommand({ TopicArn: TOPIC, Subject: 'early', Message: 'not delivered' }));
    expect(notifications(await t.admin.deliveries())).toEqual([]);

    const [request] = await confirmationRequests();
    expect(request).toMatchObject({ endpoint: 'ml-team@example.com', topicArn: TOPIC });
    const bad = await rejection(client.send(new ConfirmSubscriptionCommand({ TopicArn: TOPIC, Token: 'nope' })));
    expect(bad.name).toBe('InvalidParameterException');
    const confirmed = await client.send(new ConfirmSubscriptionCommand({ TopicArn: TOPIC, Token: request?.token }));
    expect(confirmed.SubscriptionArn).toBe(request?.subscriptionArn);

    const { MessageId } = await client.send(
      new PublishCommand({ TopicArn: TOPIC, Subject: 'Pipeline failed', Message: 'batch-inference failed' }),
    );
    expect(notifications(await t.admin.deliveries())).toMatchObject([
      {
        topicArn: TOPIC,
        subscriptionArn: request?.subscriptionArn,
        protocol: 'email',
        endpoint: 'ml-team@example.com',
        messageId: MessageId,
        subject: 'Pipeline failed',
        message: 'batch-inference failed',
      },
    ]);
  });

  it('the admin API confirms as the person clicking the link would; SQS subscriptions need no confirming', async () => {
    const client = sns(t.endpoint);
    await topic();
    await client.send(
      new SubscribeCommand({ TopicArn: TOPIC, Protocol: 'email-json', Endpoint: 'oncall@example.com' }),
    );
    const { SubscriptionArn: queue } = await client.send(
      new SubscribeCommand({ TopicArn: TOPIC, Protocol: 'sqs', Endpoint: `arn:aws:sqs:${REGION}:${ACCOUNT}:alerts` }),
    );
    expect(queue).toMatch(new RegExp(`^${TOPIC}:[0-9a-f-]{36}$`));
    const [request] = await confirmationRequests();
    await t.admin.confirmSubscription(request?.subscriptionArn ?? '');
    await client.send(
      new PublishCommand({
        TopicArn: TOPIC,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: 'plain', 'email-json': 'for email-json' }),
        MessageAttributes: { pipeline: { DataType: 'String', StringValue: 'batch-inference' } },
      }),
    );
    const delivered = notifications(await t.admin.deliveries()).map((n) => [n.protocol, n.message]);
    expect(delivered.sort()).toEqual([
      ['email-json', 'for email-json'],
      ['sqs', 'plain'],
    ]);
    await client.send(new UnsubscribeCommand({ SubscriptionArn: queue }));
    const attributes = (await client.send(new GetTopicAttributesCommand({ TopicArn: TOPIC }))).Attributes;
    expect([attributes?.SubscriptionsConfirmed, attributes?.SubscriptionsDeleted]).toEqual(['1', '1']);
  });

  it.each([
    ['a protocol SNS does not know', { Protocol: 'pigeon', Endpoint: 'x' }],
    ['an email endpoint that is no address', { Protocol: 'email', Endpoint: 'ml-team' }],
    ['an https endpoint over http', { Protocol: 'https', Endpoint: 'http://hooks.example.com' }],
  ])('Subscribe refuses %s', async (_, input) => {
    await topic();
    const error = await rejection(sns(t.endpoint).send(new SubscribeCommand({ TopicArn: TOPIC, ...input })));
    expect(error.name).toBe('InvalidParameterException');
  });

  it('Publish refuses a message without a default for every protocol, and a topic that does not exist', async () => {
    await topic();
    const structured = await rejection(
      sns(t.endpoint).send(new PublishCommand({ TopicArn: TOPIC, MessageStructure: 'json', Message: '{"email":"x"}' })),
    );
    expect(structured.message).toBe('Invalid parameter: Message Structure - No default entry in JSON message body');
    const missing = await rejection(
      sns(t.endpoint).send(new PublishCommand({ TopicArn: `${TOPIC}-gone`, Message: 'x' })),
    );
    expect(missing.name).toBe('NotFoundException');
  });
});

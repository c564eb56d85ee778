import { randomUUID } from 'node:crypto';
import { AwsError } from '../../errors.ts';
import { queryList } from '../../protocols/aws-query.ts';
import type { OperationContext, ServiceDefinition } from '../../registry.ts';
import { policyProblem } from '../../trust-policy.ts';
import type { PolicyDocument } from '../../types.ts';
import { offsetPage } from '../paging.ts';
import {
  confirmationToken,
  defaultTopicPolicy,
  findSubscription,
  invalidParameter,
  NEEDS_CONFIRMATION,
  notFound,
  publish,
  requestConfirmation,
  requireTopic,
  snsStoreOf,
  type Subscription,
  type Topic,
} from './store.ts';

// SNS over awsQuery: every parameter arrives as text, lists and maps rebuilt by the decoder.

const SNS_NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FIFO_TOPIC_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;
const TOPIC_ATTRIBUTES = new Set([
  'DeliveryPolicy',
  'DisplayName',
  'Policy',
  'SignatureVersion',
  'TracingConfig',
  'KmsMasterKeyId',
  'FifoTopic',
  'ContentBasedDeduplication',
  'ArchivePolicy',
  'FifoThroughputScope',
]);
const SUPPORTED_PROTOCOLS = new Set(['email', 'email-json', 'http', 'https', 'sqs', 'lambda', 'sms']);
const MAX_TAGS = 50;
const MAX_MESSAGE_BYTES = 262_144;
const PAGE = 100;
const DEFAULT_EFFECTIVE_DELIVERY_POLICY = JSON.stringify({
  http: {
    defaultHealthyRetryPolicy: {
      minDelayTarget: 20,
      maxDelayTarget: 20,
      numRetries: 3,
      numMaxDelayRetries: 0,
      numNoDelayRetries: 0,
      numMinDelayRetries: 0,
      backoffFunction: 'linear',
    },
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
  },
});

const text = (input: Record<string, unknown>, key: string): string | undefined => {
  const value = input[key];
  return typeof value === 'string' ? value : undefined;
};

function storeOf(context: OperationContext) {
  return snsStoreOf(context.state, context.caller.accountId ?? 'anonymous', context.region);
}

/** Checks a topic attribute as SNS does before keeping it. */
function checkAttribute(name: string, value: string): void {
  if (!TOPIC_ATTRIBUTES.has(name)) throw invalidParameter('AttributeName');
  if (name === 'Policy') {
    let document: PolicyDocument;
    try {
      document = JSON.parse(value) as PolicyDocument;
    } catch {
      throw invalidParameter('Policy Error: null');
    }
    const problem = typeof document === 'object' && document?.Statement ? policyProblem(document) : 'no Statement';
    if (problem) throw invalidParameter(`Policy Error: ${problem}`);
  }
}

function readTags(raw: unknown): [string, string][] {
  return queryList(raw).map((entry) => {
    const tag = entry as { Key?: string; Value?: string };
    return [tag.Key ?? '', tag.Value ?? ''];
  });
}

function applyTags(topic: Topic, tags: [string, string][]): void {
  const next = new Map(topic.tags);
  for (const [key, value] of tags) next.set(key, value);
  if (next.size > MAX_TAGS)
    throw new AwsError('TagLimitExceeded', 'Could not complete request: tag quota of per resource exceeded', 400);
  topic.tags = next;
}

function createTopic(context: OperationContext): Record<string, unknown> {
  const name = text(context.input, 'Name') ?? '';
  const attributes = (context.input.Attributes ?? {}) as Record<string, string>;
  const tags = readTags(context.input.Tags);
  const fifo = attributes.FifoTopic === 'true';
  if (fifo ? !FIFO_TOPIC_NAME.test(name) : !TOPIC_NAME.test(name))
    throw invalidParameter(
      fifo
        ? 'Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.'
        : 'Topic Name',
    );
  for (const [key, value] of Object.entries(attributes)) checkAttribute(key, value);
  const store = storeOf(context);
  const existing = store.topics.get(name);
  if (existing) {
    // The same name and attributes is the same topic: CreateTopic is idempotent.
    const differs = Object.entries(attributes).some(([key, value]) => existing.attributes[key] !== value);
    if (differs) throw invalidParameter('Attributes Reason: Topic already exists with different attributes');
    applyTags(existing, tags);
    return { TopicArn: existing.arn };
  }
  const arn = `arn:aws:sns:${store.region}:${store.account}:${name}`;
  const topic: Topic = {
    name,
    arn,
    owner: store.account,
    attributes: { Policy: defaultTopicPolicy(arn, store.account), DisplayName: '', ...attributes },
    tags: new Map(),
    subscriptions: new Map(),
    subscriptionsDeleted: 0,
    fifo,
  };
  applyTags(topic, tags);
  store.topics.set(name, topic);
  return { TopicArn: arn };
}

/** A topic of the caller's account and region, by ARN. */
function ownTopic(context: OperationContext, key = 'TopicArn'): Topic {
  const arn = text(context.input, key) ?? '';
  const topic = storeOf(context).topics.get(arn.slice(arn.lastIndexOf(':') + 1));
  if (!topic || topic.arn !== arn) {
    // Another account's topic is reachable by ARN when its policy allowed the call (IAM checked it).
    return requireTopic(context.state, arn);
  }
  return topic;
}

function deleteTopic(context: OperationContext): Record<string, unknown> {
  const arn = text(context.input, 'TopicArn') ?? '';
  const store = storeOf(context);
  const name = arn.slice(arn.lastIndexOf(':') + 1);
  // Deleting a topic that does not exist succeeds, as on AWS.
  if (store.topics.get(name)?.arn === arn) store.topics.delete(name);
  return {};
}

function getTopicAttributes(context: OperationContext): Record<string, unknown> {
  const topic = ownTopic(context);
  const subscriptions = [...topic.subscriptions.values()];
  return {
    Attributes: {
      ...topic.attributes,
      TopicArn: topic.arn,
      Owner: topic.owner,
      SubscriptionsConfirmed: String(subscriptions.filter((s) => s.confirmed).length),
      SubscriptionsPending: String(subscriptions.filter((s) => !s.confirmed).length),
      SubscriptionsDeleted: String(topic.subscriptionsDeleted),
      EffectiveDeliveryPolicy: topic.attributes.DeliveryPolicy ?? DEFAULT_EFFECTIVE_DELIVERY_POLICY,
    },
  };
}

function setTopicAttributes(context: OperationContext): Record<string, unknown> {
  const topic = ownTopic(context);
  const name = text(context.input, 'AttributeName') ?? '';
  const value = text(context.input, 'AttributeValue') ?? '';
  if (name === 'FifoTopic') throw invalidParameter('AttributeName');
  checkAttribute(name, value);
  topic.attributes[name] = value;
  return {};
}

const badToken = () => invalidParameter('NextToken');

function listTopics(context: OperationContext): Record<string, unknown> {
  const topics = [...storeOf(context).topics.values()].sort((a, b) => (a.arn < b.arn ? -1 : 1));
  const page = offsetPage(topics, {
    tag: 'ListTopics',
    token: text(context.input, 'NextToken'),
    limit: PAGE,
    invalid: badToken,
  });
  return {
    Topics: page.items.map((topic) => ({ TopicArn: topic.arn })),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
}

function checkEndpoint(protocol: string, endpoint: string): void {
  const ok =
    protocol === 'email' || protocol === 'email-json'
      ? /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(endpoint)
      : protocol === 'http' || protocol === 'https'
        ? endpoint.startsWith(`${protocol}://`)
        : protocol === 'sqs'
          ? /^arn:aws[a-z-]*:sqs:/.test(endpoint)
          : protocol === 'lambda'
            ? /^arn:aws[a-z-]*:lambda:/.test(endpoint)
            : /^\+?[0-9]{5,15}$/.test(endpoint);
  if (!ok) throw invalidParameter(`Invalid ${protocol} endpoint: ${endpoint}`);
}

function subscribe(context: OperationContext): Record<string, unknown> {
  const topic = ownTopic(context);
  const protocol = (text(context.input, 'Protocol') ?? '').toLowerCase();
  const endpoint = text(context.input, 'Endpoint') ?? '';
  const attributes = (context.input.Attributes ?? {}) as Record<string, string>;
  const returnArn = text(context.input, 'ReturnSubscriptionArn') === 'true';
  if (!SUPPORTED_PROTOCOLS.has(protocol))
    throw invalidParameter(`Amazon SNS does not support this protocol string: ${protocol}`);
  checkEndpoint(protocol, endpoint);
  const answer = (subscription: Subscription) => ({
    SubscriptionArn: subscription.confirmed || returnArn ? subscription.arn : 'pending confirmation',
  });
  const existing = [...topic.subscriptions.values()].find((s) => s.protocol === protocol && s.endpoint === endpoint);
  if (existing) return answer(existing);
  const subscription: Subscription = {
    arn: `${topic.arn}:${randomUUID()}`,
    topicArn: topic.arn,
    protocol,
    endpoint,
    owner: context.caller.accountId ?? topic.owner,
    confirmed: !NEEDS_CONFIRMATION.has(protocol),
    token: confirmationToken(),
    attributes,
  };
  topic.subscriptions.set(subscription.arn, subscription);
  if (!subscription.confirmed) requestConfirmation(context.state, topic, subscription);
  return answer(subscription);
}

function confirmSubscription(context: OperationContext): Record<string, unknown> {
  const topic = ownTopic(context);
  const token = text(context.input, 'Token') ?? '';
  const subscription = [...topic.subscriptions.values()].find((s) => s.token === token);
  if (!subscription) throw invalidParameter('Invalid token');
  subscription.confirmed = true;
  return { SubscriptionArn: subscription.arn };
}

function unsubscribe(context: OperationContext): Record<string, unknown> {
  const arn = text(context.input, 'SubscriptionArn') ?? '';
  const found = findSubscription(context.state, arn);
  if (!found) throw notFound('Subscription does not exist');
  found.topic.subscriptions.delete(arn);
  found.topic.subscriptionsDeleted++;
  return {};
}

function listSubscriptionsByTopic(context: OperationContext): Record<string, unknown> {
  const topic = ownTopic(context);
  const page = offsetPage([...topic.subscriptions.values()], {
    tag: `ListSubscriptionsByTopic/${topic.arn}`,
    token: text(context.input, 'NextToken'),
    limit: PAGE,
    invalid: badToken,
  });
  return {
    Subscriptions: page.items.map((s) => ({
      SubscriptionArn: s.confirmed ? s.arn : 'PendingConfirmation',
      Owner: s.owner,
      Protocol: s.protocol,
      Endpoint: s.endpoint,
      TopicArn: s.topicArn,
    })),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
}

function publishMessage(context: OperationContext): Record<string, unknown> {
  const topicArn = text(context.input, 'TopicArn');
  const targetArn = text(context.input, 'TargetArn');
  const message = text(context.input, 'Message') ?? '';
  const subject = text(context.input, 'Subject');
  const structure = text(context.input, 'MessageStructure');
  const groupId = text(context.input, 'MessageGroupId');
  if (text(context.input, 'PhoneNumber') !== undefined)
    throw invalidParameter('PhoneNumber: direct SMS publishing is not supported by the emulator');
  if (topicArn !== undefined && targetArn !== undefined)
    throw invalidParameter('TopicArn or TargetArn Reason: Only one of TopicArn or TargetArn may be specified');
  const arn = topicArn ?? targetArn;
  if (arn === undefined) throw invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
  if (message === '') throw invalidParameter('Empty message');
  if (Buffer.byteLength(message, 'utf8') > MAX_MESSAGE_BYTES) throw invalidParameter('Message too long');
  if (subject !== undefined && (subject.length > 100 || !/^[\x20-\x7E]+$/.test(subject)))
    throw invalidParameter('Subject');
  if (structure !== undefined && structure !== 'json') throw invalidParameter('MessageStructure');
  const topic = requireTopic(context.state, arn);
  if (topic.fifo && groupId === undefined)
    throw invalidParameter('The MessageGroupId parameter is required for FIFO topics');
  const messageId = publish(context.state, topic, {
    message,
    subject,
    structure: structure === 'json' ? 'json' : undefined,
    time: context.state.clock.now(),
  });
  return {
    MessageId: messageId,
    ...(topic.fifo ? { SequenceNumber: String(context.state.clock.now()).padStart(20, '1') } : {}),
  };
}

function tagResource(context: OperationContext): Record<string, unknown> {
  const topic = ownTopic(context, 'ResourceArn');
  applyTags(topic, readTags(context.input.Tags));
  return {};
}

function untagResource(context: OperationContext): Record<string, unknown> {
  const topic = ownTopic(context, 'ResourceArn');
  for (const key of queryList(context.input.TagKeys)) topic.tags.delete(String(key));
  return {};
}

function listTagsForResource(context: OperationContext): Record<string, unknown> {
  const topic = ownTopic(context, 'ResourceArn');
  return { Tags: [...topic.tags].map(([Key, Value]) => ({ Key, Value })) };
}

export function createSnsService(): ServiceDefinition {
  return {
    name: 'sns',
    protocol: 'awsQuery',
    version: '2010-03-31',
    xmlNamespace: SNS_NAMESPACE,
    operations: {
      CreateTopic: createTopic,
      DeleteTopic: deleteTopic,
      GetTopicAttributes: getTopicAttributes,
      SetTopicAttributes: setTopicAttributes,
      ListTopics: listTopics,
      Subscribe: subscribe,
      ConfirmSubscription: confirmSubscription,
      Unsubscribe: unsubscribe,
      ListSubscriptionsByTopic: listSubscriptionsByTopic,
      Publish: publishMessage,
      TagResource: tagResource,
      UntagResource: untagResource,
      ListTagsForResource: listTagsForResource,
    },
  };
}

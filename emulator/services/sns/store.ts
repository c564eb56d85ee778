import { randomBytes, randomUUID } from 'node:crypto';
import { AwsError } from '../../errors.ts';
import type { EmulatorState } from '../../state.ts';
import type { PolicyDocument } from '../../types.ts';

/**
 * SNS topics and subscriptions, per account and region, and what publishing does: every
 * confirmed subscription gets the message, recorded in the emulator's delivery log. Email and
 * HTTP(S) subscriptions wait for confirmation as on AWS: SNS sends them a SubscriptionConfirmation
 * (recorded too, with its token) and delivers nothing until ConfirmSubscription is called with
 * that token (or the admin API confirms, standing in for the person clicking the link).
 */

export interface Subscription {
  arn: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
  owner: string;
  confirmed: boolean;
  token: string;
  attributes: Record<string, string>;
}

export interface Topic {
  name: string;
  arn: string;
  owner: string;
  /** Attributes as set (Policy, DisplayName, DeliveryPolicy, ...), Policy always present. */
  attributes: Record<string, string>;
  tags: Map<string, string>;
  subscriptions: Map<string, Subscription>;
  subscriptionsDeleted: number;
  fifo: boolean;
}

export interface SnsStore {
  account: string;
  region: string;
  /** By name: topic names are case-sensitive. */
  topics: Map<string, Topic>;
}

const SERVICE = 'sns';

export const invalidParameter = (message: string) => new AwsError('InvalidParameter', `Invalid parameter: ${message}`);
export const notFound = (message: string) => new AwsError('NotFound', message, 404);

export function snsStoreOf(state: EmulatorState, account: string, region: string): SnsStore {
  return state.resources.bucket(account, region, SERVICE, () => ({ account, region, topics: new Map() }));
}

/** Emails, HTTP and HTTPS endpoints must confirm; the others (SQS, Lambda, SMS) are confirmed at once. */
export const NEEDS_CONFIRMATION = new Set(['email', 'email-json', 'http', 'https']);

/** The policy SNS gives a new topic: its own account may manage it and publish to it; nobody else. */
export function defaultTopicPolicy(arn: string, account: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: arn,
        Condition: { StringEquals: { 'AWS:SourceOwner': account } },
      },
    ],
  });
}

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):([\w.-]+)$/;

/** The topic an ARN names, in whichever account and region it lives. */
export function findTopic(state: EmulatorState, arn: string): Topic | undefined {
  const match = TOPIC_ARN.exec(arn);
  if (!match) return undefined;
  return snsStoreOf(state, match[2] ?? '', match[1] ?? '').topics.get(match[3] ?? '');
}

export function requireTopic(state: EmulatorState, arn: string): Topic {
  const topic = findTopic(state, arn);
  if (!topic) throw notFound('Topic does not exist');
  return topic;
}

/** The topic's policy as a document, for IAM to evaluate; undefined when it cannot be read. */
export function topicPolicy(topic: Topic): PolicyDocument | undefined {
  try {
    return JSON.parse(topic.attributes.Policy ?? '') as PolicyDocument;
  } catch {
    return undefined;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/** What SNS sends a subscription that must confirm: recorded, token included. */
export function requestConfirmation(state: EmulatorState, topic: Topic, subscription: Subscription): void {
  state.deliveries.record({
    kind: 'sns',
    time: iso(state.clock.now()),
    type: 'SubscriptionConfirmation',
    topicArn: topic.arn,
    subscriptionArn: subscription.arn,
    protocol: subscription.protocol,
    endpoint: subscription.endpoint,
    messageId: randomUUID(),
    subject: 'AWS Notification - Subscription Confirmation',
    message: `You have chosen to subscribe to the topic ${topic.arn}. To confirm the subscription, visit the SubscribeURL included in this message.`,
    token: subscription.token,
  });
}

export const confirmationToken = () => randomBytes(64).toString('hex');

export interface Message {
  message: string;
  subject: string | undefined;
  /** MessageStructure json: Message is {"default": …, "email": …} and each protocol gets its own. */
  structure: 'json' | undefined;
  /** Simulated ms of the publish. */
  time: number;
}

function messageFor(message: Message, protocol: string): string {
  if (message.structure !== 'json') return message.message;
  const byProtocol = JSON.parse(message.message) as Record<string, string>;
  return byProtocol[protocol] ?? byProtocol.default ?? '';
}

/** Publishes to every confirmed subscription of the topic; returns the message id. */
export function publish(state: EmulatorState, topic: Topic, message: Message): string {
  if (message.structure === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message.message);
    } catch {
      throw invalidParameter('Message Structure - JSON message body failed to parse');
    }
    if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { default?: unknown }).default !== 'string')
      throw invalidParameter('Message Structure - No default entry in JSON message body');
  }
  const messageId = randomUUID();
  for (const subscription of topic.subscriptions.values()) {
    if (!subscription.confirmed) continue;
    state.deliveries.record({
      kind: 'sns',
      time: iso(message.time),
      type: 'Notification',
      topicArn: topic.arn,
      subscriptionArn: subscription.arn,
      protocol: subscription.protocol,
      endpoint: subscription.endpoint,
      messageId,
      subject: message.subject ?? null,
      message: messageFor(message, subscription.protocol),
    });
  }
  return messageId;
}

/** The subscription an ARN names, wherever its topic lives. */
export function findSubscription(
  state: EmulatorState,
  arn: string,
): { topic: Topic; subscription: Subscription } | undefined {
  const topicArn = arn.slice(0, arn.lastIndexOf(':'));
  const topic = findTopic(state, topicArn);
  const subscription = topic?.subscriptions.get(arn);
  return topic && subscription ? { topic, subscription } : undefined;
}

/**
 * Confirms a pending subscription as the person clicking the link in the confirmation email
 * would (the admin API's stand-in). Returns false when no such subscription exists.
 */
export function confirmSubscriptionByArn(state: EmulatorState, arn: string): boolean {
  const found = findSubscription(state, arn);
  if (!found) return false;
  found.subscription.confirmed = true;
  return true;
}

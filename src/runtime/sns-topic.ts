/**
 * SNS's rules on topic names, subscriptions and messages. SNS's published model states none of
 * them (its members are plain strings), so they are written here from SNS's documentation, once.
 */
import { partitionOf } from './arn.ts';

/** Standard topics: 1-256 letters, digits, hyphens and underscores. FIFO topics (".fifo") need a message group. */
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;

export function topicNameProblem(name: string): string | undefined {
  if (name.endsWith('.fifo')) return `'${name}' is a FIFO topic; only standard topics are supported`;
  if (!TOPIC_NAME.test(name))
    return `'${name.length > 64 ? `${name.slice(0, 60)}…` : name}' is not an SNS topic name (1-256 letters, digits, hyphens and underscores)`;
  return undefined;
}

export function topicArnOf(region: string, account: string, name: string): string {
  return `arn:${partitionOf(region)}:sns:${region}:${account}:${name}`;
}

/** The topic name an ARN ends with, undefined when it is no topic ARN. */
export function topicNameOfArn(arn: string): string | undefined {
  return /^arn:[a-z-]+:sns:[a-z0-9-]+:\d{12}:([A-Za-z0-9_.-]{1,256})$/.exec(arn)?.[1];
}

/** The protocols Subscribe takes, with what their endpoint is. */
export const SUBSCRIPTION_PROTOCOLS: Record<string, { endpoint: string; test: RegExp }> = {
  email: { endpoint: 'an email address', test: /^[^@\s]+@[^@\s]+$/ },
  'email-json': { endpoint: 'an email address', test: /^[^@\s]+@[^@\s]+$/ },
  https: { endpoint: 'an https:// URL', test: /^https:\/\/\S+$/ },
  http: { endpoint: 'an http:// URL', test: /^http:\/\/\S+$/ },
  sms: { endpoint: 'a phone number in E.164 form (+4412345678)', test: /^\+\d{6,15}$/ },
  sqs: { endpoint: 'an SQS queue ARN', test: /^arn:[a-z-]+:sqs:[a-z0-9-]+:\d{12}:\S+$/ },
  lambda: { endpoint: 'a Lambda function ARN', test: /^arn:[a-z-]+:lambda:[a-z0-9-]+:\d{12}:function:\S+$/ },
  firehose: { endpoint: 'a Firehose delivery stream ARN', test: /^arn:[a-z-]+:firehose:[a-z0-9-]+:\d{12}:\S+$/ },
  application: {
    endpoint: 'a mobile platform endpoint ARN',
    test: /^arn:[a-z-]+:sns:[a-z0-9-]+:\d{12}:endpoint\/\S+$/,
  },
};

/** What ListSubscriptionsByTopic shows instead of an ARN for a subscription not confirmed yet. */
export const PENDING_CONFIRMATION = 'PendingConfirmation';

/** A subject: under 100 printable ASCII characters, no line breaks, starting with a letter, digit or punctuation. */
export function snsSubject(text: string): string {
  const printable = text
    .replace(/[^\x20-\x7e]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return printable.slice(0, 99);
}

/** SNS's limit on a message: 256 KiB of UTF-8. */
export const MESSAGE_LIMIT_BYTES = 262_144;

import * as core from '@actions/core';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { createClient } from '../runtime/aws-client.ts';
import { ActionError, awsErrorCode, describeError, InputError } from '../runtime/errors.ts';
import { githubContext } from '../runtime/github-context.ts';
import { MESSAGE_LIMIT_BYTES, topicArnOf } from '../runtime/sns-topic.ts';
import { SummaryBuilder } from '../runtime/summary.ts';
import { readInputs, type Inputs } from './inputs.ts';
import { failureNotification } from './message.ts';

export const ACTION_NAME = 'notify-failure';

/** A topic given by name is in the account the job acts in; STS says which (no permission needed). */
async function topicArn(inputs: Inputs): Promise<string> {
  if ('arn' in inputs.topic) return inputs.topic.arn;
  const client = createClient(STSClient, inputs);
  try {
    const identity = await client.send(new GetCallerIdentityCommand({}));
    return topicArnOf(inputs.region, identity.Account ?? '', inputs.topic.name);
  } finally {
    client.destroy();
  }
}

const HINTS: Record<string, string> = {
  NotFound: 'the topic does not exist in that account and region',
  AuthorizationError: 'the role needs sns:Publish on the topic',
  KMSAccessDenied: "the role needs kms:GenerateDataKey and kms:Decrypt on the topic's key",
};

export async function run(): Promise<void> {
  const inputs = readInputs();
  const notification = failureNotification(githubContext(), {
    ...(inputs.failedJob ? { failedJob: inputs.failedJob } : {}),
    ...(inputs.reason ? { reason: inputs.reason } : {}),
  });
  if (Buffer.byteLength(notification.message) > MESSAGE_LIMIT_BYTES)
    throw new InputError('reason', `makes the message over SNS's ${MESSAGE_LIMIT_BYTES}-byte limit`);
  const arn = await topicArn(inputs);
  const client = createClient(SNSClient, inputs);
  let messageId: string;
  try {
    const published = await client.send(
      new PublishCommand({ TopicArn: arn, Subject: notification.subject, Message: notification.message }),
    );
    messageId = published.MessageId ?? '';
  } catch (error) {
    const hint = HINTS[awsErrorCode(error) ?? ''];
    throw new ActionError(`publishing to ${arn} failed: ${describeError(error)}${hint ? ` (${hint})` : ''}`, {
      cause: error,
    });
  } finally {
    client.destroy();
  }
  core.info(`Notified ${arn} (message ${messageId}): ${notification.subject}`);
  core.setOutput('message-id', messageId);
  core.setOutput('topic-arn', arn);
  await new SummaryBuilder()
    .heading('Failure notification sent', 4)
    .keyValues([
      ['Topic', { code: arn }],
      ['Subject', notification.subject],
      ['Message id', { code: messageId }],
    ])
    .write();
}

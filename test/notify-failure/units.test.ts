/** notify-failure: the message it sends, the topic it finds by name, and inputs it refuses before any call. */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../src/notify-failure/main.ts';
import { failureNotification } from '../../src/notify-failure/message.ts';
import { githubContext } from '../../src/runtime/github-context.ts';

const RUN_ENV = {
  GITHUB_REPOSITORY: 'example-org/ml-pipelines',
  GITHUB_WORKFLOW: 'promote',
  GITHUB_REF: 'refs/heads/main',
  GITHUB_SHA: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  GITHUB_ACTOR: 'alice',
  GITHUB_RUN_ID: '4242',
  GITHUB_RUN_ATTEMPT: '2',
  GITHUB_SERVER_URL: 'https://github.com',
};

describe('the failure message', () => {
  it('names the run, its link, the failed job and the reason', () => {
    const { subject, message } = failureNotification(githubContext(RUN_ENV), {
      failedJob: 'deploy',
      reason: 'the endpoint rolled back',
    });
    expect(subject).toBe('Promotion failed: example-org/ml-pipelines (promote)');
    expect(message.split('\n')).toEqual([
      'Promotion failed: promote in example-org/ml-pipelines.',
      '',
      'Repository: example-org/ml-pipelines',
      'Workflow: promote (run 4242, attempt 2)',
      'Ref: refs/heads/main at a1b2c3d4e5f6',
      'Triggered by: alice',
      'Failed job: deploy',
      'Reason: the endpoint rolled back',
      'Run: https://github.com/example-org/ml-pipelines/actions/runs/4242/attempts/2',
    ]);
  });

  it('keeps the subject within what SNS takes: one line of printable ASCII under 100 characters', () => {
    const { subject } = failureNotification(
      githubContext({ ...RUN_ENV, GITHUB_WORKFLOW: `déploiement\n${'x'.repeat(200)}` }),
      {},
    );
    expect(subject.length).toBeLessThan(100);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
  });
});

describe('notify-failure', () => {
  const sns = mockClient(SNSClient);
  const sts = mockClient(STSClient);
  const set: string[] = [];
  const env = (values: Record<string, string>) => {
    for (const [key, value] of Object.entries(values)) {
      process.env[key] = value;
      set.push(key);
    }
  };
  beforeEach(() => {
    env({ ...RUN_ENV, 'INPUT_AWS-REGION': 'eu-west-1' });
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    sts.on(GetCallerIdentityCommand).resolves({ Account: '222222222222' });
  });
  afterEach(() => {
    for (const key of set.splice(0)) Reflect.deleteProperty(process.env, key);
    sns.reset();
    sts.reset();
    process.exitCode = undefined;
  });

  it('finds a topic given by name in the account the job acts in', async () => {
    env({ 'INPUT_TOPIC-NAME': 'ml-pipeline-failures', 'INPUT_FAILED-JOB': 'deploy' });
    await run();
    const [publish] = sns.commandCalls(PublishCommand);
    expect(publish?.args[0].input).toMatchObject({
      TopicArn: 'arn:aws:sns:eu-west-1:222222222222:ml-pipeline-failures',
      Subject: 'Promotion failed: example-org/ml-pipelines (promote)',
    });
    expect(publish?.args[0].input.Message).toContain('Failed job: deploy');
  });

  it('uses a topic ARN as given, without asking STS', async () => {
    env({ 'INPUT_TOPIC-ARN': 'arn:aws:sns:eu-west-1:222222222222:failures' });
    await run();
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(0);
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.TopicArn).toBe(
      'arn:aws:sns:eu-west-1:222222222222:failures',
    );
  });

  it.each([
    [{}, "input 'topic-arn': or input 'topic-name' is required"],
    [
      { 'INPUT_TOPIC-ARN': 'arn:aws:sns:eu-west-1:222222222222:a', 'INPUT_TOPIC-NAME': 'a' },
      "input 'topic-name': and input 'topic-arn'",
    ],
    [
      { 'INPUT_TOPIC-ARN': 'arn:aws:sns:us-east-1:222222222222:a' },
      "input 'topic-arn': 'arn:aws:sns:us-east-1:222222222222:a' is in region us-east-1",
    ],
    [
      { 'INPUT_TOPIC-ARN': 'arn:aws:sqs:eu-west-1:222222222222:a' },
      "input 'topic-arn': 'arn:aws:sqs:eu-west-1:222222222222:a' is not an SNS topic ARN",
    ],
    [{ 'INPUT_TOPIC-NAME': 'alerts.fifo' }, "input 'topic-name': 'alerts.fifo' is a FIFO topic"],
  ])('refuses %o before any call', async (inputs, says) => {
    env(inputs);
    await expect(run()).rejects.toThrow(says);
    expect(sns.calls()).toHaveLength(0);
    expect(sts.calls()).toHaveLength(0);
  });
});

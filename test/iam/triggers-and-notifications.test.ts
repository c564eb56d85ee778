/**
 * upsert-pipeline-triggers and notify-failure run as the runner runs them under a role holding
 * exactly the action's shipped policy.
 */
import { CreateTopicCommand, SetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterEach, describe, expect, it } from 'vitest';
import type { SnsDelivery } from '../../emulator/admin-client.ts';
import { SimulatedJob, type StepResult } from '../../local-runner/job.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { keysEnv } from '../../testkit/credentials.ts';
import { fill, outcomeOf, proveLeastPrivilege, shippedPolicy } from '../../testkit/least-privilege.ts';
import { type Keys as Credentials, PROD, REGION } from '../../testkit/worlds/accounts.ts';
import { adminKeys, leastPrivilegeWorld, underTestCredentials } from '../../testkit/worlds/least-privilege.ts';

const emulator = useEmulator({ accounts: [] });
const jobs: SimulatedJob[] = [];
afterEach(() => {
  for (const job of jobs.splice(0)) job.dispose();
});

const PIPELINE = 'batch-inference';
const TOPIC = 'ml-pipeline-failures';
const TOPIC_ARN = `arn:aws:sns:${REGION}:${PROD}:${TOPIC}`;
const TRIGGER_ROLE = `arn:aws:iam::${PROD}:role/pipeline-triggers`;
const triggerRole = {
  arn: TRIGGER_ROLE,
  trustPolicy: {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: ['scheduler.amazonaws.com', 'events.amazonaws.com'] },
        Action: 'sts:AssumeRole',
      },
    ],
  },
};

function job(credentials: Credentials): SimulatedJob {
  const created = new SimulatedJob({ emulator: emulator.endpoint, idToken: false, env: keysEnv(credentials, REGION) });
  jobs.push(created);
  return created;
}

const asRole = () => underTestCredentials(emulator.endpoint, PROD);
const asAdmin = async (): Promise<Credentials> => adminKeys(PROD);

function triggers(credentials: Credentials, file: string, inputs: Record<string, string> = {}): Promise<StepResult> {
  const target = job(credentials);
  target.writeFile('pipelines/batch-inference.triggers.yml', file);
  return target.step('upsert-pipeline-triggers', {
    inputs: {
      'pipeline-name': PIPELINE,
      'triggers-file': 'pipelines/batch-inference.triggers.yml',
      'target-role-arn': TRIGGER_ROLE,
      ...inputs,
    },
  });
}

const notifications = (subscriptions: string[]) => `
notifications:
  topic: ${TOPIC}
  subscriptions:
${subscriptions.map((endpoint) => `    - { protocol: email, endpoint: ${endpoint} }`).join('\n')}
`;

const FILE = `
schedules:
  - name: daily
    expression: cron(0 6 * * ? *)
    parameters: { InputDate: latest }
rules:
  - name: retrain
    when: { pipeline: training, status: [Failed] }
    parameters: { Reason: failed }
${notifications(['ml-team@example.com'])}`;

/** Two schedules, two rules and two subscriptions more than FILE, and other values in what both have. */
const WIDER = `
schedules:
  - name: daily
    expression: cron(0 5 * * ? *)
  - name: hourly
    expression: rate(1 hour)
rules:
  - name: retrain
    when: { pipeline: training, status: [Failed, Stopped] }
  - name: extra
    event-pattern: { source: [aws.sagemaker] }
${notifications(['ml-team@example.com', 'on-call@example.com'])}`;

async function confirmSubscriptions(): Promise<void> {
  for (const request of (await emulator.admin.deliveries()).filter(
    (d): d is SnsDelivery => d.kind === 'sns' && d.type === 'SubscriptionConfirmation',
  ))
    await emulator.admin.confirmSubscription(request.subscriptionArn);
}

async function setUp(file: string): Promise<void> {
  const step = await triggers(await asAdmin(), file);
  if (step.exitCode !== 0) throw new Error(`setting up the triggers failed: ${step.errors.join(' ')}`);
  await confirmSubscriptions();
}

const VALUES = {
  REGION,
  ACCOUNT_ID: PROD,
  NAME_PREFIX: PIPELINE,
  TRIGGER_ROLE_NAME: 'pipeline-triggers',
  TOPIC_NAME: TOPIC,
};

const changed = (step: StepResult) => step.outputs['changed'] === 'true';

describe('upsert-pipeline-triggers plan mode', () => {
  it('needs only the read statements', async () => {
    const policy = fill(shippedPolicy('upsert-pipeline-triggers'), VALUES);
    const reads = [
      'ReadTheScheduleGroup',
      'ListTheSchedulesAndRules',
      'ReadTheSchedules',
      'ReadTheRules',
      'ReadTheTopic',
    ];
    const readOnly = { ...policy, Statement: policy.Statement.filter((s) => reads.includes(s.Sid)) };
    await emulator.admin.loadWorld(leastPrivilegeWorld({ [PROD]: readOnly }, [triggerRole]));
    await setUp(WIDER);
    const step = await triggers(await asRole(), FILE, { mode: 'plan' });
    expect(step.errors).toEqual([]);
    expect(step.outputs['changed']).toBe('true');
  });
});

proveLeastPrivilege({
  action: 'upsert-pipeline-triggers',
  emulator,
  values: VALUES,
  grants: (policy) => ({ [PROD]: policy }),
  world: (grants) => leastPrivilegeWorld(grants, [triggerRole]),
  paths: [
    {
      name: 'create the schedule, the rule and the notifications',
      run: async () => {
        const step = await triggers(await asRole(), FILE);
        return outcomeOf([step], changed(step));
      },
    },
    {
      name: 'update what changed and remove what the file dropped',
      run: async () => {
        await setUp(WIDER);
        // A topic policy that lost our rule's statement gets it back.
        const sns = new SNSClient({ region: REGION, endpoint: emulator.endpoint, credentials: adminKeys(PROD) });
        await sns.send(
          new SetTopicAttributesCommand({
            TopicArn: TOPIC_ARN,
            AttributeName: 'Policy',
            AttributeValue: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
          }),
        );
        sns.destroy();
        const step = await triggers(await asRole(), FILE);
        return outcomeOf([step], changed(step));
      },
    },
    {
      name: 'drop every subscription',
      run: async () => {
        await setUp(FILE);
        const step = await triggers(await asRole(), notifications([]));
        return outcomeOf([step], changed(step));
      },
    },
    {
      name: 'remove everything',
      run: async () => {
        await setUp(FILE);
        const step = await triggers(await asRole(), '');
        return outcomeOf([step], changed(step));
      },
    },
  ],
});

proveLeastPrivilege({
  action: 'notify-failure',
  emulator,
  values: { REGION, ACCOUNT_ID: PROD, TOPIC_NAME: TOPIC },
  grants: (policy) => ({ [PROD]: policy }),
  prepare: async () => {
    const sns = new SNSClient({ region: REGION, endpoint: emulator.endpoint, credentials: adminKeys(PROD) });
    await sns.send(new CreateTopicCommand({ Name: TOPIC }));
    sns.destroy();
  },
  paths: [
    {
      name: 'notify a topic given by name',
      run: async () => {
        const step = await job(await asRole()).step('notify-failure', {
          inputs: { 'topic-name': TOPIC, 'failed-job': 'deploy' },
        });
        return outcomeOf([step], step.outputs['message-id'] !== undefined && step.outputs['message-id'] !== '');
      },
    },
  ],
});

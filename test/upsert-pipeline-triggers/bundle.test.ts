/**
 * upsert-pipeline-triggers and notify-failure run as the runner runs them, against the emulator's
 * EventBridge Scheduler, EventBridge and SNS: the schedule fires on the simulated clock and starts
 * the pipeline with its parameters, a failed execution starts the other pipeline through the rule
 * and reaches the subscribers as a readable sentence, a second run makes no mutating call, plan
 * mode none at all, and an emptied file removes what the action made and nothing else.
 */
import { PutRuleCommand } from '@aws-sdk/client-eventbridge';
import {
  CreatePipelineCommand,
  ListPipelineExecutionsCommand,
  ListPipelineParametersForExecutionCommand,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SnsDelivery, World } from '../../emulator/admin-client.ts';
import { SimulatedJob, type StepResult } from '../../local-runner/job.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import {
  ACCOUNT,
  eventBridge,
  eventsWorld,
  invocations,
  notifications,
  OPS_KEYS,
  REGION,
  ROLES,
} from '../../testkit/emulator-events.ts';
import { sagemaker } from '../../testkit/clients.ts';
import { definition, training } from '../../testkit/sagemaker.ts';

const TARGET_ROLE = `arn:aws:iam::${ACCOUNT}:role/pipeline-triggers`;
const world: World = {
  ...eventsWorld,
  roles: [
    ...(eventsWorld.roles ?? []),
    {
      arn: TARGET_ROLE,
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
      policies: [
        {
          name: 'start-pipelines',
          document: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: 'sagemaker:StartPipelineExecution',
                Resource: `arn:aws:sagemaker:${REGION}:${ACCOUNT}:pipeline/*`,
              },
            ],
          },
        },
      ],
    },
  ],
};

const t = useEmulator(world);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const jobs: SimulatedJob[] = [];
afterEach(() => {
  for (const job of jobs.splice(0)) job.dispose();
});

beforeEach(async () => {
  await t.admin.holdClock(true);
  const client = sagemaker(t.endpoint, OPS_KEYS);
  for (const name of ['batch-inference', 'training'])
    await client.send(
      new CreatePipelineCommand({
        PipelineName: name,
        RoleArn: ROLES.pipeline,
        PipelineDefinition: definition(
          [training('Run')],
          [
            { Name: 'InputDate', Type: 'String', DefaultValue: 'today' },
            { Name: 'Reason', Type: 'String', DefaultValue: 'manual' },
          ],
        ),
      }),
    );
});

function job(): SimulatedJob {
  const created = new SimulatedJob({
    emulator: t.endpoint,
    idToken: false,
    env: {
      AWS_ACCESS_KEY_ID: OPS_KEYS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: OPS_KEYS.secretAccessKey,
      AWS_REGION: REGION,
    },
  });
  jobs.push(created);
  return created;
}

const INFERENCE = `
schedules:
  - name: daily
    expression: cron(0 6 * * ? *)
    timezone: Europe/Paris
    parameters: { InputDate: latest }
notifications:
  topic: ml-pipeline-failures
  on: [Failed]
  subscriptions:
    - { protocol: email, endpoint: ml-team@example.com }
`;

const TRAINING = `
rules:
  - name: retrain-on-inference-failure
    when: { pipeline: batch-inference, status: [Failed] }
    parameters: { Reason: inference-failed }
`;

function triggers(pipeline: string, file: string, inputs: Record<string, string> = {}): Promise<StepResult> {
  const target = job();
  target.writeFile(`pipelines/${pipeline}.triggers.yml`, file);
  return target.step('upsert-pipeline-triggers', {
    inputs: {
      'pipeline-name': pipeline,
      'triggers-file': `pipelines/${pipeline}.triggers.yml`,
      'target-role-arn': TARGET_ROLE,
      ...inputs,
    },
  });
}

const EVENT_SERVICES = new Set(['scheduler', 'events', 'sns']);

async function mutatingCalls(since = 0): Promise<string[]> {
  return (await t.admin.calls(since))
    .filter((call) => call.mutating && EVENT_SERVICES.has(call.service))
    .map((call) => `${call.service}:${call.operation}`);
}

async function executionsOf(pipeline: string) {
  const client = sagemaker(t.endpoint, OPS_KEYS);
  const listed = await client.send(
    new ListPipelineExecutionsCommand({ PipelineName: pipeline, SortOrder: 'Ascending' }),
  );
  return listed.PipelineExecutionSummaries ?? [];
}

async function parametersOf(executionArn: string): Promise<Record<string, string>> {
  const client = sagemaker(t.endpoint, OPS_KEYS);
  const listed = await client.send(
    new ListPipelineParametersForExecutionCommand({ PipelineExecutionArn: executionArn }),
  );
  return Object.fromEntries((listed.PipelineParameters ?? []).map((p) => [p.Name ?? '', p.Value ?? '']));
}

async function confirmAll(): Promise<void> {
  for (const request of (await t.admin.deliveries()).filter(
    (d): d is SnsDelivery => d.kind === 'sns' && d.type === 'SubscriptionConfirmation',
  ))
    await t.admin.confirmSubscription(request.subscriptionArn);
}

describe('upsert-pipeline-triggers bundle', () => {
  it('schedules, retrains on failure and notifies; a second run makes no mutating call', async () => {
    const inference = await triggers('batch-inference', INFERENCE);
    expect(inference.errors).toEqual([]);
    expect(inference.outputs).toMatchObject({
      changed: 'true',
      'topic-arn': `arn:aws:sns:${REGION}:${ACCOUNT}:ml-pipeline-failures`,
    });
    expect(JSON.parse(inference.outputs['plan'] ?? '[]')).toContainEqual({
      kind: 'schedule',
      name: 'daily',
      change: 'create',
      details: ['cron(0 6 * * ? *) (Europe/Paris)'],
    });
    expect(inference.summary).toContain('schedule-group');
    const training = await triggers('training', TRAINING);
    expect(training.errors).toEqual([]);
    await confirmAll();

    const since = (await t.admin.calls()).at(-1)?.seq ?? 0;
    const again = await triggers('batch-inference', INFERENCE);
    expect(again.outputs['changed']).toBe('false');
    expect(again.stdout).toContain('No change: prod matches the triggers file.');
    expect((await triggers('training', TRAINING)).outputs['changed']).toBe('false');
    expect(await mutatingCalls(since)).toEqual([]);

    // The schedule comes due on the simulated clock and starts the pipeline with its parameters.
    await t.admin.advanceClock(24 * HOUR);
    const scheduled = (await t.admin.deliveries()).filter((d) => d.kind === 'invocation' && d.invoker === 'scheduler');
    expect(scheduled.length).toBeGreaterThan(0);
    const [first] = await executionsOf('batch-inference');
    expect(await parametersOf(first!.PipelineExecutionArn!)).toMatchObject({ InputDate: 'latest' });

    // A failed inference execution starts training through the rule and reaches the team.
    await t.admin.setScenario({ pipelines: { 'batch-inference': { steps: { Run: { outcome: 'Failed' } } } } });
    const failed = await sagemaker(t.endpoint, OPS_KEYS).send(
      new StartPipelineExecutionCommand({ PipelineName: 'batch-inference' }),
    );
    await t.admin.advanceClock(10 * MINUTE);
    const deliveries = await t.admin.deliveries();
    const retrain = invocations(deliveries).find((i) =>
      i.sourceArn.endsWith(':rule/training.retrain-on-inference-failure'),
    );
    expect(retrain?.outcome).toBe('succeeded');
    const trainings = await executionsOf('training');
    expect(trainings).toHaveLength(1);
    expect(await parametersOf(trainings[0]!.PipelineExecutionArn!)).toMatchObject({ Reason: 'inference-failed' });
    const messages = notifications(deliveries).map((n) => n.message);
    expect(messages).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^SageMaker pipeline batch-inference: execution \\S+ Failed at \\S+\\. Execution: ${failed.PipelineExecutionArn!}$`,
        ),
      ),
    );
  });

  it('plan mode shows the changes and makes no mutating call; an apply refuses a plan it was not shown', async () => {
    await triggers('batch-inference', INFERENCE);
    const since = (await t.admin.calls()).at(-1)?.seq ?? 0;
    const changed = INFERENCE.replace('cron(0 6 * * ? *)', 'cron(0 7 * * ? *)');
    const plan = await triggers('batch-inference', changed, { mode: 'plan' });
    expect(plan.errors).toEqual([]);
    expect(plan.outputs['changed']).toBe('true');
    expect(plan.stdout).toContain('Plan: update schedule daily: expression: cron(0 6 * * ? *) → cron(0 7 * * ? *)');
    expect(plan.summary).toContain('plan \\(nothing changed\\)');
    expect(await mutatingCalls(since)).toEqual([]);

    const stale = await triggers('batch-inference', changed.replace('cron(0 7', 'cron(0 8'), {
      'expected-plan-sha256': plan.outputs['plan-sha256']!,
    });
    expect(stale.exitCode).toBe(1);
    expect(stale.errors[0]).toMatch(/input 'expected-plan-sha256': the plan showed/);
    expect(await mutatingCalls(since)).toEqual([]);

    const apply = await triggers('batch-inference', changed, { 'expected-plan-sha256': plan.outputs['plan-sha256']! });
    expect(apply.errors).toEqual([]);
    expect(await mutatingCalls(since)).toEqual(['scheduler:UpdateSchedule']);
  });

  it('an emptied file removes what it made and leaves a rule it did not make', async () => {
    await triggers('batch-inference', INFERENCE);
    await triggers(
      'batch-inference',
      `${INFERENCE}rules:\n  - name: extra\n    event-pattern: { source: [aws.sagemaker] }\n`,
    );
    await eventBridge(t.endpoint).send(
      new PutRuleCommand({ Name: 'batch-inference.by-hand', EventPattern: '{"source":["aws.sagemaker"]}' }),
    );
    const since = (await t.admin.calls()).at(-1)?.seq ?? 0;
    const emptied = await triggers('batch-inference', '');
    expect(emptied.errors).toEqual([]);
    expect(await mutatingCalls(since)).toEqual([
      'scheduler:DeleteSchedule',
      'events:RemoveTargets',
      'events:DeleteRule',
      'events:RemoveTargets',
      'events:DeleteRule',
      'sns:DeleteTopic',
    ]);
    const rules = (await t.admin.calls(since)).filter((c) => c.operation === 'DeleteRule').map((c) => c.input['Name']);
    expect(rules).toEqual(['batch-inference.extra', 'batch-inference.notifications']);
    expect((await triggers('batch-inference', '')).outputs['changed']).toBe('false');
  });

  it('refuses to take over a rule it did not make', async () => {
    await eventBridge(t.endpoint).send(
      new PutRuleCommand({ Name: 'training.retrain-on-inference-failure', EventPattern: '{"source":["x"]}' }),
    );
    const step = await triggers('training', TRAINING);
    expect(step.exitCode).toBe(1);
    expect(step.errors).toEqual([
      'upsert-pipeline-triggers: nothing was changed: rule training.retrain-on-inference-failure exists and was not made by upsert-pipeline-triggers for pipeline training; rename it in the triggers file or remove that rule',
    ]);
    expect(await mutatingCalls()).toEqual(['events:PutRule']);
  });
});

describe('notify-failure bundle', () => {
  it('tells the subscribers which promotion run failed', async () => {
    await triggers('batch-inference', INFERENCE);
    await confirmAll();
    const target = job();
    const step = await target.step('notify-failure', {
      inputs: { 'topic-name': 'ml-pipeline-failures', 'failed-job': 'deploy', reason: 'the endpoint rolled back' },
    });
    expect(step.errors).toEqual([]);
    const [delivered] = notifications(await t.admin.deliveries());
    expect(delivered).toMatchObject({
      endpoint: 'ml-team@example.com',
      subject: `Promotion failed: ${target.context.repository} (${target.context.workflow})`,
    });
    expect(delivered?.message).toContain('Failed job: deploy');
    expect(delivered?.message).toContain(`Run: https://github.com/${target.context.repository}/actions/runs/`);
    expect(step.outputs['message-id']).toBe(delivered?.messageId);
  });
});

/**
 * EventBridge Scheduler in the emulator: schedules and groups managed as the API does, and
 * schedules firing on the simulated clock, held and stepped by the test: each occurrence starts
 * the target pipeline with the schedule's parameters, as the schedule's role; a role Scheduler
 * cannot assume or that may not start the pipeline is a failed invocation, recorded.
 */
import {
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  DeleteScheduleGroupCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListScheduleGroupsCommand,
  ListSchedulesCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
  type Target,
} from '@aws-sdk/client-scheduler';
import {
  CreatePipelineCommand,
  ListPipelineExecutionsCommand,
  ListPipelineParametersForExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { beforeEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../../testkit/emulator.ts';
import {
  ACCOUNT,
  OPS_KEYS,
  REGION,
  ROLES,
  eventsWorld,
  invocations,
  scheduler,
} from '../../testkit/emulator-events.ts';
import { sagemaker } from '../../testkit/clients.ts';
import { definition, training } from '../../testkit/sagemaker.ts';
import { rejection } from '../../testkit/requests.ts';

const t = useEmulator(eventsWorld);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const PIPELINE_ARN = `arn:aws:sagemaker:${REGION}:${ACCOUNT}:pipeline/batch-inference`;

let start: number;

beforeEach(async () => {
  await t.admin.holdClock(true);
  // Whole seconds: schedules are precise to the second here, and StartDate travels in seconds.
  start = Date.parse((await t.admin.clock()).simulatedTime);
  await t.admin.advanceClock(1000 - (start % 1000));
  start = Date.parse((await t.admin.clock()).simulatedTime);
  await sagemaker(t.endpoint, OPS_KEYS).send(
    new CreatePipelineCommand({
      PipelineName: 'batch-inference',
      RoleArn: ROLES.pipeline,
      PipelineDefinition: definition(
        [training('Score')],
        [
          { Name: 'InputDate', Type: 'String', DefaultValue: 'latest' },
          { Name: 'Threshold', Type: 'Float', DefaultValue: 0.5 },
        ],
      ),
    }),
  );
});

function scheduleInput(overrides: Partial<CreateScheduleCommandInput> = {}): CreateScheduleCommandInput {
  return {
    Name: 'nightly-inference',
    ScheduleExpression: 'rate(1 day)',
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: {
      Arn: PIPELINE_ARN,
      RoleArn: ROLES.scheduler,
      SageMakerPipelineParameters: { PipelineParameterList: [{ Name: 'InputDate', Value: '2026-01-01' }] },
    },
    ...overrides,
  };
}

async function executions() {
  const listed = await sagemaker(t.endpoint, OPS_KEYS).send(
    new ListPipelineExecutionsCommand({ PipelineName: 'batch-inference', SortOrder: 'Ascending' }),
  );
  return listed.PipelineExecutionSummaries ?? [];
}

/** "cron(M H * * ? *)" for the UTC hour and minute of an instant. */
const dailyCronAt = (ms: number) => {
  const date = new Date(ms);
  return `cron(${date.getUTCMinutes()} ${date.getUTCHours()} * * ? *)`;
};

describe('schedules fire on the simulated clock', () => {
  it('a rate schedule starts the pipeline at its start date and every period after, with its parameters', async () => {
    const firstRun = start + HOUR;
    await scheduler(t.endpoint).send(new CreateScheduleCommand(scheduleInput({ StartDate: new Date(firstRun) })));

    await t.admin.advanceClock(HOUR - MINUTE);
    expect(await executions()).toEqual([]);

    await t.admin.advanceClock(2 * MINUTE);
    const [first, ...others] = await executions();
    expect(others).toEqual([]);
    // Started at the occurrence itself, not when someone looked.
    expect(first?.StartTime?.getTime()).toBe(firstRun);
    const parameters = await sagemaker(t.endpoint, OPS_KEYS).send(
      new ListPipelineParametersForExecutionCommand({ PipelineExecutionArn: first?.PipelineExecutionArn }),
    );
    expect(parameters.PipelineParameters).toEqual(
      expect.arrayContaining([
        { Name: 'InputDate', Value: '2026-01-01' },
        { Name: 'Threshold', Value: '0.5' },
      ]),
    );

    await t.admin.advanceClock(24 * HOUR);
    const all = await executions();
    expect(all.map((e) => e.StartTime?.getTime())).toEqual([firstRun, firstRun + 24 * HOUR]);

    const invoked = invocations(await t.admin.deliveries());
    expect(invoked.map((i) => [i.invoker, i.outcome, i.targetType, i.pipelineExecutionArn])).toEqual(
      all.map((e) => ['scheduler', 'succeeded', 'sagemaker-pipeline', e.PipelineExecutionArn]),
    );
    expect(invoked[0]?.sourceArn).toBe(`arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/default/nightly-inference`);
    expect(invoked[0]?.pipelineParameters).toEqual([{ Name: 'InputDate', Value: '2026-01-01' }]);
  });

  it('a cron schedule comes due at its wall-clock time; the deliveries read catches time up', async () => {
    // Cron occurrences fall on whole minutes.
    const due = Math.floor((start + 2 * HOUR) / MINUTE) * MINUTE;
    await scheduler(t.endpoint).send(
      new CreateScheduleCommand(scheduleInput({ ScheduleExpression: dailyCronAt(due) })),
    );
    await t.admin.advanceClock(due - 1000 - start);
    expect(invocations(await t.admin.deliveries())).toEqual([]);
    await t.admin.advanceClock(1000);
    const [invoked] = invocations(await t.admin.deliveries());
    expect(invoked?.time).toBe(new Date(due).toISOString());
    expect(invoked?.outcome).toBe('succeeded');
  });

  it('a disabled schedule does not fire, and enabled again it does not make up for what it missed', async () => {
    await scheduler(t.endpoint).send(
      new CreateScheduleCommand(scheduleInput({ ScheduleExpression: 'rate(1 hour)', State: 'DISABLED' })),
    );
    await t.admin.advanceClock(3 * HOUR + MINUTE);
    expect(await executions()).toEqual([]);
    await scheduler(t.endpoint).send(
      new UpdateScheduleCommand({ ...scheduleInput({ ScheduleExpression: 'rate(1 hour)' }), State: 'ENABLED' }),
    );
    expect(await executions()).toEqual([]);
    await t.admin.advanceClock(HOUR);
    // The cadence is the creation's: due at 4 h after it, once.
    expect((await executions()).map((e) => e.StartTime?.getTime())).toEqual([start + 4 * HOUR]);
  });

  it('a new rate schedule without a start date invokes at once', async () => {
    await scheduler(t.endpoint).send(new CreateScheduleCommand(scheduleInput({ ScheduleExpression: 'rate(6 hours)' })));
    expect((await executions()).map((e) => e.StartTime?.getTime())).toEqual([start]);
  });

  it('a flexible window invokes somewhere inside the window, never before the occurrence', async () => {
    const due = Math.floor((start + HOUR) / MINUTE) * MINUTE;
    await scheduler(t.endpoint).send(
      new CreateScheduleCommand(
        scheduleInput({
          ScheduleExpression: dailyCronAt(due),
          FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
        }),
      ),
    );
    await t.admin.advanceClock(HOUR + 15 * MINUTE);
    const [invoked, ...others] = invocations(await t.admin.deliveries());
    expect(others).toEqual([]);
    const at = Date.parse(invoked?.time ?? '');
    expect(at).toBeGreaterThanOrEqual(due);
    expect(at).toBeLessThan(due + 15 * MINUTE);
  });

  it('a one-time schedule fires once at its time in its time zone, then deletes itself when told to', async () => {
    const due = new Date(start + 90 * MINUTE);
    // The wall-clock time in Tokyo (UTC+9, no daylight saving) of the instant due.
    const tokyo = new Date(due.getTime() + 9 * HOUR).toISOString().slice(0, 19);
    await scheduler(t.endpoint).send(
      new CreateScheduleCommand(
        scheduleInput({
          Name: 'backfill',
          ScheduleExpression: `at(${tokyo})`,
          ScheduleExpressionTimezone: 'Asia/Tokyo',
          ActionAfterCompletion: 'DELETE',
        }),
      ),
    );
    await t.admin.advanceClock(3 * HOUR);
    expect((await executions()).map((e) => e.StartTime?.getTime())).toEqual([due.getTime()]);
    const gone = await rejection(scheduler(t.endpoint).send(new GetScheduleCommand({ Name: 'backfill' })));
    expect(gone.name).toBe('ResourceNotFoundException');
  });
});

describe('refused invocations are recorded, not thrown', () => {
  it.each<[string, Partial<Target>, string, string]>([
    [
      'a role that does not trust Scheduler',
      { RoleArn: ROLES.untrusted },
      'AccessDenied',
      `scheduler.amazonaws.com is not authorized to perform: sts:AssumeRole on resource: ${ROLES.untrusted}`,
    ],
    [
      'a role whose policies do not allow starting the pipeline',
      { RoleArn: ROLES.powerless },
      'AccessDeniedException',
      `User: arn:aws:sts::${ACCOUNT}:assumed-role/powerless-invoker/scheduler is not authorized to perform: sagemaker:StartPipelineExecution on resource: ${PIPELINE_ARN} because no identity-based policy allows the sagemaker:StartPipelineExecution action`,
    ],
    [
      'a pipeline that does not exist',
      { Arn: `arn:aws:sagemaker:${REGION}:${ACCOUNT}:pipeline/missing` },
      'ResourceNotFound',
      "Pipeline 'missing' does not exist.",
    ],
    [
      'a parameter the pipeline does not declare',
      { SageMakerPipelineParameters: { PipelineParameterList: [{ Name: 'Nope', Value: '1' }] } },
      'ValidationException',
      "Pipeline parameter 'Nope' is not defined in the pipeline definition.",
    ],
  ])('%s', async (_, target, code, message) => {
    const input = scheduleInput({ StartDate: new Date(start + HOUR) });
    await scheduler(t.endpoint).send(new CreateScheduleCommand({ ...input, Target: { ...input.Target!, ...target } }));
    await t.admin.advanceClock(HOUR);
    const [invoked, ...others] = invocations(await t.admin.deliveries());
    expect(others).toEqual([]);
    expect(invoked).toMatchObject({ outcome: 'failed', errorCode: code, errorMessage: message });
    expect(await executions()).toEqual([]);
  });
});

describe('the Scheduler API', () => {
  it('creates, reads, replaces, lists and deletes schedules', async () => {
    const client = scheduler(t.endpoint);
    const created = await client.send(
      new CreateScheduleCommand(
        scheduleInput({
          ScheduleExpression: 'cron(0 6 ? * MON-FRI *)',
          ScheduleExpressionTimezone: 'Europe/Paris',
          Description: 'weekday mornings',
        }),
      ),
    );
    expect(created.ScheduleArn).toBe(`arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/default/nightly-inference`);
    const again = await rejection(client.send(new CreateScheduleCommand(scheduleInput())));
    expect(again.name).toBe('ConflictException');

    const read = await client.send(new GetScheduleCommand({ Name: 'nightly-inference' }));
    expect(read).toMatchObject({
      Name: 'nightly-inference',
      GroupName: 'default',
      State: 'ENABLED',
      ScheduleExpression: 'cron(0 6 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      Description: 'weekday mornings',
      ActionAfterCompletion: 'NONE',
      Target: { Arn: PIPELINE_ARN, RoleArn: ROLES.scheduler },
    });
    expect(read.CreationDate?.getTime()).toBe(start);

    // Update replaces the schedule: what it does not say is back to its default.
    await client.send(new UpdateScheduleCommand(scheduleInput({ ScheduleExpression: 'rate(12 hours)' })));
    const replaced = await client.send(new GetScheduleCommand({ Name: 'nightly-inference' }));
    expect(replaced.ScheduleExpression).toBe('rate(12 hours)');
    expect(replaced.Description).toBeUndefined();
    expect(replaced.ScheduleExpressionTimezone).toBe('UTC');

    await client.send(new CreateScheduleGroupCommand({ Name: 'ml', Tags: [{ Key: 'team', Value: 'ml' }] }));
    await client.send(new CreateScheduleCommand(scheduleInput({ Name: 'weekly-train', GroupName: 'ml' })));
    const all = await client.send(new ListSchedulesCommand({}));
    expect(all.Schedules?.map((s) => `${s.GroupName}/${s.Name}`)).toEqual([
      'default/nightly-inference',
      'ml/weekly-train',
    ]);
    const inGroup = await client.send(new ListSchedulesCommand({ GroupName: 'ml' }));
    expect(inGroup.Schedules?.map((s) => [s.Name, s.Target?.Arn])).toEqual([['weekly-train', PIPELINE_ARN]]);
    const byPrefix = await client.send(new ListSchedulesCommand({ NamePrefix: 'night' }));
    expect(byPrefix.Schedules?.map((s) => s.Name)).toEqual(['nightly-inference']);

    await client.send(new DeleteScheduleCommand({ Name: 'nightly-inference' }));
    const missing = await rejection(client.send(new GetScheduleCommand({ Name: 'nightly-inference' })));
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.$metadata?.httpStatusCode).toBe(404);
  });

  it('keeps schedule groups with their tags; deleting a group deletes its schedules', async () => {
    const client = scheduler(t.endpoint);
    const { ScheduleGroupArn: arn } = await client.send(new CreateScheduleGroupCommand({ Name: 'ml' }));
    expect(arn).toBe(`arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule-group/ml`);
    expect((await client.send(new GetScheduleGroupCommand({ Name: 'ml' }))).State).toBe('ACTIVE');
    const groups = await client.send(new ListScheduleGroupsCommand({}));
    expect(groups.ScheduleGroups?.map((g) => g.Name)).toEqual(['default', 'ml']);

    await client.send(
      new TagResourceCommand({
        ResourceArn: arn,
        Tags: [
          { Key: 'team', Value: 'ml' },
          { Key: 'env', Value: 'prod' },
        ],
      }),
    );
    await client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['env'] }));
    expect((await client.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toEqual([
      { Key: 'team', Value: 'ml' },
    ]);

    await client.send(new CreateScheduleCommand(scheduleInput({ GroupName: 'ml' })));
    await client.send(new DeleteScheduleGroupCommand({ Name: 'ml' }));
    expect((await client.send(new ListSchedulesCommand({}))).Schedules).toEqual([]);
    const gone = await rejection(client.send(new GetScheduleGroupCommand({ Name: 'ml' })));
    expect(gone.name).toBe('ResourceNotFoundException');
    const keep = await rejection(client.send(new DeleteScheduleGroupCommand({ Name: 'default' })));
    expect(keep.name).toBe('ValidationException');
  });

  it.each([
    [
      'an expression AWS would not take',
      { ScheduleExpression: 'cron(0 6 * * * *)' },
      'ValidationException',
      'Invalid Schedule Expression cron(0 6 * * * *).',
    ],
    [
      'a time zone that does not exist',
      { ScheduleExpressionTimezone: 'Mars/Olympus' },
      'ValidationException',
      'Invalid time zone: Mars/Olympus.',
    ],
    [
      'a group that does not exist',
      { GroupName: 'nope' },
      'ResourceNotFoundException',
      'Schedule group nope does not exist.',
    ],
    [
      'a flexible window without its length',
      { FlexibleTimeWindow: { Mode: 'FLEXIBLE' as const } },
      'ValidationException',
      'MaximumWindowInMinutes must be provided when the FlexibleTimeWindow Mode is FLEXIBLE.',
    ],
    [
      'a start date after the end date',
      { StartDate: new Date(Date.now() + 2 * HOUR), EndDate: new Date(Date.now() + HOUR) },
      'ValidationException',
      'The StartDate must be before the EndDate.',
    ],
  ])('refuses %s', async (_, overrides, code, message) => {
    const error = await rejection(scheduler(t.endpoint).send(new CreateScheduleCommand(scheduleInput(overrides))));
    expect([error.name, error.message]).toEqual([code, message]);
    expect((await scheduler(t.endpoint).send(new ListSchedulesCommand({}))).Schedules).toEqual([]);
  });

  it('checks requests against the model before anything else', async () => {
    const error = await rejection(
      scheduler(t.endpoint).send(new CreateScheduleCommand(scheduleInput({ Name: 'bad name!' }))),
    );
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(
      /^1 validation error detected: Value 'bad name!' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    );
  });
});

/**
 * Inventory, planner and apply together, against an in-memory stand-in for Scheduler, EventBridge
 * and SNS (aws-sdk-client-mock): what apply writes is what the next read finds, so a second run
 * makes no mutating call; plan mode makes read calls only.
 */
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTagsForResourceCommand as ListTopicTags,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
  TagResourceCommand,
  UnsubscribeCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-sns';
import {
  DeleteRuleCommand,
  EventBridgeClient,
  ListRulesCommand,
  ListTagsForResourceCommand as ListRuleTags,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import {
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListSchedulesCommand,
  ListTagsForResourceCommand as ListScheduleTags,
  SchedulerClient,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/upsert-pipeline-triggers/apply.ts';
import { desiredState } from '../../src/upsert-pipeline-triggers/desired.ts';
import { readCurrent, type Clients } from '../../src/upsert-pipeline-triggers/inventory.ts';
import { ACTION_NAME, PIPELINE_TAG } from '../../src/upsert-pipeline-triggers/ownership.ts';
import { isChange, planTriggers } from '../../src/upsert-pipeline-triggers/planner.ts';
import { readTriggersFile } from '../../src/upsert-pipeline-triggers/triggers-file.ts';

const ACCOUNT = '222222222222';
const REGION = 'eu-west-1';
const PIPELINE = 'abalone-batch';
const OWNER = { pipeline: PIPELINE, repository: 'example-org/ml-pipelines' };
const TAGS = { 'mlops-actions:created-by': ACTION_NAME, 'mlops-actions:repository': OWNER.repository };

const notFound = (what: string, name = 'ResourceNotFoundException') =>
  Object.assign(new Error(`${what} does not exist`), { name, $metadata: { httpStatusCode: 404 } });

type Tags = { Key?: string | undefined; Value?: string | undefined }[] | undefined;
const toMap = (tags: Tags) => Object.fromEntries((tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
const toList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/** Just enough of the three services for the calls the action makes. */
function standIn() {
  const calls: string[] = [];
  const groups = new Map<string, Record<string, string>>();
  const schedules = new Map<string, CreateScheduleCommandInput>();
  const rules = new Map<
    string,
    { pattern: string; state: string; description: string; tags: Record<string, string>; targets: Target[] }
  >();
  const topics = new Map<
    string,
    {
      policy: string;
      tags: Record<string, string>;
      subscriptions: { protocol: string; endpoint: string; arn: string }[];
    }
  >();
  const groupArn = (name: string) => `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule-group/${name}`;
  const ruleArn = (name: string) => `arn:aws:events:${REGION}:${ACCOUNT}:rule/${name}`;
  const record = (name: string) => calls.push(name);

  const scheduler = mockClient(SchedulerClient);
  scheduler.on(GetScheduleGroupCommand).callsFake(({ Name }: { Name: string }) => {
    record('GetScheduleGroup');
    if (!groups.has(Name)) throw notFound(`Schedule group ${Name}`);
    return { Name, Arn: groupArn(Name), State: 'ACTIVE' };
  });
  scheduler.on(ListScheduleTags).callsFake(({ ResourceArn }: { ResourceArn: string }) => {
    record('ListTagsForResource');
    return { Tags: toList(groups.get(ResourceArn.split('/').pop()!) ?? {}) };
  });
  scheduler.on(CreateScheduleGroupCommand).callsFake(({ Name, Tags }: { Name: string; Tags: Tags }) => {
    record('CreateScheduleGroup');
    groups.set(Name, toMap(Tags));
    return { ScheduleGroupArn: groupArn(Name) };
  });
  scheduler.on(ListSchedulesCommand).callsFake(({ GroupName }: { GroupName: string }) => {
    record('ListSchedules');
    return {
      Schedules: [...schedules.values()].filter((s) => s.GroupName === GroupName).map((s) => ({ Name: s.Name })),
    };
  });
  scheduler.on(GetScheduleCommand).callsFake(({ Name, GroupName }: { Name: string; GroupName: string }) => {
    record('GetSchedule');
    const schedule = schedules.get(`${GroupName}/${Name}`);
    if (!schedule) throw notFound(`Schedule ${Name}`);
    return { ...schedule, ClientToken: undefined };
  });
  for (const Command of [CreateScheduleCommand, UpdateScheduleCommand])
    scheduler.on(Command).callsFake((input: CreateScheduleCommandInput) => {
      record(Command === CreateScheduleCommand ? 'CreateSchedule' : 'UpdateSchedule');
      schedules.set(`${input.GroupName}/${input.Name}`, input);
      return {};
    });
  scheduler.on(DeleteScheduleCommand).callsFake(({ Name, GroupName }: { Name: string; GroupName: string }) => {
    record('DeleteSchedule');
    schedules.delete(`${GroupName}/${Name}`);
    return {};
  });

  const events = mockClient(EventBridgeClient);
  events.on(ListRulesCommand).callsFake(({ NamePrefix }: { NamePrefix: string }) => {
    record('ListRules');
    return {
      Rules: [...rules.entries()]
        .filter(([name]) => name.startsWith(NamePrefix))
        .map(([Name, r]) => ({
          Name,
          Arn: ruleArn(Name),
          EventPattern: r.pattern,
          State: r.state,
          Description: r.description,
        })),
    };
  });
  events.on(ListRuleTags).callsFake(({ ResourceARN }: { ResourceARN: string }) => {
    record('ListTagsForResource');
    return { Tags: toList(rules.get(ResourceARN.split('/').pop()!)?.tags ?? {}) };
  });
  events.on(ListTargetsByRuleCommand).callsFake(({ Rule }: { Rule: string }) => {
    record('ListTargetsByRule');
    return { Targets: rules.get(Rule)?.targets ?? [] };
  });
  events
    .on(PutRuleCommand)
    .callsFake((input: { Name: string; EventPattern: string; State: string; Description: string; Tags?: Tags }) => {
      record('PutRule');
      const existing = rules.get(input.Name);
      rules.set(input.Name, {
        pattern: input.EventPattern,
        state: input.State,
        description: input.Description,
        tags: existing?.tags ?? toMap(input.Tags),
        targets: existing?.targets ?? [],
      });
      return { RuleArn: ruleArn(input.Name) };
    });
  events.on(PutTargetsCommand).callsFake(({ Rule, Targets }: { Rule: string; Targets: Target[] }) => {
    record('PutTargets');
    const rule = rules.get(Rule)!;
    rule.targets = [...rule.targets.filter((t) => !Targets.some((n) => n.Id === t.Id)), ...Targets];
    return { FailedEntryCount: 0, FailedEntries: [] };
  });
  events.on(RemoveTargetsCommand).callsFake(({ Rule, Ids }: { Rule: string; Ids: string[] }) => {
    record('RemoveTargets');
    const rule = rules.get(Rule)!;
    rule.targets = rule.targets.filter((t) => !Ids.includes(t.Id!));
    return { FailedEntryCount: 0, FailedEntries: [] };
  });
  events.on(DeleteRuleCommand).callsFake(({ Name }: { Name: string }) => {
    record('DeleteRule');
    if (rules.get(Name)?.targets.length) throw new Error('Rule still has targets.');
    rules.delete(Name);
    return {};
  });

  const sns = mockClient(SNSClient);
  const topicOf = (arn: string) => {
    const topic = topics.get(arn);
    if (!topic) throw notFound(`Topic ${arn}`, 'NotFound');
    return topic;
  };
  sns.on(GetTopicAttributesCommand).callsFake(({ TopicArn }: { TopicArn: string }) => {
    record('GetTopicAttributes');
    return { Attributes: { Policy: topicOf(TopicArn).policy, TopicArn } };
  });
  sns.on(ListTopicTags).callsFake(({ ResourceArn }: { ResourceArn: string }) => {
    record('ListTagsForResource');
    return { Tags: toList(topicOf(ResourceArn).tags) };
  });
  sns.on(ListSubscriptionsByTopicCommand).callsFake(({ TopicArn }: { TopicArn: string }) => {
    record('ListSubscriptionsByTopic');
    return {
      Subscriptions: topicOf(TopicArn).subscriptions.map((s) => ({
        Protocol: s.protocol,
        Endpoint: s.endpoint,
        SubscriptionArn: s.arn,
      })),
    };
  });
  sns
    .on(CreateTopicCommand)
    .callsFake(({ Name, Attributes, Tags }: { Name: string; Attributes: Record<string, string>; Tags: Tags }) => {
      record('CreateTopic');
      const arn = `arn:aws:sns:${REGION}:${ACCOUNT}:${Name}`;
      topics.set(arn, { policy: Attributes['Policy'] ?? '', tags: toMap(Tags), subscriptions: [] });
      return { TopicArn: arn };
    });
  sns
    .on(SetTopicAttributesCommand)
    .callsFake(({ TopicArn, AttributeValue }: { TopicArn: string; AttributeValue: string }) => {
      record('SetTopicAttributes');
      topicOf(TopicArn).policy = AttributeValue;
      return {};
    });
  sns.on(TagResourceCommand).callsFake(({ ResourceArn, Tags }: { ResourceArn: string; Tags: Tags }) => {
    record('TagResource');
    Object.assign(topicOf(ResourceArn).tags, toMap(Tags));
    return {};
  });
  sns.on(UntagResourceCommand).callsFake(({ ResourceArn, TagKeys }: { ResourceArn: string; TagKeys: string[] }) => {
    record('UntagResource');
    const topic = topicOf(ResourceArn);
    for (const key of TagKeys) Reflect.deleteProperty(topic.tags, key);
    return {};
  });
  sns
    .on(SubscribeCommand)
    .callsFake(({ TopicArn, Protocol, Endpoint }: { TopicArn: string; Protocol: string; Endpoint: string }) => {
      record('Subscribe');
      const arn = `${TopicArn}:${topicOf(TopicArn).subscriptions.length + 1}`;
      topicOf(TopicArn).subscriptions.push({ protocol: Protocol, endpoint: Endpoint, arn });
      return { SubscriptionArn: arn };
    });
  sns.on(UnsubscribeCommand).callsFake(({ SubscriptionArn }: { SubscriptionArn: string }) => {
    record('Unsubscribe');
    for (const topic of topics.values())
      topic.subscriptions = topic.subscriptions.filter((s) => s.arn !== SubscriptionArn);
    return {};
  });
  sns.on(DeleteTopicCommand).callsFake(({ TopicArn }: { TopicArn: string }) => {
    record('DeleteTopic');
    topics.delete(TopicArn);
    return {};
  });

  return {
    calls,
    groups,
    schedules,
    rules,
    topics,
    restore: () => [scheduler, events, sns].forEach((mock) => mock.restore()),
  };
}

const FILE = `
schedules:
  - name: daily
    expression: cron(0 6 * * ? *)
    timezone: Europe/Paris
    parameters: { InputDate: latest }
rules:
  - name: retrain
    when: { pipeline: abalone-train, status: Failed }
notifications:
  topic: failures
  on: [Failed, Stopped]
  subscriptions:
    - { protocol: email, endpoint: team@example.com }
`;

const READS = /^(Get|List|Describe)/;
let aws: ReturnType<typeof standIn>;
let clients: Clients;
beforeEach(() => {
  aws = standIn();
  clients = {
    scheduler: new SchedulerClient({ region: REGION }),
    events: new EventBridgeClient({ region: REGION }),
    sns: new SNSClient({ region: REGION }),
  };
});
afterEach(() => aws.restore());

async function run(text: string, mode: 'plan' | 'apply' = 'apply') {
  const context = { region: REGION, account: ACCOUNT, prefix: PIPELINE };
  const desired = desiredState(readTriggersFile(text, 'triggers.yml', context), {
    ...context,
    pipeline: PIPELINE,
    targetRoleArn: `arn:aws:iam::${ACCOUNT}:role/triggers`,
  });
  aws.calls.length = 0;
  const plan = planTriggers(desired, await readCurrent(clients, desired, OWNER), {
    owner: OWNER,
    resourceTags: { ...TAGS, [PIPELINE_TAG]: PIPELINE },
    topicTags: TAGS,
  });
  expect(plan.conflicts).toEqual([]);
  const outcome = mode === 'apply' ? await applyPlan(clients, plan, PIPELINE, 'run-1') : undefined;
  expect(outcome?.failed).toBeUndefined();
  return {
    changes: plan.steps.filter(isChange).map((s) => `${s.change} ${s.kind} ${s.name}`),
    mutating: aws.calls.filter((call) => !READS.test(call)),
  };
}

describe('upsert-pipeline-triggers against AWS', () => {
  it('creates what the file declares, then makes no mutating call on a second run', async () => {
    const first = await run(FILE);
    expect(first.mutating).toEqual([
      'CreateScheduleGroup',
      'CreateSchedule',
      'CreateTopic',
      'Subscribe',
      'PutRule',
      'PutTargets',
      'PutRule',
      'PutTargets',
    ]);
    const schedule = aws.schedules.get(`${PIPELINE}/daily`)!;
    expect(schedule.Target).toEqual({
      Arn: `arn:aws:sagemaker:${REGION}:${ACCOUNT}:pipeline/abalone-batch`,
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/triggers`,
      SageMakerPipelineParameters: { PipelineParameterList: [{ Name: 'InputDate', Value: 'latest' }] },
    });
    expect(aws.groups.get(PIPELINE)).toMatchObject({ [PIPELINE_TAG]: PIPELINE });
    const topic = aws.topics.get(`arn:aws:sns:${REGION}:${ACCOUNT}:failures`)!;
    expect(JSON.parse(topic.policy).Statement[0].Condition).toEqual({
      ArnEquals: { 'aws:SourceArn': [`arn:aws:events:${REGION}:${ACCOUNT}:rule/abalone-batch.notifications`] },
    });

    const second = await run(FILE);
    expect(second).toEqual({ changes: [], mutating: [] });
  });

  it('plan mode reads only', async () => {
    await run(FILE);
    const plan = await run(
      FILE.replace('cron(0 6 * * ? *)', 'rate(1 day)').replace(/notifications:[\s\S]*$/, ''),
      'plan',
    );
    expect(plan.changes).toEqual([
      'update schedule daily',
      'delete rule abalone-batch.notifications',
      'delete topic failures',
    ]);
    expect(plan.mutating).toEqual([]);
  });

  it('an emptied file removes everything it made and nothing else', async () => {
    await run(FILE);
    aws.rules.set('abalone-batch.by-hand', { pattern: '{}', state: 'ENABLED', description: '', tags: {}, targets: [] });
    const emptied = await run('');
    expect(emptied.changes).toEqual([
      'delete schedule daily',
      'delete rule abalone-batch.retrain',
      'delete rule abalone-batch.notifications',
      'delete topic failures',
    ]);
    expect([...aws.rules.keys()]).toEqual(['abalone-batch.by-hand']);
    expect(aws.schedules.size).toBe(0);
    expect(aws.topics.size).toBe(0);
    expect(await run('')).toEqual({ changes: [], mutating: [] });
  });
});

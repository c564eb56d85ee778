/**
 * Reads what the planner decides on: the pipeline's schedule group and its schedules, every rule
 * under the prefix with its tags (and the targets of ours), and the topics in play — the one the
 * file names and the one the notification rule delivers to now. Read-only: plan mode makes these
 * calls and no others.
 */
import {
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListSchedulesCommand,
  ListTagsForResourceCommand as ListScheduleTagsCommand,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import {
  ListRulesCommand,
  ListTagsForResourceCommand as ListRuleTagsCommand,
  ListTargetsByRuleCommand,
  type EventBridgeClient,
  type Target,
} from '@aws-sdk/client-eventbridge';
import {
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTagsForResourceCommand as ListTopicTagsCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { isNotFound } from '../runtime/not-found.ts';
import { topicNameOfArn } from '../runtime/sns-topic.ts';
import type { DesiredState } from './desired.ts';
import { isOursForPipeline, NOTIFICATIONS_RULE, ruleNameOf, TOPIC_TARGET_ID, type Owner } from './ownership.ts';
import type { Current, CurrentGroup, CurrentRule, CurrentSchedule, CurrentTarget, CurrentTopic } from './planner.ts';

export interface Clients {
  scheduler: SchedulerClient;
  events: EventBridgeClient;
  sns: SNSClient;
}

async function allPages<T>(page: (token: string | undefined) => Promise<{ items?: T[]; next?: string }>): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const result = await page(token);
    items.push(...(result.items ?? []));
    token = result.next;
  } while (token);
  return items;
}

/** undefined when AWS says there is no such thing. */
async function unlessMissing<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

const tagMap = (tags: { Key?: string | undefined; Value?: string | undefined }[] | undefined) =>
  Object.fromEntries((tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));

const parameterMap = (list: { Name?: string | undefined; Value?: string | undefined }[] | undefined) =>
  Object.fromEntries((list ?? []).map((parameter) => [parameter.Name ?? '', parameter.Value ?? '']));

async function readGroup(client: SchedulerClient, name: string): Promise<CurrentGroup | undefined> {
  const group = await unlessMissing(() => client.send(new GetScheduleGroupCommand({ Name: name })));
  if (!group?.Arn) return undefined;
  const arn = group.Arn;
  const tags = await client.send(new ListScheduleTagsCommand({ ResourceArn: arn }));
  return { name, arn, state: group.State ?? 'ACTIVE', tags: tagMap(tags.Tags) };
}

async function readSchedules(client: SchedulerClient, group: string): Promise<CurrentSchedule[]> {
  const listed = await allPages(async (NextToken) => {
    const out = await client.send(new ListSchedulesCommand({ GroupName: group, NextToken }));
    return { items: out.Schedules, next: out.NextToken };
  });
  const schedules: CurrentSchedule[] = [];
  for (const summary of listed) {
    const name = summary.Name ?? '';
    // Deleted between the list and the read: nothing to compare.
    const s = await unlessMissing(() => client.send(new GetScheduleCommand({ Name: name, GroupName: group })));
    if (!s) continue;
    schedules.push({
      name,
      ...(s.ScheduleExpression !== undefined ? { expression: s.ScheduleExpression } : {}),
      ...(s.ScheduleExpressionTimezone !== undefined ? { timezone: s.ScheduleExpressionTimezone } : {}),
      ...(s.Description !== undefined ? { description: s.Description } : {}),
      ...(s.State !== undefined ? { state: s.State } : {}),
      ...(s.FlexibleTimeWindow?.Mode !== undefined ? { flexibleWindow: s.FlexibleTimeWindow.Mode } : {}),
      ...(s.Target?.Arn !== undefined ? { targetArn: s.Target.Arn } : {}),
      ...(s.Target?.RoleArn !== undefined ? { roleArn: s.Target.RoleArn } : {}),
      parameters: parameterMap(s.Target?.SageMakerPipelineParameters?.PipelineParameterList),
    });
  }
  return schedules;
}

function targetOf(target: Target): CurrentTarget {
  const transformer = target.InputTransformer;
  return {
    id: target.Id ?? '',
    arn: target.Arn ?? '',
    ...(target.RoleArn ? { roleArn: target.RoleArn } : {}),
    ...(target.SageMakerPipelineParameters
      ? { parameters: parameterMap(target.SageMakerPipelineParameters.PipelineParameterList) }
      : {}),
    ...(transformer
      ? { inputTransformer: { paths: { ...transformer.InputPathsMap }, template: transformer.InputTemplate ?? '' } }
      : {}),
  };
}

async function readRules(client: EventBridgeClient, prefix: string, owner: Owner): Promise<CurrentRule[]> {
  const listed = await allPages(async (NextToken) => {
    const out = await client.send(new ListRulesCommand({ NamePrefix: `${prefix}.`, NextToken }));
    return { items: out.Rules, next: out.NextToken };
  });
  const rules: CurrentRule[] = [];
  for (const rule of listed) {
    const name = rule.Name ?? '';
    const arn = rule.Arn ?? '';
    const tags = tagMap((await client.send(new ListRuleTagsCommand({ ResourceARN: arn }))).Tags);
    const targets = isOursForPipeline(tags, owner)
      ? await allPages(async (NextToken) => {
          const out = await client.send(new ListTargetsByRuleCommand({ Rule: name, NextToken }));
          return { items: out.Targets, next: out.NextToken };
        })
      : [];
    rules.push({
      name,
      arn,
      ...(rule.EventPattern !== undefined ? { pattern: rule.EventPattern } : {}),
      ...(rule.State !== undefined ? { state: rule.State } : {}),
      ...(rule.Description !== undefined ? { description: rule.Description } : {}),
      tags,
      targets: targets.map(targetOf),
    });
  }
  return rules;
}

async function readTopic(client: SNSClient, arn: string): Promise<CurrentTopic | undefined> {
  const attributes = await unlessMissing(() => client.send(new GetTopicAttributesCommand({ TopicArn: arn })));
  if (!attributes) return undefined;
  const tags = await client.send(new ListTopicTagsCommand({ ResourceArn: arn }));
  const subscriptions = await allPages(async (NextToken) => {
    const out = await client.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn, NextToken }));
    return { items: out.Subscriptions, next: out.NextToken };
  });
  const policy = attributes.Attributes?.['Policy'];
  return {
    name: topicNameOfArn(arn) ?? arn,
    arn,
    tags: tagMap(tags.Tags),
    ...(policy !== undefined ? { policy } : {}),
    subscriptions: subscriptions.map((s) => ({
      protocol: s.Protocol ?? '',
      endpoint: s.Endpoint ?? '',
      arn: s.SubscriptionArn ?? '',
    })),
  };
}

export async function readCurrent(clients: Clients, desired: DesiredState, owner: Owner): Promise<Current> {
  const group = await readGroup(clients.scheduler, desired.prefix);
  const schedules =
    group && isOursForPipeline(group.tags, owner) ? await readSchedules(clients.scheduler, desired.prefix) : [];
  const rules = await readRules(clients.events, desired.prefix, owner);
  const notificationRule = rules.find(
    (rule) => rule.name === ruleNameOf(desired.prefix, NOTIFICATIONS_RULE) && isOursForPipeline(rule.tags, owner),
  );
  const topicArns = new Set<string>();
  if (desired.topic) topicArns.add(desired.topic.arn);
  const deliveringTo = notificationRule?.targets.find((target) => target.id === TOPIC_TARGET_ID)?.arn;
  if (deliveringTo && topicNameOfArn(deliveringTo)) topicArns.add(deliveringTo);
  const topics: CurrentTopic[] = [];
  for (const arn of topicArns) {
    const topic = await readTopic(clients.sns, arn);
    if (topic) topics.push(topic);
  }
  return { ...(group ? { group } : {}), schedules, rules, topics };
}

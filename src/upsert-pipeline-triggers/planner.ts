/**
 * What it takes to make prod match the triggers file, decided from the desired state and what AWS
 * holds (pure, so every rule is table-tested): for each schedule, rule, topic and subscription a
 * step — create, update, delete, unchanged, or keep (something to delete that a safeguard holds) —
 * with what differs, in the order apply carries them out: what others depend on first (the group
 * before its schedules, the topic's policy before the rule that delivers to it), deletions last.
 *
 * Only what this action made for this pipeline is ever updated or deleted (see ownership.ts);
 * something else in the way of a name the file wants is a conflict, and nothing is written.
 */
import { canonicalJson, sameJson } from '../runtime/canonical-json.ts';
import { PENDING_CONFIRMATION } from '../runtime/sns-topic.ts';
import type { DesiredRule, DesiredSchedule, DesiredState, InputTransformer, RuleTarget } from './desired.ts';
import {
  ACTION_NAME,
  decodeHashes,
  encodeHashes,
  isOursForPipeline,
  isOurTopic,
  PIPELINE_TARGET_ID,
  SUBSCRIPTIONS_TAG_PREFIX,
  TOPIC_TARGET_ID,
  subscriptionHash,
  type Owner,
} from './ownership.ts';
import { letsRulePublish, policySources, policyWithSources } from './topic-policy.ts';
import type { Subscription } from './triggers-file.ts';

export interface CurrentGroup {
  name: string;
  arn: string;
  /** ACTIVE or DELETING. */
  state: string;
  tags: Record<string, string>;
}

export interface CurrentSchedule {
  name: string;
  expression?: string;
  timezone?: string;
  description?: string;
  state?: string;
  flexibleWindow?: string;
  targetArn?: string;
  roleArn?: string;
  parameters: Record<string, string>;
}

export interface CurrentTarget {
  id: string;
  arn: string;
  roleArn?: string;
  parameters?: Record<string, string>;
  inputTransformer?: InputTransformer;
}

export interface CurrentRule {
  name: string;
  arn: string;
  pattern?: string;
  state?: string;
  description?: string;
  tags: Record<string, string>;
  /** Read for the rules that are ours only. */
  targets: CurrentTarget[];
}

export interface CurrentSubscription extends Subscription {
  /** PendingConfirmation until the endpoint confirms. */
  arn: string;
}

export interface CurrentTopic {
  name: string;
  arn: string;
  tags: Record<string, string>;
  policy?: string;
  subscriptions: CurrentSubscription[];
}

export interface Current {
  /** The schedule group named after the prefix, when it exists. */
  group?: CurrentGroup;
  /** The schedules in it (read only when the group is ours). */
  schedules: CurrentSchedule[];
  /** Every rule under the prefix, ours or not. */
  rules: CurrentRule[];
  /** The topics that exist of the one the file names and the one the notification rule delivers to now. */
  topics: CurrentTopic[];
}

export type Kind = 'schedule-group' | 'schedule' | 'rule' | 'topic' | 'subscription';
export type Change = 'create' | 'update' | 'delete' | 'unchanged' | 'keep';

export type Operation =
  | { type: 'create-group'; name: string; tags: Record<string, string> }
  | { type: 'put-schedule'; create: boolean; schedule: DesiredSchedule }
  | { type: 'delete-schedule'; name: string }
  | {
      type: 'put-rule';
      create: boolean;
      rule: DesiredRule;
      writeRule: boolean;
      writeTarget: boolean;
      tags: Record<string, string>;
    }
  | { type: 'delete-rule'; name: string; targetIds: string[] }
  | { type: 'create-topic'; name: string; policy: string; tags: Record<string, string> }
  | { type: 'set-topic-policy'; arn: string; policy: string }
  | { type: 'tag-topic'; arn: string; set: Record<string, string>; remove: string[] }
  | { type: 'delete-topic'; arn: string }
  | { type: 'subscribe'; topicArn: string; subscription: Subscription }
  | { type: 'unsubscribe'; arn: string };

export interface Step {
  kind: Kind;
  name: string;
  change: Change;
  details: string[];
  operation?: Operation;
}

export interface Plan {
  steps: Step[];
  /** Something not ours holds a name the file needs: nothing may be written. */
  conflicts: string[];
  warnings: string[];
}

export interface PlanOptions {
  owner: Owner;
  /** Ownership tags for what is created (schedule group, rules: with the pipeline tag; topics: without). */
  resourceTags: Record<string, string>;
  topicTags: Record<string, string>;
}

const DEFAULT_TIMEZONE = 'UTC';
const shown = (value: unknown): string => (typeof value === 'string' ? value || "''" : canonicalJson(value));

function differences(pairs: [string, unknown, unknown][]): string[] {
  return pairs
    .filter(([, before, after]) => !sameJson(before ?? '', after ?? ''))
    .map(([what, before, after]) => `${what}: ${shown(before ?? '')} → ${shown(after ?? '')}`);
}

function scheduleDifferences(current: CurrentSchedule, desired: DesiredSchedule): string[] {
  return differences([
    ['expression', current.expression, desired.expression],
    ['timezone', current.timezone ?? DEFAULT_TIMEZONE, desired.timezone],
    ['state', current.state ?? 'ENABLED', desired.state],
    ['description', current.description, desired.description],
    ['target', current.targetArn, desired.target.arn],
    ['role', current.roleArn, desired.target.roleArn],
    ['parameters', current.parameters, desired.target.parameters],
    ['flexible time window', current.flexibleWindow ?? 'OFF', 'OFF'],
  ]);
}

const parsedPattern = (text: string | undefined): unknown => {
  try {
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return text;
  }
};

function targetDifferences(current: CurrentTarget | undefined, desired: RuleTarget): string[] {
  if (!current) return [`target ${desired.id}: add ${desired.arn}`];
  return differences([
    ['target', current.arn, desired.arn],
    ['role', current.roleArn, desired.roleArn],
    ['parameters', current.parameters ?? {}, desired.parameters ?? {}],
    ['message', current.inputTransformer, desired.inputTransformer],
  ]);
}

function planSchedules(desired: DesiredState, current: Current, options: PlanOptions, plan: Plan): Step[] {
  const deletions: Step[] = [];
  const group = current.group;
  const wanted = desired.schedules.length > 0;
  if (group && !isOursForPipeline(group.tags, options.owner)) {
    if (wanted)
      plan.conflicts.push(
        `schedule group ${group.name} exists and was not made by ${ACTION_NAME} for pipeline ${desired.pipeline}; give name-prefix another value`,
      );
    return deletions;
  }
  if (group && group.state !== 'ACTIVE' && wanted) {
    plan.conflicts.push(`schedule group ${group.name} is ${group.state}; run again once it is gone`);
    return deletions;
  }
  if (!group && wanted)
    plan.steps.push({
      kind: 'schedule-group',
      name: desired.prefix,
      change: 'create',
      details: [`for the schedules of pipeline ${desired.pipeline}`],
      operation: { type: 'create-group', name: desired.prefix, tags: options.resourceTags },
    });
  const existing = new Map(current.schedules.map((schedule) => [schedule.name, schedule]));
  for (const schedule of desired.schedules) {
    const before = existing.get(schedule.name);
    const details = before ? scheduleDifferences(before, schedule) : [`${schedule.expression} (${schedule.timezone})`];
    const change: Change = !before ? 'create' : details.length > 0 ? 'update' : 'unchanged';
    plan.steps.push({
      kind: 'schedule',
      name: schedule.name,
      change,
      details,
      ...(change === 'unchanged' ? {} : { operation: { type: 'put-schedule', create: !before, schedule } }),
    });
  }
  const names = new Set(desired.schedules.map((schedule) => schedule.name));
  for (const schedule of current.schedules.filter((s) => !names.has(s.name)))
    deletions.push({
      kind: 'schedule',
      name: schedule.name,
      change: 'delete',
      details: ['no longer in the triggers file'],
      operation: { type: 'delete-schedule', name: schedule.name },
    });
  return deletions;
}

function planRules(desired: DesiredState, current: Current, options: PlanOptions, plan: Plan): Step[] {
  const deletions: Step[] = [];
  const ours = new Map(
    current.rules.filter((rule) => isOursForPipeline(rule.tags, options.owner)).map((rule) => [rule.name, rule]),
  );
  const others = new Set(current.rules.filter((rule) => !ours.has(rule.name)).map((rule) => rule.name));
  for (const rule of desired.rules) {
    if (others.has(rule.name)) {
      plan.conflicts.push(
        `rule ${rule.name} exists and was not made by ${ACTION_NAME} for pipeline ${desired.pipeline}; rename it in the triggers file or remove that rule`,
      );
      continue;
    }
    const before = ours.get(rule.name);
    if (!before) {
      plan.steps.push({
        kind: 'rule',
        name: rule.name,
        change: 'create',
        details: [`to ${rule.target.arn}`],
        operation: {
          type: 'put-rule',
          create: true,
          rule,
          writeRule: true,
          writeTarget: true,
          tags: options.resourceTags,
        },
      });
      continue;
    }
    const ruleDetails = differences([
      ['event pattern', parsedPattern(before.pattern), rule.pattern],
      ['state', before.state ?? 'ENABLED', rule.state],
      ['description', before.description, rule.description],
    ]);
    const targetDetails = targetDifferences(
      before.targets.find((target) => target.id === rule.target.id),
      rule.target,
    );
    const details = [...ruleDetails, ...targetDetails];
    plan.steps.push({
      kind: 'rule',
      name: rule.name,
      change: details.length > 0 ? 'update' : 'unchanged',
      details,
      ...(details.length > 0
        ? {
            operation: {
              type: 'put-rule',
              create: false,
              rule,
              writeRule: ruleDetails.length > 0,
              writeTarget: targetDetails.length > 0,
              tags: options.resourceTags,
            },
          }
        : {}),
    });
  }
  const names = new Set(desired.rules.map((rule) => rule.name));
  for (const rule of [...ours.values()].filter((r) => !names.has(r.name))) {
    const ownTargets = new Set([PIPELINE_TARGET_ID, TOPIC_TARGET_ID]);
    const foreign = rule.targets.filter((target) => !ownTargets.has(target.id));
    deletions.push(
      foreign.length > 0
        ? {
            kind: 'rule',
            name: rule.name,
            change: 'keep',
            details: [`has targets this action did not add (${foreign.map((t) => t.id).join(', ')}); left in place`],
          }
        : {
            kind: 'rule',
            name: rule.name,
            change: 'delete',
            details: ['no longer in the triggers file'],
            operation: { type: 'delete-rule', name: rule.name, targetIds: rule.targets.map((target) => target.id) },
          },
    );
  }
  return deletions;
}

const subscriptionName = (subscription: Subscription): string => `${subscription.protocol}:${subscription.endpoint}`;
const hashOf = (subscription: Subscription): string => subscriptionHash(subscription.protocol, subscription.endpoint);

/** The subscription hashes every pipeline's tag on a topic records, ours apart. */
function recorded(topic: CurrentTopic, prefix: string): { mine: string[]; others: Set<string>; otherTags: number } {
  const ownKey = `${SUBSCRIPTIONS_TAG_PREFIX}${prefix}`;
  const otherTags = Object.keys(topic.tags).filter((key) => key.startsWith(SUBSCRIPTIONS_TAG_PREFIX) && key !== ownKey);
  return {
    mine: decodeHashes(topic.tags[ownKey]),
    others: new Set(otherTags.flatMap((key) => decodeHashes(topic.tags[key]))),
    otherTags: otherTags.length,
  };
}

/** Subscriptions this pipeline declared before and no pipeline declares now: unsubscribed, or kept while pending. */
function dropped(topic: CurrentTopic, prefix: string, stillWanted: Set<string>): Step[] {
  const { mine, others } = recorded(topic, prefix);
  return topic.subscriptions
    .filter((s) => !stillWanted.has(hashOf(s)) && mine.includes(hashOf(s)) && !others.has(hashOf(s)))
    .map((s): Step =>
      s.arn === PENDING_CONFIRMATION
        ? {
            kind: 'subscription',
            name: subscriptionName(s),
            change: 'keep',
            details: ['pending confirmation: SNS removes it when it is not confirmed'],
          }
        : {
            kind: 'subscription',
            name: subscriptionName(s),
            change: 'delete',
            details: [`no longer in the triggers file (topic ${topic.name})`],
            operation: { type: 'unsubscribe', arn: s.arn },
          },
    );
}

function tagStep(topic: CurrentTopic, prefix: string, hashes: string[]): Step | undefined {
  const key = `${SUBSCRIPTIONS_TAG_PREFIX}${prefix}`;
  const value = encodeHashes(hashes);
  const current = topic.tags[key];
  if ((current ?? '') === value) return undefined;
  return {
    kind: 'topic',
    name: topic.name,
    change: 'update',
    details: [value ? `record this pipeline's ${hashes.length} subscription(s) (tag ${key})` : `remove tag ${key}`],
    operation: { type: 'tag-topic', arn: topic.arn, set: value ? { [key]: value } : {}, remove: value ? [] : [key] },
  };
}

/** The topic the file names: created, or given our rule in its policy and the file's subscriptions. */
function planDesiredTopic(desired: DesiredState, current: Current, options: PlanOptions, plan: Plan, late: Step[]) {
  const topic = desired.topic;
  if (!topic) return;
  const ruleArn = desired.notificationRuleArn;
  const hashes = topic.subscriptions.map(hashOf);
  const existing = current.topics.find((t) => t.arn === topic.arn);
  if (!existing) {
    const key = `${SUBSCRIPTIONS_TAG_PREFIX}${desired.prefix}`;
    plan.steps.push({
      kind: 'topic',
      name: topic.name,
      change: 'create',
      details: [`EventBridge may publish from rule ${ruleArn.split('/').pop()}`],
      operation: {
        type: 'create-topic',
        name: topic.name,
        policy: policyWithSources(undefined, topic.arn, [ruleArn]),
        tags: { ...options.topicTags, ...(hashes.length ? { [key]: encodeHashes(hashes) } : {}) },
      },
    });
    for (const subscription of topic.subscriptions)
      plan.steps.push({
        kind: 'subscription',
        name: subscriptionName(subscription),
        change: 'create',
        details: [`to topic ${topic.name}`],
        operation: { type: 'subscribe', topicArn: topic.arn, subscription },
      });
    return;
  }
  if (!isOurTopic(existing.tags, options.owner.repository)) {
    plan.steps.push({
      kind: 'topic',
      name: topic.name,
      change: 'unchanged',
      details: ['not made by this action: its policy and subscriptions are left to its owner'],
    });
    if (topic.subscriptions.length > 0)
      plan.conflicts.push(
        `topic ${topic.name} was not made by ${ACTION_NAME}; its subscriptions are its owner's: remove notifications.subscriptions or name a topic of its own`,
      );
    if (!letsRulePublish(existing.policy, ruleArn))
      plan.warnings.push(
        `the policy of topic ${topic.name} does not let EventBridge (events.amazonaws.com) publish from ${ruleArn}: its notifications would be dropped`,
      );
    return;
  }
  const sources = policySources(existing.policy);
  if (sources.includes(ruleArn)) plan.steps.push({ kind: 'topic', name: topic.name, change: 'unchanged', details: [] });
  else
    plan.steps.push({
      kind: 'topic',
      name: topic.name,
      change: 'update',
      details: [`EventBridge may publish from rule ${ruleArn.split('/').pop()}`],
      operation: {
        type: 'set-topic-policy',
        arn: existing.arn,
        policy: policyWithSources(existing.policy, existing.arn, [...sources, ruleArn]),
      },
    });
  const present = new Set(existing.subscriptions.map(hashOf));
  for (const subscription of topic.subscriptions) {
    const there = present.has(hashOf(subscription));
    plan.steps.push({
      kind: 'subscription',
      name: subscriptionName(subscription),
      change: there ? 'unchanged' : 'create',
      details: there ? [] : [`to topic ${topic.name}`],
      ...(there ? {} : { operation: { type: 'subscribe', topicArn: existing.arn, subscription } }),
    });
  }
  late.push(...dropped(existing, desired.prefix, new Set(hashes)));
  const tags = tagStep(existing, desired.prefix, hashes);
  if (tags) late.push(tags);
}

/** A topic of ours this pipeline no longer notifies: our part of it goes, and the topic when nothing else uses it. */
function planLeftTopic(desired: DesiredState, topic: CurrentTopic, options: PlanOptions): Step[] {
  if (!isOurTopic(topic.tags, options.owner.repository)) return [];
  const ruleArn = desired.notificationRuleArn;
  const sources = policySources(topic.policy).filter((source) => source !== ruleArn);
  const leaving = dropped(topic, desired.prefix, new Set());
  const leavingNames = new Set(leaving.map((step) => step.name));
  const remaining = topic.subscriptions.filter((s) => !leavingNames.has(subscriptionName(s)));
  if (sources.length === 0 && remaining.length === 0 && recorded(topic, desired.prefix).otherTags === 0)
    return [
      {
        kind: 'topic',
        name: topic.name,
        change: 'delete',
        details: ['no pipeline notifies it any more'],
        operation: { type: 'delete-topic', arn: topic.arn },
      },
    ];
  const steps = [...leaving];
  if (policySources(topic.policy).includes(ruleArn))
    steps.push({
      kind: 'topic',
      name: topic.name,
      change: 'update',
      details: [`rule ${ruleArn.split('/').pop()} no longer publishes to it`],
      operation: {
        type: 'set-topic-policy',
        arn: topic.arn,
        policy: policyWithSources(topic.policy, topic.arn, sources),
      },
    });
  const tags = tagStep(topic, desired.prefix, []);
  if (tags) steps.push(tags);
  return steps;
}

export function planTriggers(desired: DesiredState, current: Current, options: PlanOptions): Plan {
  const plan: Plan = { steps: [], conflicts: [], warnings: [] };
  const scheduleDeletions = planSchedules(desired, current, options, plan);
  const topicLate: Step[] = [];
  planDesiredTopic(desired, current, options, plan, topicLate);
  const ruleDeletions = planRules(desired, current, options, plan);
  const leftTopics = current.topics
    .filter((topic) => topic.arn !== desired.topic?.arn)
    .flatMap((topic) => planLeftTopic(desired, topic, options));
  plan.steps.push(...scheduleDeletions, ...ruleDeletions, ...topicLate, ...leftTopics);
  return plan;
}

export const isChange = (step: Step): boolean => ['create', 'update', 'delete'].includes(step.change);

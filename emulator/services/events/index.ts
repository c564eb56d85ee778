import { randomUUID } from 'node:crypto';
import { AwsError } from '../../errors.ts';
import type { OperationContext, ServiceDefinition } from '../../registry.ts';
import { JsonInput } from '../json-input.ts';
import { offsetPage } from '../paging.ts';
import { ExpressionError, parseExpression } from '../scheduler/expressions.ts';
import { connectionOperations } from './connections.ts';
import { deliver, settleEvents, type EventEnvelope } from './deliver.ts';
import { compilePattern, PatternError } from './pattern.ts';
import {
  checkBus,
  DEFAULT_BUS,
  eventsStoreOf,
  notFound,
  requireRule,
  ruleArnOf,
  validation,
  type EventsStore,
  type Rule,
  type RuleTarget,
} from './store.ts';

// EventBridge over awsJson1_1 (X-Amz-Target AWSEvents.*): rules and targets on the default bus,
// PutEvents, tags on rules, connections and API destinations.

const MAX_TARGETS = 5;

function storeOf(context: OperationContext): EventsStore {
  return eventsStoreOf(context.state, context.caller.accountId ?? 'anonymous', context.region);
}

function ruleOf(context: OperationContext, field: 'Name' | 'Rule'): Rule {
  const input = new JsonInput(context.input);
  const store = storeOf(context);
  checkBus(store, input.string('EventBusName'));
  return requireRule(store, input.string(field) ?? '');
}

/** Rate expressions of rules say "1 minute" but "5 minutes", as EventBridge insists. */
function checkRuleSchedule(expression: string): void {
  const rate = /^rate\(\s*(\d+)\s+(\w+)\s*\)$/.exec(expression);
  if (rate && (rate[1] === '1') !== !(rate[2] ?? '').endsWith('s'))
    throw validation('Parameter ScheduleExpression is not valid.');
}

function putRule(context: OperationContext): Record<string, unknown> {
  const input = new JsonInput(context.input);
  const store = storeOf(context);
  checkBus(store, input.string('EventBusName'));
  const name = input.string('Name') ?? '';
  const pattern = input.string('EventPattern');
  const expression = input.string('ScheduleExpression');
  if (pattern === undefined && expression === undefined)
    throw validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
  if (pattern !== undefined) {
    try {
      compilePattern(pattern);
    } catch (error) {
      if (error instanceof PatternError) throw new AwsError('InvalidEventPatternException', error.message);
      throw error;
    }
  }
  let schedule;
  if (expression !== undefined) {
    try {
      if (expression.startsWith('at(')) throw new ExpressionError('at');
      checkRuleSchedule(expression);
      schedule = parseExpression(expression, 'UTC');
    } catch (error) {
      if (error instanceof ExpressionError) throw validation('Parameter ScheduleExpression is not valid.');
      throw error;
    }
  }
  const now = context.state.clock.now();
  const existing = store.rules.get(name);
  const rule: Rule = {
    name,
    arn: ruleArnOf(store, name),
    bus: DEFAULT_BUS,
    eventPattern: pattern,
    scheduleExpression: expression,
    schedule,
    state: input.string<Rule['state']>('State') ?? 'ENABLED',
    description: input.string('Description'),
    roleArn: input.string('RoleArn'),
    targets: existing?.targets ?? new Map(),
    // Tags are set when a rule is created; PutRule on an existing rule leaves them.
    tags: existing?.tags ?? new Map((input.list('Tags') ?? []).map((t) => [(t as RuleTag).Key, (t as RuleTag).Value])),
    createdAt: existing?.createdAt ?? now,
    processedUntil: now,
  };
  store.rules.set(name, rule);
  return { RuleArn: rule.arn };
}

interface RuleTag {
  Key: string;
  Value: string;
}

function ruleView(rule: Rule, account?: string): Record<string, unknown> {
  return {
    Name: rule.name,
    Arn: rule.arn,
    ...(rule.eventPattern !== undefined ? { EventPattern: rule.eventPattern } : {}),
    ...(rule.scheduleExpression !== undefined ? { ScheduleExpression: rule.scheduleExpression } : {}),
    State: rule.state,
    ...(rule.description !== undefined ? { Description: rule.description } : {}),
    ...(rule.roleArn !== undefined ? { RoleArn: rule.roleArn } : {}),
    EventBusName: rule.bus,
    ...(account !== undefined ? { CreatedBy: account } : {}),
  };
}

function describeRule(context: OperationContext): Record<string, unknown> {
  return ruleView(ruleOf(context, 'Name'), context.caller.accountId ?? undefined);
}

function deleteRule(context: OperationContext): Record<string, unknown> {
  const input = new JsonInput(context.input);
  const store = storeOf(context);
  checkBus(store, input.string('EventBusName'));
  const rule = store.rules.get(input.string('Name') ?? '');
  // Deleting a rule that does not exist succeeds.
  if (!rule) return {};
  if (rule.targets.size > 0) throw validation("Rule can't be deleted since it has targets.");
  store.rules.delete(rule.name);
  return {};
}

function setState(state: Rule['state']) {
  return (context: OperationContext): Record<string, unknown> => {
    const rule = ruleOf(context, 'Name');
    rule.state = state;
    // A scheduled rule enabled again starts from now, not from what it missed.
    rule.processedUntil = Math.max(rule.processedUntil, context.state.clock.now());
    return {};
  };
}

const badToken = () => validation('The NextToken is not valid.');

function listRules(context: OperationContext): Record<string, unknown> {
  const input = new JsonInput(context.input);
  const store = storeOf(context);
  checkBus(store, input.string('EventBusName'));
  const prefix = input.string('NamePrefix');
  const rules = [...store.rules.values()]
    .filter((rule) => prefix === undefined || rule.name.startsWith(prefix))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const page = offsetPage(rules, {
    tag: `ListRules/${prefix ?? ''}`,
    token: input.string('NextToken'),
    limit: input.number('Limit') ?? 100,
    invalid: badToken,
  });
  return {
    Rules: page.items.map((rule) => ruleView(rule)),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
}

/** Why EventBridge refuses a target, or undefined when it takes it. */
function targetProblem(target: RuleTarget): string | undefined {
  const inputs = [target.Input, target.InputPath, target.InputTransformer].filter((v) => v !== undefined);
  if (inputs.length > 1) return 'Only one of Input, InputPath, or InputTransformer must be provided.';
  if (target.Input !== undefined) {
    try {
      JSON.parse(target.Input);
    } catch {
      return 'Input is not valid JSON text.';
    }
  }
  if (target.SageMakerPipelineParameters && !target.RoleArn)
    return 'RoleArn is required for SageMaker pipeline targets.';
  if (/:api-destination\//.test(target.Arn) && !target.RoleArn)
    return 'RoleArn is required for API destination targets.';
  return undefined;
}

function putTargets(context: OperationContext): Record<string, unknown> {
  const rule = ruleOf(context, 'Rule');
  const targets = (new JsonInput(context.input).list('Targets') ?? []) as RuleTarget[];
  for (const target of targets) {
    const problem = targetProblem(target);
    if (problem) throw validation(problem);
  }
  const failed: Record<string, unknown>[] = [];
  for (const target of targets) {
    if (!rule.targets.has(target.Id) && rule.targets.size >= MAX_TARGETS) {
      failed.push({
        TargetId: target.Id,
        ErrorCode: 'LimitExceededException',
        ErrorMessage: `The requested resource exceeds the maximum number allowed of ${MAX_TARGETS} targets per rule.`,
      });
      continue;
    }
    rule.targets.set(target.Id, { ...target });
  }
  return { FailedEntryCount: failed.length, FailedEntries: failed };
}

function removeTargets(context: OperationContext): Record<string, unknown> {
  const rule = ruleOf(context, 'Rule');
  for (const id of (new JsonInput(context.input).list('Ids') ?? []) as string[]) rule.targets.delete(id);
  return { FailedEntryCount: 0, FailedEntries: [] };
}

function listTargetsByRule(context: OperationContext): Record<string, unknown> {
  const input = new JsonInput(context.input);
  const rule = ruleOf(context, 'Rule');
  const page = offsetPage([...rule.targets.values()], {
    tag: `ListTargetsByRule/${rule.name}`,
    token: input.string('NextToken'),
    limit: input.number('Limit') ?? 100,
    invalid: badToken,
  });
  return { Targets: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
}

interface EntryInput {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Resources?: string[];
  EventBusName?: string;
  Time?: number;
}

/** Why an entry is refused, as PutEvents reports it per entry. */
function entryProblem(store: EventsStore, entry: EntryInput): [string, string] | undefined {
  for (const [field, value] of [
    ['Source', entry.Source],
    ['DetailType', entry.DetailType],
    ['Detail', entry.Detail],
  ] as const) {
    if (value === undefined || value === '')
      return ['InvalidArgument', `Parameter ${field} is not valid. Reason: ${field} is a required argument.`];
  }
  // Only AWS services put events from aws.* sources.
  if (entry.Source?.startsWith('aws.')) return ['NotAuthorizedForSourceException', 'Not authorized for the source.'];
  try {
    const detail = JSON.parse(entry.Detail ?? '') as unknown;
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) throw new Error('not an object');
  } catch {
    return ['MalformedDetail', 'Detail is malformed.'];
  }
  try {
    checkBus(store, entry.EventBusName);
  } catch (error) {
    return ['ResourceNotFoundException', (error as Error).message];
  }
  return undefined;
}

function putEvents(context: OperationContext): Record<string, unknown> {
  const store = storeOf(context);
  const now = context.state.clock.now();
  const results: Record<string, unknown>[] = [];
  for (const entry of (new JsonInput(context.input).list('Entries') ?? []) as EntryInput[]) {
    const problem = entryProblem(store, entry);
    if (problem) {
      results.push({ ErrorCode: problem[0], ErrorMessage: problem[1] });
      continue;
    }
    const event: EventEnvelope = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: store.account,
      time: new Date(entry.Time !== undefined ? entry.Time * 1000 : now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: store.region,
      resources: entry.Resources ?? [],
      detail: JSON.parse(entry.Detail ?? '{}') as Record<string, unknown>,
    };
    deliver(context.state, event, now);
    results.push({ EventId: event.id });
  }
  return { FailedEntryCount: results.filter((r) => r.ErrorCode !== undefined).length, Entries: results };
}

function taggedRule(context: OperationContext): Rule {
  const arn = new JsonInput(context.input).string('ResourceARN') ?? '';
  const rule = [...storeOf(context).rules.values()].find((r) => r.arn === arn);
  if (!rule) throw notFound(`Rule ${arn.slice(arn.lastIndexOf('/') + 1)} does not exist on EventBus ${DEFAULT_BUS}.`);
  return rule;
}

function tagResource(context: OperationContext): Record<string, unknown> {
  const rule = taggedRule(context);
  for (const tag of (new JsonInput(context.input).list('Tags') ?? []) as RuleTag[]) rule.tags.set(tag.Key, tag.Value);
  return {};
}

function untagResource(context: OperationContext): Record<string, unknown> {
  const rule = taggedRule(context);
  for (const key of (new JsonInput(context.input).list('TagKeys') ?? []) as string[]) rule.tags.delete(key);
  return {};
}

function listTagsForResource(context: OperationContext): Record<string, unknown> {
  return { Tags: [...taggedRule(context).tags].map(([Key, Value]) => ({ Key, Value })) };
}

export function createEventsService(): ServiceDefinition {
  return {
    name: 'events',
    protocol: 'awsJson1_1',
    targetPrefix: 'AWSEvents',
    settle: settleEvents,
    operations: {
      PutRule: putRule,
      DescribeRule: describeRule,
      DeleteRule: deleteRule,
      ListRules: listRules,
      EnableRule: setState('ENABLED'),
      DisableRule: setState('DISABLED'),
      PutTargets: putTargets,
      RemoveTargets: removeTargets,
      ListTargetsByRule: listTargetsByRule,
      PutEvents: putEvents,
      TagResource: tagResource,
      UntagResource: untagResource,
      ListTagsForResource: listTagsForResource,
      ...connectionOperations,
    },
  };
}

import { jsonAnswer } from '../../protocols/rest-json.ts';
import { modelRoute } from '../../protocols/rest-json-route.ts';
import type { OperationContext, ServiceDefinition } from '../../registry.ts';
import { JsonInput } from '../json-input.ts';
import { offsetPage } from '../paging.ts';
import { ExpressionError, isTimeZone, parseExpression } from './expressions.ts';
import { settleSchedules } from './firing.ts';
import {
  conflict,
  DEFAULT_GROUP,
  groupArn,
  notFound,
  requireGroup,
  schedulerStoreOf,
  validation,
  type Schedule,
  type ScheduleGroup,
  type SchedulerStore,
} from './store.ts';

// EventBridge Scheduler over restJson1: routed by its model, timestamps as epoch seconds.

const MAX_TAGS = 200;
const CLAIMED = /^\/(schedules|schedule-groups|tags)(\/|$)/;

function storeOf(context: OperationContext): SchedulerStore {
  return schedulerStoreOf(context.state, context.caller.accountId ?? 'anonymous', context.region);
}

const ms = (seconds: number | undefined) => (seconds === undefined ? undefined : Math.round(seconds * 1000));
const date = (value: number | undefined) => (value === undefined ? undefined : new Date(value));

/** Everything CreateSchedule and UpdateSchedule take, checked as Scheduler checks it. */
function readSchedule(context: OperationContext, store: SchedulerStore, existing: Schedule | undefined): Schedule {
  const input = new JsonInput(context.input);
  const name = input.string('Name') ?? '';
  const group = input.string('GroupName') ?? DEFAULT_GROUP;
  requireGroup(store, group);
  const expression = input.string('ScheduleExpression') ?? '';
  const timezone = input.string('ScheduleExpressionTimezone');
  if (timezone !== undefined && !isTimeZone(timezone)) throw validation(`Invalid time zone: ${timezone}.`);
  let parsed;
  try {
    parsed = parseExpression(expression, timezone ?? 'UTC');
  } catch (error) {
    if (error instanceof ExpressionError) throw validation(error.message);
    throw error;
  }
  const now = context.state.clock.now();
  const startDate = ms(input.number('StartDate'));
  const endDate = ms(input.number('EndDate'));
  if (startDate !== undefined && endDate !== undefined && startDate >= endDate)
    throw validation('The StartDate must be before the EndDate.');
  if (endDate !== undefined && endDate <= now && parsed.kind !== 'at')
    throw validation('The EndDate must be in the future.');
  const window = input.object('FlexibleTimeWindow') as Schedule['flexibleTimeWindow'];
  if (window.Mode === 'FLEXIBLE' && window.MaximumWindowInMinutes === undefined)
    throw validation('MaximumWindowInMinutes must be provided when the FlexibleTimeWindow Mode is FLEXIBLE.');
  if (window.Mode === 'OFF' && window.MaximumWindowInMinutes !== undefined)
    throw validation('MaximumWindowInMinutes must not be provided when the FlexibleTimeWindow Mode is OFF.');
  const target = input.object('Target') ?? {};
  const parameters = (target.SageMakerPipelineParameters as { PipelineParameterList?: unknown[] } | undefined)
    ?.PipelineParameterList;
  if (parameters !== undefined && parameters.length > 200)
    throw validation('A SageMaker pipeline target takes at most 200 pipeline parameters.');
  return {
    name,
    group,
    arn: `arn:aws:scheduler:${store.region}:${store.account}:schedule/${group}/${name}`,
    description: input.string('Description'),
    expression,
    parsed,
    timezone,
    state: input.string<'ENABLED' | 'DISABLED'>('State') ?? 'ENABLED',
    startDate,
    endDate,
    flexibleTimeWindow: window,
    target,
    actionAfterCompletion: input.string<'NONE' | 'DELETE'>('ActionAfterCompletion'),
    kmsKeyArn: input.string('KmsKeyArn'),
    creationDate: existing?.creationDate ?? now,
    lastModificationDate: now,
    // Occurrences from now on. A new rate schedule without a start date invokes at once; an
    // updated one keeps the cadence it was created with.
    processedUntil: existing ? now : now - 1,
    createToken: existing ? existing.createToken : input.string('ClientToken'),
  };
}

const key = (group: string, name: string) => `${group}/${name}`;

function requireSchedule(store: SchedulerStore, group: string, name: string): Schedule {
  requireGroup(store, group);
  const schedule = store.schedules.get(key(group, name));
  if (!schedule) throw notFound(`Schedule ${name} does not exist.`);
  return schedule;
}

function createSchedule(context: OperationContext) {
  const store = storeOf(context);
  const schedule = readSchedule(context, store, undefined);
  const existing = store.schedules.get(key(schedule.group, schedule.name));
  if (existing) {
    // The same request again (a retry with its ClientToken) is answered with what it made.
    if (schedule.createToken !== undefined && existing.createToken === schedule.createToken)
      return jsonAnswer({ ScheduleArn: existing.arn });
    throw conflict(`Schedule ${schedule.name} already exists.`);
  }
  store.schedules.set(key(schedule.group, schedule.name), schedule);
  return jsonAnswer({ ScheduleArn: schedule.arn });
}

/** UpdateSchedule replaces the schedule: whatever is not given is back to its default. */
function updateSchedule(context: OperationContext) {
  const store = storeOf(context);
  const input = new JsonInput(context.input);
  const existing = requireSchedule(store, input.string('GroupName') ?? DEFAULT_GROUP, input.string('Name') ?? '');
  const schedule = readSchedule(context, store, existing);
  store.schedules.set(key(schedule.group, schedule.name), schedule);
  return jsonAnswer({ ScheduleArn: schedule.arn });
}

function getSchedule(context: OperationContext) {
  const input = new JsonInput(context.input);
  const schedule = requireSchedule(
    storeOf(context),
    input.string('GroupName') ?? DEFAULT_GROUP,
    input.string('Name') ?? '',
  );
  return jsonAnswer({
    Arn: schedule.arn,
    Name: schedule.name,
    GroupName: schedule.group,
    ...(schedule.description !== undefined ? { Description: schedule.description } : {}),
    ScheduleExpression: schedule.expression,
    ScheduleExpressionTimezone: schedule.timezone ?? 'UTC',
    State: schedule.state,
    ...(schedule.startDate !== undefined ? { StartDate: date(schedule.startDate) } : {}),
    ...(schedule.endDate !== undefined ? { EndDate: date(schedule.endDate) } : {}),
    FlexibleTimeWindow: schedule.flexibleTimeWindow,
    Target: schedule.target,
    ActionAfterCompletion: schedule.actionAfterCompletion ?? 'NONE',
    ...(schedule.kmsKeyArn !== undefined ? { KmsKeyArn: schedule.kmsKeyArn } : {}),
    CreationDate: date(schedule.creationDate),
    LastModificationDate: date(schedule.lastModificationDate),
  });
}

function deleteSchedule(context: OperationContext) {
  const input = new JsonInput(context.input);
  const store = storeOf(context);
  const schedule = requireSchedule(store, input.string('GroupName') ?? DEFAULT_GROUP, input.string('Name') ?? '');
  store.schedules.delete(key(schedule.group, schedule.name));
  return jsonAnswer({});
}

const badToken = () => validation('Invalid NextToken.');

function listSchedules(context: OperationContext) {
  const input = new JsonInput(context.input);
  const group = input.string('GroupName');
  const prefix = input.string('NamePrefix');
  const state = input.string('State');
  const schedules = [...storeOf(context).schedules.values()]
    .filter(
      (s) =>
        (group === undefined || s.group === group) &&
        (prefix === undefined || s.name.startsWith(prefix)) &&
        (state === undefined || s.state === state),
    )
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.group < b.group ? -1 : 1));
  const page = offsetPage(schedules, {
    tag: `ListSchedules/${group ?? ''}/${prefix ?? ''}/${state ?? ''}`,
    token: input.string('NextToken'),
    limit: input.number('MaxResults') ?? 100,
    invalid: badToken,
  });
  return jsonAnswer({
    Schedules: page.items.map((s) => ({
      Arn: s.arn,
      Name: s.name,
      GroupName: s.group,
      State: s.state,
      CreationDate: date(s.creationDate),
      LastModificationDate: date(s.lastModificationDate),
      Target: { Arn: String(s.target.Arn ?? '') },
    })),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  });
}

function groupView(group: ScheduleGroup): Record<string, unknown> {
  return {
    Arn: group.arn,
    Name: group.name,
    State: 'ACTIVE',
    CreationDate: date(group.creationDate),
    LastModificationDate: date(group.lastModificationDate),
  };
}

function readTags(raw: unknown[] | undefined): [string, string][] {
  return (raw ?? []).map((entry) => {
    const tag = entry as { Key: string; Value: string };
    return [tag.Key, tag.Value];
  });
}

function setTags(group: ScheduleGroup, tags: [string, string][]): void {
  const next = new Map(group.tags);
  for (const [k, v] of tags) next.set(k, v);
  if (next.size > MAX_TAGS) throw validation(`A schedule group can have at most ${MAX_TAGS} tags.`);
  group.tags = next;
}

function createScheduleGroup(context: OperationContext) {
  const input = new JsonInput(context.input);
  const store = storeOf(context);
  const name = input.string('Name') ?? '';
  if (store.groups.has(name)) throw conflict(`Schedule group ${name} already exists.`);
  const now = context.state.clock.now();
  const group: ScheduleGroup = {
    name,
    arn: groupArn(store, name),
    creationDate: now,
    lastModificationDate: now,
    tags: new Map(),
  };
  setTags(group, readTags(input.list('Tags')));
  store.groups.set(name, group);
  return jsonAnswer({ ScheduleGroupArn: group.arn });
}

function getScheduleGroup(context: OperationContext) {
  const input = new JsonInput(context.input);
  return jsonAnswer(groupView(requireGroup(storeOf(context), input.string('Name') ?? '')));
}

function listScheduleGroups(context: OperationContext) {
  const input = new JsonInput(context.input);
  const prefix = input.string('NamePrefix');
  const groups = [...storeOf(context).groups.values()]
    .filter((g) => prefix === undefined || g.name.startsWith(prefix))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const page = offsetPage(groups, {
    tag: `ListScheduleGroups/${prefix ?? ''}`,
    token: input.string('NextToken'),
    limit: input.number('MaxResults') ?? 100,
    invalid: badToken,
  });
  return jsonAnswer({
    ScheduleGroups: page.items.map(groupView),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  });
}

/** Deleting a group deletes the schedules in it. */
function deleteScheduleGroup(context: OperationContext) {
  const input = new JsonInput(context.input);
  const store = storeOf(context);
  const name = input.string('Name') ?? '';
  if (name === DEFAULT_GROUP) throw validation('The default schedule group cannot be deleted.');
  requireGroup(store, name);
  for (const schedule of [...store.schedules.values()])
    if (schedule.group === name) store.schedules.delete(key(schedule.group, schedule.name));
  store.groups.delete(name);
  return jsonAnswer({});
}

function taggedGroup(context: OperationContext): ScheduleGroup {
  const arn = new JsonInput(context.input).string('ResourceArn') ?? '';
  const group = [...storeOf(context).groups.values()].find((g) => g.arn === arn);
  if (!group) throw notFound(`Resource ${arn} does not exist.`);
  return group;
}

function tagResource(context: OperationContext) {
  setTags(taggedGroup(context), readTags(new JsonInput(context.input).list('Tags')));
  return jsonAnswer({});
}

function untagResource(context: OperationContext) {
  const group = taggedGroup(context);
  for (const tagKey of (new JsonInput(context.input).list('TagKeys') ?? []) as string[]) group.tags.delete(tagKey);
  return jsonAnswer({});
}

function listTagsForResource(context: OperationContext) {
  const group = taggedGroup(context);
  return jsonAnswer({ Tags: [...group.tags].map(([Key, Value]) => ({ Key, Value })) });
}

export function createSchedulerService(): ServiceDefinition {
  return {
    name: 'scheduler',
    protocol: 'restJson1',
    route: modelRoute('scheduler'),
    claims: (request) => CLAIMED.test(request.path),
    settle: settleSchedules,
    operations: {
      CreateSchedule: createSchedule,
      GetSchedule: getSchedule,
      UpdateSchedule: updateSchedule,
      DeleteSchedule: deleteSchedule,
      ListSchedules: listSchedules,
      CreateScheduleGroup: createScheduleGroup,
      GetScheduleGroup: getScheduleGroup,
      ListScheduleGroups: listScheduleGroups,
      DeleteScheduleGroup: deleteScheduleGroup,
      TagResource: tagResource,
      UntagResource: untagResource,
      ListTagsForResource: listTagsForResource,
    },
  };
}

import { randomUUID } from 'node:crypto';
import { actAsRole, isRefusal } from '../../iam/service-roles.ts';
import type { ServiceEvent } from '../../service-events.ts';
import type { EmulatorState } from '../../state.ts';
import { occurrences } from '../scheduler/expressions.ts';
import {
  invokePipeline,
  invokeTopic,
  recordInvocation,
  targetTypeOf,
  type InvocationSource,
  type TargetCall,
} from '../targets/invoke.ts';
import { compilePattern } from './pattern.ts';
import {
  allEventsStores,
  eventsStoreOf,
  findApiDestination,
  isEnabled,
  type ConnectionParameter,
  type EventsStore,
  type Rule,
  type RuleTarget,
} from './store.ts';
import { targetInput } from './transform.ts';

/**
 * Delivery on the default bus: an event (put by PutEvents, emitted by SageMaker, or sent by a
 * scheduled rule) goes to every enabled rule whose pattern it matches, and each of the rule's
 * targets is invoked with its input. API destinations are not called (the emulator has no way
 * out): the request EventBridge would make is recorded, every secret masked.
 */

const EVENTS = 'events.amazonaws.com';
const MASK = '***';

export type EventEnvelope = Record<string, unknown> & { id: string; time: string };

const eventTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function envelope(event: ServiceEvent): EventEnvelope {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': event.detailType,
    source: event.source,
    account: event.account,
    time: eventTime(event.time),
    region: event.region,
    resources: event.resources,
    detail: event.detail,
  };
}

function parameterValues(parameters: ConnectionParameter[] | undefined): [string, string][] {
  return (parameters ?? []).map((p) => [p.Key, p.IsValueSecret ? MASK : p.Value]);
}

/** The HTTP request EventBridge makes to an API destination, as recorded: secrets as ***. */
function apiRequest(state: EmulatorState, target: RuleTarget, body: string) {
  const found = findApiDestination(state, target.Arn);
  if (!found) return undefined;
  const { destination, connection } = found;
  const http = target.HttpParameters ?? {};
  let url = destination.invocationEndpoint;
  for (const value of http.PathParameterValues ?? []) url = url.replace('*', encodeURIComponent(value));
  const query = new URLSearchParams([
    ...parameterValues(connection?.authParameters.InvocationHttpParameters?.QueryStringParameters),
    ...Object.entries(http.QueryStringParameters ?? {}),
  ]);
  if (query.size > 0) url += `${url.includes('?') ? '&' : '?'}${query}`;
  const headers: Record<string, string> = {
    'Content-Type': 'application/json; charset=utf-8',
    'User-Agent': 'Amazon/EventBridge/ApiDestinations',
    ...Object.fromEntries(parameterValues(connection?.authParameters.InvocationHttpParameters?.HeaderParameters)),
    ...http.HeaderParameters,
  };
  const auth = connection?.authParameters;
  if (auth?.ApiKeyAuthParameters) headers[auth.ApiKeyAuthParameters.ApiKeyName] = MASK;
  else if (auth?.BasicAuthParameters || auth?.OAuthParameters) headers.Authorization = MASK;
  let payload = body;
  const bodyParameters = connection?.authParameters.InvocationHttpParameters?.BodyParameters;
  if (bodyParameters?.length) {
    try {
      const parsed = JSON.parse(body) as unknown;
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        payload = JSON.stringify({ ...parsed, ...Object.fromEntries(parameterValues(bodyParameters)) });
    } catch {
      // Not a JSON object: the connection's body parameters have nowhere to go.
    }
  }
  const method = destination.httpMethod;
  return { method, url, headers, body: method === 'GET' || method === 'HEAD' ? '' : payload };
}

function invokeApiDestination(state: EmulatorState, source: InvocationSource, call: TargetCall, target: RuleTarget) {
  const found = findApiDestination(state, target.Arn);
  if (!found) {
    recordInvocation(state, source, call, {
      code: 'ResourceNotFoundException',
      message: `${target.Arn} does not exist.`,
    });
    return;
  }
  if (!call.roleArn) {
    recordInvocation(state, source, call, {
      code: 'ValidationException',
      message: 'An API destination target needs a RoleArn.',
    });
    return;
  }
  const session = actAsRole(state, {
    service: EVENTS,
    roleArn: call.roleArn,
    action: 'events:InvokeApiDestination',
    resource: found.destination.arn,
    sourceArn: source.sourceArn,
    sourceAccount: source.account,
  });
  if (isRefusal(session)) {
    recordInvocation(state, source, call, session);
    return;
  }
  recordInvocation(state, source, call, { request: apiRequest(state, target, call.input ?? '') });
}

function invokeTarget(
  state: EmulatorState,
  rule: Rule,
  store: EventsStore,
  target: RuleTarget,
  event: EventEnvelope,
  time: number,
) {
  const source: InvocationSource = {
    invoker: 'events',
    service: EVENTS,
    sourceArn: rule.arn,
    account: store.account,
    time,
    targetId: target.Id,
    eventId: event.id,
  };
  const input = targetInput(target, event, {
    ruleArn: rule.arn,
    ruleName: rule.name,
    ingestionTime: new Date(time).toISOString(),
  });
  const call: TargetCall = { arn: target.Arn, roleArn: target.RoleArn, input };
  switch (targetTypeOf(target.Arn)) {
    case 'sagemaker-pipeline':
      invokePipeline(
        state,
        source,
        { ...call, input: null },
        target.SageMakerPipelineParameters?.PipelineParameterList ?? [],
      );
      return;
    case 'sns-topic':
      // A topic is published to on the strength of its policy, not as a role.
      invokeTopic(state, source, { ...call, roleArn: undefined });
      return;
    case 'api-destination':
      invokeApiDestination(state, source, call, target);
      return;
    default:
      recordInvocation(state, source, call, {
        code: 'ValidationException',
        message: `The emulator does not invoke this kind of target: ${target.Arn}`,
      });
  }
}

/** Sends an event to the rules of the default bus of its account and region; `time` is when it arrives. */
export function deliver(state: EmulatorState, event: EventEnvelope, time: number): void {
  const store = eventsStoreOf(state, String(event.account), String(event.region));
  for (const rule of [...store.rules.values()]) {
    if (!isEnabled(rule) || rule.eventPattern === undefined) continue;
    if (!compilePattern(rule.eventPattern)(event)) continue;
    for (const target of rule.targets.values()) invokeTarget(state, rule, store, target, event, time);
  }
}

/** A scheduled rule's "Scheduled Event", sent to that rule alone at each occurrence. */
function fireScheduledRules(state: EmulatorState, now: number): void {
  for (const store of allEventsStores(state)) {
    for (const rule of store.rules.values()) {
      if (!rule.schedule) continue;
      if (!isEnabled(rule)) {
        rule.processedUntil = now;
        continue;
      }
      const due = occurrences(rule.schedule, {
        after: rule.processedUntil,
        until: now,
        anchor: rule.createdAt,
        timezone: 'UTC',
      });
      for (const occurrence of due) {
        const event: EventEnvelope = {
          version: '0',
          id: randomUUID(),
          'detail-type': 'Scheduled Event',
          source: 'aws.events',
          account: store.account,
          time: eventTime(occurrence),
          region: store.region,
          resources: [rule.arn],
          detail: {},
        };
        for (const target of rule.targets.values()) invokeTarget(state, rule, store, target, event, occurrence);
      }
      rule.processedUntil = now;
    }
  }
}

/** Everything services emitted since the last settle, delivered at the time each change happened. */
export function settleEvents(state: EmulatorState): void {
  for (const event of state.serviceEvents.take()) deliver(state, envelope(event), event.time);
  fireScheduledRules(state, state.clock.now());
}

import { AwsError } from '../errors.ts';
import type { OperationContext, ServiceDefinition } from '../registry.ts';
import { JsonInput } from './json-input.ts';
import { indexAfter, logStoreOf, type LogEvent, type LogGroup, type LogStore, type LogStream } from './log-store.ts';
import { decodeToken, encodeToken, offsetPage } from './paging.ts';

// CloudWatch Logs over awsJson1_1. Timestamps here are epoch milliseconds (plain numbers), not Dates.

const MAX_EVENTS = 10_000;
const MAX_BATCH_BYTES = 1_048_576;
const DAY = 86_400_000;

const invalid = (message: string) => new AwsError('InvalidParameterException', message);
const badToken = () => invalid('The specified nextToken is invalid.');

function storeOf(context: OperationContext, refresh: boolean): LogStore {
  const store = logStoreOf(context.state.resources, context.caller.accountId ?? 'anonymous', context.region);
  // Simulated writers (SageMaker jobs, endpoints) catch up before anything is read.
  if (refresh) store.refresh(context.state.clock.now());
  return store;
}

/** logGroupName or logGroupIdentifier (a name or an ARN, with or without ":*"). */
function groupNameOf(input: JsonInput, store: LogStore): string {
  const name = input.string('logGroupName');
  const identifier = input.string('logGroupIdentifier');
  if (name !== undefined && identifier !== undefined)
    throw invalid('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  if (identifier !== undefined) {
    const arnPrefix = store.groupArn('');
    if (!identifier.startsWith('arn:')) return identifier;
    if (!identifier.startsWith(arnPrefix))
      throw new AwsError('ResourceNotFoundException', 'The specified log group does not exist.');
    return identifier.slice(arnPrefix.length).replace(/:\*$/, '');
  }
  if (name === undefined) throw invalid('Should provide either logGroupName or logGroupIdentifier.');
  return name;
}

function createLogGroup(context: OperationContext): Record<string, unknown> {
  const input = new JsonInput(context.input);
  const name = input.string('logGroupName') ?? '';
  const tags = input.object('tags') as Record<string, string> | undefined;
  storeOf(context, false).createGroup(name, context.state.clock.now(), tags);
  return {};
}

function deleteLogGroup(context: OperationContext): Record<string, unknown> {
  const store = storeOf(context, false);
  const name = groupNameOf(new JsonInput(context.input), store);
  store.requireGroup(name);
  store.groups.delete(name);
  return {};
}

function createLogStream(context: OperationContext): Record<string, unknown> {
  const input = new JsonInput(context.input);
  const group = input.string('logGroupName') ?? '';
  const name = input.string('logStreamName') ?? '';
  storeOf(context, false).createStream(group, name, context.state.clock.now());
  return {};
}

function deleteLogStream(context: OperationContext): Record<string, unknown> {
  const input = new JsonInput(context.input);
  const group = input.string('logGroupName') ?? '';
  const name = input.string('logStreamName') ?? '';
  const store = storeOf(context, false);
  store.requireStream(group, name);
  store.requireGroup(group).streams.delete(name);
  return {};
}

function putLogEvents(context: OperationContext): Record<string, unknown> {
  const input = new JsonInput(context.input);
  const group = input.string('logGroupName') ?? '';
  const streamName = input.string('logStreamName') ?? '';
  const raw = input.list('logEvents') ?? [];
  const events = (raw as LogEvent[]).map(({ timestamp, message }) => ({ timestamp, message }));
  for (let i = 1; i < events.length; i++) {
    if ((events[i] as LogEvent).timestamp < (events[i - 1] as LogEvent).timestamp)
      throw invalid('Log events in a single PutLogEvents request must be in chronological order.');
  }
  const bytes = events.reduce((sum, e) => sum + Buffer.byteLength(e.message, 'utf8') + 26, 0);
  if (bytes > MAX_BATCH_BYTES) throw invalid('Upload too large: the batch exceeds 1,048,576 bytes.');

  const store = storeOf(context, false);
  const stream = store.requireStream(group, streamName);
  // Judged on the simulated clock, the one every emulated log writer uses.
  const now = context.state.clock.now();
  let tooOldEnd: number | undefined;
  let tooNewStart: number | undefined;
  events.forEach((event, i) => {
    if (event.timestamp < now - 14 * DAY) tooOldEnd = i + 1;
    if (event.timestamp > now + 2 * 3_600_000 && tooNewStart === undefined) tooNewStart = i;
  });
  const accepted = events.slice(tooOldEnd ?? 0, tooNewStart ?? events.length);
  store.put(stream, accepted, now);
  const rejected = {
    ...(tooOldEnd !== undefined ? { tooOldLogEventEndIndex: tooOldEnd } : {}),
    ...(tooNewStart !== undefined ? { tooNewLogEventStartIndex: tooNewStart } : {}),
  };
  return {
    nextSequenceToken: String(stream.events.length).padStart(56, '4'),
    ...(Object.keys(rejected).length > 0 ? { rejectedLogEventsInfo: rejected } : {}),
  };
}

function groupView(group: LogGroup): Record<string, unknown> {
  let storedBytes = 0;
  for (const stream of group.streams.values()) storedBytes += stream.storedBytes;
  return {
    logGroupName: group.name,
    creationTime: group.creationTime,
    metricFilterCount: 0,
    arn: `${group.arn}:*`,
    logGroupArn: group.arn,
    storedBytes,
    logGroupClass: 'STANDARD',
    ...(group.retentionInDays !== undefined ? { retentionInDays: group.retentionInDays } : {}),
  };
}

function describeLogGroups(context: OperationContext): Record<string, unknown> {
  const input = new JsonInput(context.input);
  const prefix = input.string('logGroupNamePrefix');
  const pattern = input.string('logGroupNamePattern');
  const token = input.string('nextToken');
  const limit = input.number('limit') ?? 50;
  if (prefix !== undefined && pattern !== undefined)
    throw invalid('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
  const groups = [...storeOf(context, true).groups.values()]
    .filter((g) => (prefix === undefined || g.name.startsWith(prefix)) && (!pattern || g.name.includes(pattern)))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const page = offsetPage(groups, { tag: 'DescribeLogGroups', token, limit, invalid: badToken });
  return { logGroups: page.items.map(groupView), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}

function streamView(stream: LogStream): Record<string, unknown> {
  const first = stream.events[0];
  const last = stream.events.at(-1);
  return {
    logStreamName: stream.name,
    creationTime: stream.creationTime,
    ...(first ? { firstEventTimestamp: first.timestamp, lastEventTimestamp: last?.timestamp } : {}),
    ...(stream.lastIngestionTime !== undefined ? { lastIngestionTime: stream.lastIngestionTime } : {}),
    uploadSequenceToken: String(stream.events.length).padStart(56, '4'),
    arn: stream.arn,
    storedBytes: 0,
  };
}

function describeLogStreams(context: OperationContext): Record<string, unknown> {
  const store = storeOf(context, true);
  const input = new JsonInput(context.input);
  const prefix = input.string('logStreamNamePrefix');
  const orderBy = input.string<'LogStreamName' | 'LastEventTime'>('orderBy') ?? 'LogStreamName';
  const descending = input.boolean('descending') ?? false;
  const token = input.string('nextToken');
  const limit = input.number('limit') ?? 50;
  const group = store.requireGroup(groupNameOf(input, store));
  if (prefix !== undefined && orderBy === 'LastEventTime')
    throw invalid('Cannot order by LastEventTime with a logStreamNamePrefix.');

  const lastEvent = (s: LogStream) => s.events.at(-1)?.timestamp ?? s.creationTime;
  const streams = [...group.streams.values()]
    .filter((s) => prefix === undefined || s.name.startsWith(prefix))
    .sort((a, b) =>
      orderBy === 'LastEventTime' ? lastEvent(a) - lastEvent(b) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
  if (descending) streams.reverse();
  const page = offsetPage(streams, {
    tag: `DescribeLogStreams/${orderBy}/${descending}`,
    token,
    limit,
    invalid: badToken,
  });
  return { logStreams: page.items.map(streamView), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}

interface Window {
  startTime: number | undefined;
  endTime: number | undefined;
}

/** startTime is inclusive and endTime exclusive, as CloudWatch documents them. */
function inWindow(event: LogEvent, window: Window): boolean {
  return (
    (window.startTime === undefined || event.timestamp >= window.startTime) &&
    (window.endTime === undefined || event.timestamp < window.endTime)
  );
}

// GetLogEvents tokens name a position between two events: "f/" reads forward from it, "b/" back.
// Digits only, like the real ones; callers must treat them as opaque.
const POSITION = /^([fb])\/(\d{15})(\d{15})$/;
const positionToken = (direction: 'f' | 'b', timestamp: number, seq: number) =>
  `${direction}/${String(timestamp).padStart(15, '0')}${String(seq).padStart(15, '0')}`;

function getLogEvents(context: OperationContext): Record<string, unknown> {
  const store = storeOf(context, true);
  const input = new JsonInput(context.input);
  const streamName = input.string('logStreamName') ?? '';
  const window: Window = {
    startTime: input.number('startTime'),
    endTime: input.number('endTime'),
  };
  const token = input.string('nextToken');
  const limit = input.number('limit') ?? MAX_EVENTS;
  const startFromHead = input.boolean('startFromHead') ?? false;
  const groupName = groupNameOf(input, store);
  const events = store.requireStream(groupName, streamName).events.filter((e) => inWindow(e, window));

  let from: number;
  let to: number;
  let forwardOnEmpty: string;
  let backwardOnEmpty: string;
  if (token !== undefined) {
    const match = POSITION.exec(token);
    if (!match) throw badToken();
    const [timestamp, seq] = [Number(match[2]), Number(match[3])];
    // A forward position sits after (timestamp, seq); a backward one before it.
    const at = match[1] === 'f' ? indexAfter(events, timestamp, seq) : indexAfter(events, timestamp, seq - 1);
    [from, to] = match[1] === 'f' ? [at, Math.min(at + limit, events.length)] : [Math.max(0, at - limit), at];
    // Nothing more that way: AWS hands the same token back, which is how callers know to stop.
    forwardOnEmpty = match[1] === 'f' ? token : positionToken('f', timestamp, seq - 1);
    backwardOnEmpty = match[1] === 'b' ? token : positionToken('b', timestamp, seq + 1);
  } else {
    [from, to] = startFromHead
      ? [0, Math.min(limit, events.length)]
      : [Math.max(0, events.length - limit), events.length];
    forwardOnEmpty = positionToken('f', 0, 0);
    backwardOnEmpty = positionToken('b', 0, 0);
  }
  const page = events.slice(from, to);
  const first = page[0];
  const last = page.at(-1);
  return {
    events: page.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
    nextForwardToken: last ? positionToken('f', last.timestamp, last.seq) : forwardOnEmpty,
    nextBackwardToken: first ? positionToken('b', first.timestamp, first.seq) : backwardOnEmpty,
  };
}

/**
 * Unstructured-log filter patterns: "" matches everything, a double-quoted pattern is one exact
 * phrase, otherwise every space-separated term must appear. Case-sensitive, as in CloudWatch.
 */
function patternMatcher(pattern: string | undefined): (message: string) => boolean {
  const text = (pattern ?? '').trim();
  if (text === '') return () => true;
  const phrase = /^"(.*)"$/s.exec(text);
  if (phrase) return (message) => message.includes(phrase[1] ?? '');
  const terms = text.split(/\s+/).map((term) => term.replace(/^"(.*)"$/s, '$1'));
  return (message) => terms.every((term) => message.includes(term));
}

function filterLogEvents(context: OperationContext): Record<string, unknown> {
  const store = storeOf(context, true);
  const input = new JsonInput(context.input);
  const names = input.list('logStreamNames') as string[] | undefined;
  const prefix = input.string('logStreamNamePrefix');
  const window: Window = {
    startTime: input.number('startTime'),
    endTime: input.number('endTime'),
  };
  const pattern = input.string('filterPattern');
  const token = input.string('nextToken');
  const limit = input.number('limit') ?? MAX_EVENTS;
  const group = store.requireGroup(groupNameOf(input, store));
  if (names !== undefined && prefix !== undefined)
    throw invalid('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');

  let after: { timestamp: number; seq: number } | undefined;
  if (token !== undefined) {
    const position = decodeToken('FilterLogEvents', token) as { timestamp?: unknown; seq?: unknown } | undefined;
    if (typeof position?.timestamp !== 'number' || typeof position.seq !== 'number') throw badToken();
    after = { timestamp: position.timestamp, seq: position.seq };
  }
  const matches = patternMatcher(pattern);
  const found: (LogEvent & { stream: string })[] = [];
  for (const stream of group.streams.values()) {
    if (names !== undefined && !names.includes(stream.name)) continue;
    if (prefix !== undefined && !stream.name.startsWith(prefix)) continue;
    const start = after ? indexAfter(stream.events, after.timestamp, after.seq) : 0;
    for (const event of stream.events.slice(start)) {
      if (inWindow(event, window) && matches(event.message)) found.push({ ...event, stream: stream.name });
    }
  }
  // Interleaved across streams by time; seq is unique per store, so the order is total.
  found.sort((a, b) => a.timestamp - b.timestamp || a.seq - b.seq);
  const page = found.slice(0, limit);
  const last = page.at(-1);
  return {
    events: page.map((e) => ({
      logStreamName: e.stream,
      timestamp: e.timestamp,
      message: e.message,
      ingestionTime: e.ingestionTime,
      eventId: String(e.seq).padStart(56, '3'),
    })),
    searchedLogStreams: [],
    ...(last && found.length > limit
      ? { nextToken: encodeToken('FilterLogEvents', { timestamp: last.timestamp, seq: last.seq }) }
      : {}),
  };
}

export function createLogsService(): ServiceDefinition {
  return {
    name: 'logs',
    protocol: 'awsJson1_1',
    targetPrefix: 'Logs_20140328',
    operations: {
      CreateLogGroup: createLogGroup,
      DeleteLogGroup: deleteLogGroup,
      CreateLogStream: createLogStream,
      DeleteLogStream: deleteLogStream,
      PutLogEvents: putLogEvents,
      DescribeLogGroups: describeLogGroups,
      DescribeLogStreams: describeLogStreams,
      GetLogEvents: getLogEvents,
      // FilterLogEvents only reads, despite its name.
      FilterLogEvents: { handler: filterLogEvents, mutating: false },
    },
  };
}

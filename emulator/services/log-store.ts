import { AwsError } from '../errors.ts';
import type { ResourceStore } from '../resource-store.ts';

/**
 * CloudWatch Logs data for one account and region. The Logs API reads it and other services
 * (SageMaker jobs and endpoints) write to it, so both views of a job's logs always agree.
 */

export interface LogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
  /** Arrival order in the store: breaks timestamp ties and names the event (eventId). */
  seq: number;
}

export interface LogStream {
  name: string;
  arn: string;
  creationTime: number;
  /** Sorted by (timestamp, seq), as every read returns them. */
  events: LogEvent[];
  storedBytes: number;
  lastIngestionTime: number | undefined;
}

export interface LogGroup {
  name: string;
  /** Without the ":*" the DescribeLogGroups `arn` field carries. */
  arn: string;
  creationTime: number;
  retentionInDays: number | undefined;
  tags: Record<string, string>;
  streams: Map<string, LogStream>;
}

/** Brings simulated writers (running jobs, endpoints) up to `now` before anyone reads. */
export type LogSource = (now: number) => void;

const notFound = (what: 'group' | 'stream') =>
  new AwsError('ResourceNotFoundException', `The specified log ${what} does not exist.`);

/** Position of the first event that sorts after (timestamp, seq). */
export function indexAfter(events: LogEvent[], timestamp: number, seq: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const event = events[mid] as LogEvent;
    if (event.timestamp < timestamp || (event.timestamp === timestamp && event.seq <= seq)) low = mid + 1;
    else high = mid;
  }
  return low;
}

export class LogStore {
  readonly account: string;
  readonly region: string;
  readonly groups = new Map<string, LogGroup>();
  private readonly sources: LogSource[] = [];
  private seq = 0;
  private refreshing = false;

  constructor(account: string, region: string) {
    this.account = account;
    this.region = region;
  }

  addSource(source: LogSource): void {
    this.sources.push(source);
  }

  /** Runs every source once; a source that reads the store while writing does not recurse. */
  refresh(now: number): void {
    if (this.refreshing) return;
    this.refreshing = true;
    try {
      for (const source of this.sources) source(now);
    } finally {
      this.refreshing = false;
    }
  }

  groupArn(name: string): string {
    return `arn:aws:logs:${this.region}:${this.account}:log-group:${name}`;
  }

  createGroup(name: string, now: number, tags: Record<string, string> = {}): LogGroup {
    if (this.groups.has(name))
      throw new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists');
    const group: LogGroup = {
      name,
      arn: this.groupArn(name),
      creationTime: now,
      retentionInDays: undefined,
      tags: { ...tags },
      streams: new Map(),
    };
    this.groups.set(name, group);
    return group;
  }

  /** AWS services create their log groups on first use. */
  ensureGroup(name: string, now: number): LogGroup {
    return this.groups.get(name) ?? this.createGroup(name, now);
  }

  requireGroup(name: string): LogGroup {
    const group = this.groups.get(name);
    if (!group) throw notFound('group');
    return group;
  }

  createStream(groupName: string, name: string, now: number): LogStream {
    const group = this.requireGroup(groupName);
    if (group.streams.has(name))
      throw new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists');
    const stream: LogStream = {
      name,
      arn: `${group.arn}:log-stream:${name}`,
      creationTime: now,
      events: [],
      storedBytes: 0,
      lastIngestionTime: undefined,
    };
    group.streams.set(name, stream);
    return stream;
  }

  ensureStream(groupName: string, name: string, now: number): LogStream {
    this.ensureGroup(groupName, now);
    return this.groups.get(groupName)?.streams.get(name) ?? this.createStream(groupName, name, now);
  }

  requireStream(groupName: string, name: string): LogStream {
    const stream = this.requireGroup(groupName).streams.get(name);
    if (!stream) throw notFound('stream');
    return stream;
  }

  /** Stores events (any order across calls, as CloudWatch accepts); returns the stored copies. */
  put(stream: LogStream, events: { timestamp: number; message: string }[], ingestionTime: number): LogEvent[] {
    const stored: LogEvent[] = [];
    for (const { timestamp, message } of events) {
      const event: LogEvent = { timestamp, message, ingestionTime, seq: ++this.seq };
      const last = stream.events.at(-1);
      if (!last || last.timestamp <= timestamp) stream.events.push(event);
      else stream.events.splice(indexAfter(stream.events, timestamp, event.seq), 0, event);
      // CloudWatch counts 26 bytes of overhead per event.
      stream.storedBytes += Buffer.byteLength(message, 'utf8') + 26;
      stored.push(event);
    }
    if (events.length > 0) stream.lastIngestionTime = ingestionTime;
    return stored;
  }
}

export const LOGS_SERVICE = 'logs';

/** The store of one account and region, shared by the Logs API and the services that write logs. */
export function logStoreOf(resources: ResourceStore, account: string, region: string): LogStore {
  return resources.bucket(account, region, LOGS_SERVICE, () => new LogStore(account, region));
}

/**
 * The last lines a SageMaker job or endpoint wrote to CloudWatch Logs: what a
 * user would otherwise open the console for when something failed.
 */
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeLogStreamsCommand, GetLogEventsCommand, type LogStream } from '@aws-sdk/client-cloudwatch-logs';
import { retryTransient } from '../runtime/retry.ts';

export interface LogExcerpt {
  stream: string;
  lines: string[];
}

export interface ExcerptRequest {
  logGroup: string;
  /** Streams whose name starts with this (case-sensitive, as CloudWatch compares); all streams when absent. */
  streamPrefix?: string;
  /** Narrows the streams found by prefix, e.g. to one job's streams compared case-insensitively. */
  keepStream?: (name: string) => boolean;
  /** Lines to keep from the end, across all the streams found. */
  lines: number;
  /** At most this many streams are read (the most recently written ones). */
  maxStreams?: number;
}

async function streamsByPrefix(client: CloudWatchLogsClient, request: ExcerptRequest): Promise<LogStream[]> {
  const streams: LogStream[] = [];
  let nextToken: string | undefined;
  // Bounded: a job has one stream per instance, an endpoint one per instance and variant.
  for (let page = 0; page < 5; page++) {
    const response = await retryTransient(() =>
      client.send(
        new DescribeLogStreamsCommand({
          logGroupName: request.logGroup,
          // CloudWatch cannot filter by prefix and order by time at once; without a prefix, newest first.
          ...(request.streamPrefix
            ? { logStreamNamePrefix: request.streamPrefix }
            : { orderBy: 'LastEventTime' as const, descending: true }),
          nextToken,
        }),
      ),
    );
    streams.push(
      ...(response.logStreams ?? []).filter((s) => !request.keepStream || request.keepStream(s.logStreamName ?? '')),
    );
    nextToken = response.nextToken;
    if (!nextToken) break;
  }
  return streams
    .sort((a, b) => (b.lastEventTimestamp ?? 0) - (a.lastEventTimestamp ?? 0))
    .slice(0, request.maxStreams ?? 3);
}

export async function lastLogLines(client: CloudWatchLogsClient, request: ExcerptRequest): Promise<LogExcerpt[]> {
  const excerpts: LogExcerpt[] = [];
  for (const stream of await streamsByPrefix(client, request)) {
    const events = await retryTransient(() =>
      client.send(
        new GetLogEventsCommand({
          logGroupName: request.logGroup,
          logStreamName: stream.logStreamName,
          startFromHead: false,
          limit: request.lines,
        }),
      ),
    );
    const lines = (events.events ?? []).map((event) => (event.message ?? '').replace(/\s+$/, ''));
    if (lines.length > 0) excerpts.push({ stream: stream.logStreamName ?? '', lines });
  }
  return excerpts;
}

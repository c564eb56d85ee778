/**
 * The last lines a SageMaker job or endpoint wrote to CloudWatch Logs: what a
 * user would otherwise open the console for when something failed.
 */
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { GetLogEventsCommand, paginateDescribeLogStreams, type LogStream } from '@aws-sdk/client-cloudwatch-logs';
import type { JobKind } from './executions.ts';

/** Where SageMaker writes an endpoint's logs: one stream per variant and instance. */
export const endpointLogGroup = (endpointName: string): string => `/aws/sagemaker/Endpoints/${endpointName}`;

/** Where SageMaker writes the logs of a kind of job: one group for all jobs of that kind. */
export const jobLogGroup = (kind: JobKind): string => `/aws/sagemaker/${kind}Jobs`;

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
  const pages = paginateDescribeLogStreams(
    { client },
    {
      logGroupName: request.logGroup,
      // CloudWatch cannot filter by prefix and order by time at once; without a prefix, newest first.
      ...(request.streamPrefix
        ? { logStreamNamePrefix: request.streamPrefix }
        : { orderBy: 'LastEventTime' as const, descending: true }),
    },
  );
  // Bounded: a job has one stream per instance, an endpoint one per instance and variant.
  let read = 0;
  for await (const response of pages) {
    streams.push(
      ...(response.logStreams ?? []).filter((s) => !request.keepStream || request.keepStream(s.logStreamName ?? '')),
    );
    if (++read === 5) break;
  }
  return streams
    .sort((a, b) => (b.lastEventTimestamp ?? 0) - (a.lastEventTimestamp ?? 0))
    .slice(0, request.maxStreams ?? 3);
}

export async function lastLogLines(client: CloudWatchLogsClient, request: ExcerptRequest): Promise<LogExcerpt[]> {
  const excerpts: LogExcerpt[] = [];
  for (const stream of await streamsByPrefix(client, request)) {
    const events = await client.send(
      new GetLogEventsCommand({
        logGroupName: request.logGroup,
        logStreamName: stream.logStreamName,
        startFromHead: false,
        limit: request.lines,
      }),
    );
    const lines = (events.events ?? []).map((event) => (event.message ?? '').replace(/\s+$/, ''));
    if (lines.length > 0) excerpts.push({ stream: stream.logStreamName ?? '', lines });
  }
  return excerpts;
}

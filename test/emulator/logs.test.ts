/** CloudWatch Logs over the real SDK: groups, streams, events and the token semantics callers loop on. */
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';
import { beforeEach, describe, expect, it } from 'vitest';
import { logs } from '../../testkit/clients.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { rejection } from '../../testkit/requests.ts';
import { ALICE, prodKeys, world } from '../../testkit/worlds/emulator-tests.ts';

const t = useEmulator(world);
const GROUP = '/app/test';
let cw: CloudWatchLogsClient;
let base: number;

async function put(stream: string, messages: string[], start = base) {
  await cw.send(
    new PutLogEventsCommand({
      logGroupName: GROUP,
      logStreamName: stream,
      logEvents: messages.map((message, i) => ({ timestamp: start + i * 1000, message })),
    }),
  );
}

beforeEach(async () => {
  cw = logs(t.endpoint, ALICE);
  base = Date.now() - 60_000;
  await cw.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
  await cw.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'a' }));
});

describe('CloudWatch Logs', () => {
  it('creates groups and streams once and reports missing ones as AWS does', async () => {
    const again = await rejection(cw.send(new CreateLogGroupCommand({ logGroupName: GROUP })));
    expect(again.name).toBe('ResourceAlreadyExistsException');
    const stream = await rejection(cw.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'a' })));
    expect(stream.name).toBe('ResourceAlreadyExistsException');
    const noGroup = await rejection(cw.send(new DescribeLogStreamsCommand({ logGroupName: '/nope' })));
    expect([noGroup.name, noGroup.message]).toEqual([
      'ResourceNotFoundException',
      'The specified log group does not exist.',
    ]);
    const noStream = await rejection(cw.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'zz' })));
    expect([noStream.name, noStream.message]).toEqual([
      'ResourceNotFoundException',
      'The specified log stream does not exist.',
    ]);
    const groups = await cw.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/app/' }));
    expect(groups.logGroups?.map((g) => [g.logGroupName, g.arn])).toEqual([
      [GROUP, `arn:aws:logs:us-east-1:111111111111:log-group:${GROUP}:*`],
    ]);
    // Another account has its own logs.
    const prod = logs(t.endpoint, await prodKeys(t.endpoint));
    expect((await prod.send(new DescribeLogGroupsCommand({}))).logGroups).toEqual([]);
  });

  it('refuses a batch out of chronological order', async () => {
    const error = await rejection(
      cw.send(
        new PutLogEventsCommand({
          logGroupName: GROUP,
          logStreamName: 'a',
          logEvents: [
            { timestamp: base + 1000, message: 'late' },
            { timestamp: base, message: 'early' },
          ],
        }),
      ),
    );
    expect(error.name).toBe('InvalidParameterException');
  });

  it('reads the tail by default, pages forward from the head and returns the same token at the end', async () => {
    await put('a', ['e1', 'e2', 'e3', 'e4', 'e5']);
    const tail = await cw.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'a', limit: 2 }));
    expect(tail.events?.map((e) => e.message)).toEqual(['e4', 'e5']);
    const before = await cw.send(
      new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'a', limit: 2, nextToken: tail.nextBackwardToken }),
    );
    expect(before.events?.map((e) => e.message)).toEqual(['e2', 'e3']);

    const seen: string[] = [];
    let nextToken: string | undefined;
    let previous: string | undefined;
    let calls = 0;
    for (;;) {
      const page = await cw.send(
        new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'a', limit: 2, startFromHead: true, nextToken }),
      );
      calls++;
      seen.push(...(page.events ?? []).map((e) => e.message ?? ''));
      previous = nextToken;
      nextToken = page.nextForwardToken;
      if (nextToken === previous) break;
    }
    expect(seen).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
    expect(calls).toBe(4); // 2 + 2 + 1, then an empty page with the same token back

    // A follower keeps its token and picks up what arrives later.
    await put('a', ['e6'], base + 10_000);
    const later = await cw.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'a', nextToken }));
    expect(later.events?.map((e) => e.message)).toEqual(['e6']);
  });

  it('filters by time window inclusive of startTime and exclusive of endTime', async () => {
    await put('a', ['e1', 'e2', 'e3', 'e4']);
    const window = await cw.send(
      new GetLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: 'a',
        startFromHead: true,
        startTime: base + 1000,
        endTime: base + 3000,
      }),
    );
    expect(window.events?.map((e) => e.message)).toEqual(['e2', 'e3']);
  });

  it('filters events across streams by pattern, interleaved by time, with nextToken paging', async () => {
    await cw.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'b' }));
    await cw.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'other' }));
    await put('a', ['ERROR disk full', 'ok', 'ERROR again']);
    await put('b', ['ERROR in b', 'fine'], base + 500);
    await put('other', ['ERROR elsewhere']);

    const pages: string[][] = [];
    let nextToken: string | undefined;
    do {
      const page = await cw.send(
        new FilterLogEventsCommand({
          logGroupName: GROUP,
          logStreamNames: ['a', 'b'],
          filterPattern: 'ERROR',
          limit: 2,
          nextToken,
        }),
      );
      pages.push((page.events ?? []).map((e) => `${e.logStreamName}:${e.message}`));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(pages).toEqual([['a:ERROR disk full', 'b:ERROR in b'], ['a:ERROR again']]);

    const phrase = await cw.send(
      new FilterLogEventsCommand({ logGroupName: GROUP, logStreamNamePrefix: 'a', filterPattern: '"disk full"' }),
    );
    expect(phrase.events?.map((e) => e.message)).toEqual(['ERROR disk full']);
    const terms = await cw.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: 'ERROR b' }));
    expect(terms.events?.map((e) => e.message)).toEqual(['ERROR in b']);
  });

  it('orders streams by last event time, newest first when descending', async () => {
    await cw.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'b' }));
    await put('b', ['old']);
    await put('a', ['new'], base + 5000);
    const byTime = await cw.send(
      new DescribeLogStreamsCommand({ logGroupName: GROUP, orderBy: 'LastEventTime', descending: true }),
    );
    expect(byTime.logStreams?.map((s) => s.logStreamName)).toEqual(['a', 'b']);
    expect(byTime.logStreams?.[0]).toMatchObject({ firstEventTimestamp: base + 5000, lastEventTimestamp: base + 5000 });
    const paged = await cw.send(new DescribeLogStreamsCommand({ logGroupName: GROUP, limit: 1 }));
    expect(paged.logStreams?.map((s) => s.logStreamName)).toEqual(['a']);
    const rest = await cw.send(
      new DescribeLogStreamsCommand({ logGroupName: GROUP, limit: 1, nextToken: paged.nextToken }),
    );
    expect(rest.logStreams?.map((s) => s.logStreamName)).toEqual(['b']);
    expect(rest.nextToken).toBeUndefined();
    const mixed = await rejection(
      cw.send(
        new DescribeLogStreamsCommand({ logGroupName: GROUP, orderBy: 'LastEventTime', logStreamNamePrefix: 'a' }),
      ),
    );
    expect(mixed.name).toBe('InvalidParameterException');
  });
});

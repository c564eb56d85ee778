/**
 * How the shared wait loop (src/runtime/poll.ts, used by every action that
 * waits: executions, endpoints, approvals) behaves on simulated time: for runs
 * of 2 minutes, 20 minutes and 2 hours, the polls made and the lag between
 * completion and detection, with default settings. Each length is run with
 * 200 random completion times (±2%) and the loop's own jitter.
 *
 * Bar: mean lag ≤ 15 s with ≤ 1 poll per 10 s on average up to 20 minutes;
 * mean lag ≤ 60 s with ≤ 150 polls at 2 hours, for execution and endpoint
 * waits alike. For comparison: the SDK's
 * endpoint waiter (30 s growing towards an hour) and a fixed 30 s poll.
 */
import { waitUntil } from '../../src/runtime/poll.ts';

interface Outcome {
  polls: number;
  lagMs: number;
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    return state / 2 ** 32;
  };
}

async function simulate(
  completionMs: number,
  delay: ((elapsedMs: number) => number) | undefined,
  random: () => number,
  pollImmediately: boolean,
): Promise<Outcome> {
  let now = 0;
  const clock = { now: () => now, sleep: async (ms: number) => void (now += ms) };
  const result = await waitUntil({
    clock,
    timeoutMs: 24 * 3_600_000,
    poll: async () => now >= completionMs,
    isDone: (done) => done,
    pollImmediately,
    random,
    ...(delay ? { delay } : {}),
  });
  return { polls: result.polls, lagMs: now - completionMs };
}

const fixed30s = (): number => 30_000;
// The SDK's generic waiter: exponential backoff from minDelay 30 s to maxDelay 3600 s, with jitter.
function sdkEndpointWaiter(): (elapsedMs: number) => number {
  let attempt = 0;
  return () => Math.min(3_600_000, 30_000 * 2 ** attempt++);
}

const lengths: [string, number, { lag: number; pollsPerSecond?: number; polls?: number }][] = [
  ['2 min', 2 * 60_000, { lag: 15_000, pollsPerSecond: 1 / 10 }],
  ['20 min', 20 * 60_000, { lag: 15_000, pollsPerSecond: 1 / 10 }],
  ['2 h', 2 * 3_600_000, { lag: 60_000, polls: 150 }],
];

const runs = 200;
const random = seeded(42);
let failures = 0;
console.log(
  `${'run length'.padEnd(10)} ${'loop'.padEnd(18)} ${'polls'.padStart(7)} ${'mean lag'.padStart(9)} ${'max lag'.padStart(8)}  bar`,
);
for (const [label, length, bar] of lengths) {
  // start-execution waits on a run it just started (first poll after one delay);
  // wait-for-endpoint and the approval gate look at once (the thing may already be ready).
  const loops: [string, () => ((e: number) => number) | undefined, boolean][] = [
    ['execution wait', () => undefined, false],
    ['endpoint wait', () => undefined, true],
    ['fixed 30 s', () => fixed30s, true],
    ['SDK endpoint waiter', sdkEndpointWaiter, true],
  ];
  for (const [name, makeDelay, pollImmediately] of loops) {
    const outcomes: Outcome[] = [];
    for (let i = 0; i < runs; i++) {
      outcomes.push(await simulate(length * (0.98 + 0.04 * random()), makeDelay(), random, pollImmediately));
    }
    const polls = outcomes.reduce((sum, o) => sum + o.polls, 0) / runs;
    const meanLag = outcomes.reduce((sum, o) => sum + o.lagMs, 0) / runs;
    const maxLag = Math.max(...outcomes.map((o) => o.lagMs));
    let verdict = '';
    if (name.endsWith(' wait')) {
      const pollBudget = bar.polls ?? (length / 1000) * (bar.pollsPerSecond ?? 0);
      const ok = meanLag <= bar.lag && polls <= pollBudget;
      if (!ok) failures++;
      verdict = `${ok ? 'ok' : 'OVER'} (mean lag ≤ ${bar.lag / 1000} s, polls ≤ ${pollBudget.toFixed(0)})`;
    }
    console.log(
      `${label.padEnd(10)} ${name.padEnd(18)} ${polls.toFixed(1).padStart(7)} ${(meanLag / 1000).toFixed(1).padStart(7)} s ${(maxLag / 1000).toFixed(0).padStart(6)} s  ${verdict}`,
    );
  }
}
console.log(`\n${runs} simulated runs per line; ${failures === 0 ? 'all within the bar' : `${failures} over the bar`}`);
process.exitCode = failures === 0 ? 0 : 1;

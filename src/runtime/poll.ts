/**
 * Waiting on something AWS runs (a pipeline execution, an endpoint update,
 * a model approval). There is no SDK waiter that is right for these: the
 * endpoint waiter starts at 30 s and grows to an hour, a fixed 30 s poll makes
 * 240 calls in two hours. This one polls often while a short run may finish
 * and backs off as the wait grows, rides out throttling and transient errors,
 * and stops at once when the step is cancelled.
 */
import type { Clock } from './clock.ts';
import { isTransientError } from './retry.ts';

export { isTransientError };

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/**
 * Delay before the next poll: 12 s for the first two minutes, then growing
 * evenly to 27 s at 20 minutes, then by two seconds per minute waited, never
 * more than 110 s. `npm run bench` (polling) measures what that costs for
 * 2-minute, 20-minute and 2-hour waits.
 */
export function defaultPollDelay(elapsedMs: number): number {
  if (elapsedMs <= 2 * MINUTE) return 12 * SECOND;
  if (elapsedMs <= 20 * MINUTE) return 12 * SECOND + ((elapsedMs - 2 * MINUTE) * 15) / (18 * 60);
  return Math.min(110 * SECOND, 27 * SECOND + (elapsedMs - 20 * MINUTE) / 30);
}

export class WaitTimeoutError extends Error {
  readonly elapsedMs: number;

  constructor(elapsedMs: number) {
    super('timed out');
    this.name = 'WaitTimeoutError';
    this.elapsedMs = elapsedMs;
  }
}

export class WaitCancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'WaitCancelledError';
  }
}

export interface WaitOptions<T> {
  clock: Clock;
  timeoutMs: number;
  poll: (signal: AbortSignal) => Promise<T>;
  isDone: (value: T) => boolean;
  /** Called with every successful poll's value, e.g. to print what changed. */
  onPoll?: (value: T, elapsedMs: number) => void | Promise<void>;
  /** False when the thing waited on was just started, so a poll now would tell nothing. */
  pollImmediately?: boolean;
  /** Aborting it ends the wait with WaitCancelledError. */
  signal?: AbortSignal;
  delay?: (elapsedMs: number) => number;
  /** Jitter source; ±10% keeps many runners from polling in lockstep. */
  random?: () => number;
  /** Consecutive failed polls tolerated before the last error is thrown. */
  maxConsecutiveErrors?: number;
  onTransientError?: (error: unknown, consecutive: number) => void;
}

export interface WaitResult<T> {
  value: T;
  elapsedMs: number;
  polls: number;
}

export async function waitUntil<T>(options: WaitOptions<T>): Promise<WaitResult<T>> {
  const { clock, signal } = options;
  const delay = options.delay ?? defaultPollDelay;
  const random = options.random ?? Math.random;
  const maxErrors = options.maxConsecutiveErrors ?? 10;
  const started = clock.now();
  let polls = 0;
  let consecutiveErrors = 0;
  const internal = new AbortController();
  const onAbort = (): void => internal.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (options.pollImmediately === false) await clock.sleep(delay(0) * (0.9 + 0.2 * random()), signal);
    for (;;) {
      if (signal?.aborted) throw new WaitCancelledError();
      const elapsedMs = clock.now() - started;
      try {
        polls++;
        const value = await options.poll(internal.signal);
        consecutiveErrors = 0;
        await options.onPoll?.(value, elapsedMs);
        if (options.isDone(value)) return { value, elapsedMs, polls };
      } catch (error) {
        if (signal?.aborted) throw new WaitCancelledError();
        if (!isTransientError(error) || ++consecutiveErrors > maxErrors) throw error;
        options.onTransientError?.(error, consecutiveErrors);
      }
      const remaining = options.timeoutMs - (clock.now() - started);
      if (remaining <= 0) throw new WaitTimeoutError(clock.now() - started);
      const jittered = delay(clock.now() - started) * (0.9 + 0.2 * random());
      await clock.sleep(Math.min(jittered, remaining), signal);
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

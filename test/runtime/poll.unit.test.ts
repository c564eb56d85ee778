import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/runtime/clock.ts';
import { defaultPollDelay, waitUntil, WaitCancelledError, WaitTimeoutError } from '../../src/runtime/poll.ts';

function fakeClock(): Clock & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

const throttled = (): Error =>
  Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} });

describe('waitUntil', () => {
  it('polls until done and reports the polls and elapsed time', async () => {
    const clock = fakeClock();
    const result = await waitUntil({
      clock,
      timeoutMs: 3_600_000,
      poll: async () => clock.now(),
      isDone: (now) => now >= 95_000,
      random: () => 0.5,
    });
    expect(result.polls).toBe(9);
    expect(result.value).toBeGreaterThanOrEqual(95_000);
    expect(result.value - 95_000).toBeLessThan(12_000);
  });

  it('backs off as the wait grows, within bounds', () => {
    expect(defaultPollDelay(0)).toBe(12_000);
    expect(defaultPollDelay(20 * 60_000)).toBe(27_000);
    expect(defaultPollDelay(10 * 3_600_000)).toBe(110_000);
    for (let t = 0; t < 3 * 3_600_000; t += 30_000) {
      expect(defaultPollDelay(t + 30_000)).toBeGreaterThanOrEqual(defaultPollDelay(t));
    }
  });

  it('rides out transient errors but not others, and not too many in a row', async () => {
    const clock = fakeClock();
    let calls = 0;
    const result = await waitUntil({
      clock,
      timeoutMs: 3_600_000,
      poll: async () => {
        calls++;
        if (calls % 2 === 1) throw throttled();
        return calls;
      },
      isDone: (n) => n >= 6,
    });
    expect(result.value).toBe(6);

    await expect(
      waitUntil({
        clock: fakeClock(),
        timeoutMs: 3_600_000,
        poll: async () => {
          throw Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: {} });
        },
        isDone: () => true,
      }),
    ).rejects.toThrow('denied');

    let failures = 0;
    await expect(
      waitUntil({
        clock: fakeClock(),
        timeoutMs: 3_600_000,
        maxConsecutiveErrors: 3,
        poll: async () => {
          failures++;
          throw throttled();
        },
        isDone: () => true,
      }),
    ).rejects.toThrow('Rate exceeded');
    expect(failures).toBe(4);
  });

  it('times out with a last poll at the deadline', async () => {
    const clock = fakeClock();
    const error = await waitUntil({ clock, timeoutMs: 60_000, poll: async () => 1, isDone: () => false }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(clock.now()).toBe(60_000);
  });

  it('ends with WaitCancelledError as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const clock = fakeClock();
    const error = await waitUntil({
      clock,
      timeoutMs: 3_600_000,
      signal: controller.signal,
      poll: async () => {
        controller.abort();
        return 1;
      },
      isDone: () => false,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitCancelledError);
  });
});

describe('isTransientError', async () => {
  const { isTransientError } = await import('../../src/runtime/retry.ts');
  const sdkError = (name: string, extra: Record<string, unknown>) => Object.assign(new Error(name), { name, ...extra });
  it('retries throttling, 5xx and connections the SDK saw fail, not client errors', () => {
    expect(isTransientError(sdkError('ThrottlingException', { $metadata: { httpStatusCode: 400 } }))).toBe(true);
    expect(isTransientError(sdkError('ServiceUnavailable', { $metadata: { httpStatusCode: 503 } }))).toBe(true);
    expect(isTransientError(sdkError('Error', { code: 'ECONNRESET', $metadata: { attempts: 3 } }))).toBe(true);
    expect(isTransientError(sdkError('Error', { $metadata: {} }))).toBe(true);
    expect(isTransientError(sdkError('AccessDeniedException', { $metadata: { httpStatusCode: 400 } }))).toBe(false);
    expect(isTransientError(sdkError('ValidationException', { $metadata: { httpStatusCode: 400 } }))).toBe(false);
    expect(isTransientError(new TypeError('x is undefined'))).toBe(false);
    expect(isTransientError(sdkError('AbortError', { $metadata: {} }))).toBe(false);
  });
});

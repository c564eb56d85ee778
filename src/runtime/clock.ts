/**
 * Time as the actions see it while waiting. On AWS it is the wall clock. Against
 * the local emulator running on accelerated time, MLOPS_ACTIONS_CLOCK_SCALE (the
 * emulator's time scale) makes waits, timeouts and reported durations follow the
 * emulator's clock, so a two-hour pipeline can be watched in seconds.
 */

export interface Clock {
  /** Milliseconds on the clock the waited-on resources live by. */
  now(): number;
  /** Waits this many of those milliseconds; resolves early when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export function clockScale(env = process.env): number {
  const scale = Number(env['MLOPS_ACTIONS_CLOCK_SCALE'] ?? '1');
  return Number.isFinite(scale) && scale >= 1 ? scale : 1;
}

export function systemClock(scale = clockScale()): Clock {
  const start = Date.now();
  return {
    now: () => start + (Date.now() - start) * scale,
    sleep: (ms, signal) => abortableSleep(ms / scale, signal),
  };
}

export function formatElapsed(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

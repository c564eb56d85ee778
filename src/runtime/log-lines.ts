/**
 * The forms of log line the actions share (README, Vocabulary): sizes, the lines of a wait
 * and of a transient failure ridden out, so a log reads alike whichever action wrote it.
 */
import { describeError } from './errors.ts';
import { formatElapsed } from './clock.ts';

const SIZE_UNITS = ['kB', 'MB', 'GB', 'TB'];

/** A size in SI units (1 kB = 1000 bytes), the units docker and ECR's console print image sizes in. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return 'unknown';
  if (bytes < 1000) return `${bytes} B`;
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < SIZE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${SIZE_UNITS[unit]}`;
}

/** How long a wait may last, as the input that set it: `timeout-minutes: 60`. */
export interface WaitBound {
  input: string;
  minutes: number;
}

/** The line a wait opens with: `Waiting for <subject> to <goal> (timeout-minutes: 60)`. */
export function waitingLine(subject: string, goal: string, bound: WaitBound): string {
  return `Waiting for ${subject} to ${goal} (${bound.input}: ${bound.minutes})`;
}

/** A line of a wait, printed when what it watches changes: `[  1m 05s] <subject>: <status>`. */
export function progressLine(elapsedMs: number, subject: string, status: string): string {
  return `[${formatElapsed(elapsedMs).padStart(7)}] ${subject}: ${status}`;
}

/** A poll that failed and will be tried again: `Checking <what> failed (<error>); 2 in a row, trying again`. */
export function pollFailedLine(what: string, error: unknown, consecutive: number): string {
  return `Checking ${what} failed (${describeError(error)}); ${consecutive} in a row, trying again`;
}

/** How a wait that ran out is told: `timed out after 1h 00m (timeout-minutes: 60)`. */
export function timedOutText(elapsedMs: number, bound: WaitBound): string {
  return `timed out after ${formatElapsed(elapsedMs)} (${bound.input}: ${bound.minutes})`;
}

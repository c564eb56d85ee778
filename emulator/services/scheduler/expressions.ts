import { Cron } from 'croner';

/**
 * EventBridge Scheduler's schedule expressions and when they come due:
 * - `cron(minutes hours day-of-month month day-of-week year)`: AWS's six fields, one of the two
 *   day fields `?`; day-of-week 1-7 is SUN-SAT; `L`, `W` and `#` as AWS documents them; in the
 *   schedule's time zone. Across daylight saving changes AWS skips a time the clocks jump over
 *   and runs a repeated time once.
 * - `rate(value unit)`: every value minutes, hours or days from the start date (or from the
 *   moment the schedule was created, which invokes at once).
 * - `at(yyyy-mm-ddThh:mm:ss)`: once, at that wall-clock time in the time zone.
 * Cron fields are evaluated by croner in Quartz mode; what AWS writes differently
 * (`start/step`, a lone `L` in day-of-week) is rewritten first.
 */

export type ParsedExpression =
  { kind: 'cron'; cron: Cron } | { kind: 'rate'; periodMs: number } | { kind: 'at'; local: string };

export class ExpressionError extends Error {}

const MINUTE = 60_000;
const UNIT_MS: Record<string, number> = { minute: MINUTE, hour: 60 * MINUTE, day: 1440 * MINUTE };

/** Each field's highest value, for AWS's `start/step` (croner writes it `start-max/step`). */
const FIELD_MAX = [59, 23, 31, 12, 7, 2199];
const FIELD_RANGE: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [1, 7],
  [1970, 2199],
];

function croneField(field: string, index: number): string {
  return field
    .split(',')
    .map((part) => {
      const step = /^(\d+)\/(\d+)$/.exec(part);
      if (step) return `${step[1]}-${FIELD_MAX[index]}/${step[2]}`;
      // A lone L in day-of-week is the last day of the week, Saturday.
      if (index === 4 && part.toUpperCase() === 'L') return '7';
      return part;
    })
    .join(',');
}

function checkNumbers(field: string, index: number, expression: string): void {
  const [low, high] = FIELD_RANGE[index] as [number, number];
  for (const number of field.match(/\d+/g) ?? []) {
    // After # comes the week of the month, not a value of the field.
    if (field.includes(`#${number}`)) continue;
    const value = Number(number);
    if (value < low || value > high) throw new ExpressionError(`Invalid Schedule Expression ${expression}.`);
  }
}

function parseCron(body: string, expression: string, timezone: string): ParsedExpression {
  const fields = body.trim().split(/\s+/);
  const invalid = () => new ExpressionError(`Invalid Schedule Expression ${expression}.`);
  if (fields.length !== 6) throw invalid();
  const [, , dayOfMonth, , dayOfWeek] = fields as [string, string, string, string, string, string];
  // AWS: one of the day fields must be "?", and only one.
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) throw invalid();
  const allowed = [
    /^[\d,*/-]+$/,
    /^[\d,*/-]+$/,
    /^([\d,*/?LW-]+)$/i,
    /^[\d,*/A-Z-]+$/i,
    /^[\d,*/?L#A-Z-]+$/i,
    /^[\d,*/-]+$/,
  ];
  fields.forEach((field, i) => {
    if (!(allowed[i] as RegExp).test(field)) throw invalid();
    checkNumbers(field, i, expression);
  });
  try {
    const pattern = `0 ${fields.map(croneField).join(' ')}`;
    const cron = new Cron(pattern, {
      timezone,
      paused: true,
      mode: '7-part',
      alternativeWeekdays: true,
      // One day field is "?": AND leaves the other as the only day rule.
      domAndDow: true,
    });
    return { kind: 'cron', cron };
  } catch {
    throw invalid();
  }
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function parseExpression(expression: string, timezone: string): ParsedExpression {
  const invalid = () => new ExpressionError(`Invalid Schedule Expression ${expression}.`);
  const call = /^(cron|rate|at)\((.*)\)$/.exec(expression.trim());
  if (!call) throw invalid();
  const [, kind, body = ''] = call;
  if (kind === 'cron') return parseCron(body, expression, timezone);
  if (kind === 'rate') {
    const rate = /^\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*$/.exec(body);
    if (!rate || Number(rate[1]) < 1) throw invalid();
    return { kind: 'rate', periodMs: Number(rate[1]) * (UNIT_MS[(rate[2] ?? '').replace(/s$/, '')] ?? MINUTE) };
  }
  // A calendar time that exists: Date.parse alone would take 2026-02-30 for March 2.
  const asUtc = Date.parse(`${body}Z`);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(body) || Number.isNaN(asUtc)) throw invalid();
  if (new Date(asUtc).toISOString().slice(0, 19) !== body) throw invalid();
  return { kind: 'at', local: body };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time an instant shows in a time zone, as yyyy-mm-ddThh:mm:ss. */
export function wallClock(ms: number, timezone: string): string {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timezone, format);
  }
  const part = Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return `${part.year}-${part.month}-${part.day}T${part.hour}:${part.minute}:${part.second}`;
}

/**
 * The instant a wall-clock time names in a time zone: the earlier one when the clocks show it
 * twice; for a time they skip, the instant the offset before the change gives (after the gap).
 */
export function instantOf(local: string, timezone: string): number {
  const asUtc = Date.parse(`${local}Z`);
  const offsetAt = (ms: number) => Date.parse(`${wallClock(ms, timezone)}Z`) - ms;
  const before = asUtc - offsetAt(asUtc - 43_200_000);
  const after = asUtc - offsetAt(asUtc + 43_200_000);
  for (const candidate of [Math.min(before, after), Math.max(before, after)])
    if (wallClock(candidate, timezone) === local) return candidate;
  return before;
}

/** A time the clocks showed an hour (or half an hour) earlier too: the second pass of a repeated hour. */
function repeated(ms: number, timezone: string): boolean {
  const wall = wallClock(ms, timezone);
  return wallClock(ms - 3_600_000, timezone) === wall || wallClock(ms - 1_800_000, timezone) === wall;
}

export interface Window {
  /** Occurrences after this instant (exclusive). */
  after: number;
  /** Up to and including this instant. */
  until: number;
  /** Rate schedules count from here: the start date, else the moment the schedule was created. */
  anchor: number;
  timezone: string;
}

/** The occurrences in the window, oldest first (cron and rate schedules: at most `limit`). */
export function occurrences(expression: ParsedExpression, window: Window, limit = 10_000): number[] {
  const found: number[] = [];
  if (window.until <= window.after) return found;
  if (expression.kind === 'at') {
    const at = instantOf(expression.local, window.timezone);
    if (at > window.after && at <= window.until) found.push(at);
    return found;
  }
  if (expression.kind === 'rate') {
    const period = expression.periodMs;
    let k = window.anchor > window.after ? 0 : Math.floor((window.after - window.anchor) / period) + 1;
    for (
      let t = window.anchor + k * period;
      t <= window.until && found.length < limit;
      t = window.anchor + ++k * period
    )
      found.push(t);
    return found;
  }
  let cursor = new Date(window.after);
  while (found.length < limit) {
    const next = expression.cron.nextRun(cursor);
    if (!next || next.getTime() > window.until) break;
    cursor = next;
    const t = next.getTime();
    // Croner moves a fixed time the clocks skip to after the gap, and runs an interval through a
    // repeated hour twice; AWS skips the first and runs the second once.
    if (!expression.cron.match(next) || repeated(t, window.timezone)) continue;
    if (t > window.after) found.push(t);
  }
  return found;
}

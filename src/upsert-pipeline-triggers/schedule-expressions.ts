/**
 * EventBridge Scheduler's schedule expressions and time zones, checked as Scheduler checks them,
 * so that a typo fails before any call instead of after the other schedules were written:
 *
 *   cron(minutes hours day-of-month month day-of-week year)   one of the two day fields is "?"
 *   rate(value unit)                                           "1 hour", "5 minutes": singular for 1 only
 *   at(yyyy-mm-ddThh:mm:ss)                                    once, in the schedule's time zone
 */

interface CronField {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** Forms of this field beyond numbers, ranges, lists, steps and "*". */
  extra?: RegExp;
  question?: boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const CRON_FIELDS: readonly CronField[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  // L: last day of the month; LW: its last weekday; 15W: the weekday nearest the 15th.
  { name: 'day-of-month', min: 1, max: 31, extra: /^(L|LW|([1-9]|[12]\d|3[01])W)$/, question: true },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  // L: Saturday; 6L: the month's last Friday; 2#1: its first Monday.
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, extra: /^(L|[1-7]L|[1-7]#[1-5])$/, question: true },
  { name: 'year', min: 1970, max: 2199 },
];

function valueOf(text: string, field: CronField): number | undefined {
  if (/^\d+$/.test(text)) {
    const value = Number(text);
    return value >= field.min && value <= field.max ? value : undefined;
  }
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
  return index === -1 ? undefined : index + field.min;
}

function cronItemProblem(item: string, field: CronField): string | undefined {
  if (field.extra?.test(item.toUpperCase())) return undefined;
  const [base = '', step, ...more] = item.split('/');
  if (more.length > 0 || (step !== undefined && !/^[1-9]\d*$/.test(step)))
    return `'${item}' has a step that is not a positive whole number`;
  if (base === '*') return undefined;
  const bounds = base.split('-');
  if (bounds.length > 2 || bounds.some((bound) => valueOf(bound, field) === undefined)) {
    const names = field.names ? ` or ${field.names[0]}-${field.names.at(-1)}` : '';
    return `'${item}' is not a value of ${field.min}-${field.max}${names}, a range, a list or a step`;
  }
  return undefined;
}

function cronProblem(body: string): string | undefined {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== CRON_FIELDS.length)
    return `has ${parts.length} fields; cron takes 6 (minutes hours day-of-month month day-of-week year)`;
  for (const [i, field] of CRON_FIELDS.entries()) {
    const part = parts[i]!;
    if (part === '?') {
      if (!field.question) return `${field.name} cannot be '?' (only day-of-month or day-of-week)`;
      continue;
    }
    for (const item of part.split(',')) {
      const problem = cronItemProblem(item, field);
      if (problem) return `${field.name} ${problem}`;
    }
  }
  const [dayOfMonth, dayOfWeek] = [parts[2], parts[4]];
  if ((dayOfMonth === '?') === (dayOfWeek === '?'))
    return "needs '?' in exactly one of day-of-month and day-of-week (e.g. cron(0 6 * * ? *))";
  return undefined;
}

const RATE_UNITS = ['minute', 'hour', 'day'];

function rateProblem(body: string): string | undefined {
  const match = /^\s*(\d+)\s+([a-z]+)\s*$/.exec(body);
  if (!match) return 'is not rate(<value> <unit>), e.g. rate(1 hour) or rate(30 minutes)';
  const value = Number(match[1]);
  const unit = match[2]!;
  if (value < 1) return 'needs a value of at least 1';
  const singular = unit.replace(/s$/, '');
  if (!RATE_UNITS.includes(singular)) return `has unit '${unit}'; rate takes minutes, hours or days`;
  if (value === 1 && unit !== singular) return `must say 'rate(1 ${singular})': the unit is singular for 1`;
  if (value > 1 && unit === singular) return `must say 'rate(${value} ${singular}s)': the unit is plural above 1`;
  return undefined;
}

function atProblem(body: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body);
  if (!match) return 'is not at(yyyy-mm-ddThh:mm:ss), e.g. at(2026-03-01T06:00:00)';
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, ...number[]];
  const date = new Date(Date.UTC(year, month! - 1, day, hour, minute, second));
  const same =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month! - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  return same ? undefined : 'names a date or time that does not exist';
}

/** What is wrong with a schedule expression; undefined when Scheduler would take it. */
export function scheduleExpressionProblem(expression: string): string | undefined {
  const match = /^(cron|rate|at)\((.*)\)$/s.exec(expression.trim());
  if (!match) return 'is not cron(...), rate(...) or at(...)';
  const [, kind, body = ''] = match;
  if (expression !== expression.trim()) return 'has spaces around it';
  return kind === 'cron' ? cronProblem(body) : kind === 'rate' ? rateProblem(body) : atProblem(body);
}

/** An IANA time zone (Europe/Paris, America/New_York, UTC) as the runtime's time zone database knows them. */
export function timezoneProblem(timezone: string): string | undefined {
  // The runtime also takes offsets ("+01:00"), which Scheduler does not.
  if (/^[+-]/.test(timezone)) return `'${timezone}' is an offset; Scheduler takes IANA time zone names`;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return undefined;
  } catch {
    return `'${timezone}' is not a time zone of the IANA database (such as Europe/Paris or UTC)`;
  }
}

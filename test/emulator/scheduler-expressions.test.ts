/**
 * When EventBridge Scheduler's expressions come due: AWS's cron dialect (six fields, `?`,
 * 1 = Sunday, L, W, #, years), rate and at expressions, in time zones and across daylight
 * saving changes (a skipped time does not run, a repeated one runs once).
 */
import { describe, expect, it } from 'vitest';
import { instantOf, occurrences, parseExpression, wallClock } from '../../emulator/services/scheduler/expressions.ts';

const at = (iso: string) => Date.parse(iso);

function due(expression: string, timezone: string, after: string, until: string, anchor = after): string[] {
  const window = { after: at(after), until: at(until), anchor: at(anchor), timezone };
  return occurrences(parseExpression(expression, timezone), window).map((t) => new Date(t).toISOString());
}

describe('cron expressions', () => {
  const cases: [string, string, string, string, string[]][] = [
    [
      'every day at 06:00 UTC',
      'cron(0 6 * * ? *)',
      'UTC',
      '2026-01-01T00:00:00Z',
      ['2026-01-01T06:00:00.000Z', '2026-01-02T06:00:00.000Z', '2026-01-03T06:00:00.000Z'],
    ],
    [
      'weekdays by name (Friday 2 January to Tuesday 6 January)',
      'cron(0 6 ? * MON-FRI *)',
      'UTC',
      '2026-01-02T00:00:00Z',
      ['2026-01-02T06:00:00.000Z', '2026-01-05T06:00:00.000Z', '2026-01-06T06:00:00.000Z'],
    ],
    [
      'day-of-week 2 is Monday (1 is Sunday)',
      'cron(0 6 ? * 2 *)',
      'UTC',
      '2026-01-01T00:00:00Z',
      ['2026-01-05T06:00:00.000Z'],
    ],
    ['L: the last day of the month', 'cron(0 8 L * ? *)', 'UTC', '2026-01-15T00:00:00Z', ['2026-01-31T08:00:00.000Z']],
    [
      'W: the weekday nearest the 15th (Sunday 15 February: Monday 16th)',
      'cron(0 8 15W * ? *)',
      'UTC',
      '2026-02-01T00:00:00Z',
      ['2026-02-16T08:00:00.000Z'],
    ],
    ['#: the third Friday', 'cron(0 8 ? * 6#3 *)', 'UTC', '2026-02-01T00:00:00Z', ['2026-02-20T08:00:00.000Z']],
    ['6L: the last Friday', 'cron(0 8 ? * 6L *)', 'UTC', '2026-02-01T00:00:00Z', ['2026-02-27T08:00:00.000Z']],
    [
      'start/step: every 20 minutes from minute 0 during hour 9',
      'cron(0/20 9 * * ? *)',
      'UTC',
      '2026-01-01T00:00:00Z',
      ['2026-01-01T09:00:00.000Z', '2026-01-01T09:20:00.000Z', '2026-01-01T09:40:00.000Z'],
    ],
    [
      'in a time zone: 10:15 in Kolkata is 04:45 UTC',
      'cron(15 10 ? * * *)',
      'Asia/Kolkata',
      '2026-02-02T00:00:00Z',
      ['2026-02-02T04:45:00.000Z'],
    ],
  ];
  it.each(cases)('%s', (_, expression, timezone, after, expected) => {
    const until = new Date(at(after) + 31 * 86_400_000).toISOString();
    const found = due(expression, timezone, after, until);
    expect(found.slice(0, expected.length)).toEqual(expected);
  });

  it('a year field limits the years', () => {
    expect(due('cron(0 0 1 1 ? 2027-2028)', 'UTC', '2026-01-01T00:00:00Z', '2030-01-01T00:00:00Z')).toEqual([
      '2027-01-01T00:00:00.000Z',
      '2028-01-01T00:00:00.000Z',
    ]);
  });

  it('follows the time zone into summer time: 09:00 in Paris is 08:00 UTC, then 07:00 UTC', () => {
    expect(due('cron(0 9 * * ? *)', 'Europe/Paris', '2026-03-28T00:00:00Z', '2026-03-29T23:00:00Z')).toEqual([
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
    ]);
  });

  it('skips a time the clocks jump over (02:30 in New York on 8 March 2026)', () => {
    expect(due('cron(30 2 * * ? *)', 'America/New_York', '2026-03-07T00:00:00Z', '2026-03-09T23:00:00Z')).toEqual([
      '2026-03-07T07:30:00.000Z',
      '2026-03-09T06:30:00.000Z',
    ]);
  });

  it('runs a repeated time once when the clocks fall back (1 November 2026 in New York)', () => {
    expect(due('cron(0/30 1 * * ? *)', 'America/New_York', '2026-11-01T00:00:00Z', '2026-11-01T12:00:00Z')).toEqual([
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T05:30:00.000Z',
    ]);
    expect(due('cron(30 1 * * ? *)', 'America/New_York', '2026-11-01T00:00:00Z', '2026-11-01T12:00:00Z')).toEqual([
      '2026-11-01T05:30:00.000Z',
    ]);
  });

  it.each([
    ['both day fields given', 'cron(0 6 * * * *)'],
    ['neither day field given', 'cron(0 6 ? * ? *)'],
    ['five fields', 'cron(0 6 * * ?)'],
    ['minute 60', 'cron(60 6 * * ? *)'],
    ['hour 24', 'cron(0 24 * * ? *)'],
    ['day 32', 'cron(0 6 32 * ? *)'],
    ['month 13', 'cron(0 6 * 13 ? *)'],
    ['day-of-week 8', 'cron(0 6 ? * 8 *)'],
    ['day-of-week 0', 'cron(0 6 ? * 0 *)'],
    ['year 1969', 'cron(0 6 * * ? 1969)'],
    ['a sixth week', 'cron(0 6 ? * MON#6 *)'],
    ['rate of zero', 'rate(0 minutes)'],
    ['rate in weeks', 'rate(2 weeks)'],
    ['a date that does not exist', 'at(2026-02-30T00:00:00)'],
    ['a date without seconds', 'at(2026-02-01T00:00)'],
    ['plain words', 'every 5 minutes'],
  ])('refuses %s: %s', (_, expression) => {
    expect(() => parseExpression(expression, 'UTC')).toThrow(`Invalid Schedule Expression ${expression}.`);
  });
});

describe('rate expressions', () => {
  it('start at their anchor and repeat every period', () => {
    expect(
      due('rate(5 minutes)', 'UTC', '2026-01-01T00:00:00Z', '2026-01-01T00:12:00Z', '2026-01-01T00:00:01Z'),
    ).toEqual(['2026-01-01T00:00:01.000Z', '2026-01-01T00:05:01.000Z', '2026-01-01T00:10:01.000Z']);
  });

  it('continue the cadence of the anchor after a window that began later', () => {
    expect(due('rate(2 hours)', 'UTC', '2026-01-01T03:00:00Z', '2026-01-01T08:00:00Z', '2026-01-01T00:00:00Z')).toEqual(
      ['2026-01-01T04:00:00.000Z', '2026-01-01T06:00:00.000Z', '2026-01-01T08:00:00.000Z'],
    );
  });

  it('count a day as 24 hours, whatever the clocks do', () => {
    expect(
      due('rate(1 day)', 'America/New_York', '2026-03-07T11:00:00Z', '2026-03-09T12:00:00Z', '2026-03-07T12:00:00Z'),
    ).toEqual(['2026-03-07T12:00:00.000Z', '2026-03-08T12:00:00.000Z', '2026-03-09T12:00:00.000Z']);
  });
});

describe('at expressions', () => {
  it('come due once, at the wall-clock time of their time zone', () => {
    expect(due('at(2026-07-01T09:00:00)', 'Europe/Paris', '2026-06-01T00:00:00Z', '2026-12-31T00:00:00Z')).toEqual([
      '2026-07-01T07:00:00.000Z',
    ]);
  });

  it('never, when the time had passed before the window', () => {
    expect(due('at(2026-07-01T09:00:00)', 'UTC', '2026-08-01T00:00:00Z', '2026-12-31T00:00:00Z')).toEqual([]);
  });

  it('take the earlier instant of a repeated wall-clock time', () => {
    expect(new Date(instantOf('2026-11-01T01:30:00', 'America/New_York')).toISOString()).toBe(
      '2026-11-01T05:30:00.000Z',
    );
    expect(wallClock(at('2026-11-01T06:30:00Z'), 'America/New_York')).toBe('2026-11-01T01:30:00');
  });
});

/**
 * Input readers. Every reader names the input in its error so a user can find
 * the line in their workflow without reading our code.
 */
import * as core from '@actions/core';
import { InputError } from './errors.ts';

export function optionalInput(name: string): string | undefined {
  const value = core.getInput(name);
  return value === '' ? undefined : value;
}

/**
 * Refuses an input that only applies when another input has another value (`when`, said in the
 * message). The runner passes action.yml's default as if it were given, so an input left at its
 * default (`defaultValue`) is taken as not asked for.
 */
export function refuseUnless(applies: boolean, name: string, when: string, defaultValue?: string): void {
  const value = optionalInput(name);
  if (applies || value === undefined || value === defaultValue) return;
  throw new InputError(name, `only applies ${when}`);
}

export function requiredInput(name: string): string {
  const value = optionalInput(name);
  if (value === undefined) throw new InputError(name, 'is required but was empty');
  return value;
}

const TRUE_WORDS = new Set(['true', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'off', '0']);

export function booleanInput(name: string, defaultValue: boolean): boolean {
  const value = optionalInput(name);
  if (value === undefined) return defaultValue;
  const word = value.toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw new InputError(name, `'${value}' is not a boolean (use true or false)`);
}

export interface IntegerRange {
  min: number;
  max: number;
}

export function integerInput(name: string, range: IntegerRange & { default: number }): number;
export function integerInput(name: string, range: IntegerRange): number | undefined;
export function integerInput(name: string, range: IntegerRange & { default?: number }): number | undefined {
  const value = optionalInput(name);
  if (value === undefined) return range.default;
  if (!/^-?\d+$/.test(value)) throw new InputError(name, `'${value}' is not a whole number`);
  return checkRange(name, Number(value), range, String);
}

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Parses "900", "90s", "15m", "1h30m" into seconds. */
export function parseDuration(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const parts = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!parts || text === '') return undefined;
  const [, d, h, m, s] = parts;
  return [d, h, m, s].reduce((total, part, i) => total + Number(part ?? 0) * DURATION_UNITS['dhms'[i]!]!, 0);
}

/** A duration in seconds; accepts plain seconds or units (90s, 15m, 1h30m). */
export function durationInput(name: string, range: IntegerRange & { default: number }): number;
export function durationInput(name: string, range: IntegerRange): number | undefined;
export function durationInput(name: string, range: IntegerRange & { default?: number }): number | undefined {
  const value = optionalInput(name);
  if (value === undefined) return range.default;
  const seconds = parseDuration(value.toLowerCase());
  if (seconds === undefined) {
    throw new InputError(name, `'${value}' is not a duration (use seconds, or units such as 90s, 15m, 1h30m)`);
  }
  return checkRange(name, seconds, range, (n) => `${n}s`);
}

function checkRange(name: string, value: number, range: IntegerRange, show: (n: number) => string): number {
  if (value < range.min || value > range.max) {
    throw new InputError(name, `${show(value)} is out of range (${show(range.min)} to ${show(range.max)})`);
  }
  return value;
}

/**
 * A list written one item per line or comma separated; blank items are dropped.
 * Items that may contain commas themselves are read with `lines: true`.
 */
export function listInput(name: string, options: { lines?: boolean } = {}): string[] {
  const value = optionalInput(name);
  if (value === undefined) return [];
  return value
    .split(options.lines ? /\n/ : /[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** A value that must be one of a fixed set of words. */
export function choiceInput<T extends string>(name: string, choices: readonly T[], defaultValue: T): T {
  const value = optionalInput(name);
  if (value === undefined) return defaultValue;
  if (!(choices as readonly string[]).includes(value)) {
    throw new InputError(name, `'${value}' is not one of ${choices.join(', ')}`);
  }
  return value as T;
}

import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/runtime/errors.ts';
import {
  booleanInput,
  choiceInput,
  durationInput,
  integerInput,
  listInput,
  parseDuration,
  requiredInput,
} from '../../src/runtime/inputs.ts';
import { objectInput } from '../../src/runtime/object-input.ts';

const set: string[] = [];
function input(name: string, value: string): void {
  const variable = `INPUT_${name.toUpperCase()}`;
  process.env[variable] = value;
  set.push(variable);
}
afterEach(() => {
  for (const variable of set.splice(0)) Reflect.deleteProperty(process.env, variable);
});

function errorOf(read: () => unknown): InputError {
  try {
    read();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('input readers', () => {
  it('names the input when a required one is empty', () => {
    input('role-to-assume', '   ');
    const error = errorOf(() => requiredInput('role-to-assume'));
    expect(error.input).toBe('role-to-assume');
    expect(error.message).toBe("input 'role-to-assume': is required but was empty");
  });

  it('reads booleans in the words YAML users write, and refuses others', () => {
    input('wait', 'Yes');
    expect(booleanInput('wait', false)).toBe(true);
    input('wait', 'off');
    expect(booleanInput('wait', true)).toBe(false);
    expect(booleanInput('absent', true)).toBe(true);
    input('wait', 'maybe');
    expect(errorOf(() => booleanInput('wait', true)).message).toContain("'maybe' is not a boolean");
  });

  it('checks integer ranges and formats', () => {
    input('count', '5');
    expect(integerInput('count', { min: 1, max: 10 })).toBe(5);
    input('count', '11');
    expect(errorOf(() => integerInput('count', { min: 1, max: 10 })).message).toBe(
      "input 'count': 11 is out of range (1 to 10)",
    );
    input('count', '2.5');
    expect(errorOf(() => integerInput('count', { min: 1, max: 10 })).message).toContain('not a whole number');
    expect(integerInput('none', { min: 1, max: 10, default: 3 })).toBe(3);
  });

  it('reads durations with units', () => {
    expect(parseDuration('900')).toBe(900);
    expect(parseDuration('15m')).toBe(900);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('2d')).toBe(172800);
    expect(parseDuration('')).toBeUndefined();
    expect(parseDuration('1x')).toBeUndefined();
    input('timeout', '2H');
    expect(durationInput('timeout', { min: 60, max: 86400 })).toBe(7200);
    input('timeout', '30s');
    expect(errorOf(() => durationInput('timeout', { min: 60, max: 86400 })).message).toBe(
      "input 'timeout': 30s is out of range (60s to 86400s)",
    );
    input('timeout', 'soon');
    expect(errorOf(() => durationInput('timeout', { min: 60, max: 86400 })).message).toContain('is not a duration');
  });

  it('reads mappings as JSON or YAML and refuses lists and scalars', async () => {
    input('parameters', '{"a": 1}');
    expect(await objectInput('parameters')).toEqual({ a: 1 });
    input('parameters', 'a: x\nb: "2"');
    expect(await objectInput('parameters')).toEqual({ a: 'x', b: '2' });
    input('parameters', '- a\n- b');
    await expect(objectInput('parameters')).rejects.toThrow("input 'parameters': must be a mapping");
    input('parameters', '{"a": ');
    const error = await objectInput('parameters').catch((e: unknown) => e as InputError);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/^input 'parameters': is not valid JSON or YAML: /);
    expect((error as InputError).message).not.toContain('\n');
  });

  it('splits lists on lines and commas, or on lines only', () => {
    input('ids', ' 111111111111, 222222222222\n\n333333333333 ');
    expect(listInput('ids')).toEqual(['111111111111', '222222222222', '333333333333']);
    input('chain', 'a external-id=x,y\nb');
    expect(listInput('chain', { lines: true })).toEqual(['a external-id=x,y', 'b']);
  });

  it('accepts only the listed choices', () => {
    input('mode', 'check');
    expect(choiceInput('mode', ['check', 'wait'] as const, 'wait')).toBe('check');
    input('mode', 'approve-all');
    expect(errorOf(() => choiceInput('mode', ['check', 'wait'] as const, 'wait')).message).toBe(
      "input 'mode': 'approve-all' is not one of check, wait",
    );
  });
});

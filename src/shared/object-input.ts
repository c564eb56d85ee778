/**
 * Mapping inputs (parameters, tags, substitutions). Kept apart from the other
 * readers so actions that take no mapping do not bundle the YAML parser.
 */
import { parse as parseYaml } from 'yaml';
import { InputError } from './errors.ts';
import { optionalInput } from './inputs.ts';

/** A mapping written as JSON or YAML (JSON is YAML, so one parser reads both). */
export function objectInput(name: string): Record<string, unknown> | undefined {
  const value = optionalInput(name);
  if (value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = parseYaml(value);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new InputError(name, `is not valid JSON or YAML: ${reason}`);
  }
  if (parsed === null || parsed === undefined) return undefined;
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InputError(name, 'must be a mapping of names to values (JSON object or YAML mapping)');
  }
  return parsed as Record<string, unknown>;
}

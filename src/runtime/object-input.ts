/**
 * Mapping inputs (parameters, tags, substitutions), written as JSON or YAML.
 * JSON is read at once; only text that is not JSON loads the YAML parser.
 */
import { InputError } from './errors.ts';
import { firstDuplicateKey } from './json-duplicate-keys.ts';
import { optionalInput } from './inputs.ts';

/** Parses JSON, or YAML when the text is not JSON; throws the parser's first line on failure. */
export async function parseJsonOrYaml(text: string): Promise<unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    const { parseYamlText } = await import('./yaml-mapping.ts');
    return parseYamlText(text);
  }
  // JSON keeps the last of two equal keys silently; YAML's parser refuses them, so JSON does too.
  const duplicate = firstDuplicateKey(text);
  if (duplicate) throw new Error(`key "${duplicate.key}" appears twice (line ${duplicate.line})`);
  return value;
}

export async function objectInput(name: string): Promise<Record<string, unknown> | undefined> {
  const value = optionalInput(name);
  if (value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = await parseJsonOrYaml(value);
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

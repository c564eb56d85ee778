/**
 * The `inputs` of a run: given values checked against the workflow's
 * declarations (workflow_call: boolean, number, string; workflow_dispatch also
 * choice and environment), defaults filled in, types converted as GitHub does.
 */
import { at, WorkflowRuntimeError } from './errors.ts';
import { placeOf, type TemplateToken } from './tokens.ts';
import type { InputDeclaration } from './workflow-model.ts';

export type InputValue = string | number | boolean;

export function resolveInputs(
  file: string,
  declarations: InputDeclaration[],
  given: Record<string, unknown>,
  evaluateDefault: (token: TemplateToken) => unknown,
): Record<string, InputValue> {
  const problems: string[] = [];
  const values: Record<string, InputValue> = {};
  const find = (name: string) => declarations.find((input) => input.name.toLowerCase() === name.toLowerCase());
  for (const name of Object.keys(given)) {
    if (!find(name)) {
      const declared = declarations.map((input) => input.name).join(', ') || 'none';
      problems.push(`${file}: input '${name}' is not declared by the workflow (its inputs: ${declared})`);
    }
  }
  for (const input of declarations) {
    const key = Object.keys(given).find((name) => name.toLowerCase() === input.name.toLowerCase());
    const raw = key !== undefined ? given[key] : undefined;
    const place = at(placeOf(file, input.token), `input '${input.name}'`);
    if (raw === undefined || raw === '') {
      if (input.default !== undefined) {
        values[input.name] = convert(input, evaluateDefault(input.default), place, problems);
      } else if (input.required && raw === undefined) {
        problems.push(`${place} is required but was not given`);
      } else {
        values[input.name] = input.type === 'boolean' ? false : input.type === 'number' ? 0 : '';
      }
      continue;
    }
    values[input.name] = convert(input, raw, place, problems);
  }
  if (problems.length > 0) throw new WorkflowRuntimeError(problems.join('\n'));
  return values;
}

function convert(input: InputDeclaration, raw: unknown, place: string, problems: string[]): InputValue {
  const text = typeof raw === 'string' ? raw.trim() : raw;
  switch (input.type) {
    case 'boolean':
      if (text === true || text === 'true') return true;
      if (text === false || text === 'false') return false;
      problems.push(`${place} is a boolean; '${String(raw)}' is not true or false`);
      return false;
    case 'number': {
      const number = typeof text === 'number' ? text : Number(text);
      if (typeof text === 'boolean' || text === '' || !Number.isFinite(number)) {
        problems.push(`${place} is a number; '${String(raw)}' is not`);
      }
      return number;
    }
    case 'choice':
      if (!input.options.includes(String(raw))) {
        problems.push(`${place} must be one of ${input.options.join(', ')}; got '${String(raw)}'`);
      }
      return String(raw);
    default:
      if (typeof raw === 'object' && raw !== null)
        problems.push(`${place} is a string; got a ${Array.isArray(raw) ? 'sequence' : 'mapping'}`);
      return typeof raw === 'string' ? raw : String(raw);
  }
}

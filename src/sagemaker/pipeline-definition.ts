/**
 * SageMaker pipeline definitions as JSON: parsed with line and column on
 * errors, and checked the way SageMaker checks them, so a broken definition
 * fails in the workflow with an annotation on the right line instead of as a
 * ValidationException after credentials, uploads and API calls.
 */
import { firstDuplicateKey } from '../runtime/json-duplicate-keys.ts';

export interface PipelineStep {
  Name: string;
  Type: string;
  DependsOn?: string[];
  Arguments?: unknown;
  [key: string]: unknown;
}

export interface PipelineParameter {
  Name: string;
  Type: string;
  DefaultValue?: unknown;
}

export interface PipelineDefinition {
  Version: string;
  Parameters?: PipelineParameter[];
  Steps: PipelineStep[];
  [key: string]: unknown;
}

export interface DefinitionProblem {
  message: string;
  line?: number;
  column?: number;
}

export const STEP_TYPES = new Set([
  'Training',
  'Processing',
  'Transform',
  'RegisterModel',
  'Condition',
  'Fail',
  'Model',
  'CreateModel',
  'Tuning',
  'Lambda',
  'Callback',
  'QualityCheck',
  'ClarifyCheck',
  'EMR',
  'AutoML',
]);

export const PARAMETER_TYPES = new Set(['String', 'Integer', 'Float', 'Boolean']);

/** Parses JSON text; on failure, the problem carries the line and column of the error. */
export function parseJsonText(text: string): { value: unknown } | { problem: DefinitionProblem } {
  try {
    const value = JSON.parse(text) as unknown;
    const duplicate = firstDuplicateKey(text);
    if (duplicate) {
      return {
        problem: {
          message: `key "${duplicate.key}" appears twice in one object (only the last would count)`,
          line: duplicate.line,
          column: duplicate.column,
        },
      };
    }
    return { value };
  } catch (error) {
    const message = (error as Error).message;
    // V8 gives the position for most errors; for the rest, callers that show them to users ask jsonErrorPosition.
    const at = /\(line (\d+) column (\d+)\)/.exec(message);
    const line = at ? Number(at[1]) : undefined;
    const column = at ? Number(at[2]) : undefined;
    // The position goes into the location; V8's quote of the text around it would break the one-line error.
    const reason = message
      .replace(/ in JSON at position \d+ \(line \d+ column \d+\)/, '')
      .replace(/, \.\.\.[\s\S]*$/, '');
    return { problem: { message: `not valid JSON: ${reason}`, line, column } };
  }
}

/** The line (1-based) of the nth match of a pattern in the text, to point annotations at. */
export function lineOf(text: string, pattern: RegExp, nth = 0): number | undefined {
  const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  let match: RegExpExecArray | null;
  let seen = 0;
  while ((match = global.exec(text)) !== null) {
    if (seen++ === nth) return text.slice(0, match.index).split('\n').length;
  }
  return undefined;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const keyValue = (key: string, value: string): RegExp =>
  new RegExp(`"${escapeRegExp(key)}"\\s*:\\s*${escapeRegExp(JSON.stringify(value))}`);

/** Every step, including those nested in Condition steps' IfSteps/ElseSteps. */
export function allSteps(steps: PipelineStep[]): PipelineStep[] {
  const found: PipelineStep[] = [];
  for (const step of steps) {
    found.push(step);
    const args = step.Arguments as { IfSteps?: PipelineStep[]; ElseSteps?: PipelineStep[] } | undefined;
    if (step.Type === 'Condition' && args) {
      for (const branch of [args.IfSteps, args.ElseSteps]) if (Array.isArray(branch)) found.push(...allSteps(branch));
    }
  }
  return found;
}

/** Every `{"Get": "..."}` reference in a value. */
function getReferences(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) getReferences(item, found);
  else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record['Get'] === 'string') found.push(record['Get']);
    for (const nested of Object.values(record)) getReferences(nested, found);
  }
  return found;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The checks SageMaker makes on CreatePipeline/UpdatePipeline, with lines to annotate. */
export function checkDefinition(value: unknown, text: string): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  if (!isRecord(value)) return [{ message: 'the definition must be a JSON object', line: 1 }];
  if (typeof value['Version'] !== 'string' || value['Version'] === '') {
    problems.push({
      message: 'has no \'Version\' (SageMaker definitions start with "Version": "2020-12-01")',
      line: 1,
    });
  }
  const parameters = value['Parameters'] ?? [];
  const declared = new Set<string>();
  if (!Array.isArray(parameters)) {
    problems.push({ message: "'Parameters' must be a list", line: lineOf(text, /"Parameters"\s*:/) });
  } else {
    for (const parameter of parameters) {
      const name = isRecord(parameter) ? parameter['Name'] : undefined;
      if (typeof name !== 'string') {
        problems.push({ message: 'a parameter has no Name', line: lineOf(text, /"Parameters"\s*:/) });
        continue;
      }
      // Lines are looked up only for problems: finding them scans the text, which for a large definition is slow.
      const line = (): number | undefined => lineOf(text, keyValue('Name', name));
      if (declared.has(name))
        problems.push({
          message: `parameter '${name}' is declared twice`,
          line: lineOf(text, keyValue('Name', name), 1),
        });
      declared.add(name);
      const type = (parameter as Record<string, unknown>)['Type'];
      if (typeof type !== 'string' || !PARAMETER_TYPES.has(type)) {
        problems.push({
          message: `parameter '${name}' has type ${JSON.stringify(type)}; use String, Integer, Float or Boolean`,
          line: line(),
        });
      }
    }
  }
  const topSteps = value['Steps'];
  if (!Array.isArray(topSteps) || topSteps.length === 0) {
    problems.push({ message: "has no 'Steps' (a non-empty list)", line: lineOf(text, /"Steps"\s*:/) ?? 1 });
    return problems;
  }
  const steps = allSteps(topSteps as PipelineStep[]);
  const names = new Map<string, number>();
  for (const step of steps) {
    if (!isRecord(step) || typeof step.Name !== 'string' || step.Name === '') {
      problems.push({ message: 'a step has no Name', line: lineOf(text, /"Steps"\s*:/) });
      continue;
    }
    const seen = names.get(step.Name) ?? 0;
    names.set(step.Name, seen + 1);
    const line = (): number | undefined => lineOf(text, keyValue('Name', step.Name), seen);
    if (seen > 0)
      problems.push({
        message: `step name '${step.Name}' is used more than once; step names must be unique`,
        line: line(),
      });
    if (typeof step.Type !== 'string' || !STEP_TYPES.has(step.Type)) {
      problems.push({ message: `step '${step.Name}' has unknown type ${JSON.stringify(step.Type)}`, line: line() });
    }
  }
  for (const step of steps) {
    if (!isRecord(step) || typeof step.Name !== 'string') continue;
    if (step.DependsOn !== undefined && !Array.isArray(step.DependsOn)) {
      problems.push({
        message: `step '${step.Name}': DependsOn must be a list of step names`,
        line: lineOf(text, keyValue('Name', step.Name)),
      });
      continue;
    }
    for (const target of step.DependsOn ?? []) {
      if (!names.has(target)) {
        problems.push({
          message: `step '${step.Name}' depends on '${target}', which is not a step of this pipeline`,
          line:
            lineOf(text, new RegExp(escapeRegExp(JSON.stringify(target)))) ?? lineOf(text, keyValue('Name', step.Name)),
        });
      }
    }
  }
  for (const reference of getReferences(topSteps)) {
    const [scope, name] = reference.split('.');
    const line = (): number | undefined =>
      lineOf(text, new RegExp(`"Get"\\s*:\\s*${escapeRegExp(JSON.stringify(reference))}`));
    if (scope === 'Parameters' && name !== undefined && !declared.has(name)) {
      problems.push({ message: `uses parameter '${name}', which is not declared in Parameters`, line: line() });
    }
    if (scope === 'Steps' && name !== undefined && !names.has(name)) {
      problems.push({ message: `refers to step '${name}', which is not a step of this pipeline`, line: line() });
    }
  }
  return problems;
}

/** The parameters a stored definition declares, by name. */
export function declaredParameters(definitionText: string): Map<string, PipelineParameter> {
  const parsed = parseJsonText(definitionText);
  const parameters = 'value' in parsed && isRecord(parsed.value) ? parsed.value['Parameters'] : undefined;
  const byName = new Map<string, PipelineParameter>();
  if (Array.isArray(parameters)) {
    for (const parameter of parameters)
      if (isRecord(parameter) && typeof parameter['Name'] === 'string')
        byName.set(parameter['Name'], parameter as unknown as PipelineParameter);
  }
  return byName;
}

/**
 * Run-time values of pipeline expressions in step arguments: {"Get": "Parameters.X"},
 * {"Get": "Execution.X"}, {"Get": "Steps.S.Prop..."} and {"Std:Join": {...}}. Used where
 * the emulator acts on arguments (RegisterModel's package, a Fail step's message).
 * Std:JsonGet reads a property file from S3, which the emulator does not have; it resolves
 * to a placeholder naming what it would read.
 */

export type Value = string | number | boolean;

export interface ExpressionScope {
  parameters: ReadonlyMap<string, Value>;
  execution: Readonly<Record<string, Value>>;
  /** A property of an earlier step, e.g. ("Train", ["ModelArtifacts", "S3ModelArtifacts"]). */
  stepProperty(step: string, path: string[]): Value | undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function get(path: string, scope: ExpressionScope): unknown {
  const [root, name, ...rest] = path.split('.');
  if (root === 'Parameters' && name !== undefined) return scope.parameters.get(name);
  if (root === 'Execution' && name !== undefined) return scope.execution[name];
  if (root === 'Steps' && name !== undefined) return scope.stepProperty(name, rest) ?? `<${path}>`;
  return `<${path}>`;
}

export function resolve(value: unknown, scope: ExpressionScope): unknown {
  if (Array.isArray(value)) return value.map((item) => resolve(item, scope));
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && typeof value.Get === 'string') return get(value.Get, scope);
  if (keys.length === 1 && isObject(value['Std:Join'])) {
    const join = value['Std:Join'];
    const values = Array.isArray(join.Values) ? join.Values : [];
    return values.map((item) => String(resolve(item, scope))).join(typeof join.On === 'string' ? join.On : '');
  }
  if (keys.length === 1 && isObject(value['Std:JsonGet'])) {
    const jsonGet = value['Std:JsonGet'];
    return `<JsonGet ${String(resolve(jsonGet.PropertyFile, scope))} ${String(jsonGet.Path)}>`;
  }
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key] = resolve(inner, scope);
  return out;
}

/** Parameter values arrive as strings; expressions see them typed as declared. */
export function typedParameter(type: 'String' | 'Integer' | 'Float' | 'Boolean', text: string): Value {
  if (type === 'Integer' || type === 'Float') return Number(text);
  if (type === 'Boolean') return text.toLowerCase() === 'true';
  return text;
}

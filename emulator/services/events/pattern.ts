/**
 * EventBridge event patterns: a pattern is a JSON object whose fields mirror the event's; a
 * nested object matches the event's object at that field, and an array lists what the field's
 * value may be (any one of them; when the event's value is itself an array, any of its elements).
 * Matchers: exact values (strings, numbers, booleans, null), prefix, suffix,
 * equals-ignore-case, wildcard, anything-but (values, or a prefix or suffix), exists, numeric
 * comparisons, and $or across sets of fields. A field the event lacks matches only
 * `{"exists": false}`.
 */

export class PatternError extends Error {}

type Matcher = (value: unknown, present: boolean) => boolean;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const invalid = (reason: string) => new PatternError(`Event pattern is not valid. Reason: ${reason}`);

const NUMERIC_OPERATORS: Record<string, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '=': (a, b) => a === b,
  '>=': (a, b) => a >= b,
  '>': (a, b) => a > b,
};

function stringOperand(value: unknown, name: string): string {
  if (typeof value !== 'string') throw invalid(`${name} match pattern must be a string`);
  return value;
}

function numericMatcher(spec: unknown): Matcher {
  if (!Array.isArray(spec) || spec.length === 0 || spec.length % 2 !== 0 || spec.length > 4)
    throw invalid('Value of numeric must be an array of one or two comparisons.');
  const tests: ((n: number) => boolean)[] = [];
  for (let i = 0; i < spec.length; i += 2) {
    const operator = NUMERIC_OPERATORS[String(spec[i])];
    const operand = spec[i + 1];
    if (!operator) throw invalid(`Unrecognized numeric range operator: ${String(spec[i])}`);
    if (typeof operand !== 'number') throw invalid('Value of numeric range must be a number.');
    tests.push((n) => operator(n, operand));
  }
  return (value) => typeof value === 'number' && tests.every((test) => test(value));
}

function wildcardMatcher(pattern: string): Matcher {
  const body = pattern
    .split(/(\\\*|\*)/)
    .map((part) => (part === '*' ? '.*' : part === '\\*' ? '\\*' : part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  const regex = new RegExp(`^${body}$`, 's');
  return (value) => typeof value === 'string' && regex.test(value);
}

/** What `anything-but` refuses: values, or strings with a prefix or suffix. */
function anythingBut(spec: unknown): Matcher {
  if (isObject(spec)) {
    const [[kind, operand] = []] = Object.entries(spec);
    if (kind === 'prefix') {
      const prefix = stringOperand(operand, 'prefix');
      return (value) => typeof value === 'string' && !value.startsWith(prefix);
    }
    if (kind === 'suffix') {
      const suffix = stringOperand(operand, 'suffix');
      return (value) => typeof value === 'string' && !value.endsWith(suffix);
    }
    if (kind === 'equals-ignore-case') {
      const refused = [operand].flat().map((v) => stringOperand(v, 'equals-ignore-case').toLowerCase());
      return (value) => typeof value === 'string' && !refused.includes(value.toLowerCase());
    }
    throw invalid(`Unsupported anything-but pattern: ${kind ?? ''}`);
  }
  const refused = [spec].flat();
  if (refused.some((v) => isObject(v) || Array.isArray(v)))
    throw invalid('Inside anything but list, start|null|boolean is not supported.');
  return (value) => value !== undefined && !refused.some((r) => r === value);
}

function leafMatcher(spec: unknown): Matcher {
  if (spec === null || typeof spec === 'string' || typeof spec === 'boolean')
    return (value, present) => present && value === spec;
  if (typeof spec === 'number') return (value, present) => present && typeof value === 'number' && value === spec;
  if (!isObject(spec)) throw invalid('Match value must be String, number, true, false, or null');
  const entries = Object.entries(spec);
  if (entries.length !== 1) throw invalid('A match object must have exactly one field.');
  const [kind, operand] = entries[0] as [string, unknown];
  switch (kind) {
    case 'prefix': {
      if (isObject(operand) && typeof operand['equals-ignore-case'] === 'string') {
        const prefix = (operand['equals-ignore-case'] as string).toLowerCase();
        return (value) => typeof value === 'string' && value.toLowerCase().startsWith(prefix);
      }
      const prefix = stringOperand(operand, 'prefix');
      return (value) => typeof value === 'string' && value.startsWith(prefix);
    }
    case 'suffix': {
      const suffix = stringOperand(operand, 'suffix');
      return (value) => typeof value === 'string' && value.endsWith(suffix);
    }
    case 'equals-ignore-case': {
      const expected = stringOperand(operand, 'equals-ignore-case').toLowerCase();
      return (value) => typeof value === 'string' && value.toLowerCase() === expected;
    }
    case 'wildcard':
      return wildcardMatcher(stringOperand(operand, 'wildcard'));
    case 'anything-but': {
      const test = anythingBut(operand);
      return (value, present) => present && test(value, present);
    }
    case 'exists':
      if (typeof operand !== 'boolean') throw invalid('exists match pattern must be either true or false.');
      // Only leaves exist: a field holding an object does not satisfy {"exists": true}.
      return (value, present) => (operand ? present && !isObject(value) : !present);
    case 'numeric': {
      const test = numericMatcher(operand);
      return (value, present) => present && test(value, present);
    }
    default:
      throw invalid(`Unrecognized match type ${kind}`);
  }
}

type Compiled = (event: unknown) => boolean;

function compileField(spec: unknown, field: string): (holder: Record<string, unknown>) => boolean {
  if (Array.isArray(spec)) {
    if (spec.length === 0) throw invalid(`Empty arrays are not allowed (at ${field}).`);
    const matchers = spec.map(leafMatcher);
    return (holder) => {
      const present = Object.hasOwn(holder, field);
      const value = holder[field];
      // An array in the event matches when any of its elements does.
      const candidates = Array.isArray(value) ? value : [value];
      if (Array.isArray(value) && value.length === 0) return matchers.some((m) => m(undefined, false));
      return candidates.some((candidate) => matchers.some((m) => m(candidate, present)));
    };
  }
  if (isObject(spec)) {
    const nested = compileObject(spec);
    return (holder) => {
      const value = holder[field];
      return isObject(value) ? nested(value) : nested({});
    };
  }
  throw invalid(`Match criteria must be an array or an object (at ${field}).`);
}

function compileObject(pattern: Record<string, unknown>): Compiled {
  const parts: Compiled[] = [];
  for (const [field, spec] of Object.entries(pattern)) {
    if (field === '$or') {
      if (!Array.isArray(spec) || spec.length < 2 || !spec.every(isObject))
        throw invalid('$or must be an array of at least two objects.');
      const alternatives = spec.map((alternative) => compileObject(alternative));
      parts.push((event) => alternatives.some((alternative) => alternative(event)));
      continue;
    }
    const test = compileField(spec, field);
    parts.push((event) => test(isObject(event) ? event : {}));
  }
  return (event) => parts.every((part) => part(event));
}

/** Parses and checks a pattern as PutRule does; throws PatternError with EventBridge's reason. */
export function compilePattern(text: string): Compiled {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalid(`Filter is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) throw invalid('Filter is not an object');
  return compileObject(parsed);
}

export function matches(pattern: string, event: Record<string, unknown>): boolean {
  return compilePattern(pattern)(event);
}

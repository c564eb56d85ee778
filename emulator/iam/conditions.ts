/**
 * IAM's Condition element: operators, set qualifiers (ForAnyValue/ForAllValues), IfExists,
 * and the wildcards of the *Like operators, matched against a request's context keys.
 */

/** Condition keys to values; keys compare case-insensitively as in IAM. */
export type ConditionContext = Record<string, string | string[] | undefined>;

type Matcher = (actual: string, expected: string) => boolean;

const BASE_OPERATORS: Record<string, { match: Matcher; negated: boolean }> = {
  stringequals: { match: (a, e) => a === e, negated: false },
  stringnotequals: { match: (a, e) => a === e, negated: true },
  stringequalsignorecase: { match: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
  stringnotequalsignorecase: { match: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: true },
  stringlike: { match: (a, e) => globMatch(a, e, false), negated: false },
  stringnotlike: { match: (a, e) => globMatch(a, e, false), negated: true },
  arnequals: { match: (a, e) => a === e, negated: false },
  arnnotequals: { match: (a, e) => a === e, negated: true },
  arnlike: { match: (a, e) => globMatch(a, e, false), negated: false },
  arnnotlike: { match: (a, e) => globMatch(a, e, false), negated: true },
  bool: { match: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
};

const globCache = new Map<string, RegExp>();

/** IAM wildcards: `*` is any run of characters, `?` exactly one; nothing else is special. */
export function globMatch(value: string, pattern: string, ignoreCase: boolean): boolean {
  const cacheKey = `${ignoreCase ? 'i' : 's'}:${pattern}`;
  let regex = globCache.get(cacheKey);
  if (!regex) {
    const body = pattern
      .split('')
      .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&')))
      .join('');
    regex = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
    globCache.set(cacheKey, regex);
  }
  return regex.test(value);
}

interface ParsedOperator {
  set: 'plain' | 'any' | 'all';
  ifExists: boolean;
  base: string;
}

function parseOperator(name: string): ParsedOperator | null {
  let rest = name.toLowerCase();
  let set: ParsedOperator['set'] = 'plain';
  if (rest.startsWith('foranyvalue:')) {
    set = 'any';
    rest = rest.slice('foranyvalue:'.length);
  } else if (rest.startsWith('forallvalues:')) {
    set = 'all';
    rest = rest.slice('forallvalues:'.length);
  }
  let ifExists = false;
  if (rest.endsWith('ifexists')) {
    ifExists = true;
    rest = rest.slice(0, -'ifexists'.length);
  }
  if (rest !== 'null' && !(rest in BASE_OPERATORS)) return null;
  return { set, ifExists, base: rest };
}

export function isSupportedOperator(name: string): boolean {
  return parseOperator(name) !== null;
}

function lookup(context: ConditionContext, key: string): string[] | undefined {
  const wanted = key.toLowerCase();
  for (const [name, value] of Object.entries(context)) {
    if (name.toLowerCase() !== wanted || value === undefined) continue;
    return Array.isArray(value) ? value : [value];
  }
  return undefined;
}

export function conditionHolds(
  operatorName: string,
  key: string,
  rawExpected: unknown,
  context: ConditionContext,
): boolean {
  const operator = parseOperator(operatorName);
  if (!operator) return false;
  const expected = [rawExpected].flat().map((v) => String(v));
  const actual = lookup(context, key);

  if (operator.base === 'null') {
    const isNull = actual === undefined || actual.length === 0;
    return expected.some((e) => (e.toLowerCase() === 'true') === isNull);
  }
  const { match, negated } = BASE_OPERATORS[operator.base] as (typeof BASE_OPERATORS)[string];
  const positive = (value: string): boolean => expected.some((e) => match(value, e));
  const holdsFor = (value: string): boolean => (negated ? !positive(value) : positive(value));

  if (actual === undefined || actual.length === 0) {
    if (operator.ifExists) return true;
    if (operator.set === 'all') return true; // vacuous truth, the reason IAM warns about ForAllValues
    if (operator.set === 'any') return false;
    return negated;
  }
  if (operator.set === 'any') return actual.some(holdsFor);
  if (operator.set === 'all') return actual.every(holdsFor);
  return negated ? actual.every(holdsFor) : actual.some(holdsFor);
}

/** Every operator block and every key in it must hold (AND), any listed value may match (OR). */
export function conditionsHold(
  condition: Record<string, Record<string, unknown>> | undefined,
  context: ConditionContext,
): boolean {
  for (const [operator, block] of Object.entries(condition ?? {})) {
    for (const [key, expected] of Object.entries(block)) {
      if (!conditionHolds(operator, key, expected, context)) return false;
    }
  }
  return true;
}

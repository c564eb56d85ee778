/**
 * AWS's own limits on the values the actions send, taken from AWS's published service models
 * at build time (aws-constraints.generated.ts). A value AWS would refuse is refused before any
 * AWS call, in one line naming the input and quoting AWS's limit — including values an action
 * composes itself (a display name from a branch, a config name from a package version).
 */
import { AWS_CONSTRAINTS } from './aws-constraints.generated.ts';
import { InputError } from './errors.ts';

export type AwsValue = keyof typeof AWS_CONSTRAINTS;

interface Rule {
  source: string;
  type: string;
  min?: number;
  max?: number;
  pattern?: string;
  jsPattern?: string;
  enum?: readonly string[];
}

const ruleOf = (kind: AwsValue): Rule => AWS_CONSTRAINTS[kind];

const matchers = new Map<AwsValue, RegExp>();

/** Java's String.matches: the whole value; `\p{…}` classes need the `u` flag. */
function matcher(kind: AwsValue, rule: Rule): RegExp {
  let regex = matchers.get(kind);
  if (!regex) {
    regex = new RegExp(`^(?:${rule.jsPattern ?? rule.pattern})$`, 'u');
    matchers.set(kind, regex);
  }
  return regex;
}

const ENUM_SHOWN = 6;

/** What is wrong with a value by AWS's rule, quoting the rule; undefined when AWS would take it. */
export function awsProblem(kind: AwsValue, value: string | number): string | undefined {
  const rule = ruleOf(kind);
  const where = rule.source;
  if (typeof value === 'number') {
    if (rule.min !== undefined && value < rule.min) return `is below ${rule.min}, the least ${where} takes`;
    if (rule.max !== undefined && value > rule.max) return `is over ${rule.max}, the most ${where} takes`;
    return undefined;
  }
  const length = value.length;
  const bounds = rule.max !== undefined ? `${rule.min ?? 0}-${rule.max}` : `at least ${rule.min ?? 0}`;
  if ((rule.min !== undefined && length < rule.min) || (rule.max !== undefined && length > rule.max))
    return `is ${length} characters; ${where} takes ${bounds}`;
  if (rule.pattern !== undefined && !matcher(kind, rule).test(value))
    return `does not match ${where}'s pattern ${rule.pattern}`;
  if (rule.enum !== undefined && !rule.enum.includes(value)) {
    const shown = rule.enum.slice(0, ENUM_SHOWN).join(', ');
    return `is not one of the ${rule.enum.length} values ${where} takes (${shown}, …)`;
  }
  return undefined;
}

/** The count of a list value (tags, parameters, alarms) against AWS's limit on that list. */
export function awsCountProblem(kind: AwsValue, count: number): string | undefined {
  const rule = ruleOf(kind);
  if (rule.max !== undefined && count > rule.max)
    return `has ${count} entries; ${rule.source} takes at most ${rule.max}`;
  if (rule.min !== undefined && count < rule.min)
    return `has ${count} entries; ${rule.source} takes at least ${rule.min}`;
  return undefined;
}

/** Long values are quoted by their start, so the line stays one line. */
function quoted(value: string | number): string {
  if (typeof value === 'number') return String(value);
  return `'${value.length > 64 ? `${value.slice(0, 60)}…` : value}'`;
}

/** The value, or an InputError naming the input, quoting the value and AWS's limit. */
export function checkAwsValue<T extends string | number>(input: string, kind: AwsValue, value: T, what = ''): T {
  const problem = awsProblem(kind, value);
  if (problem) throw new InputError(input, `${what}${quoted(value)} ${problem}`);
  return value;
}

export function checkAwsCount(input: string, kind: AwsValue, count: number): void {
  const problem = awsCountProblem(kind, count);
  if (problem) throw new InputError(input, problem);
}

/**
 * SageMaker tags: at most 50 — counting the ones the action adds itself (`ownKeys`), since AWS
 * counts every tag on the resource — each key and value by SageMaker's rules; `aws:` keys, in any
 * case, are AWS's own.
 */
export function checkSageMakerTags(
  input: string,
  tags: Record<string, string>,
  ownKeys: readonly string[] = [],
): Record<string, string> {
  const entries = Object.entries(tags);
  const own = ownKeys.filter((key) => !Object.hasOwn(tags, key)).length;
  const problem = awsCountProblem('sagemakerTags', entries.length + own);
  if (problem) throw new InputError(input, own ? `${problem} (${own} of them the action's own)` : problem);
  for (const [key, value] of entries) {
    checkAwsValue(input, 'sagemakerTagKey', key, 'tag key ');
    if (key.toLowerCase().startsWith('aws:'))
      throw new InputError(input, `tag key '${key}' uses the aws: prefix, which AWS keeps for itself`);
    checkAwsValue(input, 'sagemakerTagValue', value, `the value of tag '${key}', `);
  }
  return tags;
}

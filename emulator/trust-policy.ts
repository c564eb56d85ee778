import type { PolicyDocument, PolicyStatement } from './types.ts';

/** Who is asking to assume the role, as IAM sees it when matching the Principal element. */
export type TrustPrincipal =
  | { type: 'user'; accountId: string; arn: string }
  | { type: 'assumed-role'; accountId: string; roleArn: string; sessionArn: string }
  | { type: 'web-identity'; providerArn: string };

export interface TrustRequest {
  principal: TrustPrincipal;
  action: string;
  /** Condition keys to values; keys compare case-insensitively as in IAM. */
  context: Record<string, string | string[] | undefined>;
}

export type TrustDecision = 'allow' | 'deny' | 'implicit-deny';

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

/** Names the first thing this evaluator cannot honour, so a world never silently weakens a policy. */
export function policyProblem(policy: PolicyDocument): string | null {
  for (const statement of [policy.Statement].flat()) {
    const s = statement as PolicyStatement & Record<string, unknown>;
    for (const element of ['NotPrincipal', 'NotAction']) {
      if (s[element] !== undefined) return `${element} is not supported by the emulator`;
    }
    for (const operator of Object.keys(s.Condition ?? {})) {
      if (!parseOperator(operator)) return `condition operator ${operator} is not supported by the emulator`;
    }
  }
  return null;
}

function lookup(context: TrustRequest['context'], key: string): string[] | undefined {
  const wanted = key.toLowerCase();
  for (const [name, value] of Object.entries(context)) {
    if (name.toLowerCase() !== wanted || value === undefined) continue;
    return Array.isArray(value) ? value : [value];
  }
  return undefined;
}

function conditionHolds(
  operatorName: string,
  key: string,
  rawExpected: unknown,
  context: TrustRequest['context'],
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

function principalMatches(element: PolicyStatement['Principal'], principal: TrustPrincipal): boolean {
  if (element === undefined) return false;
  if (element === '*') return true;
  for (const [kind, rawValues] of Object.entries(element)) {
    const values = [rawValues].flat();
    if (kind === 'AWS') {
      if (values.some((v) => awsPrincipalMatches(v, principal))) return true;
    } else if (kind === 'Federated') {
      if (principal.type === 'web-identity' && values.includes(principal.providerArn)) return true;
    }
  }
  return false;
}

function awsPrincipalMatches(value: string, principal: TrustPrincipal): boolean {
  if (value === '*') return true;
  if (principal.type === 'web-identity') return false;
  const accountMatch = /^(?:(\d{12})|arn:aws:iam::(\d{12}):root)$/.exec(value);
  if (accountMatch) return (accountMatch[1] ?? accountMatch[2]) === principal.accountId;
  if (principal.type === 'user') return value === principal.arn;
  return value === principal.roleArn || value === principal.sessionArn;
}

function actionMatches(element: PolicyStatement['Action'], action: string): boolean {
  if (element === undefined) return false;
  return [element].flat().some((pattern) => globMatch(action, pattern, true));
}

function statementApplies(statement: PolicyStatement, request: TrustRequest): boolean {
  if (!principalMatches(statement.Principal, request.principal)) return false;
  if (!actionMatches(statement.Action, request.action)) return false;
  for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
    for (const [key, expected] of Object.entries(block)) {
      if (!conditionHolds(operator, key, expected, request.context)) return false;
    }
  }
  return true;
}

/** IAM's rule: an explicit Deny wins, otherwise any Allow allows, otherwise denied by default. */
export function evaluateTrustPolicy(policy: PolicyDocument, request: TrustRequest): TrustDecision {
  let allowed = false;
  for (const statement of [policy.Statement].flat()) {
    if (!statementApplies(statement, request)) continue;
    if (statement.Effect === 'Deny') return 'deny';
    if (statement.Effect === 'Allow') allowed = true;
  }
  return allowed ? 'allow' : 'implicit-deny';
}

import type { PolicyDocument, PolicyStatement } from '../types.ts';
import { conditionsHold, globMatch, isSupportedOperator, type ConditionContext } from './conditions.ts';

/** Who is asking, as IAM sees it when matching a Principal element. */
export type Principal =
  | { type: 'user'; accountId: string; arn: string }
  | { type: 'assumed-role'; accountId: string; roleArn: string; sessionArn: string }
  | { type: 'web-identity'; providerArn: string }
  /** An AWS service acting on a customer's behalf (events.amazonaws.com publishing to a topic, assuming a role). */
  | { type: 'service'; service: string };

export interface PolicyRequest {
  principal: Principal;
  action: string;
  /** The ARN acted on; undefined for trust policies, which have no Resource element. */
  resource?: string;
  context: ConditionContext;
}

export interface PolicyVerdict {
  decision: 'allow' | 'deny' | 'implicit-deny';
  /**
   * Resource policies only: every Allow that matched named the caller's account (its root or
   * its id), not the caller. Such a grant delegates to the account, whose identity policies
   * must then allow too, even in the same account.
   */
  delegated: boolean;
}

/** An identity policy applies to its holder (no Principal); resource and trust policies name principals. */
export type PolicyKind = 'identity' | 'resource';

type StatementShape = PolicyStatement & Record<string, unknown>;

const listOf = (value: unknown): string[] => (value === undefined ? [] : [value].flat().map(String));

function anyMatch(patterns: string[], value: string, ignoreCase: boolean): boolean {
  return patterns.some((pattern) => globMatch(value, pattern, ignoreCase));
}

/** Action/NotAction: names compare case-insensitively, wildcards allowed. */
function actionApplies(s: StatementShape, action: string): boolean {
  if (s.Action !== undefined) return anyMatch(listOf(s.Action), action, true);
  if (s.NotAction !== undefined) return !anyMatch(listOf(s.NotAction), action, true);
  return false;
}

/** Resource/NotResource: ARNs compare case-sensitively; a statement without either covers any resource. */
function resourceApplies(s: StatementShape, resource: string | undefined): boolean {
  if (resource === undefined) return true;
  if (s.Resource !== undefined) return anyMatch(listOf(s.Resource), resource, false);
  if (s.NotResource !== undefined) return !anyMatch(listOf(s.NotResource), resource, false);
  return true;
}

type PrincipalMatch = 'none' | 'account' | 'specific';

function awsPrincipalMatch(value: string, principal: Principal): PrincipalMatch {
  if (value === '*') return 'specific';
  if (principal.type === 'web-identity' || principal.type === 'service') return 'none';
  const account = /^(?:(\d{12})|arn:aws:iam::(\d{12}):root)$/.exec(value);
  if (account) return (account[1] ?? account[2]) === principal.accountId ? 'account' : 'none';
  if (principal.type === 'user') return value === principal.arn ? 'specific' : 'none';
  return value === principal.roleArn || value === principal.sessionArn ? 'specific' : 'none';
}

function principalMatch(element: unknown, principal: Principal): PrincipalMatch {
  if (element === undefined) return 'none';
  if (element === '*') return 'specific';
  let best: PrincipalMatch = 'none';
  for (const [kind, raw] of Object.entries(element as Record<string, unknown>)) {
    for (const value of listOf(raw)) {
      let match: PrincipalMatch = 'none';
      if (kind === 'AWS') match = awsPrincipalMatch(value, principal);
      else if (kind === 'Federated' && principal.type === 'web-identity' && value === principal.providerArn)
        match = 'specific';
      else if (kind === 'Service' && principal.type === 'service' && value === principal.service) match = 'specific';
      if (match === 'specific') return 'specific';
      if (match === 'account') best = 'account';
    }
  }
  return best;
}

function statementPrincipal(s: StatementShape, principal: Principal): PrincipalMatch {
  if (s.Principal !== undefined) return principalMatch(s.Principal, principal);
  if (s.NotPrincipal !== undefined) return principalMatch(s.NotPrincipal, principal) === 'none' ? 'specific' : 'none';
  return 'none';
}

/** One policy document on its own: an explicit Deny wins, otherwise any Allow allows. */
export function evaluatePolicy(policy: PolicyDocument, request: PolicyRequest, kind: PolicyKind): PolicyVerdict {
  let allowedSpecifically = false;
  let allowedViaAccount = false;
  for (const statement of [policy.Statement].flat()) {
    const s = statement as StatementShape;
    const principal = kind === 'identity' ? 'specific' : statementPrincipal(s, request.principal);
    if (principal === 'none') continue;
    if (!actionApplies(s, request.action)) continue;
    if (!resourceApplies(s, request.resource)) continue;
    if (!conditionsHold(s.Condition, request.context)) continue;
    if (s.Effect === 'Deny') return { decision: 'deny', delegated: false };
    if (s.Effect === 'Allow') {
      if (principal === 'specific') allowedSpecifically = true;
      else allowedViaAccount = true;
    }
  }
  if (allowedSpecifically) return { decision: 'allow', delegated: false };
  if (allowedViaAccount) return { decision: 'allow', delegated: true };
  return { decision: 'implicit-deny', delegated: false };
}

/** Names the first thing this evaluator cannot honour, so a world never silently weakens a policy. */
export function policyProblem(policy: PolicyDocument, kind: PolicyKind): string | null {
  for (const statement of [policy.Statement].flat()) {
    const s = statement as StatementShape;
    for (const operator of Object.keys(s.Condition ?? {})) {
      if (!isSupportedOperator(operator)) return `condition operator ${operator} is not supported by the emulator`;
    }
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') return 'Effect must be "Allow" or "Deny"';
    if (s.Action === undefined && s.NotAction === undefined) return 'a statement needs Action or NotAction';
    if (s.Action !== undefined && s.NotAction !== undefined) return 'a statement cannot have both Action and NotAction';
    if (s.Resource !== undefined && s.NotResource !== undefined)
      return 'a statement cannot have both Resource and NotResource';
    if (kind === 'identity') {
      if (s.Principal !== undefined || s.NotPrincipal !== undefined)
        return 'an identity policy cannot have Principal or NotPrincipal';
      if (s.Resource === undefined && s.NotResource === undefined)
        return 'an identity policy statement needs Resource or NotResource';
    } else if (s.Principal === undefined && s.NotPrincipal === undefined) {
      return 'a resource or trust policy statement needs Principal or NotPrincipal';
    }
  }
  return null;
}

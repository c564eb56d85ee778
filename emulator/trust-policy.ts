import { globMatch, type ConditionContext } from './iam/conditions.ts';
import { evaluatePolicy, policyProblem as documentProblem, type Principal } from './iam/policy.ts';
import type { PolicyDocument } from './types.ts';

// Trust policies and resource policies are evaluated by the one IAM evaluator (iam/policy.ts);
// this module keeps the names STS and the model registry call it by.

export { globMatch };

/** Who is asking to assume the role, as IAM sees it when matching the Principal element. */
export type TrustPrincipal = Principal;

export interface TrustRequest {
  principal: TrustPrincipal;
  action: string;
  /** Condition keys to values; keys compare case-insensitively as in IAM. */
  context: ConditionContext;
  /** The resource acted on, for resource policies with a Resource element; trust policies have none. */
  resource?: string;
}

export type TrustDecision = 'allow' | 'deny' | 'implicit-deny';

/** Names the first thing the evaluator cannot honour in a trust or resource policy. */
export function policyProblem(policy: PolicyDocument): string | null {
  return documentProblem(policy, 'resource');
}

/** IAM's rule: an explicit Deny wins, otherwise any Allow allows, otherwise denied by default. */
export function evaluateTrustPolicy(policy: PolicyDocument, request: TrustRequest): TrustDecision {
  return evaluatePolicy(policy, request, 'resource').decision;
}

import type { PolicyDocument } from '../types.ts';
import type { ConditionContext } from './conditions.ts';
import { evaluatePolicy, type Principal, type PolicyVerdict } from './policy.ts';

export type Refusal = 'no-identity-allow' | 'identity-deny' | 'no-resource-allow' | 'resource-deny';

export interface Decision {
  principal: Principal;
  action: string;
  resource: string;
  context: ConditionContext;
  identityPolicies: PolicyDocument[];
  /** The resource's own policy, evaluated here. */
  resourcePolicy: PolicyDocument | undefined;
  /**
   * A resource policy the service enforces itself (a role's trust policy): it can still
   * allow on its own in the same account, but its refusals are the service's to word.
   */
  trustedByService: PolicyDocument | undefined;
  sameAccount: boolean;
}

function identityVerdict(policies: PolicyDocument[], decision: Decision): PolicyVerdict['decision'] {
  let allowed = false;
  for (const policy of policies) {
    const verdict = evaluatePolicy(policy, decision, 'identity').decision;
    if (verdict === 'deny') return 'deny';
    if (verdict === 'allow') allowed = true;
  }
  return allowed ? 'allow' : 'implicit-deny';
}

/**
 * IAM's evaluation logic for one (action, resource): an explicit Deny in any policy wins; in
 * the resource's own account an Allow from an identity policy or from a resource policy that
 * names the caller allows (one that names only the caller's account delegates to its identity
 * policies); across accounts the caller's identity policies and the resource policy must both
 * allow. Returns null when allowed, else why not.
 */
export function decide(decision: Decision): Refusal | null {
  const identity = identityVerdict(decision.identityPolicies, decision);
  if (identity === 'deny') return 'identity-deny';
  const ownPolicy = decision.resourcePolicy ?? decision.trustedByService;
  const resource: PolicyVerdict = ownPolicy
    ? evaluatePolicy(ownPolicy, decision, 'resource')
    : { decision: 'implicit-deny', delegated: false };
  const serviceWords = decision.resourcePolicy === undefined && decision.trustedByService !== undefined;
  if (resource.decision === 'deny') return serviceWords ? null : 'resource-deny';
  const resourceAllows = resource.decision === 'allow';
  if (decision.sameAccount) {
    if (identity === 'allow' || (resourceAllows && !resource.delegated)) return null;
    return 'no-identity-allow';
  }
  if (identity !== 'allow') return 'no-identity-allow';
  if (resourceAllows) return null;
  // The service refuses this one itself, in its own words (STS: "... on resource: <role>").
  return serviceWords ? null : 'no-resource-allow';
}

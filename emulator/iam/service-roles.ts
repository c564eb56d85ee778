import type { EmulatorState } from '../state.ts';
import type { PolicyDocument } from '../types.ts';
import type { ConditionContext } from './conditions.ts';
import { decide, type Refusal } from './decision.ts';
import { evaluatePolicy, type Principal } from './policy.ts';
import { resourceFacts } from './resource-policies.ts';

/**
 * AWS services acting for a customer: EventBridge and EventBridge Scheduler invoke a target
 * as the role the rule target or schedule names (the role must trust the service, and its
 * policies must allow the target action), or, without a role, on the strength of the target's
 * resource policy (an SNS topic policy allowing events.amazonaws.com to publish).
 */

export interface ServiceAsRole {
  /** The service principal: events.amazonaws.com, scheduler.amazonaws.com. */
  service: string;
  roleArn: string;
  /** What the service does as the role, e.g. sagemaker:StartPipelineExecution on a pipeline ARN. */
  action: string;
  resource: string;
  /** The rule or schedule acting, seen by the trust policy as aws:SourceArn and aws:SourceAccount. */
  sourceArn: string;
  sourceAccount: string;
}

/** Why a service could not act, in the words AWS reports such a failure. */
export interface ServiceRefusal {
  code: string;
  message: string;
}

export interface ServiceSession {
  principal: Principal & { type: 'assumed-role' };
  /** The session's ARN, as the target sees its caller. */
  arn: string;
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;

const REASONS: Record<Refusal, string> = {
  'no-identity-allow': 'because no identity-based policy allows the {action} action',
  'identity-deny': 'with an explicit deny in an identity-based policy',
  'no-resource-allow': 'because no resource-based policy allows the {action} action',
  'resource-deny': 'with an explicit deny in a resource-based policy',
};

function sourceContext(request: { sourceArn: string; sourceAccount: string }): ConditionContext {
  return { 'aws:SourceArn': request.sourceArn, 'aws:SourceAccount': request.sourceAccount };
}

/**
 * Assumes the role as the service and authorises the action as that session, as IAM would.
 * Returns the session, or the refusal: a role that does not exist or does not trust the
 * service, or policies that do not allow the action.
 */
export function actAsRole(state: EmulatorState, request: ServiceAsRole): ServiceSession | ServiceRefusal {
  const role = state.world.roles.get(request.roleArn);
  const assumeRefusal: ServiceRefusal = {
    code: 'AccessDenied',
    message: `${request.service} is not authorized to perform: sts:AssumeRole on resource: ${request.roleArn}`,
  };
  const parsed = ROLE_ARN.exec(request.roleArn);
  if (!role || !parsed) return assumeRefusal;
  const trust = evaluatePolicy(
    role.trustPolicy,
    {
      principal: { type: 'service', service: request.service },
      action: 'sts:AssumeRole',
      context: sourceContext(request),
    },
    'resource',
  );
  if (trust.decision !== 'allow') return assumeRefusal;

  const account = parsed[1] ?? '';
  const sessionName = request.service.split('.')[0] ?? 'service';
  const arn = `arn:aws:sts::${account}:assumed-role/${parsed[2] ?? ''}/${sessionName}`;
  const principal = { type: 'assumed-role' as const, accountId: account, roleArn: request.roleArn, sessionArn: arn };
  if (state.world.authorization === 'allow-all') return { principal, arn };
  const facts = resourceFacts(state, account, request.action, request.resource);
  const refusal = decide({
    principal,
    action: request.action,
    resource: request.resource,
    context: {
      'aws:PrincipalAccount': account,
      'aws:PrincipalArn': request.roleArn,
      'aws:PrincipalType': 'AssumedRole',
      ...facts.tags,
      'aws:ResourceAccount': facts.account,
    },
    identityPolicies: role.policies,
    resourcePolicy: facts.policyCheckedByService ? undefined : facts.policy,
    trustedByService: undefined,
    sameAccount: facts.account === account,
  });
  if (!refusal) return { principal, arn };
  return {
    code: 'AccessDeniedException',
    message: `User: ${arn} is not authorized to perform: ${request.action} on resource: ${request.resource} ${REASONS[refusal].replace('{action}', request.action)}`,
  };
}

export const isRefusal = (outcome: ServiceSession | ServiceRefusal): outcome is ServiceRefusal => 'code' in outcome;

/** Whether a resource policy (an SNS topic's) lets the service act on the resource for the source. */
export function resourcePolicyAllowsService(
  policy: PolicyDocument | undefined,
  request: { service: string; action: string; resource: string; sourceArn: string; sourceAccount: string },
): boolean {
  if (!policy) return false;
  return (
    evaluatePolicy(
      policy,
      {
        principal: { type: 'service', service: request.service },
        action: request.action,
        resource: request.resource,
        context: sourceContext(request),
      },
      'resource',
    ).decision === 'allow'
  );
}

import type { AuthenticatedCaller, Caller } from '../credentials.ts';
import { AwsError } from '../errors.ts';
import { RestXmlError } from '../protocols/rest-xml.ts';
import type { Protocol } from '../registry.ts';
import type { EmulatorState } from '../state.ts';
import type { PolicyDocument } from '../types.ts';
import type { ConditionContext } from './conditions.ts';
import { decide, type Refusal } from './decision.ts';
import { authorizationsFor, type Authorization } from './operations.ts';
import type { Principal } from './policy.ts';
import { resourceFacts } from './resource-policies.ts';

export interface AuthorizationRequest {
  state: EmulatorState;
  caller: Caller;
  service: string;
  operation: string;
  input: Record<string, unknown>;
  region: string;
  protocol: Protocol;
}

function principalOf(caller: AuthenticatedCaller): Principal {
  return caller.kind === 'user'
    ? { type: 'user', accountId: caller.accountId, arn: caller.arn }
    : { type: 'assumed-role', accountId: caller.accountId, roleArn: caller.session.roleArn, sessionArn: caller.arn };
}

/** A user acts with its own policies; a role session with its role's (session policies are not modelled). */
function identityPolicies(state: EmulatorState, caller: AuthenticatedCaller): PolicyDocument[] {
  if (caller.kind === 'user') return caller.user.policies;
  return state.world.roles.get(caller.session.roleArn)?.policies ?? [];
}

/** The global keys every request carries. */
function principalContext(caller: AuthenticatedCaller, region: string): ConditionContext {
  const context: ConditionContext = {
    'aws:PrincipalAccount': caller.accountId,
    'aws:PrincipalArn': caller.kind === 'user' ? caller.arn : caller.session.roleArn,
    'aws:PrincipalType': caller.kind === 'user' ? 'User' : 'AssumedRole',
    'aws:userid': caller.userId,
    'aws:RequestedRegion': region,
  };
  if (caller.kind === 'user') context['aws:username'] = caller.user.name;
  else for (const tag of caller.session.tags) context[`aws:PrincipalTag/${tag.Key}`] = tag.Value;
  return context;
}

const REASONS: Record<Refusal, string> = {
  'no-identity-allow': 'because no identity-based policy allows the {action} action',
  'identity-deny': 'with an explicit deny in an identity-based policy',
  'no-resource-allow': 'because no resource-based policy allows the {action} action',
  'resource-deny': 'with an explicit deny in a resource-based policy',
};

/** AWS's refusal, in the code the request's protocol (or SNS, in its own) uses for it. */
export function accessDenied(
  protocol: Protocol,
  callerArn: string,
  authorization: Pick<Authorization, 'action' | 'resource'>,
  refusal: Refusal,
  service?: string,
): AwsError {
  const { action, resource } = authorization;
  const message = `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource} ${REASONS[refusal].replace('{action}', action)}`;
  if (protocol === 'awsJson1_1') return new AwsError('AccessDeniedException', message, 400);
  if (protocol === 'restXml') return new RestXmlError('AccessDenied', message, 403);
  if (protocol === 'restJson1') return new AwsError('AccessDeniedException', message, 403);
  if (service === 'sns') return new AwsError('AuthorizationError', message, 403);
  return new AwsError('AccessDenied', message, 403);
}

/**
 * Authorises a routed, authenticated request as IAM does, before anything else acts on it:
 * every (action, resource) the operation is authorised as must be allowed. Unsigned calls
 * (AssumeRoleWithWebIdentity) are governed by trust policies alone; a world that says
 * `authorization: allow-all` skips identity policies altogether. Returns the IAM actions
 * that were authorised.
 */
export function authorizeRequest(request: AuthorizationRequest): string[] {
  const { state, caller } = request;
  if (caller.kind === 'anonymous' || state.world.authorization === 'allow-all') return [];
  const authorizations = authorizationsFor(request.service, request.operation, {
    account: caller.accountId,
    region: request.region,
    input: request.input,
  });
  if (!authorizations) {
    throw accessDenied(
      request.protocol,
      caller.arn,
      { action: `${request.service}:${request.operation}`, resource: '*' },
      'no-identity-allow',
      request.service,
    );
  }
  const principal = principalOf(caller);
  const identity = identityPolicies(state, caller);
  const callerContext = principalContext(caller, request.region);
  for (const authorization of authorizations) {
    const facts = resourceFacts(state, caller.accountId, authorization.action, authorization.resource);
    const refusal = decide({
      principal,
      action: authorization.action,
      resource: authorization.resource,
      context: {
        ...callerContext,
        ...facts.tags,
        'aws:ResourceAccount': facts.account,
        ...authorization.context,
      },
      identityPolicies: identity,
      resourcePolicy: facts.policyCheckedByService ? undefined : facts.policy,
      trustedByService: facts.policyCheckedByService ? facts.policy : undefined,
      sameAccount: facts.account === caller.accountId,
    });
    if (refusal) throw accessDenied(request.protocol, caller.arn, authorization, refusal, request.service);
  }
  return authorizations.map((a) => a.action);
}

import type { AuthenticatedCaller, Session, SessionTag } from '../credentials.ts';
import { AwsError } from '../errors.ts';
import { randomId, randomSecret, randomSessionToken } from '../ids.ts';
import type { OidcIssuer } from '../oidc-issuer.ts';
import type { OperationContext, ServiceDefinition } from '../registry.ts';
import { evaluateTrustPolicy, type TrustRequest } from '../trust-policy.ts';
import type { LoadedRole } from '../world.ts';
import { CHAINED_MAX_DURATION, checkTagRules, StsInput } from './sts-input.ts';
import { claimConditionKeys, verifyWebIdentityToken, type VerifiedWebIdentity } from './web-identity.ts';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const ROLE_ARN_ACCOUNT = /^arn:aws:iam::(\d{12}):role\//;
const DEFAULT_DURATION = 3600;

function authenticated(context: OperationContext): AuthenticatedCaller {
  if (context.caller.kind === 'anonymous')
    throw new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
  return context.caller;
}

function accessDenied(message: string): AwsError {
  return new AwsError('AccessDenied', message, 403);
}

function roleAccount(roleArn: string): string {
  const account = ROLE_ARN_ACCOUNT.exec(roleArn)?.[1];
  if (!account) throw new AwsError('ValidationError', `${roleArn} is invalid`);
  return account;
}

/** The Principal element sees a session as its role (and its account), a user as itself. */
function principalOf(caller: AuthenticatedCaller): TrustRequest['principal'] {
  return caller.kind === 'user'
    ? { type: 'user', accountId: caller.accountId, arn: caller.arn }
    : { type: 'assumed-role', accountId: caller.accountId, roleArn: caller.session.roleArn, sessionArn: caller.arn };
}

function callerConditionKeys(caller: AuthenticatedCaller): TrustRequest['context'] {
  const context: TrustRequest['context'] = {
    'aws:PrincipalAccount': caller.accountId,
    'aws:PrincipalArn': caller.kind === 'user' ? caller.arn : caller.session.roleArn,
    'aws:PrincipalType': caller.kind === 'user' ? 'User' : 'AssumedRole',
    'aws:userid': caller.userId,
  };
  if (caller.kind === 'assumed-role') {
    for (const tag of caller.session.tags) context[`aws:PrincipalTag/${tag.Key}`] = tag.Value;
  }
  return context;
}

function requestTagConditionKeys(tags: SessionTag[], transitiveKeys: string[]): TrustRequest['context'] {
  const context: TrustRequest['context'] = {};
  for (const tag of tags) context[`aws:RequestTag/${tag.Key}`] = tag.Value;
  if (tags.length > 0) context['aws:TagKeys'] = tags.map((t) => t.Key);
  if (transitiveKeys.length > 0) context['sts:TransitiveTagKeys'] = transitiveKeys;
  return context;
}

function sessionDuration(requested: number | undefined, role: LoadedRole, chained: boolean): number {
  if (requested === undefined) return Math.min(DEFAULT_DURATION, role.maxSessionDuration);
  if (chained && requested > CHAINED_MAX_DURATION) {
    throw new AwsError(
      'ValidationError',
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
  }
  if (requested > role.maxSessionDuration) {
    throw new AwsError(
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
  }
  return requested;
}

/** Percentage of the packed session-policy space used; STS returns it when tags or a policy were passed. */
function packedPolicySize(tags: SessionTag[], policy: string | undefined): number | undefined {
  if (tags.length === 0 && policy === undefined) return undefined;
  const bytes = JSON.stringify(tags).length + (policy?.length ?? 0);
  return Math.max(1, Math.ceil((bytes / 4096) * 100));
}

interface SessionRequest {
  role: LoadedRole;
  sessionName: string;
  durationSeconds: number;
  tags: SessionTag[];
  transitiveTags: SessionTag[];
  sourceIdentity: string | null;
  webIdentity: Session['webIdentity'];
}

function issueSession(context: OperationContext, request: SessionRequest): Session {
  // Whole seconds, as STS reports Expiration.
  const expiresAt = Math.floor((Date.now() + request.durationSeconds * 1000) / 1000) * 1000;
  const { role, sessionName } = request;
  const session: Session = {
    accessKeyId: randomId('ASIA', 16),
    secretAccessKey: randomSecret(),
    sessionToken: randomSessionToken(),
    expiresAt,
    accountId: role.accountId,
    roleArn: role.arn,
    roleName: role.name,
    roleId: role.roleId,
    sessionName,
    arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${sessionName}`,
    userId: `${role.roleId}:${sessionName}`,
    tags: request.tags,
    transitiveTags: request.transitiveTags,
    sourceIdentity: request.sourceIdentity,
    webIdentity: request.webIdentity,
  };
  context.state.credentials.addSession(session);
  return session;
}

function sessionResult(session: Session): Record<string, unknown> {
  return {
    Credentials: {
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: session.secretAccessKey,
      SessionToken: session.sessionToken,
      Expiration: new Date(session.expiresAt),
    },
    AssumedRoleUser: { AssumedRoleId: session.userId, Arn: session.arn },
    ...(session.sourceIdentity ? { SourceIdentity: session.sourceIdentity } : {}),
  };
}

function getCallerIdentity(context: OperationContext): Record<string, unknown> {
  const caller = authenticated(context);
  return { UserId: caller.userId, Account: caller.accountId, Arn: caller.arn };
}

function assumeRole(context: OperationContext): Record<string, unknown> {
  const caller = authenticated(context);
  const input = new StsInput(context.input);
  const roleArn = input.roleArn();
  const sessionName = input.roleSessionName();
  const requestedDuration = input.durationSeconds();
  const externalId = input.externalId();
  const sourceIdentity = input.sourceIdentity();
  const tags = input.tags();
  const transitiveKeys = input.transitiveTagKeys();
  const policy = input.policy();
  roleAccount(roleArn);

  const chained = caller.kind === 'assumed-role';
  const inherited = chained ? caller.session.transitiveTags : [];
  checkTagRules(tags, transitiveKeys, inherited);

  const denied = (action: string) =>
    accessDenied(`User: ${caller.arn} is not authorized to perform: ${action} on resource: ${roleArn}`);
  const role = context.state.world.roles.get(roleArn);
  if (!role) throw denied('sts:AssumeRole');

  const trust = (action: string) =>
    evaluateTrustPolicy(role.trustPolicy, {
      principal: principalOf(caller),
      action,
      context: {
        ...callerConditionKeys(caller),
        ...requestTagConditionKeys(tags, transitiveKeys),
        'sts:ExternalId': externalId,
        'sts:RoleSessionName': sessionName,
        'sts:SourceIdentity': sourceIdentity,
      },
    }) === 'allow';
  if (!trust('sts:AssumeRole')) throw denied('sts:AssumeRole');
  if ((tags.length > 0 || transitiveKeys.length > 0) && !trust('sts:TagSession')) throw denied('sts:TagSession');
  if (sourceIdentity !== undefined && !trust('sts:SetSourceIdentity')) throw denied('sts:SetSourceIdentity');

  const inheritedSourceIdentity = chained ? caller.session.sourceIdentity : null;
  if (inheritedSourceIdentity && sourceIdentity !== undefined && sourceIdentity !== inheritedSourceIdentity) {
    throw new AwsError('ValidationError', 'The source identity of a role session cannot be changed once set.');
  }
  const transitive = new Set(transitiveKeys.map((k) => k.toLowerCase()));
  const session = issueSession(context, {
    role,
    sessionName,
    durationSeconds: sessionDuration(requestedDuration, role, chained),
    tags: [...inherited, ...tags],
    transitiveTags: [...inherited, ...tags.filter((t) => transitive.has(t.Key.toLowerCase()))],
    sourceIdentity: sourceIdentity ?? inheritedSourceIdentity,
    webIdentity: null,
  });
  const size = packedPolicySize(tags, policy);
  return { ...sessionResult(session), ...(size !== undefined ? { PackedPolicySize: size } : {}) };
}

async function assumeRoleWithWebIdentity(
  context: OperationContext,
  issuer: OidcIssuer,
): Promise<Record<string, unknown>> {
  const input = new StsInput(context.input);
  const roleArn = input.roleArn();
  const sessionName = input.roleSessionName();
  const token = input.webIdentityToken();
  const requestedDuration = input.durationSeconds();
  const policy = input.policy();

  const identity: VerifiedWebIdentity = await verifyWebIdentityToken(
    token,
    roleAccount(roleArn),
    context.state.world,
    issuer,
  );
  const denied = accessDenied('Not authorized to perform sts:AssumeRoleWithWebIdentity');
  const role = context.state.world.roles.get(roleArn);
  if (!role) throw denied;
  const decision = evaluateTrustPolicy(role.trustPolicy, {
    principal: { type: 'web-identity', providerArn: identity.provider.arn },
    action: 'sts:AssumeRoleWithWebIdentity',
    context: {
      ...claimConditionKeys(identity),
      'sts:RoleSessionName': sessionName,
      'aws:FederatedProvider': identity.provider.arn,
    },
  });
  if (decision !== 'allow') throw denied;

  const session = issueSession(context, {
    role,
    sessionName,
    durationSeconds: sessionDuration(requestedDuration, role, false),
    tags: [],
    transitiveTags: [],
    sourceIdentity: null,
    webIdentity: { providerArn: identity.provider.arn, subject: identity.subject, audience: identity.audience },
  });
  const size = packedPolicySize([], policy);
  return {
    ...sessionResult(session),
    SubjectFromWebIdentityToken: identity.subject,
    Provider: identity.provider.arn,
    Audience: identity.audience,
    ...(size !== undefined ? { PackedPolicySize: size } : {}),
  };
}

function assumeRoleWithSaml(context: OperationContext): Record<string, unknown> {
  const principalArn = typeof context.input.PrincipalArn === 'string' ? context.input.PrincipalArn : '';
  throw new AwsError(
    'InvalidIdentityToken',
    `No SAML provider ${principalArn} exists: the emulator does not federate SAML.`,
  );
}

export function createStsService(issuer: OidcIssuer): ServiceDefinition {
  return {
    name: 'sts',
    protocol: 'awsQuery',
    version: '2011-06-15',
    xmlNamespace: STS_NAMESPACE,
    // STS hands out credentials; it changes no resource.
    isMutating: () => false,
    operations: {
      GetCallerIdentity: getCallerIdentity,
      AssumeRole: assumeRole,
      AssumeRoleWithWebIdentity: { handler: (context) => assumeRoleWithWebIdentity(context, issuer), unsigned: true },
      AssumeRoleWithSAML: { handler: assumeRoleWithSaml, unsigned: true },
    },
  };
}

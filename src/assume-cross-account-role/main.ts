import * as core from '@actions/core';
import { ActionError, InputError } from '../runtime/errors.ts';
import { githubContext } from '../runtime/github-context.ts';
import { SummaryBuilder } from '../runtime/summary.ts';
import { assumeChain, type AssumedSession } from './assume.ts';
import {
  CLEANUP_PLAN_STATE,
  credentialProcess,
  exportRefreshingProfile,
  exportToEnvironment,
  exportToProfile,
  planProfile,
  refresherPath,
  type CleanupPlan,
  type ProfileTarget,
} from './export-credentials.ts';
import { readInputs, type Inputs } from './inputs.ts';
import { fetchOidcToken, OIDC_PERMISSION_HINT, oidcAvailable } from './oidc.ts';
import type { RefreshConfig } from './refresh-config.ts';
import { sessionTags } from './session.ts';

export const ACTION_NAME = 'assume-cross-account-role';

function environmentHasCredentials(env = process.env): boolean {
  return Boolean(
    (env['AWS_ACCESS_KEY_ID'] && env['AWS_SECRET_ACCESS_KEY']) ||
    env['AWS_PROFILE'] ||
    env['AWS_WEB_IDENTITY_TOKEN_FILE'] ||
    env['AWS_CONTAINER_CREDENTIALS_FULL_URI'] ||
    env['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'],
  );
}

/** Decides where the first hop's credentials come from, before anything is called. */
function useOidc(inputs: Inputs): boolean {
  const viaOidc = firstHopSource(inputs);
  // AssumeRoleWithWebIdentity takes no external id: one given for the first role would be dropped unseen.
  if (viaOidc && inputs.hops[0]?.externalId !== undefined) {
    throw new InputError(
      'role-external-id',
      'is not used when role-to-assume is assumed with the GitHub OIDC token (AssumeRoleWithWebIdentity takes none); give it on a role-chain hop, or set credential-source: environment',
    );
  }
  if (!viaOidc && inputs.audience !== DEFAULT_AUDIENCE) {
    throw new InputError(
      'audience',
      "only applies to the GitHub OIDC token, and role-to-assume is assumed with the environment's credentials (credential-source)",
    );
  }
  return viaOidc;
}

/** action.yml's default for audience: what STS expects of GitHub's tokens. */
const DEFAULT_AUDIENCE = 'sts.amazonaws.com';

function firstHopSource(inputs: Inputs): boolean {
  const hasOidc = oidcAvailable();
  switch (inputs.credentialSource) {
    case 'oidc':
      if (!hasOidc)
        throw new InputError(
          'credential-source',
          `is 'oidc' but ACTIONS_ID_TOKEN_REQUEST_URL is not set: ${OIDC_PERMISSION_HINT}`,
        );
      return true;
    case 'environment':
      if (!environmentHasCredentials()) {
        throw new InputError('credential-source', "is 'environment' but no AWS credentials are in the environment");
      }
      return false;
    default:
      if (hasOidc) return true;
      if (environmentHasCredentials()) return false;
      throw new InputError(
        'credential-source',
        `found neither a GitHub OIDC token nor AWS credentials in the environment: ${OIDC_PERMISSION_HINT}, or configure credentials in an earlier step`,
      );
  }
}

function setOutputs(inputs: Inputs, session: AssumedSession): void {
  core.setOutput('aws-account-id', session.account);
  core.setOutput('assumed-role-arn', session.assumedRoleArn);
  core.setOutput('role-session-name', inputs.roleSessionName);
  core.setOutput('credentials-expiration', session.credentials.expiration.toISOString());
  core.setOutput('aws-profile', inputs.profile ?? '');
  if (inputs.outputCredentials) {
    core.setOutput('aws-access-key-id', session.credentials.accessKeyId);
    core.setOutput('aws-secret-access-key', session.credentials.secretAccessKey);
    core.setOutput('aws-session-token', session.credentials.sessionToken);
  }
}

/** How the credentials reach later steps, and whether they outlive the session just assumed. */
type Handover = 'environment' | 'profile' | 'refreshing profile';

function handover(inputs: Inputs, viaOidc: boolean): Handover {
  if (!inputs.profile) return 'environment';
  return inputs.refreshCredentials && viaOidc ? 'refreshing profile' : 'profile';
}

async function writeSummary(inputs: Inputs, session: AssumedSession, viaOidc: boolean, how: Handover): Promise<void> {
  const role = inputs.hops[inputs.hops.length - 1]!.arn.resource.split('/').pop();
  const availableAs = inputs.profile ? `profile ${inputs.profile}` : 'environment variables';
  const summary = new SummaryBuilder().heading(`Role ${role}: assumed (${availableAs})`).keyValues([
    ['Account', inputs.maskAccountId ? '(masked)' : session.account],
    ['Role', { code: session.assumedRoleArn }],
    ['Session name', { code: inputs.roleSessionName }],
    ['Expires', session.credentials.expiration.toISOString()],
    ['Renewed', how === 'refreshing profile' ? "before they expire, by the profile's credential_process" : 'no'],
    ['Started from', viaOidc ? `GitHub OIDC (audience ${inputs.audience})` : 'credentials in the environment'],
    ['Chain', inputs.hops.length > 1 ? inputs.hops.map((hop) => hop.roleArn).join(' → ') : undefined],
    ['Available as', availableAs],
  ]);
  await summary.write();
}

function refreshConfig(inputs: Inputs, profile: string, tags: RefreshConfig['tags']): RefreshConfig {
  return {
    version: 1,
    profile,
    region: inputs.region,
    audience: inputs.audience,
    sessionName: inputs.roleSessionName,
    durationSeconds: inputs.roleDurationSeconds,
    tags,
    hops: inputs.hops.map((hop) => ({
      roleArn: hop.roleArn,
      ...(hop.externalId !== undefined ? { externalId: hop.externalId } : {}),
    })),
    allowedAccountIds: inputs.allowedAccountIds,
  };
}

function exportCredentials(
  inputs: Inputs,
  session: AssumedSession,
  how: Handover,
  target: ProfileTarget | undefined,
  tags: RefreshConfig['tags'],
): CleanupPlan {
  if (!target) return exportToEnvironment(session.credentials, inputs.region);
  if (how === 'profile') return exportToProfile(session.credentials, inputs.region, target);
  const refresher = refresherPath();
  return exportRefreshingProfile(refreshConfig(inputs, target.profile, tags), target, (file) =>
    credentialProcess(process.execPath, refresher, file),
  );
}

function handoverLine(inputs: Inputs, session: AssumedSession, how: Handover): string {
  const until = session.credentials.expiration.toISOString();
  switch (how) {
    case 'refreshing profile':
      return `Credentials for ${session.assumedRoleArn} in profile '${inputs.profile}', renewed (a fresh GitHub OIDC token, the whole chain again) before they expire; this session is valid until ${until}`;
    case 'profile':
      return `Credentials for ${session.assumedRoleArn} valid until ${until}, in profile '${inputs.profile}' (not renewed)`;
    default:
      return `Credentials for ${session.assumedRoleArn} valid until ${until}, in the environment (not renewed: use aws-profile for a job that outlasts them)`;
  }
}

export async function run(): Promise<void> {
  const inputs = readInputs();
  if (inputs.maskAccountId) {
    for (const hop of inputs.hops) core.setSecret(hop.arn.account);
  }
  const viaOidc = useOidc(inputs);
  const context = githubContext();
  const how = handover(inputs, viaOidc);
  const target = inputs.profile ? planProfile(inputs.profile) : undefined;
  const tags = inputs.sessionTags ? sessionTags(context) : [];

  const session = await assumeChain({
    hops: inputs.hops,
    region: inputs.region,
    sessionName: inputs.roleSessionName,
    durationSeconds: inputs.roleDurationSeconds,
    tags,
    webIdentityToken: viaOidc ? () => fetchOidcToken(inputs.audience) : undefined,
  });

  // Checked again on what STS returned, not only on the ARN we asked for.
  if (inputs.allowedAccountIds.length > 0 && !inputs.allowedAccountIds.includes(session.account)) {
    throw new ActionError(
      `the credentials act in account ${session.account}, which is not in allowed-account-ids; nothing was exported`,
    );
  }

  const plan = exportCredentials(inputs, session, how, target, tags);
  if (inputs.cleanup) core.saveState(CLEANUP_PLAN_STATE, JSON.stringify(plan));

  setOutputs(inputs, session);
  core.info(handoverLine(inputs, session, how));
  await writeSummary(inputs, session, viaOidc, how);
}

import * as core from '@actions/core';
import { ActionError, InputError } from '../shared/errors.ts';
import { githubContext } from '../shared/github-context.ts';
import { SummaryBuilder } from '../shared/summary.ts';
import { assumeChain, type AssumedSession } from './assume.ts';
import { CLEANUP_STATE, exportToEnvironment, exportToProfile, type CleanupPlan } from './export-credentials.ts';
import { readInputs, type Inputs } from './inputs.ts';
import { fetchOidcToken, OIDC_PERMISSION_HINT, oidcAvailable } from './oidc.ts';
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
  core.setOutput('role-session-name', inputs.sessionName);
  core.setOutput('credentials-expiration', session.credentials.expiration.toISOString());
  core.setOutput('profile', inputs.profile ?? '');
  if (inputs.outputCredentials) {
    core.setOutput('aws-access-key-id', session.credentials.accessKeyId);
    core.setOutput('aws-secret-access-key', session.credentials.secretAccessKey);
    core.setOutput('aws-session-token', session.credentials.sessionToken);
  }
}

async function writeSummary(inputs: Inputs, session: AssumedSession, viaOidc: boolean): Promise<void> {
  const summary = new SummaryBuilder().heading('AWS role assumed').keyValues([
    ['Account', inputs.maskAccountId ? '(masked)' : session.account],
    ['Role', { code: session.assumedRoleArn }],
    ['Session name', { code: inputs.sessionName }],
    ['Expires', session.credentials.expiration.toISOString()],
    ['Started from', viaOidc ? `GitHub OIDC (audience ${inputs.audience})` : 'credentials in the environment'],
    ['Chain', inputs.hops.length > 1 ? inputs.hops.map((hop) => hop.roleArn).join(' → ') : undefined],
    ['Available as', inputs.profile ? `profile ${inputs.profile}` : 'environment variables'],
  ]);
  await summary.write();
}

export async function run(): Promise<void> {
  const inputs = readInputs();
  if (inputs.maskAccountId) {
    for (const hop of inputs.hops) core.setSecret(hop.arn.account);
  }
  const viaOidc = useOidc(inputs);
  const context = githubContext();

  const session = await assumeChain({
    hops: inputs.hops,
    region: inputs.region,
    sessionName: inputs.sessionName,
    durationSeconds: inputs.durationSeconds,
    tags: inputs.sessionTags ? sessionTags(context) : [],
    webIdentityToken: viaOidc ? await fetchOidcToken(inputs.audience) : undefined,
  });

  // Checked again on what STS returned, not only on the ARN we asked for.
  if (inputs.allowedAccountIds.length > 0 && !inputs.allowedAccountIds.includes(session.account)) {
    throw new ActionError(
      `the credentials act in account ${session.account}, which is not in allowed-account-ids; nothing was exported`,
    );
  }

  const plan: CleanupPlan = inputs.profile
    ? exportToProfile(session.credentials, inputs.region, inputs.profile)
    : exportToEnvironment(session.credentials, inputs.region);
  if (inputs.cleanup) core.saveState(CLEANUP_STATE, JSON.stringify(plan));

  setOutputs(inputs, session);
  core.info(
    `Credentials for ${session.assumedRoleArn} valid until ${session.credentials.expiration.toISOString()}, ` +
      (inputs.profile ? `in profile '${inputs.profile}'` : 'in the environment'),
  );
  await writeSummary(inputs, session, viaOidc);
}

/**
 * Hands the credentials to later steps, either as environment variables or as
 * a named profile, and records what the post step has to undo.
 */
import { join } from 'node:path';
import * as core from '@actions/core';
import type { SessionCredentials } from './assume.ts';
import { configSectionName, removeSection, writeSection } from './profile-files.ts';

export const CLEANUP_STATE = 'cleanup';

export type CleanupPlan =
  { kind: 'environment' } | { kind: 'profile'; profile: string; credentialsFile: string; configFile: string };

const CREDENTIAL_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;

export function exportToEnvironment(credentials: SessionCredentials, region: string): CleanupPlan {
  core.exportVariable('AWS_ACCESS_KEY_ID', credentials.accessKeyId);
  core.exportVariable('AWS_SECRET_ACCESS_KEY', credentials.secretAccessKey);
  core.exportVariable('AWS_SESSION_TOKEN', credentials.sessionToken);
  core.exportVariable('AWS_REGION', region);
  core.exportVariable('AWS_DEFAULT_REGION', region);
  return { kind: 'environment' };
}

/**
 * Profiles live under RUNNER_TEMP, which the runner empties after the job, and
 * in files only the runner's user can read. A later step of the same job that
 * already pointed AWS_SHARED_CREDENTIALS_FILE somewhere keeps using that file.
 */
export function exportToProfile(credentials: SessionCredentials, region: string, profile: string): CleanupPlan {
  const folder = join(process.env['RUNNER_TEMP'] ?? process.cwd(), 'mlops-actions-aws');
  const credentialsFile = process.env['AWS_SHARED_CREDENTIALS_FILE'] || join(folder, 'credentials');
  const configFile = process.env['AWS_CONFIG_FILE'] || join(folder, 'config');
  writeSection(credentialsFile, profile, {
    aws_access_key_id: credentials.accessKeyId,
    aws_secret_access_key: credentials.secretAccessKey,
    aws_session_token: credentials.sessionToken,
  });
  writeSection(configFile, configSectionName(profile), { region });
  core.exportVariable('AWS_SHARED_CREDENTIALS_FILE', credentialsFile);
  core.exportVariable('AWS_CONFIG_FILE', configFile);
  return { kind: 'profile', profile, credentialsFile, configFile };
}

export function undoExport(plan: CleanupPlan): string {
  if (plan.kind === 'environment') {
    // The SDK treats an empty variable as unset, so later post steps fall back to no credentials.
    for (const name of CREDENTIAL_VARIABLES) core.exportVariable(name, '');
    return 'cleared AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN';
  }
  removeSection(plan.credentialsFile, plan.profile);
  removeSection(plan.configFile, configSectionName(plan.profile));
  return `removed profile '${plan.profile}' from ${plan.credentialsFile} and ${plan.configFile}`;
}

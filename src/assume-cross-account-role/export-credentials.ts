/**
 * Hands the credentials to later steps, either as environment variables or as
 * a named profile, and records what the post step has to undo.
 *
 * A refreshing profile holds no keys at all: its `credential_process` runs the
 * refresher bundled with this action (refresh.js, by the absolute path of the
 * Node binary running this step), which walks the role chain again from a fresh
 * GitHub OIDC token whenever a tool's SDK finds the credentials near expiry.
 * The AWS CLI, the SDKs for JavaScript and Python and Terraform all do that.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as core from '@actions/core';
import { ActionError, InputError } from '../runtime/errors.ts';
import type { SessionCredentials } from './assume.ts';
import { configSectionName, hasSection, removeWritten, writeSection, type WrittenSection } from './profile-files.ts';
import type { RefreshConfig } from './refresh-config.ts';

/** The state key under which the main step leaves the post step what to undo (a CleanupPlan, as JSON). */
export const CLEANUP_PLAN_STATE = 'cleanup-plan';

export type CleanupPlan =
  { kind: 'environment' } | { kind: 'profile'; profile: string; written: WrittenSection[]; refreshConfig?: string };

const CREDENTIAL_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;

/** The SDK for JavaScript reads this with the keys, so a wait knows when they end. */
const EXPIRATION_VARIABLE = 'AWS_CREDENTIAL_EXPIRATION';

export function exportToEnvironment(credentials: SessionCredentials, region: string): CleanupPlan {
  core.exportVariable('AWS_ACCESS_KEY_ID', credentials.accessKeyId);
  core.exportVariable('AWS_SECRET_ACCESS_KEY', credentials.secretAccessKey);
  core.exportVariable('AWS_SESSION_TOKEN', credentials.sessionToken);
  core.exportVariable(EXPIRATION_VARIABLE, credentials.expiration.toISOString());
  core.exportVariable('AWS_REGION', region);
  core.exportVariable('AWS_DEFAULT_REGION', region);
  return { kind: 'environment' };
}

/** Profiles live under RUNNER_TEMP, which the runner empties after the job, in files only the runner's user can read. */
export function profileFolder(env = process.env): string {
  return join(env['RUNNER_TEMP'] ?? process.cwd(), 'mlops-actions-aws');
}

export interface ProfileTarget {
  profile: string;
  credentialsFile: string;
  configFile: string;
  /** Per file: it is in the action's own folder, so its sections are the action's to replace. */
  ownsCredentialsFile: boolean;
  ownsConfigFile: boolean;
}

/**
 * Where the profile goes: files AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE already name
 * (an earlier step's, or the user's own), else new ones in the action's folder. Checked before
 * anything is assumed: a user's file that already has this profile is never overwritten.
 */
export function planProfile(profile: string, env = process.env): ProfileTarget {
  const folder = profileFolder(env);
  const credentialsFile = resolve(env['AWS_SHARED_CREDENTIALS_FILE'] || join(folder, 'credentials'));
  const configFile = resolve(env['AWS_CONFIG_FILE'] || join(folder, 'config'));
  const owns = (file: string) => dirname(file) === resolve(folder);
  const target: ProfileTarget = {
    profile,
    credentialsFile,
    configFile,
    ownsCredentialsFile: owns(credentialsFile),
    ownsConfigFile: owns(configFile),
  };
  const clashes = [
    !target.ownsCredentialsFile && hasSection(credentialsFile, profile) ? credentialsFile : undefined,
    !target.ownsConfigFile && hasSection(configFile, configSectionName(profile)) ? configFile : undefined,
  ].filter((file): file is string => file !== undefined);
  if (clashes.length > 0) {
    throw new InputError(
      'aws-profile',
      `'${profile}' already exists in ${clashes.join(' and ')}, which this action did not write; choose another profile name (nothing was assumed or changed)`,
    );
  }
  return target;
}

/** Static keys in the credentials file, valid until they expire. */
export function exportToProfile(credentials: SessionCredentials, region: string, target: ProfileTarget): CleanupPlan {
  const written = [
    writeSection(
      target.credentialsFile,
      target.profile,
      {
        aws_access_key_id: credentials.accessKeyId,
        aws_secret_access_key: credentials.secretAccessKey,
        aws_session_token: credentials.sessionToken,
      },
      target.ownsCredentialsFile,
    ),
    writeSection(target.configFile, configSectionName(target.profile), { region }, target.ownsConfigFile),
  ];
  core.exportVariable('AWS_SHARED_CREDENTIALS_FILE', target.credentialsFile);
  core.exportVariable('AWS_CONFIG_FILE', target.configFile);
  return { kind: 'profile', profile: target.profile, written };
}

// credential_process is split like a shell command line; these would change its meaning.
const UNSAFE_IN_COMMAND = /["$`\\\n]/;

/** The command line the SDKs run: the Node binary running this step, the refresher, its chain. */
export function credentialProcess(nodeBinary: string, refresher: string, configFile: string): string {
  for (const part of [nodeBinary, refresher, configFile]) {
    if (UNSAFE_IN_COMMAND.test(part))
      throw new ActionError(`cannot write a credential_process for the path ${part}: it contains " $ \` or \\`);
  }
  return [nodeBinary, refresher, configFile].map((part) => `"${part}"`).join(' ');
}

/** The refresher sits beside the bundle that runs this step (dist/assume-cross-account-role/). */
export function refresherPath(entryScript = process.argv[1] ?? ''): string {
  const path = join(dirname(resolve(entryScript)), 'refresh.js');
  if (!existsSync(path)) throw new ActionError(`the credential refresher is missing at ${path}`);
  return path;
}

/** A profile whose credential_process renews the whole chain; no key is written anywhere. */
export function exportRefreshingProfile(
  config: RefreshConfig,
  target: ProfileTarget,
  command: (configFile: string) => string,
): CleanupPlan {
  const folder = profileFolder();
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const refreshConfig = join(folder, `refresh-${target.profile}.json`);
  writeFileSync(refreshConfig, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
  const written = [
    writeSection(
      target.configFile,
      configSectionName(target.profile),
      { region: config.region, credential_process: command(refreshConfig) },
      target.ownsConfigFile,
    ),
  ];
  // Keys an earlier step of this action wrote under the same name would win over credential_process.
  if (target.ownsCredentialsFile && hasSection(target.credentialsFile, target.profile)) {
    removeWritten({ file: target.credentialsFile, section: target.profile, created: true });
  }
  core.exportVariable('AWS_CONFIG_FILE', target.configFile);
  return { kind: 'profile', profile: target.profile, written, refreshConfig };
}

export function undoExport(plan: CleanupPlan): string {
  if (plan.kind === 'environment') {
    // The SDK treats an empty variable as unset, so later post steps fall back to no credentials.
    for (const name of [...CREDENTIAL_VARIABLES, EXPIRATION_VARIABLE]) core.exportVariable(name, '');
    return 'cleared AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN';
  }
  for (const written of plan.written) removeWritten(written);
  if (plan.refreshConfig) rmSync(plan.refreshConfig, { force: true });
  const files = [...new Set(plan.written.map((written) => written.file))].join(' and ');
  return `removed profile '${plan.profile}' from ${files}${plan.refreshConfig ? ' and its refresh chain' : ''}`;
}

/**
 * The inputs every AWS-calling action shares: region, and the named profile to act as.
 * A profile to act as is checked before any AWS call: a typo would otherwise fall
 * through the SDK's credential chain (instance metadata, containers) and fail seconds
 * later with a message that names no input.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { resolveRegion } from './aws-client.ts';
import { InputError } from './errors.ts';
import { optionalInput } from './inputs.ts';

// Profile names become INI section headers; keep to what every AWS tool parses.
export const PROFILE_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** A profile name to write (assume-cross-account-role): the name only has to be usable. */
export function profileInput(name: string): string | undefined {
  const profile = optionalInput(name);
  if (profile !== undefined && !PROFILE_PATTERN.test(profile)) {
    throw new InputError(name, `'${profile}' is not a usable profile name (1-64 letters, digits, '.', '_' or '-')`);
  }
  return profile;
}

function sectionNames(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => /^\s*\[([^\]]+)\]\s*$/.exec(line)?.[1]?.trim())
    .filter((name): name is string => name !== undefined);
}

/** The shared credentials and config files the SDK reads, as it finds them. */
export function profileFiles(env = process.env): { credentials: string; config: string } {
  const home = env['HOME'] || homedir();
  return {
    credentials: env['AWS_SHARED_CREDENTIALS_FILE'] || join(home, '.aws', 'credentials'),
    config: env['AWS_CONFIG_FILE'] || join(home, '.aws', 'config'),
  };
}

/** A profile to act as: it must be in the credentials or config file, or the input is named in the error. */
export function existingProfileInput(name: string, env = process.env): string | undefined {
  const profile = profileInput(name);
  if (profile === undefined) return undefined;
  const files = profileFiles(env);
  const inCredentials = sectionNames(files.credentials).includes(profile);
  const inConfig = sectionNames(files.config).some(
    (section) => section === `profile ${profile}` || (profile === 'default' && section === 'default'),
  );
  if (!inCredentials && !inConfig) {
    throw new InputError(
      name,
      `profile '${profile}' is in neither ${files.credentials} nor ${files.config} (write it with assume-cross-account-role's aws-profile input in an earlier step)`,
    );
  }
  return profile;
}

export interface AwsInputs {
  region: string;
  profile?: string;
}

/** aws-region (or AWS_REGION) and aws-profile (a profile written by assume-cross-account-role). */
export function awsInputs(): AwsInputs {
  const profile = existingProfileInput('aws-profile');
  return {
    region: resolveRegion('aws-region', optionalInput('aws-region')),
    ...(profile ? { profile } : {}),
  };
}

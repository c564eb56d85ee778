/**
 * Checks a profile input before any AWS call: a typo in a profile name would otherwise
 * fall through the SDK's credential chain (instance metadata, containers) and fail
 * seconds later with a message that names no input.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InputError } from './errors.ts';

const PROFILE_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

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

/** Raises an InputError naming the input unless the profile is in the credentials or config file. */
export function checkProfile(input: string, profile: string, env = process.env): string {
  if (!PROFILE_PATTERN.test(profile)) {
    throw new InputError(input, `'${profile}' is not a usable profile name (1-64 letters, digits, '.', '_' or '-')`);
  }
  const files = profileFiles(env);
  const inCredentials = sectionNames(files.credentials).includes(profile);
  const inConfig = sectionNames(files.config).some(
    (name) => name === `profile ${profile}` || (profile === 'default' && name === 'default'),
  );
  if (!inCredentials && !inConfig) {
    throw new InputError(
      input,
      `profile '${profile}' is in neither ${files.credentials} nor ${files.config} (write it with assume-cross-account-role's profile input in an earlier step)`,
    );
  }
  return profile;
}

/** The inputs every AWS-calling action shares: region and the named profile to act as. */
import { resolveRegion } from './aws-client.ts';
import { InputError } from './errors.ts';
import { optionalInput } from './inputs.ts';

// Profile names become INI section headers; keep to what every AWS tool parses.
export const PROFILE_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

export function profileInput(name: string): string | undefined {
  const profile = optionalInput(name);
  if (profile !== undefined && !PROFILE_PATTERN.test(profile)) {
    throw new InputError(name, `'${profile}' is not a usable profile name (1-64 letters, digits, '.', '_' or '-')`);
  }
  return profile;
}

export interface AwsInputs {
  region: string;
  profile?: string;
}

/** aws-region (or AWS_REGION) and aws-profile (a profile written by assume-cross-account-role). */
export function awsInputs(): AwsInputs {
  const profile = profileInput('aws-profile');
  return {
    region: resolveRegion('aws-region', optionalInput('aws-region')),
    ...(profile ? { profile } : {}),
  };
}

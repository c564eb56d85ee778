/**
 * Reads and checks every input before any AWS call, so a bad workflow fails in
 * milliseconds with nothing assumed, exported or written.
 */
import { ACCOUNT_ID_PATTERN, checkArnForJob, parseRoleArn, type Arn } from '../runtime/arn.ts';
import { resolveRegion } from '../runtime/aws-client.ts';
import { checkAwsValue } from '../runtime/aws-constraints.ts';
import { profileInput } from '../runtime/aws-inputs.ts';
import { InputError } from '../runtime/errors.ts';
import { githubContext } from '../runtime/github-context.ts';
import {
  booleanInput,
  choiceInput,
  durationInput,
  listInput,
  optionalInput,
  requiredInput,
} from '../runtime/inputs.ts';
import { defaultSessionName } from './session.ts';

export interface Hop {
  roleArn: string;
  arn: Arn;
  externalId?: string;
}

export type CredentialSource = 'auto' | 'oidc' | 'environment';

export interface Inputs {
  hops: Hop[];
  credentialSource: CredentialSource;
  audience: string;
  region: string;
  roleDurationSeconds: number;
  roleSessionName: string;
  sessionTags: boolean;
  allowedAccountIds: string[];
  profile?: string;
  outputCredentials: boolean;
  maskAccountId: boolean;
  cleanup: boolean;
  /** With a profile and GitHub OIDC: the profile renews the whole chain before it expires. */
  refreshCredentials: boolean;
}

// AWS caps any session at 12 hours, and a session assumed with role chaining at 1 hour.
export const MIN_DURATION_SECONDS = 900;
export const MAX_DURATION_SECONDS = 43200;
export const CHAINED_MAX_DURATION_SECONDS = 3600;

function readExternalId(input: string, value: string | undefined): string | undefined {
  return value === undefined ? undefined : checkAwsValue(input, 'externalId', value, 'external id ');
}

/** role-chain: one role ARN per line, each optionally followed by `external-id=VALUE`. */
function readRoleChain(region: string): Hop[] {
  return listInput('role-chain', { lines: true }).map((line, index) => {
    const [roleArn = '', ...options] = line.split(/\s+/);
    let externalId: string | undefined;
    for (const option of options) {
      const match = /^external-id=(.*)$/.exec(option);
      if (!match) {
        throw new InputError(
          'role-chain',
          `line ${index + 1}: '${option}' is not understood (expected external-id=VALUE after the role ARN)`,
        );
      }
      externalId = readExternalId('role-chain', match[1]);
    }
    return { roleArn, arn: roleArnForJob('role-chain', roleArn, region), externalId };
  });
}

function readAllowedAccounts(): string[] {
  const ids = listInput('allowed-account-ids');
  for (const id of ids) {
    if (!ACCOUNT_ID_PATTERN.test(id)) {
      throw new InputError('allowed-account-ids', `'${id}' is not a 12-digit AWS account id`);
    }
  }
  return ids;
}

/** A role of the chain: an IAM role ARN, of the partition the job's region is in. */
function roleArnForJob(input: string, value: string, region: string): Arn {
  const arn = parseRoleArn(input, value);
  checkArnForJob(input, value, region);
  return arn;
}

export function readInputs(): Inputs {
  const region = resolveRegion('aws-region', optionalInput('aws-region'));
  const roleArn = requiredInput('role-to-assume');
  const firstHop: Hop = {
    roleArn,
    arn: roleArnForJob('role-to-assume', roleArn, region),
    externalId: readExternalId('role-external-id', optionalInput('role-external-id')),
  };
  const hops = [firstHop, ...readRoleChain(region)];

  const durationSeconds = durationInput('role-duration-seconds', {
    min: MIN_DURATION_SECONDS,
    max: MAX_DURATION_SECONDS,
    default: 3600,
  });
  if (hops.length > 1 && durationSeconds > CHAINED_MAX_DURATION_SECONDS) {
    throw new InputError(
      'role-duration-seconds',
      `${durationSeconds}s is over one hour, the most AWS allows for a role reached by role chaining (role-chain has ${hops.length - 1} hop(s))`,
    );
  }

  const audience = requiredInput('audience');

  const given = optionalInput('role-session-name');
  // The default is made from the repository and the run: checked by STS's rule all the same.
  const sessionName = checkAwsValue(
    'role-session-name',
    'roleSessionName',
    given ?? defaultSessionName(githubContext()),
    given === undefined ? 'the name made from the run, ' : '',
  );

  const profile = profileInput('aws-profile');

  const allowedAccountIds = readAllowedAccounts();
  const finalAccount = hops[hops.length - 1]!.arn.account;
  if (allowedAccountIds.length > 0 && !allowedAccountIds.includes(finalAccount)) {
    throw new InputError(
      'allowed-account-ids',
      `the final role is in account ${finalAccount}, which is not in the list (${allowedAccountIds.join(', ')})`,
    );
  }

  return {
    hops,
    credentialSource: choiceInput('credential-source', ['auto', 'oidc', 'environment'] as const, 'auto'),
    audience,
    region,
    roleDurationSeconds: durationSeconds,
    roleSessionName: sessionName,
    sessionTags: !booleanInput('skip-session-tags', false),
    allowedAccountIds,
    profile,
    outputCredentials: booleanInput('output-credentials', false),
    maskAccountId: booleanInput('mask-account-id', false),
    cleanup: booleanInput('cleanup', true),
    refreshCredentials: booleanInput('refresh-credentials', true),
  };
}

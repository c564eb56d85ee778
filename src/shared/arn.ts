import { InputError } from './errors.ts';

export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

const ARN_PATTERN =
  /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws)?:(.+)$/;

export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

export function parseArn(value: string): Arn | undefined {
  const match = ARN_PATTERN.exec(value);
  if (!match) return undefined;
  const [, partition, service, region, account, resource] = match;
  return {
    partition: partition!,
    service: service!,
    region: region!,
    account: account ?? '',
    resource: resource!,
  };
}

// IAM role names: 1-64 of [\w+=,.@-], optionally under a path.
const ROLE_RESOURCE = /^role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

/** Parses an IAM role ARN, or raises an InputError naming the input. */
export function parseRoleArn(input: string, value: string): Arn {
  const arn = parseArn(value);
  if (!arn || arn.service !== 'iam' || !ACCOUNT_ID_PATTERN.test(arn.account) || !ROLE_RESOURCE.test(arn.resource)) {
    throw new InputError(
      input,
      `'${value}' is not an IAM role ARN (expected arn:aws:iam::<12-digit account>:role/<name>)`,
    );
  }
  return arn;
}

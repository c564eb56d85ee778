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

/**
 * The partition a region belongs to. An ARN of another partition names nothing a job in this
 * region can reach: AWS refuses it, sometimes only after other calls have changed things.
 */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  return 'aws';
}

// Services whose ARNs carry no region: their resources serve every region of the partition.
const GLOBAL_SERVICES = new Set(['iam', 'sts']);

/**
 * The one rule for every ARN an action is given: of the job's partition, and for regional
 * resources, of the job's region (SageMaker uses a role, a package or a pipeline of its own region
 * only). `aws-region` names the job's region in the messages, as it is the input that sets it.
 */
export function checkArnForJob(input: string, value: string, region: string): Arn {
  const arn = parseArn(value);
  if (!arn) {
    throw new InputError(
      input,
      `'${value}' is not an ARN (arn:<partition>:<service>:<region>:<12-digit account>:<resource>)`,
    );
  }
  const partition = partitionOf(region);
  if (arn.partition !== partition) {
    throw new InputError(
      input,
      `'${value}' is in partition ${arn.partition}, but aws-region ${region} is in ${partition}`,
    );
  }
  if (GLOBAL_SERVICES.has(arn.service)) {
    if (arn.region !== '') throw new InputError(input, `'${value}': ${arn.service} ARNs have no region`);
  } else if (arn.region !== region) {
    throw new InputError(
      input,
      `'${value}' is in region ${arn.region || '(none)'}, but aws-region is ${region}: ${arn.service} resources are used from their own region`,
    );
  }
  if (!ACCOUNT_ID_PATTERN.test(arn.account)) {
    throw new InputError(input, `'${value}': '${arn.account}' is not a 12-digit account id`);
  }
  return arn;
}

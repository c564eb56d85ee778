import { checkArnForJob, parseArn } from '../runtime/arn.ts';
import { awsInputs, type AwsInputs } from '../runtime/aws-inputs.ts';
import { InputError } from '../runtime/errors.ts';
import { choiceInput, integerInput, optionalInput, refuseUnless } from '../runtime/inputs.ts';
import { checkAwsValue } from '../runtime/aws-constraints.ts';

export type Mode = 'check' | 'wait' | 'approve' | 'reject';

export interface Inputs extends AwsInputs {
  mode: Mode;
  /** Group name or ARN; the newest package in it is the one judged. */
  group?: string;
  packageArn?: string;
  timeoutMinutes: number;
  reason?: string;
}

function readPackageArn(region: string): string | undefined {
  const value = optionalInput('model-package-arn');
  if (value === undefined) return undefined;
  checkAwsValue('model-package-arn', 'modelPackageArn', value);
  checkArnForJob('model-package-arn', value, region);
  // Versioned: a decision is about one package, never a whole group.
  const arn = parseArn(value);
  if (!arn || !/^model-package\/[^/]+\/\d+$/.test(arn.resource)) {
    throw new InputError(
      'model-package-arn',
      `'${value}' is not a versioned model package ARN (arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>)`,
    );
  }
  return value;
}

function readGroup(region: string): string | undefined {
  const value = optionalInput('model-package-group');
  if (value === undefined) return undefined;
  // ListModelPackages takes a name or an ARN; its pattern allows any resource type in the ARN.
  checkAwsValue('model-package-group', 'modelPackageGroupNameOrArn', value);
  if (value.startsWith('arn:') && !/:model-package-group\/[^/]+$/.test(value)) {
    throw new InputError(
      'model-package-group',
      `'${value}' is not a model package group ARN (arn:aws:sagemaker:<region>:<account>:model-package-group/<name>)`,
    );
  }
  if (value.startsWith('arn:')) checkArnForJob('model-package-group', value, region);
  return value;
}

export function readInputs(): Inputs {
  const aws = awsInputs();
  const mode = choiceInput('mode', ['check', 'wait', 'approve', 'reject'] as const, 'check');
  const packageArn = readPackageArn(aws.region);
  const group = readGroup(aws.region);
  if (packageArn && group) {
    throw new InputError('model-package-group', 'give either model-package-group or model-package-arn, not both');
  }
  if ((mode === 'approve' || mode === 'reject') && !packageArn) {
    // Deciding on "the newest in the group" could approve a package nobody reviewed.
    throw new InputError(
      'model-package-arn',
      `is required for mode ${mode}: name the exact package the decision is about`,
    );
  }
  if (!packageArn && !group)
    throw new InputError('model-package-group', 'give model-package-group or model-package-arn');
  // Its limit is checked on the ApprovalDescription it becomes (main.ts), with who decided and where.
  const reason = optionalInput('reason');
  // Only a decision is recorded with a reason; a check or a wait would drop it without a word.
  refuseUnless(mode === 'approve' || mode === 'reject', 'reason', `with mode approve or reject (mode is ${mode})`);
  refuseUnless(mode === 'wait', 'timeout-minutes', `with mode wait (mode is ${mode})`, '60');
  const timeoutMinutes = integerInput('timeout-minutes', { min: 1, max: 43200, default: 60 });
  return {
    ...aws,
    mode,
    ...(group ? { group } : {}),
    ...(packageArn ? { packageArn } : {}),
    timeoutMinutes,
    ...(reason ? { reason } : {}),
  };
}

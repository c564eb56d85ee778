import { checkArnForJob, parseArn } from '../runtime/arn.ts';
import { awsInputs, type AwsInputs } from '../runtime/aws-inputs.ts';
import { InputError } from '../runtime/errors.ts';
import { booleanInput, choiceInput, integerInput, optionalInput, refuseUnless } from '../runtime/inputs.ts';
import { checkAwsValue } from '../runtime/aws-constraints.ts';

export type Decision = 'approve' | 'reject';

export interface Inputs extends AwsInputs {
  /** A decision to record; without one the step judges the package (the gate). */
  decision?: Decision;
  /** The gate waits until the package is decided instead of judging it as it is. */
  wait: boolean;
  /** Group name or ARN; the newest package in it is the one judged. */
  modelPackageGroup?: string;
  modelPackageArn?: string;
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
  const value = optionalInput('model-package-group-name');
  if (value === undefined) return undefined;
  // ListModelPackages takes a name or an ARN; its pattern allows any resource type in the ARN.
  checkAwsValue('model-package-group-name', 'modelPackageGroupNameOrArn', value);
  if (value.startsWith('arn:') && !/:model-package-group\/[^/]+$/.test(value)) {
    throw new InputError(
      'model-package-group-name',
      `'${value}' is not a model package group ARN (arn:aws:sagemaker:<region>:<account>:model-package-group/<name>)`,
    );
  }
  if (value.startsWith('arn:')) checkArnForJob('model-package-group-name', value, region);
  return value;
}

export function readInputs(): Inputs {
  const aws = awsInputs();
  // Empty is no decision (the gate), so the choice's default is never used.
  const decision: Decision | undefined =
    optionalInput('decision') === undefined
      ? undefined
      : choiceInput('decision', ['approve', 'reject'] as const, 'approve');
  const wait = booleanInput('wait', false);
  const modelPackageArn = readPackageArn(aws.region);
  const modelPackageGroup = readGroup(aws.region);
  if (modelPackageArn && modelPackageGroup) {
    throw new InputError(
      'model-package-group-name',
      'give either model-package-group-name or model-package-arn, not both',
    );
  }
  if (decision && !modelPackageArn) {
    // Deciding on "the newest in the group" could approve a package nobody reviewed.
    throw new InputError(
      'model-package-arn',
      `is required with decision: ${decision}: name the exact package the decision is about`,
    );
  }
  if (!modelPackageArn && !modelPackageGroup)
    throw new InputError('model-package-group-name', 'give model-package-group-name or model-package-arn');
  // A decision is recorded at once: waiting for one is the gate's job.
  if (decision) refuseUnless(!wait, 'wait', `without decision (decision is ${decision})`, 'false');
  // Its limit is checked on the ApprovalDescription it becomes (main.ts), with who decided and where.
  const reason = optionalInput('reason');
  // Only a decision is recorded with a reason; the gate would drop it without a word.
  refuseUnless(decision !== undefined, 'reason', 'with decision: approve or reject');
  refuseUnless(wait, 'timeout-minutes', 'with wait: true', '60');
  const timeoutMinutes = integerInput('timeout-minutes', { min: 1, max: 43200, default: 60 });
  return {
    ...aws,
    ...(decision ? { decision } : {}),
    wait,
    ...(modelPackageGroup ? { modelPackageGroup } : {}),
    ...(modelPackageArn ? { modelPackageArn } : {}),
    timeoutMinutes,
    ...(reason ? { reason } : {}),
  };
}

import { parseArn } from '../shared/arn.ts';
import { awsInputs, type AwsInputs } from '../shared/aws-inputs.ts';
import { InputError } from '../shared/errors.ts';
import { choiceInput, integerInput, optionalInput } from '../shared/inputs.ts';
import { SAGEMAKER_NAME_PATTERN } from '../shared/sagemaker-names.ts';

export type Mode = 'check' | 'wait' | 'approve' | 'reject';

export interface Inputs extends AwsInputs {
  mode: Mode;
  /** Group name or ARN; the newest package in it is the one judged. */
  group?: string;
  packageArn?: string;
  timeoutMinutes: number;
  reason?: string;
}

function readPackageArn(): string | undefined {
  const value = optionalInput('model-package-arn');
  if (value === undefined) return undefined;
  const arn = parseArn(value);
  if (!arn || arn.service !== 'sagemaker' || !/^model-package\/[a-zA-Z0-9-]{1,63}\/\d+$/.test(arn.resource)) {
    throw new InputError(
      'model-package-arn',
      `'${value}' is not a versioned model package ARN (arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>)`,
    );
  }
  return value;
}

function readGroup(): string | undefined {
  const value = optionalInput('model-package-group');
  if (value === undefined) return undefined;
  if (value.startsWith('arn:')) {
    const arn = parseArn(value);
    if (!arn || arn.service !== 'sagemaker' || !/^model-package-group\/[a-zA-Z0-9-]{1,63}$/.test(arn.resource)) {
      throw new InputError(
        'model-package-group',
        `'${value}' is not a model package group ARN (arn:aws:sagemaker:<region>:<account>:model-package-group/<name>)`,
      );
    }
  } else if (!SAGEMAKER_NAME_PATTERN.test(value)) {
    throw new InputError(
      'model-package-group',
      `'${value}' is not a model package group name (1-63 letters, digits and hyphens) or ARN`,
    );
  }
  return value;
}

export function readInputs(): Inputs {
  const mode = choiceInput('mode', ['check', 'wait', 'approve', 'reject'] as const, 'check');
  const packageArn = readPackageArn();
  const group = readGroup();
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
  const reason = optionalInput('reason');
  if (reason !== undefined && reason.length > 700) throw new InputError('reason', 'is over 700 characters');
  return {
    ...awsInputs(),
    mode,
    ...(group ? { group } : {}),
    ...(packageArn ? { packageArn } : {}),
    timeoutMinutes: integerInput('timeout-minutes', { min: 1, max: 43200, default: 60 }),
    ...(reason ? { reason } : {}),
  };
}

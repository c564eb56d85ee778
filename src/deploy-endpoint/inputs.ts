import { parseArn, parseRoleArn } from '../shared/arn.ts';
import { awsInputs, type AwsInputs } from '../shared/aws-inputs.ts';
import { InputError } from '../shared/errors.ts';
import { booleanInput, choiceInput, integerInput, listInput, optionalInput, requiredInput } from '../shared/inputs.ts';
import { objectInput } from '../shared/object-input.ts';
import { readName, SAGEMAKER_NAME_PATTERN } from '../shared/sagemaker-names.ts';

export type Strategy = 'direct' | 'blue-green';
export type TrafficRouting = 'all-at-once' | 'canary' | 'linear';

export interface Inputs extends AwsInputs {
  packageArn: string;
  endpointName: string;
  executionRoleArn: string;
  instanceType: string;
  instanceCount: number;
  variantName: string;
  strategy: Strategy;
  trafficRouting: TrafficRouting;
  /** Percent of capacity moved per canary or linear step. */
  stepPercent: number;
  waitIntervalSeconds: number;
  rollbackAlarms: string[];
  requireApproval: boolean;
  tags: Record<string, string>;
}

const PACKAGE_RESOURCE = /^model-package\/[a-zA-Z0-9-]{1,63}\/\d+$/;
const INSTANCE_TYPE = /^ml\.[a-z0-9-]+\.[a-z0-9]+$/;

export async function readInputs(): Promise<Inputs> {
  const packageArn = requiredInput('model-package-arn');
  const arn = parseArn(packageArn);
  if (!arn || arn.service !== 'sagemaker' || !PACKAGE_RESOURCE.test(arn.resource)) {
    throw new InputError(
      'model-package-arn',
      `'${packageArn}' is not a versioned model package ARN (arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>)`,
    );
  }
  const endpointName = readName('endpoint-name', requiredInput('endpoint-name'));
  const executionRoleArn = requiredInput('execution-role-arn');
  parseRoleArn('execution-role-arn', executionRoleArn);
  const instanceType = optionalInput('instance-type') ?? 'ml.m5.large';
  if (!INSTANCE_TYPE.test(instanceType))
    throw new InputError('instance-type', `'${instanceType}' is not a SageMaker instance type (such as ml.m5.large)`);
  const variantName = optionalInput('variant-name') ?? 'AllTraffic';
  if (!SAGEMAKER_NAME_PATTERN.test(variantName))
    throw new InputError('variant-name', `'${variantName}' must be 1-63 letters, digits and hyphens`);
  const strategy = choiceInput('deployment', ['direct', 'blue-green'] as const, 'direct');
  const rollbackAlarms = listInput('rollback-alarms');
  if (rollbackAlarms.length > 10) throw new InputError('rollback-alarms', 'SageMaker takes at most 10 alarms');
  if (rollbackAlarms.length > 0 && strategy !== 'blue-green') {
    throw new InputError('rollback-alarms', 'only apply to deployment: blue-green');
  }
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries((await objectInput('tags')) ?? {}))
    tags[key] = typeof value === 'string' ? value : JSON.stringify(value);
  return {
    ...awsInputs(),
    packageArn,
    endpointName,
    executionRoleArn,
    instanceType,
    instanceCount: integerInput('instance-count', { min: 1, max: 100, default: 1 }),
    variantName,
    strategy,
    trafficRouting: choiceInput('traffic-routing', ['all-at-once', 'canary', 'linear'] as const, 'all-at-once'),
    stepPercent: integerInput('step-percent', { min: 1, max: 99, default: 10 }),
    waitIntervalSeconds: integerInput('wait-interval-seconds', { min: 0, max: 3600, default: 300 }),
    rollbackAlarms,
    requireApproval: booleanInput('require-approval', true),
    tags,
  };
}

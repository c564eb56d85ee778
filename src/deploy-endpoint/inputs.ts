import { parseArn } from '../shared/arn.ts';
import { checkAwsCount, checkAwsValue, checkSageMakerTags } from '../shared/aws-constraints.ts';
import { awsInputs, type AwsInputs } from '../shared/aws-inputs.ts';
import { InputError } from '../shared/errors.ts';
import { booleanInput, choiceInput, integerInput, listInput, optionalInput, requiredInput } from '../shared/inputs.ts';
import { objectInput } from '../shared/object-input.ts';

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

// The names this action derives need the package's group and version: ARN, not name.
const VERSIONED_PACKAGE = /^model-package\/[^/]+\/\d+$/;

export async function readInputs(): Promise<Inputs> {
  const packageArn = checkAwsValue('model-package-arn', 'modelPackageArn', requiredInput('model-package-arn'));
  const arn = parseArn(packageArn);
  if (!arn || !VERSIONED_PACKAGE.test(arn.resource)) {
    throw new InputError(
      'model-package-arn',
      `'${packageArn}' is not a versioned model package ARN (arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>)`,
    );
  }
  const endpointName = checkAwsValue('endpoint-name', 'endpointName', requiredInput('endpoint-name'));
  const executionRoleArn = checkAwsValue('execution-role-arn', 'modelRoleArn', requiredInput('execution-role-arn'));
  const instanceType = checkAwsValue('instance-type', 'instanceType', optionalInput('instance-type') ?? 'ml.m5.large');
  const variantName = checkAwsValue('variant-name', 'variantName', optionalInput('variant-name') ?? 'AllTraffic');
  const strategy = choiceInput('deployment', ['direct', 'blue-green'] as const, 'direct');
  const rollbackAlarms = listInput('rollback-alarms');
  if (rollbackAlarms.length > 0) checkAwsCount('rollback-alarms', 'rollbackAlarms', rollbackAlarms.length);
  for (const alarm of rollbackAlarms) checkAwsValue('rollback-alarms', 'alarmName', alarm);
  if (rollbackAlarms.length > 0 && strategy !== 'blue-green') {
    throw new InputError('rollback-alarms', 'only apply to deployment: blue-green');
  }
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries((await objectInput('tags')) ?? {}))
    tags[key] = typeof value === 'string' ? value : JSON.stringify(value);
  checkSageMakerTags('tags', tags);
  return {
    ...awsInputs(),
    packageArn,
    endpointName,
    executionRoleArn,
    instanceType,
    instanceCount: checkAwsValue(
      'instance-count',
      'instanceCount',
      // AWS's model sets no maximum (account quotas do); 100 keeps a typo from asking for thousands.
      integerInput('instance-count', { min: Number.MIN_SAFE_INTEGER, max: 100, default: 1 }),
    ),
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

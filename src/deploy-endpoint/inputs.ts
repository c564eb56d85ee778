import { checkArnForJob } from '../runtime/arn.ts';
import { checkAwsCount, checkAwsValue, checkSageMakerTags } from '../runtime/aws-constraints.ts';
import { awsInputs, type AwsInputs } from '../runtime/aws-inputs.ts';
import { InputError } from '../runtime/errors.ts';
import {
  booleanInput,
  choiceInput,
  integerInput,
  listInput,
  optionalInput,
  refuseUnless,
  requiredInput,
} from '../runtime/inputs.ts';
import { objectInput } from '../runtime/object-input.ts';
import { isOwnershipTag, OWNERSHIP_TAG_KEYS } from '../sagemaker/ownership-tags.ts';

export type Strategy = 'direct' | 'blue-green';
export type TrafficRouting = 'all-at-once' | 'canary' | 'linear';

export interface Inputs extends AwsInputs {
  /** What is served: a model package, or an image (by digest) with optional model data. One of the two. */
  modelPackageArn?: string;
  image?: string;
  modelDataUrl?: string;
  /** Container environment variables, in either case. */
  environment: Record<string, string>;
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
/** <registry>/<repository>@sha256:<digest>: a tag can move, a digest is the bytes that were tested. */
const IMAGE_BY_DIGEST = /^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+@sha256:[0-9a-f]{64}$/;
const S3_URI = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/\S+$/;

function readPackageArn(region: string): string | undefined {
  const value = optionalInput('model-package-arn');
  if (value === undefined) return undefined;
  const packageArn = checkAwsValue('model-package-arn', 'modelPackageArn', value);
  const arn = checkArnForJob('model-package-arn', packageArn, region);
  if (!VERSIONED_PACKAGE.test(arn.resource)) {
    throw new InputError(
      'model-package-arn',
      `'${packageArn}' is not a versioned model package ARN (arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>)`,
    );
  }
  return packageArn;
}

function readImage(): string | undefined {
  const value = optionalInput('image');
  if (value === undefined) return undefined;
  const image = checkAwsValue('image', 'containerImage', value);
  if (!IMAGE_BY_DIGEST.test(image)) {
    throw new InputError(
      'image',
      `'${image}' is not an image by digest (<registry>/<repository>@sha256:<64 hex>, as build-push-image's image-uri output gives it)`,
    );
  }
  return image;
}

async function readEnvironment(): Promise<Record<string, string>> {
  const environment: Record<string, string> = {};
  const given = Object.entries((await objectInput('environment')) ?? {});
  checkAwsCount('environment', 'containerEnvironment', given.length);
  for (const [name, value] of given) {
    checkAwsValue('environment', 'environmentName', name, 'variable name ');
    const text = typeof value === 'string' ? value : value === null ? '' : JSON.stringify(value);
    environment[name] = checkAwsValue('environment', 'environmentValue', text, `the value of ${name}, `);
  }
  return environment;
}

async function readTags(): Promise<Record<string, string>> {
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries((await objectInput('tags')) ?? {})) {
    if (isOwnershipTag(key))
      throw new InputError('tags', `'${key}': keys starting mlops-actions: are set by the action`);
    tags[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return checkSageMakerTags('tags', tags, OWNERSHIP_TAG_KEYS);
}

export async function readInputs(): Promise<Inputs> {
  const aws = awsInputs();
  const modelPackageArn = readPackageArn(aws.region);
  const image = readImage();
  if (modelPackageArn !== undefined && image !== undefined) {
    throw new InputError(
      'image',
      "cannot be given with input 'model-package-arn': deploy either a model package or an image (with model-data-url), not both",
    );
  }
  if (modelPackageArn === undefined && image === undefined)
    throw new InputError('model-package-arn', "is required (or give input 'image' to deploy an image directly)");
  const modelDataUrl = optionalInput('model-data-url');
  if (modelDataUrl !== undefined && image === undefined)
    throw new InputError('model-data-url', "needs input 'image' (a model package names its own model data)");
  if (modelDataUrl !== undefined) {
    checkAwsValue('model-data-url', 'modelDataUrl', modelDataUrl);
    if (!S3_URI.test(modelDataUrl))
      throw new InputError('model-data-url', `'${modelDataUrl}' is not an S3 URI (s3://<bucket>/<key>)`);
  }
  const endpointName = checkAwsValue('endpoint-name', 'endpointName', requiredInput('endpoint-name'));
  const executionRoleArn = checkAwsValue('execution-role-arn', 'modelRoleArn', requiredInput('execution-role-arn'));
  checkArnForJob('execution-role-arn', executionRoleArn, aws.region);
  const instanceType = checkAwsValue('instance-type', 'instanceType', optionalInput('instance-type') ?? 'ml.m5.large');
  const variantName = checkAwsValue('variant-name', 'variantName', optionalInput('variant-name') ?? 'AllTraffic');
  const strategy = choiceInput('strategy', ['direct', 'blue-green'] as const, 'direct');
  const rollbackAlarms = listInput('rollback-alarms');
  if (rollbackAlarms.length > 0) checkAwsCount('rollback-alarms', 'rollbackAlarms', rollbackAlarms.length);
  for (const alarm of rollbackAlarms) checkAwsValue('rollback-alarms', 'alarmName', alarm);
  const blueGreen = strategy === 'blue-green';
  if (rollbackAlarms.length > 0 && !blueGreen) {
    throw new InputError('rollback-alarms', 'only apply to strategy: blue-green');
  }
  // How traffic moves is a blue/green setting: a direct update would ignore it without a word.
  refuseUnless(blueGreen, 'traffic-routing', 'with strategy: blue-green', 'all-at-once');
  refuseUnless(blueGreen, 'wait-interval-seconds', 'with strategy: blue-green', '300');
  const trafficRouting = choiceInput('traffic-routing', ['all-at-once', 'canary', 'linear'] as const, 'all-at-once');
  refuseUnless(trafficRouting !== 'all-at-once', 'step-percent', 'with traffic-routing canary or linear', '10');
  return {
    ...aws,
    ...(modelPackageArn ? { modelPackageArn } : {}),
    ...(image ? { image } : {}),
    ...(modelDataUrl ? { modelDataUrl } : {}),
    environment: await readEnvironment(),
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
    trafficRouting,
    stepPercent: integerInput('step-percent', { min: 1, max: 99, default: 10 }),
    waitIntervalSeconds: integerInput('wait-interval-seconds', { min: 0, max: 3600, default: 300 }),
    rollbackAlarms,
    requireApproval: booleanInput('require-approval', true),
    tags: await readTags(),
  };
}

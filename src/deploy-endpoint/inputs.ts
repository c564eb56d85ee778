import { parseArn, parseRoleArn } from '../shared/arn.ts';
import { awsInputs, type AwsInputs } from '../shared/aws-inputs.ts';
import { InputError } from '../shared/errors.ts';
import { booleanInput, choiceInput, integerInput, listInput, optionalInput, requiredInput } from '../shared/inputs.ts';
import { objectInput } from '../shared/object-input.ts';
import { isOwnershipTag } from '../shared/ownership-tags.ts';
import { readName, SAGEMAKER_NAME_PATTERN } from '../shared/sagemaker-names.ts';

export type Strategy = 'direct' | 'blue-green';
export type TrafficRouting = 'all-at-once' | 'canary' | 'linear';

export interface Inputs extends AwsInputs {
  /** What is served: a model package, or an image (by digest) with optional model data. One of the two. */
  packageArn?: string;
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

const PACKAGE_RESOURCE = /^model-package\/[a-zA-Z0-9-]{1,63}\/\d+$/;
const INSTANCE_TYPE = /^ml\.[a-z0-9-]+\.[a-z0-9]+$/;
/** <registry>/<repository>@sha256:<digest>: a tag can move, a digest is the bytes that were tested. */
const IMAGE_BY_DIGEST = /^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+@sha256:[0-9a-f]{64}$/;
const S3_URI = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/\S+$/;
// SageMaker's ContainerDefinition.Environment: at most 100 variables, names and values of up to 1024 characters.
const ENVIRONMENT_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,1023}$/;
const MAX_ENVIRONMENT = 100;

function readPackageArn(): string | undefined {
  const packageArn = optionalInput('model-package-arn');
  if (packageArn === undefined) return undefined;
  const arn = parseArn(packageArn);
  if (!arn || arn.service !== 'sagemaker' || !PACKAGE_RESOURCE.test(arn.resource)) {
    throw new InputError(
      'model-package-arn',
      `'${packageArn}' is not a versioned model package ARN (arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>)`,
    );
  }
  return packageArn;
}

function readImage(): string | undefined {
  const image = optionalInput('image');
  if (image === undefined) return undefined;
  if (image.length > 255) throw new InputError('image', "is over SageMaker's 255 characters");
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
  if (given.length > MAX_ENVIRONMENT)
    throw new InputError('environment', `has ${given.length} variables; SageMaker takes at most ${MAX_ENVIRONMENT}`);
  for (const [name, value] of given) {
    if (!ENVIRONMENT_NAME.test(name))
      throw new InputError(
        'environment',
        `'${name}' is not a variable name (letters, digits and _, not first a digit)`,
      );
    const text = typeof value === 'string' ? value : value === null ? '' : JSON.stringify(value);
    if (text.length > 1024)
      throw new InputError('environment', `the value of ${name} is ${text.length} characters; SageMaker takes 1024`);
    environment[name] = text;
  }
  return environment;
}

export async function readInputs(): Promise<Inputs> {
  const packageArn = readPackageArn();
  const image = readImage();
  if (packageArn !== undefined && image !== undefined) {
    throw new InputError(
      'image',
      "cannot be given with input 'model-package-arn': deploy either a model package or an image (with model-data-url), not both",
    );
  }
  if (packageArn === undefined && image === undefined)
    throw new InputError('model-package-arn', "is required (or give input 'image' to deploy an image directly)");
  const modelDataUrl = optionalInput('model-data-url');
  if (modelDataUrl !== undefined && image === undefined)
    throw new InputError('model-data-url', "needs input 'image' (a model package names its own model data)");
  if (modelDataUrl !== undefined && (!S3_URI.test(modelDataUrl) || modelDataUrl.length > 1024))
    throw new InputError('model-data-url', `'${modelDataUrl}' is not an S3 URI (s3://<bucket>/<key>)`);
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
  for (const [key, value] of Object.entries((await objectInput('tags')) ?? {})) {
    if (isOwnershipTag(key))
      throw new InputError('tags', `'${key}': keys starting mlops-actions: are set by the action`);
    tags[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  // SageMaker takes 50 tags; the action adds up to four of its own.
  if (Object.keys(tags).length > 46) throw new InputError('tags', 'takes at most 46 tags (SageMaker allows 50)');
  return {
    ...awsInputs(),
    ...(packageArn ? { packageArn } : {}),
    ...(image ? { image } : {}),
    ...(modelDataUrl ? { modelDataUrl } : {}),
    environment: await readEnvironment(),
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

/**
 * The model and endpoint config a deployment creates. A deployment that differs in anything the
 * endpoint would serve gets new, uniquely named ones — the config the endpoint runs on is never
 * changed, and the previous ones are kept, because a rollback needs them. Names are a function of
 * what is deployed and of nothing else (not the run, not the attempt), so a retried step, a re-run
 * or the next run deploying the same thing finds what is already there instead of redeploying,
 * and an interrupted deploy leaves nothing a re-run would not reuse.
 */
import {
  type ContainerDefinition,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  type DeploymentConfig,
  type SageMakerClient,
  type Tag,
} from '@aws-sdk/client-sagemaker';
import { canonicalJson, sha256Hex } from '../runtime/canonical-json.ts';
import { awsErrorCode } from '../runtime/errors.ts';
import type { Inputs } from './inputs.ts';

/**
 * <endpoint>-v<package version>-<8 hex of what it is made of>, or for an image
 * <endpoint>-d<8 hex of its digest>-<8 hex>, within SageMaker's 63 characters.
 */
function nameFor(inputs: Inputs, madeOf: unknown[]): string {
  const hash = sha256Hex(canonicalJson(madeOf)).slice(0, 8);
  const label = inputs.modelPackageArn
    ? `v${inputs.modelPackageArn.split('/').pop()}`
    : `d${(inputs.image ?? '').split('@sha256:')[1]?.slice(0, 8) ?? ''}`;
  const suffix = `-${label}-${hash}`;
  return `${inputs.endpointName.slice(0, 63 - suffix.length).replace(/-+$/, '')}${suffix}`;
}

/** What the container runs: the package, or the image with its model data; and its environment. */
function servedBy(inputs: Inputs): unknown[] {
  const environment = Object.keys(inputs.environment ?? {}).length ? [{ environment: inputs.environment }] : [];
  if (inputs.modelPackageArn) return [inputs.modelPackageArn, ...environment];
  return [{ image: inputs.image, modelData: inputs.modelDataUrl ?? null }, ...environment];
}

/**
 * A model is what the container serves, run under an execution role. A package deployed without
 * environment variables keeps the name it always had.
 */
export function modelName(inputs: Inputs): string {
  const [served, ...rest] = servedBy(inputs);
  return nameFor(inputs, ['model', served, inputs.executionRoleArn, ...rest]);
}

/** The container definition CreateModel gets. */
export function containerDefinition(inputs: Inputs): ContainerDefinition {
  const environment = Object.keys(inputs.environment).length ? { Environment: inputs.environment } : {};
  if (inputs.modelPackageArn) return { ModelPackageName: inputs.modelPackageArn, ...environment };
  return {
    Image: inputs.image,
    ...(inputs.modelDataUrl ? { ModelDataUrl: inputs.modelDataUrl } : {}),
    ...environment,
  };
}

/** A config is a model on a fleet: the instances and the variant that serve it. */
export function configName(inputs: Inputs): string {
  return nameFor(inputs, ['config', modelName(inputs), inputs.instanceType, inputs.instanceCount, inputs.variantName]);
}

export const isAlreadyExists = (error: unknown): boolean =>
  awsErrorCode(error) === 'ValidationException' && /already exist/i.test((error as Error).message);

/** Creates something named; true when created, false when a retried step finds it already there. */
async function createUnlessExists(create: () => Promise<unknown>): Promise<boolean> {
  try {
    await create();
    return true;
  } catch (error) {
    if (isAlreadyExists(error)) return false;
    throw error;
  }
}

export function createModel(client: SageMakerClient, inputs: Inputs, name: string, tags: Tag[]): Promise<boolean> {
  return createUnlessExists(() =>
    client.send(
      new CreateModelCommand({
        ModelName: name,
        ExecutionRoleArn: inputs.executionRoleArn,
        PrimaryContainer: containerDefinition(inputs),
        Tags: tags,
      }),
    ),
  );
}

export function createConfig(
  client: SageMakerClient,
  inputs: Inputs,
  name: string,
  modelName: string,
  tags: Tag[],
): Promise<boolean> {
  return createUnlessExists(() =>
    client.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: name,
        ProductionVariants: [
          {
            VariantName: inputs.variantName,
            ModelName: modelName,
            InstanceType: inputs.instanceType as never,
            InitialInstanceCount: inputs.instanceCount,
            InitialVariantWeight: 1,
          },
        ],
        Tags: tags,
      }),
    ),
  );
}

/** Blue/green settings for UpdateEndpoint: traffic shifting and the alarms that roll it back. */
export function deploymentConfig(inputs: Inputs): DeploymentConfig | undefined {
  if (inputs.strategy !== 'blue-green') return undefined;
  const size = { Type: 'CAPACITY_PERCENT' as const, Value: inputs.stepPercent };
  const routing =
    inputs.trafficRouting === 'canary'
      ? { Type: 'CANARY' as const, CanarySize: size, WaitIntervalInSeconds: inputs.waitIntervalSeconds }
      : inputs.trafficRouting === 'linear'
        ? { Type: 'LINEAR' as const, LinearStepSize: size, WaitIntervalInSeconds: inputs.waitIntervalSeconds }
        : { Type: 'ALL_AT_ONCE' as const, WaitIntervalInSeconds: inputs.waitIntervalSeconds };
  return {
    BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: routing, TerminationWaitInSeconds: 600 },
    ...(inputs.rollbackAlarms.length
      ? { AutoRollbackConfiguration: { Alarms: inputs.rollbackAlarms.map((AlarmName) => ({ AlarmName })) } }
      : {}),
  };
}

/**
 * The model and endpoint config a deployment creates. A deployment that differs in anything the
 * endpoint would serve gets new, uniquely named ones — the config the endpoint runs on is never
 * changed, and the previous ones are kept, because a rollback needs them. Names are a function of
 * what is deployed and of nothing else (not the run, not the attempt), so a retried step, a re-run
 * or the next run deploying the same thing finds what is already there instead of redeploying,
 * and an interrupted deploy leaves nothing a re-run would not reuse.
 */
import {
  CreateEndpointConfigCommand,
  CreateModelCommand,
  type DeploymentConfig,
  type SageMakerClient,
  type Tag,
} from '@aws-sdk/client-sagemaker';
import { canonicalJson, sha256Hex } from '../shared/canonical-json.ts';
import { awsErrorCode } from '../shared/errors.ts';
import { retryTransient } from '../shared/retry.ts';
import type { Inputs } from './inputs.ts';

/** <endpoint>-v<package version>-<8 hex of what it is made of>, within SageMaker's 63 characters. */
function nameFor(inputs: Inputs, madeOf: unknown[]): string {
  const hash = sha256Hex(canonicalJson(madeOf)).slice(0, 8);
  const version = inputs.packageArn.split('/').pop();
  const suffix = `-v${version}-${hash}`;
  return `${inputs.endpointName.slice(0, 63 - suffix.length).replace(/-+$/, '')}${suffix}`;
}

/** A model is the package run under an execution role. */
export function modelName(inputs: Inputs): string {
  return nameFor(inputs, ['model', inputs.packageArn, inputs.executionRoleArn]);
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
    await retryTransient(create);
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
        PrimaryContainer: { ModelPackageName: inputs.packageArn },
        Tags: tags.length ? tags : undefined,
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
        Tags: tags.length ? tags : undefined,
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

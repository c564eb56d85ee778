import * as core from '@actions/core';
import {
  CreateEndpointCommand,
  DescribeEndpointCommand,
  SageMakerClient,
  UpdateEndpointCommand,
  type DescribeEndpointCommandOutput,
} from '@aws-sdk/client-sagemaker';
import { createClient } from '../runtime/aws-client.ts';
import { checkAwsValue } from '../runtime/aws-constraints.ts';
import { ActionError } from '../runtime/errors.ts';
import { unlessNotFound } from '../runtime/not-found.ts';
import { SummaryBuilder } from '../runtime/summary.ts';
import { githubContext } from '../runtime/github-context.ts';
import { ENDPOINT_BUSY } from '../sagemaker/endpoint-status.ts';
import { describePackage } from '../sagemaker/model-packages.ts';
import { ENDPOINT_TAG, ownershipTags } from '../sagemaker/ownership-tags.ts';
import { readInputs, type Inputs } from './inputs.ts';
import {
  configName as configNameOf,
  createConfig,
  createModel,
  isAlreadyExists,
  deploymentConfig,
  modelName as modelNameOf,
} from './resources.ts';

export const ACTION_NAME = 'deploy-endpoint';

/** The summary title's outcome, by the `action` output: the step starts a change, wait-for-endpoint sees it end. */
const DEPLOYMENT_OUTCOMES = {
  create: 'creating the endpoint',
  update: 'updating the endpoint',
  none: 'already deployed',
} as const;

/**
 * Creates the endpoint on the config. When the create's answer was lost and the retry finds the
 * endpoint there, it is ours if it is on this config; on any other, someone else got there first.
 */
async function createEndpoint(
  client: SageMakerClient,
  inputs: Inputs,
  configName: string,
  tags: { Key: string; Value: string }[],
): Promise<string> {
  try {
    const created = await client.send(
      new CreateEndpointCommand({
        EndpointName: inputs.endpointName,
        EndpointConfigName: configName,
        Tags: tags.length ? tags : undefined,
      }),
    );
    return created.EndpointArn ?? '';
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
    const found = await currentEndpoint(client, inputs.endpointName);
    if (found?.EndpointConfigName !== configName) {
      throw new ActionError(
        `endpoint ${inputs.endpointName} was created meanwhile on ${found?.EndpointConfigName ?? 'another config'}; run the deployment again to update it`,
      );
    }
    return found.EndpointArn ?? '';
  }
}

function currentEndpoint(client: SageMakerClient, name: string): Promise<DescribeEndpointCommandOutput | undefined> {
  return unlessNotFound(client.send(new DescribeEndpointCommand({ EndpointName: name })));
}

export async function run(): Promise<void> {
  const inputs = await readInputs();
  // Names made from the endpoint, the package version and what is served: checked as AWS will check them.
  const modelName = checkAwsValue('endpoint-name', 'modelName', modelNameOf(inputs), 'the model name made from it, ');
  const configName = checkAwsValue(
    'endpoint-name',
    'endpointConfigName',
    configNameOf(inputs),
    'the endpoint config name made from it, ',
  );
  const client = createClient(SageMakerClient, inputs);
  try {
    if (inputs.modelPackageArn) {
      const pkg = await describePackage(client, inputs.modelPackageArn);
      if (inputs.requireApproval && pkg.ModelApprovalStatus !== 'Approved') {
        throw new ActionError(
          `${inputs.modelPackageArn} is ${pkg.ModelApprovalStatus}; only Approved packages are deployed (require-approval)`,
        );
      }
    }
    const endpoint = await currentEndpoint(client, inputs.endpointName);
    const busy = endpoint !== undefined && ENDPOINT_BUSY.has(endpoint.EndpointStatus ?? '');
    // Busy on the way to this very config (a re-run while it is still Creating or Updating): nothing to do.
    const headingForThis =
      busy &&
      ((endpoint.EndpointStatus === 'Creating' && endpoint.EndpointConfigName === configName) ||
        endpoint.PendingDeploymentSummary?.EndpointConfigName === configName);
    if (busy && !headingForThis) {
      throw new ActionError(
        `endpoint ${inputs.endpointName} is ${endpoint.EndpointStatus}; wait for it to settle before deploying`,
      );
    }

    const tags = Object.entries({
      ...inputs.tags,
      ...ownershipTags(ACTION_NAME, githubContext(), { [ENDPOINT_TAG]: inputs.endpointName }),
    }).map(([Key, Value]) => ({ Key, Value }));
    const modelCreated = await createModel(client, inputs, modelName, tags);
    const configCreated = await createConfig(client, inputs, configName, modelName, tags);
    core.info(
      `Model ${modelName} ${modelCreated ? 'created' : 'already there'}; endpoint config ${configName} ${configCreated ? 'created' : 'already there'}`,
    );

    let action: 'create' | 'update' | 'none';
    let endpointArn = endpoint?.EndpointArn ?? '';
    if (!endpoint) {
      endpointArn = await createEndpoint(client, inputs, configName, tags);
      action = 'create';
    } else if (headingForThis || endpoint.EndpointConfigName === configName) {
      action = 'none';
    } else {
      const deployment = deploymentConfig(inputs);
      const updated = await client.send(
        new UpdateEndpointCommand({
          EndpointName: inputs.endpointName,
          EndpointConfigName: configName,
          ...(deployment ? { DeploymentConfig: deployment } : {}),
        }),
      );
      endpointArn = updated.EndpointArn ?? endpointArn;
      action = 'update';
    }
    const previous = endpoint?.EndpointConfigName ?? '';
    core.info(
      action === 'create'
        ? `Creating endpoint ${inputs.endpointName} on ${configName}`
        : action === 'update'
          ? `Updating endpoint ${inputs.endpointName} from ${previous} to ${configName}${inputs.strategy === 'blue-green' ? ` (blue/green, ${inputs.trafficRouting})` : ''}`
          : headingForThis
            ? `Endpoint ${inputs.endpointName} is already ${endpoint?.EndpointStatus} to ${configName}`
            : `Endpoint ${inputs.endpointName} already runs ${configName}`,
    );

    core.setOutput('endpoint-config-name', configName);
    core.setOutput('model-name', modelName);
    core.setOutput('endpoint-arn', endpointArn);
    core.setOutput('action', action);
    core.setOutput('previous-config-name', previous);
    await new SummaryBuilder()
      .heading(`Deployment to ${inputs.endpointName}: ${DEPLOYMENT_OUTCOMES[action]}`)
      .keyValues([
        ['Model package', inputs.modelPackageArn ? { code: inputs.modelPackageArn } : undefined],
        ['Image', inputs.image ? { code: inputs.image } : undefined],
        ['Model data', inputs.modelDataUrl ? { code: inputs.modelDataUrl } : undefined],
        [
          'Environment',
          Object.keys(inputs.environment).length ? Object.keys(inputs.environment).sort().join(', ') : undefined,
        ],
        ['Model', { code: modelName }],
        ['New endpoint config', { code: configName }],
        ['Previous endpoint config', previous ? { code: previous } : undefined],
        ['Instances', `${inputs.instanceCount} × ${inputs.instanceType}`],
        ['Strategy', inputs.strategy === 'blue-green' ? `blue/green, ${inputs.trafficRouting}` : 'direct'],
        ['Rollback alarms', inputs.rollbackAlarms.join(', ') || undefined],
      ])
      .paragraph('Wait for it with wait-for-endpoint and expected-config set to the new endpoint config.')
      .write();
  } finally {
    client.destroy();
  }
}

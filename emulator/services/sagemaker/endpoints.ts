import { createHash } from 'node:crypto';
import type { Handler, OperationContext } from '../../registry.ts';
import { arnOf, byTime, inputOf, listPage, scopeOf, sortOrder, validation, type Scope } from './common.ts';
import { cancelPlans, deploymentOf, planCreate, planDelete, planUpdate, type Env } from './endpoint-lifecycle.ts';
import { configMissing, findConfig } from './endpoint-configs.ts';
import { hostingOf, type Deployment, type Endpoint, type EndpointStatus } from './hosting-store.ts';
import { modelMissing, findModel } from './models.ts';
import { putTags } from './tags.ts';

// CreateEndpoint, UpdateEndpoint, DescribeEndpoint, ListEndpoints, DeleteEndpoint.

const IN_PROGRESS: ReadonlySet<EndpointStatus> = new Set([
  'Creating',
  'Updating',
  'SystemUpdating',
  'RollingBack',
  'Deleting',
]);

const endpointMissing = (scope: Scope, name: string) =>
  validation(`Could not find endpoint "${arnOf(scope, 'endpoint', name)}".`);

function envOf(context: OperationContext): Env {
  return { state: context.state, scope: scopeOf(context) };
}

function findEndpoint(context: OperationContext, name: string): Endpoint {
  const scope = scopeOf(context);
  const endpoint = hostingOf(context.state, scope).endpoints.get(name.toLowerCase());
  if (!endpoint) throw endpointMissing(scope, name);
  return endpoint;
}

/** The config to deploy, with every model it names still present (CreateEndpoint checks both). */
function deployable(context: OperationContext, configName: string, now: number): Deployment {
  const scope = scopeOf(context);
  const config = findConfig(context.state, scope, configName);
  if (!config) throw configMissing(scope, configName);
  for (const variant of config.variants) {
    if (!findModel(context.state, scope, variant.modelName)) throw modelMissing(scope, variant.modelName);
  }
  return deploymentOf(envOf(context), config, now);
}

/** The model check has bounded the alarms (at most 10) and the rest of the config. */
function readDeploymentConfig(context: OperationContext): Record<string, unknown> | undefined {
  return inputOf(context).object('DeploymentConfig');
}

function createEndpoint(context: OperationContext): Record<string, unknown> {
  const input = inputOf(context);
  const name = input.string('EndpointName') ?? '';
  const configName = input.string('EndpointConfigName') ?? '';
  const tags = input.list('Tags');
  const deploymentConfig = readDeploymentConfig(context);
  const scope = scopeOf(context);
  const store = hostingOf(context.state, scope);
  const arn = arnOf(scope, 'endpoint', name);
  if (store.endpoints.has(name.toLowerCase())) throw validation(`Cannot create already existing endpoint "${arn}".`);
  const now = context.state.clock.now();
  const endpoint: Endpoint = {
    name,
    arn,
    creationTime: now,
    lastModifiedTime: now,
    status: 'Creating',
    failureReason: undefined,
    live: deployable(context, configName, now),
    pending: undefined,
    variantActivity: undefined,
    instancesUp: false,
    lastDeploymentConfig: deploymentConfig,
    timeline: [],
    deleted: false,
  };
  store.endpoints.set(name.toLowerCase(), endpoint);
  planCreate(envOf(context), endpoint, now);
  if (tags) putTags(context, arn, tags);
  return { EndpointArn: arn };
}

function updateEndpoint(context: OperationContext): Record<string, unknown> {
  const input = inputOf(context);
  const name = input.string('EndpointName') ?? '';
  const configName = input.string('EndpointConfigName') ?? '';
  const retain = input.boolean('RetainDeploymentConfig') ?? false;
  const deploymentConfig = readDeploymentConfig(context);
  const endpoint = findEndpoint(context, name);
  if (IN_PROGRESS.has(endpoint.status)) throw validation(`Cannot update in-progress endpoint "${endpoint.arn}".`);
  if (endpoint.status !== 'InService')
    throw validation(`Cannot update endpoint "${endpoint.arn}" in ${endpoint.status} status.`);
  const now = context.state.clock.now();
  const next = deployable(context, configName, now);
  cancelPlans(endpoint);
  if (deploymentConfig !== undefined || !retain) endpoint.lastDeploymentConfig = deploymentConfig;
  planUpdate(envOf(context), endpoint, next, now);
  return { EndpointArn: endpoint.arn };
}

/** Images as deployed: tags resolved to a digest (a stable stand-in when the spec names none). */
function deployedImages(deployment: Deployment, images: string[]): Record<string, unknown>[] | undefined {
  if (deployment.resolutionTime === undefined) return undefined;
  return images.map((image) => {
    const digest = /@sha256:[0-9a-f]{64}$/.test(image)
      ? image
      : `${image.replace(/:[^/:@]+$/, '')}@sha256:${createHash('sha256').update(image).digest('hex')}`;
    return { SpecifiedImage: image, ResolvedImage: digest, ResolutionTime: new Date(deployment.resolutionTime ?? 0) };
  });
}

function variantStatus(endpoint: Endpoint, isPending: boolean): Record<string, unknown> {
  const activity = endpoint.variantActivity;
  const applies = activity !== undefined && (endpoint.pending !== undefined) === isPending;
  return applies ? { VariantStatus: [{ Status: activity.status, StartTime: new Date(activity.since) }] } : {};
}

function variantsView(endpoint: Endpoint, deployment: Deployment, isPending: boolean): Record<string, unknown>[] {
  const up = isPending ? false : endpoint.instancesUp;
  return deployment.variants.map((variant) => {
    const images = deployedImages(deployment, variant.images);
    return {
      VariantName: variant.name,
      ...(images ? { DeployedImages: images } : {}),
      CurrentWeight: up ? variant.weight : 0,
      DesiredWeight: variant.weight,
      CurrentInstanceCount: up ? variant.instanceCount : 0,
      DesiredInstanceCount: variant.instanceCount,
      ...(isPending && variant.instanceType ? { InstanceType: variant.instanceType } : {}),
      ...variantStatus(endpoint, isPending),
    };
  });
}

function describeEndpoint(context: OperationContext): Record<string, unknown> {
  const input = inputOf(context);
  const name = input.string('EndpointName') ?? '';
  const endpoint = findEndpoint(context, name);
  return {
    EndpointName: endpoint.name,
    EndpointArn: endpoint.arn,
    // The config serving now: during an update and after a rollback, still the old one.
    EndpointConfigName: endpoint.live.configName,
    ProductionVariants: variantsView(endpoint, endpoint.live, false),
    EndpointStatus: endpoint.status,
    ...(endpoint.failureReason !== undefined ? { FailureReason: endpoint.failureReason } : {}),
    CreationTime: new Date(endpoint.creationTime),
    LastModifiedTime: new Date(endpoint.lastModifiedTime),
    ...(endpoint.lastDeploymentConfig ? { LastDeploymentConfig: endpoint.lastDeploymentConfig } : {}),
    ...(endpoint.pending
      ? {
          PendingDeploymentSummary: {
            EndpointConfigName: endpoint.pending.configName,
            ProductionVariants: variantsView(endpoint, endpoint.pending, true),
            StartTime: new Date(endpoint.pending.startTime),
          },
        }
      : {}),
  };
}

function listEndpoints(context: OperationContext): Record<string, unknown> {
  const input = inputOf(context);
  const contains = input.string('NameContains');
  const statusEquals = input.string<EndpointStatus>('StatusEquals');
  const sortBy = input.string<'Name' | 'CreationTime' | 'Status'>('SortBy') ?? 'CreationTime';
  const order = sortOrder(input, 'Descending');
  const after = input.number('CreationTimeAfter');
  const before = input.number('CreationTimeBefore');
  const endpoints = [...hostingOf(context.state, scopeOf(context)).endpoints.values()]
    .filter((e) => contains === undefined || e.name.toLowerCase().includes(contains.toLowerCase()))
    .filter((e) => statusEquals === undefined || e.status === statusEquals)
    .filter(
      (e) =>
        (after === undefined || e.creationTime > after * 1000) &&
        (before === undefined || e.creationTime < before * 1000),
    )
    .sort(
      sortBy === 'CreationTime'
        ? byTime((e: Endpoint) => e.creationTime, order)
        : (a, b) =>
            (order === 'Ascending' ? 1 : -1) *
            (sortBy === 'Name' ? a.name.localeCompare(b.name) : a.status.localeCompare(b.status)),
    );
  const page = listPage(input, `ListEndpoints/${sortBy}/${order}`, endpoints);
  return {
    Endpoints: page.items.map((e) => ({
      EndpointName: e.name,
      EndpointArn: e.arn,
      CreationTime: new Date(e.creationTime),
      LastModifiedTime: new Date(e.lastModifiedTime),
      EndpointStatus: e.status,
    })),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
}

function deleteEndpoint(context: OperationContext): Record<string, unknown> {
  const input = inputOf(context);
  const name = input.string('EndpointName') ?? '';
  const endpoint = findEndpoint(context, name);
  if (endpoint.status === 'Deleting') return {};
  cancelPlans(endpoint);
  planDelete(envOf(context), endpoint, context.state.clock.now());
  return {};
}

export const endpointOperations: Record<string, Handler> = {
  CreateEndpoint: createEndpoint,
  UpdateEndpoint: updateEndpoint,
  DescribeEndpoint: describeEndpoint,
  ListEndpoints: listEndpoints,
  DeleteEndpoint: deleteEndpoint,
};

/** Models, configs and endpoints in the caller's account are taggable by ARN. */
export function hostingArnExists(context: OperationContext, arn: string): boolean {
  const store = hostingOf(context.state, scopeOf(context));
  return [store.models, store.configs, store.endpoints].some((map) => [...map.values()].some((r) => r.arn === arn));
}

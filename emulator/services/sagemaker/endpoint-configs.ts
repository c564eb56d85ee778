import type { Handler, OperationContext } from '../../registry.ts';
import type { EmulatorState } from '../../state.ts';
import { arnOf, byTime, inputOf, listPage, scopeOf, sortOrder, validation, type Scope } from './common.ts';
import { hostingOf, type EndpointConfig, type VariantSpec } from './hosting-store.ts';
import { findModel, modelMissing } from './models.ts';
import { dropTags, putTags } from './tags.ts';

// CreateEndpointConfig, DescribeEndpointConfig, ListEndpointConfigs, DeleteEndpointConfig.
// Deleting a config an endpoint uses is allowed, as on AWS: the endpoint keeps running it.

export const configMissing = (scope: Scope, name: string) =>
  validation(`Could not find endpoint configuration "${arnOf(scope, 'endpoint-config', name)}".`);

export function findConfig(state: EmulatorState, scope: Scope, name: string): EndpointConfig | undefined {
  return hostingOf(state, scope).configs.get(name.toLowerCase());
}

function readVariants(context: OperationContext, raw: unknown[]): VariantSpec[] {
  const scope = scopeOf(context);
  const seen = new Set<string>();
  return raw.map((entry, i) => {
    const variant = (entry ?? {}) as Record<string, unknown>;
    const where = `ProductionVariants[${i}]`;
    const name = variant.VariantName as string;
    if (seen.has(name.toLowerCase())) throw validation(`Variant names must be unique; '${name}' is repeated.`);
    seen.add(name.toLowerCase());
    const modelName = variant.ModelName;
    // The model leaves ModelName optional (inference-component endpoints); the emulator hosts models only.
    if (typeof modelName !== 'string') throw validation(`${where}.ModelName is required.`);
    if (!findModel(context.state, scope, modelName)) throw modelMissing(scope, modelName);
    const serverless = variant.ServerlessConfig !== undefined;
    const count = variant.InitialInstanceCount;
    if (!serverless && (typeof variant.InstanceType !== 'string' || !Number.isInteger(count) || (count as number) < 1))
      throw validation(
        `${where} needs an InstanceType and an InitialInstanceCount of at least 1, or a ServerlessConfig.`,
      );
    const weight = (variant.InitialVariantWeight as number | undefined) ?? 1;
    return {
      name,
      modelName,
      instanceType: typeof variant.InstanceType === 'string' ? variant.InstanceType : undefined,
      instanceCount: serverless ? 1 : (count as number),
      weight,
    };
  });
}

function createEndpointConfig(context: OperationContext): Record<string, unknown> {
  const input = inputOf(context);
  const name = input.string('EndpointConfigName') ?? '';
  const raw = input.list('ProductionVariants') ?? [];
  const tags = input.list('Tags');
  const scope = scopeOf(context);
  if (findConfig(context.state, scope, name))
    throw validation(
      `Cannot create already existing endpoint configuration "${arnOf(scope, 'endpoint-config', name)}".`,
    );
  const variants = readVariants(context, raw);
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(context.input)) {
    if (key !== 'EndpointConfigName' && key !== 'Tags') fields[key] = value;
  }
  // Weights and counts are reported with their defaults filled in.
  fields.ProductionVariants = raw.map((entry, i) => ({
    ...(entry as Record<string, unknown>),
    InitialVariantWeight: variants[i]?.weight,
  }));
  const config: EndpointConfig = {
    name,
    arn: arnOf(scope, 'endpoint-config', name),
    fields,
    variants,
    creationTime: context.state.clock.now(),
  };
  hostingOf(context.state, scope).configs.set(name.toLowerCase(), config);
  if (tags) putTags(context, config.arn, tags);
  return { EndpointConfigArn: config.arn };
}

function configNameInput(context: OperationContext): string {
  const input = inputOf(context);
  const name = input.string('EndpointConfigName') ?? '';
  return name;
}

function describeEndpointConfig(context: OperationContext): Record<string, unknown> {
  const name = configNameInput(context);
  const scope = scopeOf(context);
  const config = findConfig(context.state, scope, name);
  if (!config) throw configMissing(scope, name);
  return {
    ...config.fields,
    EndpointConfigName: config.name,
    EndpointConfigArn: config.arn,
    CreationTime: new Date(config.creationTime),
  };
}

function listEndpointConfigs(context: OperationContext): Record<string, unknown> {
  const input = inputOf(context);
  const contains = input.string('NameContains');
  const sortBy = input.string<'Name' | 'CreationTime'>('SortBy') ?? 'CreationTime';
  const order = sortOrder(input, 'Descending');
  const configs = [...hostingOf(context.state, scopeOf(context)).configs.values()]
    .filter((c) => contains === undefined || c.name.toLowerCase().includes(contains.toLowerCase()))
    .sort(
      sortBy === 'Name'
        ? (a, b) => (order === 'Ascending' ? 1 : -1) * a.name.localeCompare(b.name)
        : byTime((c: EndpointConfig) => c.creationTime, order),
    );
  const page = listPage(input, `ListEndpointConfigs/${sortBy}/${order}`, configs);
  return {
    EndpointConfigs: page.items.map((c) => ({
      EndpointConfigName: c.name,
      EndpointConfigArn: c.arn,
      CreationTime: new Date(c.creationTime),
    })),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
}

function deleteEndpointConfig(context: OperationContext): Record<string, unknown> {
  const name = configNameInput(context);
  const scope = scopeOf(context);
  const config = findConfig(context.state, scope, name);
  if (!config) throw configMissing(scope, name);
  hostingOf(context.state, scope).configs.delete(name.toLowerCase());
  dropTags(context, config.arn);
  return {};
}

export const endpointConfigOperations: Record<string, Handler> = {
  CreateEndpointConfig: createEndpointConfig,
  DescribeEndpointConfig: describeEndpointConfig,
  ListEndpointConfigs: listEndpointConfigs,
  DeleteEndpointConfig: deleteEndpointConfig,
};

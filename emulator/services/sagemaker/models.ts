import type { Handler, OperationContext } from '../../registry.ts';
import type { EmulatorState } from '../../state.ts';
import { arnOf, byTime, inputOf, listPage, scopeOf, sortOrder, validation, type Scope } from './common.ts';
import { hostingOf, type Model } from './hosting-store.ts';
import { accessiblePackage } from './model-packages.ts';
import { packageStatus } from './model-registry.ts';
import { dropTags, putTags } from './tags.ts';

// CreateModel, DescribeModel, ListModels, DeleteModel. A container may name a model package
// (also another account's, by ARN, when that group's policy lets the caller read it).

export const modelMissing = (scope: Scope, name: string) =>
  validation(`Could not find model "${arnOf(scope, 'model', name)}".`);

export function findModel(state: EmulatorState, scope: Scope, name: string): Model | undefined {
  return hostingOf(state, scope).models.get(name.toLowerCase());
}

/** The images a container runs: its own, or those of the package it names. */
function containerImages(context: OperationContext, container: Record<string, unknown>, where: string): string[] {
  const packageName = container.ModelPackageName;
  if (typeof packageName === 'string') {
    if (!packageName.startsWith('arn:')) throw validation(`ModelPackage ${packageName} does not exist.`);
    // AWS's cross-account examples grant either action for deploying from a shared group.
    const { pkg } = accessiblePackage(context, packageName, [
      'sagemaker:DescribeModelPackage',
      'sagemaker:CreateModel',
    ]);
    const status = packageStatus(pkg, context.state.clock.now());
    if (status !== 'Completed')
      throw validation(`Model package ${pkg.arn} is in ${status} status; only Completed packages can be deployed.`);
    const spec = pkg.fields.InferenceSpecification as { Containers?: { Image?: string }[] } | undefined;
    const images = (spec?.Containers ?? []).map((c) => c.Image).filter((i): i is string => typeof i === 'string');
    if (images.length === 0) throw validation(`Model package ${pkg.arn} has no inference containers.`);
    return images;
  }
  const image = container.Image;
  if (typeof image !== 'string') throw validation(`${where} needs an Image or a ModelPackageName.`);
  return [image];
}

/** Also used by pipeline Model steps, which create models under generated names. */
export function addModel(
  state: EmulatorState,
  scope: Scope,
  name: string,
  fields: Record<string, unknown>,
  images: string[],
  now: number,
): Model {
  const model: Model = { name, arn: arnOf(scope, 'model', name), fields, images, creationTime: now };
  hostingOf(state, scope).models.set(name.toLowerCase(), model);
  return model;
}

function createModel(context: OperationContext): Record<string, unknown> {
  const input = inputOf(context);
  const name = input.string('ModelName') ?? '';
  const primary = input.object('PrimaryContainer');
  const containers = input.list('Containers') as Record<string, unknown>[] | undefined;
  const tags = input.list('Tags');
  const scope = scopeOf(context);
  if (findModel(context.state, scope, name))
    throw validation(`Cannot create already existing model "${arnOf(scope, 'model', name)}".`);
  if (primary && containers) throw validation('Provide either PrimaryContainer or Containers, not both.');
  const list = primary ? [primary] : (containers ?? []);
  if (list.length === 0) throw validation('Either PrimaryContainer or Containers must be provided.');
  const images = list.flatMap((container, i) =>
    containerImages(context, container, primary ? 'PrimaryContainer' : `Containers[${i}]`),
  );

  const fields: Record<string, unknown> = {};
  for (const key of [
    'PrimaryContainer',
    'Containers',
    'ExecutionRoleArn',
    'VpcConfig',
    'EnableNetworkIsolation',
    'InferenceExecutionConfig',
  ]) {
    if (context.input[key] !== undefined) fields[key] = context.input[key];
  }
  const model = addModel(context.state, scope, name, fields, images, context.state.clock.now());
  if (tags) putTags(context, model.arn, tags);
  return { ModelArn: model.arn };
}

function modelNameInput(context: OperationContext): string {
  const input = inputOf(context);
  const name = input.string('ModelName') ?? '';
  return name;
}

function describeModel(context: OperationContext): Record<string, unknown> {
  const name = modelNameInput(context);
  const scope = scopeOf(context);
  const model = findModel(context.state, scope, name);
  if (!model) throw modelMissing(scope, name);
  return {
    ...model.fields,
    ModelName: model.name,
    ModelArn: model.arn,
    CreationTime: new Date(model.creationTime),
    EnableNetworkIsolation: model.fields.EnableNetworkIsolation ?? false,
  };
}

function listModels(context: OperationContext): Record<string, unknown> {
  const input = inputOf(context);
  const contains = input.string('NameContains');
  const sortBy = input.string<'Name' | 'CreationTime'>('SortBy') ?? 'CreationTime';
  const order = sortOrder(input, 'Descending');
  const models = [...hostingOf(context.state, scopeOf(context)).models.values()]
    .filter((m) => contains === undefined || m.name.toLowerCase().includes(contains.toLowerCase()))
    .sort(
      sortBy === 'Name'
        ? (a, b) => (order === 'Ascending' ? 1 : -1) * a.name.localeCompare(b.name)
        : byTime((m: Model) => m.creationTime, order),
    );
  const page = listPage(input, `ListModels/${sortBy}/${order}`, models);
  return {
    Models: page.items.map((m) => ({ ModelName: m.name, ModelArn: m.arn, CreationTime: new Date(m.creationTime) })),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
}

function deleteModel(context: OperationContext): Record<string, unknown> {
  const name = modelNameInput(context);
  const scope = scopeOf(context);
  const model = findModel(context.state, scope, name);
  if (!model) throw modelMissing(scope, name);
  hostingOf(context.state, scope).models.delete(name.toLowerCase());
  dropTags(context, model.arn);
  return {};
}

export const modelOperations: Record<string, Handler> = {
  CreateModel: createModel,
  DescribeModel: describeModel,
  ListModels: listModels,
  DeleteModel: deleteModel,
};

/**
 * Reads what the planner decides on: every pipeline (with pull request cleanup), endpoint, endpoint
 * config and model of the account and region with its tags; the live and pending config of every
 * endpoint; what each of our configs serves; the running executions of the pipelines to delete.
 * Read-only: nothing here changes anything.
 */
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  paginateListEndpointConfigs,
  paginateListEndpoints,
  paginateListModels,
  paginateListPipelineExecutions,
  paginateListPipelines,
  paginateListTags,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { EXECUTION_RUNNING } from '../sagemaker/executions.ts';
import {
  isOurs,
  type ConfigInfo,
  type EndpointInfo,
  type Inventory,
  type PipelineInfo,
  type Resource,
} from './planner.ts';

/** Every item of every page a paginator reads, in order. */
async function allItems<Page, T>(pages: AsyncIterable<Page>, items: (page: Page) => T[] | undefined): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...(items(page) ?? []));
  return all;
}

/** The largest page each list call takes: the fewest calls for an account's resources. */
const PAGE = { pageSize: 100 };

async function tagsOf(client: SageMakerClient, arn: string): Promise<Record<string, string>> {
  const tags = await allItems(paginateListTags({ client, ...PAGE }, { ResourceArn: arn }), (page) => page.Tags);
  return Object.fromEntries(tags.map((tag) => [tag.Key ?? '', tag.Value ?? '']));
}

async function withTags(
  client: SageMakerClient,
  listed: { name: string; arn: string; created: number }[],
): Promise<Resource[]> {
  const resources: Resource[] = [];
  for (const item of listed) resources.push({ ...item, tags: await tagsOf(client, item.arn) });
  return resources;
}

const time = (date: Date | undefined): number => date?.getTime() ?? 0;

export async function readInventory(
  client: SageMakerClient,
  options: { repository: string; withPipelines: boolean; runningOf: (pipeline: Resource) => boolean },
): Promise<Inventory> {
  const pipelines: PipelineInfo[] = [];
  if (options.withPipelines) {
    const listed = await allItems(paginateListPipelines({ client, ...PAGE }, {}), (page) => page.PipelineSummaries);
    const tagged = await withTags(
      client,
      listed.map((p) => ({ name: p.PipelineName ?? '', arn: p.PipelineArn ?? '', created: time(p.CreationTime) })),
    );
    for (const pipeline of tagged) {
      const running = options.runningOf(pipeline) ? await runningExecutions(client, pipeline.name) : [];
      pipelines.push({ ...pipeline, running });
    }
  }

  const endpointSummaries = await allItems(paginateListEndpoints({ client, ...PAGE }, {}), (page) => page.Endpoints);
  const endpoints: EndpointInfo[] = [];
  for (const resource of await withTags(
    client,
    endpointSummaries.map((e) => ({
      name: e.EndpointName ?? '',
      arn: e.EndpointArn ?? '',
      created: time(e.CreationTime),
    })),
  )) {
    const described = await client.send(new DescribeEndpointCommand({ EndpointName: resource.name }));
    endpoints.push({
      ...resource,
      status: described.EndpointStatus ?? '',
      ...(described.EndpointConfigName ? { liveConfig: described.EndpointConfigName } : {}),
      ...(described.PendingDeploymentSummary?.EndpointConfigName
        ? { pendingConfig: described.PendingDeploymentSummary.EndpointConfigName }
        : {}),
    });
  }

  const configSummaries = await allItems(
    paginateListEndpointConfigs({ client, ...PAGE }, {}),
    (page) => page.EndpointConfigs,
  );
  const configs: ConfigInfo[] = [];
  for (const resource of await withTags(
    client,
    configSummaries.map((c) => ({
      name: c.EndpointConfigName ?? '',
      arn: c.EndpointConfigArn ?? '',
      created: time(c.CreationTime),
    })),
  )) {
    // What a config serves matters only for ours: only our models are ever candidates.
    let models: string[] = [];
    if (isOurs(resource, 'endpoint-config', options.repository)) {
      const described = await client.send(new DescribeEndpointConfigCommand({ EndpointConfigName: resource.name }));
      models = (described.ProductionVariants ?? []).map((v) => v.ModelName ?? '').filter(Boolean);
    }
    configs.push({ ...resource, models });
  }

  const modelSummaries = await allItems(paginateListModels({ client, ...PAGE }, {}), (page) => page.Models);
  const models = await withTags(
    client,
    modelSummaries.map((m) => ({ name: m.ModelName ?? '', arn: m.ModelArn ?? '', created: time(m.CreationTime) })),
  );
  return { pipelines, endpoints, configs, models };
}

async function runningExecutions(client: SageMakerClient, pipeline: string): Promise<string[]> {
  const executions = await allItems(
    paginateListPipelineExecutions({ client, ...PAGE }, { PipelineName: pipeline }),
    (page) => page.PipelineExecutionSummaries,
  );
  return executions
    .filter((e) => EXECUTION_RUNNING.has(e.PipelineExecutionStatus ?? ''))
    .map((e) => e.PipelineExecutionArn ?? '');
}

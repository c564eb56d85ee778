/**
 * Reads what the planner decides on: every pipeline (with pull request cleanup), endpoint, endpoint
 * config and model of the account and region with its tags; the live and pending config of every
 * endpoint; what each of our configs serves; the running executions of the pipelines to delete.
 * Read-only: nothing here changes anything.
 */
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  ListEndpointConfigsCommand,
  ListEndpointsCommand,
  ListModelsCommand,
  ListPipelineExecutionsCommand,
  ListPipelinesCommand,
  ListTagsCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { retryTransient } from '../runtime/retry.ts';
import {
  isOurs,
  type ConfigInfo,
  type EndpointInfo,
  type Inventory,
  type PipelineInfo,
  type Resource,
} from './planner.ts';

async function allPages<T>(page: (token: string | undefined) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const result = await retryTransient(() => page(token));
    items.push(...result.items);
    token = result.next;
  } while (token);
  return items;
}

async function tagsOf(client: SageMakerClient, arn: string): Promise<Record<string, string>> {
  const tags = await allPages(async (NextToken) => {
    const out = await client.send(new ListTagsCommand({ ResourceArn: arn, MaxResults: 100, NextToken }));
    return { items: out.Tags ?? [], next: out.NextToken };
  });
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
    const listed = await allPages(async (NextToken) => {
      const out = await client.send(new ListPipelinesCommand({ MaxResults: 100, NextToken }));
      return { items: out.PipelineSummaries ?? [], next: out.NextToken };
    });
    const tagged = await withTags(
      client,
      listed.map((p) => ({ name: p.PipelineName ?? '', arn: p.PipelineArn ?? '', created: time(p.CreationTime) })),
    );
    for (const pipeline of tagged) {
      const running = options.runningOf(pipeline) ? await runningExecutions(client, pipeline.name) : [];
      pipelines.push({ ...pipeline, running });
    }
  }

  const endpointSummaries = await allPages(async (NextToken) => {
    const out = await client.send(new ListEndpointsCommand({ MaxResults: 100, NextToken }));
    return { items: out.Endpoints ?? [], next: out.NextToken };
  });
  const endpoints: EndpointInfo[] = [];
  for (const resource of await withTags(
    client,
    endpointSummaries.map((e) => ({
      name: e.EndpointName ?? '',
      arn: e.EndpointArn ?? '',
      created: time(e.CreationTime),
    })),
  )) {
    const described = await retryTransient(() =>
      client.send(new DescribeEndpointCommand({ EndpointName: resource.name })),
    );
    endpoints.push({
      ...resource,
      status: described.EndpointStatus ?? '',
      ...(described.EndpointConfigName ? { liveConfig: described.EndpointConfigName } : {}),
      ...(described.PendingDeploymentSummary?.EndpointConfigName
        ? { pendingConfig: described.PendingDeploymentSummary.EndpointConfigName }
        : {}),
    });
  }

  const configSummaries = await allPages(async (NextToken) => {
    const out = await client.send(new ListEndpointConfigsCommand({ MaxResults: 100, NextToken }));
    return { items: out.EndpointConfigs ?? [], next: out.NextToken };
  });
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
      const described = await retryTransient(() =>
        client.send(new DescribeEndpointConfigCommand({ EndpointConfigName: resource.name })),
      );
      models = (described.ProductionVariants ?? []).map((v) => v.ModelName ?? '').filter(Boolean);
    }
    configs.push({ ...resource, models });
  }

  const modelSummaries = await allPages(async (NextToken) => {
    const out = await client.send(new ListModelsCommand({ MaxResults: 100, NextToken }));
    return { items: out.Models ?? [], next: out.NextToken };
  });
  const models = await withTags(
    client,
    modelSummaries.map((m) => ({ name: m.ModelName ?? '', arn: m.ModelArn ?? '', created: time(m.CreationTime) })),
  );
  return { pipelines, endpoints, configs, models };
}

async function runningExecutions(client: SageMakerClient, pipeline: string): Promise<string[]> {
  const executions = await allPages(async (NextToken) => {
    const out = await client.send(
      new ListPipelineExecutionsCommand({ PipelineName: pipeline, MaxResults: 100, NextToken }),
    );
    return { items: out.PipelineExecutionSummaries ?? [], next: out.NextToken };
  });
  return executions
    .filter((e) => e.PipelineExecutionStatus === 'Executing' || e.PipelineExecutionStatus === 'Stopping')
    .map((e) => e.PipelineExecutionArn ?? '');
}

/**
 * What cleanup deletes, decided from an inventory of the account and nothing else (pure, so every
 * rule is table-tested). Two jobs:
 *
 * - a closed pull request: the pipelines, endpoints, endpoint configs and models its validation
 *   created (tag mlops-actions:pull-request), its pipelines' running executions stopped first;
 * - pruning: per endpoint, endpoint configs and models beyond the newest `keepLast`, never the
 *   config the endpoint runs (or is updating to), nor the one before it (the rollback target), nor
 *   a model a kept config serves.
 *
 * Only what our actions created for this repository is ever considered (tags mlops-actions:created-by
 * and mlops-actions:repository); anything else in the account is never touched, whatever its name.
 */
import { CREATED_BY_TAG, ENDPOINT_TAG, PULL_REQUEST_TAG, REPOSITORY_TAG } from '../sagemaker/ownership-tags.ts';

export interface Resource {
  name: string;
  arn: string;
  /** Epoch ms. */
  created: number;
  tags: Record<string, string>;
}

export interface PipelineInfo extends Resource {
  /** Executions still Executing (they are stopped before the pipeline is deleted). */
  running: string[];
}

export interface EndpointInfo extends Resource {
  status: string;
  liveConfig?: string;
  /** The config an update in progress is moving to. */
  pendingConfig?: string;
}

export interface ConfigInfo extends Resource {
  /** Models its variants serve. */
  models: string[];
}

export interface Inventory {
  pipelines: PipelineInfo[];
  /** Every endpoint of the account, ours or not: a config in use by any of them is kept. */
  endpoints: EndpointInfo[];
  configs: ConfigInfo[];
  models: Resource[];
}

export interface CleanupOptions {
  repository: string;
  pullRequest?: string;
  keepLast?: number;
  /** Prune only these endpoints' configs and models (default: every endpoint ours are made for). */
  endpointNames?: string[];
}

export type Kind = 'pipeline' | 'endpoint' | 'endpoint-config' | 'model';

export interface Decision {
  kind: Kind;
  name: string;
  arn: string;
  reason: string;
}

export interface Plan {
  /** Executions to stop before their pipeline is deleted. */
  stop: { pipeline: string; executionArn: string }[];
  /** In the order they are deleted: pipelines, endpoints, configs, models. */
  delete: Decision[];
  /** What a rule would have deleted but a safeguard kept, with the safeguard. */
  kept: Decision[];
}

const CREATORS: Record<Kind, string> = {
  pipeline: 'upsert-pipeline',
  endpoint: 'deploy-endpoint',
  'endpoint-config': 'deploy-endpoint',
  model: 'deploy-endpoint',
};

export function isOurs(resource: Resource, kind: Kind, repository: string): boolean {
  return resource.tags[CREATED_BY_TAG] === CREATORS[kind] && resource.tags[REPOSITORY_TAG] === repository;
}

const newestFirst = <T extends Resource>(items: T[]): T[] =>
  [...items].sort((a, b) => b.created - a.created || b.name.localeCompare(a.name));

const decision = (kind: Kind, resource: Resource, reason: string): Decision => ({
  kind,
  name: resource.name,
  arn: resource.arn,
  reason,
});

export function planCleanup(inventory: Inventory, options: CleanupOptions): Plan {
  const plan: Plan = { stop: [], delete: [], kept: [] };
  const { repository, pullRequest } = options;
  const deleting = new Set<string>();
  const remove = (kind: Kind, resource: Resource, reason: string) => {
    if (deleting.has(resource.arn)) return;
    deleting.add(resource.arn);
    plan.delete.push(decision(kind, resource, reason));
  };
  const ofPullRequest = (resource: Resource, kind: Kind) =>
    pullRequest !== undefined && isOurs(resource, kind, repository) && resource.tags[PULL_REQUEST_TAG] === pullRequest;
  const prReason = `created for pull request #${pullRequest}`;

  // Pipelines and endpoints of the pull request go whatever they hold.
  for (const pipeline of inventory.pipelines.filter((p) => ofPullRequest(p, 'pipeline'))) {
    for (const executionArn of pipeline.running) plan.stop.push({ pipeline: pipeline.name, executionArn });
    remove('pipeline', pipeline, prReason);
  }
  for (const endpoint of inventory.endpoints.filter((e) => ofPullRequest(e, 'endpoint')))
    remove('endpoint', endpoint, prReason);

  // What the remaining endpoints serve is never deleted.
  const remaining = inventory.endpoints.filter((e) => !deleting.has(e.arn));
  const inUse = new Map<string, string>();
  for (const endpoint of remaining) {
    if (endpoint.liveConfig) inUse.set(endpoint.liveConfig, `live on endpoint ${endpoint.name}`);
    if (endpoint.pendingConfig) inUse.set(endpoint.pendingConfig, `endpoint ${endpoint.name} is updating to it`);
  }

  // The config before the live one of each remaining endpoint is its rollback target.
  const ourConfigs = inventory.configs.filter((c) => isOurs(c, 'endpoint-config', repository));
  const guards = new Map<string, string>(inUse);
  for (const endpoint of remaining) {
    const configs = newestFirst(ourConfigs.filter((c) => c.tags[ENDPOINT_TAG] === endpoint.name));
    const live = configs.find((c) => c.name === endpoint.liveConfig);
    const previous = live && configs[configs.indexOf(live) + 1];
    if (previous && !guards.has(previous.name))
      guards.set(previous.name, `the config before the live one on ${endpoint.name} (its rollback target)`);
  }

  // Configs: those of the pull request, and per endpoint those beyond the newest keepLast.
  const candidates: [ConfigInfo, string][] = ourConfigs
    .filter((c) => ofPullRequest(c, 'endpoint-config'))
    .map((c): [ConfigInfo, string] => [c, prReason]);
  const ourModels = inventory.models.filter((m) => isOurs(m, 'model', repository));
  const keepLast = options.keepLast;
  const pruned =
    keepLast === undefined
      ? []
      : (options.endpointNames ?? [...new Set(ourConfigs.map((c) => c.tags[ENDPOINT_TAG] ?? '').filter(Boolean))]);
  for (const endpointName of pruned) {
    const configs = newestFirst(ourConfigs.filter((c) => c.tags[ENDPOINT_TAG] === endpointName));
    for (const config of configs.slice(keepLast))
      candidates.push([config, `beyond the newest ${keepLast} configs of endpoint ${endpointName}`]);
  }
  for (const [config, reason] of candidates) {
    const guard = guards.get(config.name);
    if (!guard) remove('endpoint-config', config, reason);
    else if (!plan.kept.some((k) => k.arn === config.arn)) plan.kept.push(decision('endpoint-config', config, guard));
  }

  // Models: those of the pull request and those beyond the newest keepLast, unless a remaining config serves them.
  const served = new Map<string, string>();
  for (const config of inventory.configs.filter((c) => !deleting.has(c.arn)))
    for (const model of config.models) served.set(model, `served by endpoint config ${config.name}`);
  const modelCandidates: [Resource, string][] = ourModels
    .filter((m) => ofPullRequest(m, 'model'))
    .map((m): [Resource, string] => [m, prReason]);
  for (const endpointName of pruned) {
    const models = newestFirst(ourModels.filter((m) => m.tags[ENDPOINT_TAG] === endpointName));
    models
      .slice(options.keepLast)
      .forEach((m) => modelCandidates.push([m, `beyond the newest ${keepLast} models of endpoint ${endpointName}`]));
  }
  for (const [model, reason] of modelCandidates) {
    const guard = served.get(model.name);
    if (guard) {
      if (!plan.kept.some((k) => k.arn === model.arn)) plan.kept.push(decision('model', model, guard));
    } else remove('model', model, reason);
  }
  return plan;
}

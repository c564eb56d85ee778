import { describe, expect, it } from 'vitest';
import {
  planCleanup,
  type CleanupOptions,
  type ConfigInfo,
  type EndpointInfo,
  type Inventory,
  type PipelineInfo,
  type Resource,
} from '../../src/cleanup/planner.ts';

const REPO = 'example-org/ml-pipelines';
const arn = (kind: string, name: string) => `arn:aws:sagemaker:eu-west-1:111111111111:${kind}/${name}`;

function tags(creator: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'mlops-actions:created-by': creator, 'mlops-actions:repository': REPO, ...extra };
}

const pipeline = (name: string, t: Record<string, string>, running: string[] = []): PipelineInfo => ({
  name,
  arn: arn('pipeline', name),
  created: 1,
  tags: t,
  running,
});
const endpoint = (name: string, live: string, t: Record<string, string>, pending?: string): EndpointInfo => ({
  name,
  arn: arn('endpoint', name),
  created: 1,
  tags: t,
  status: pending ? 'Updating' : 'InService',
  liveConfig: live,
  ...(pending ? { pendingConfig: pending } : {}),
});
/** Config n of endpoint e, created at time n, serving model <e>-m<n>. */
const config = (e: string, n: number, extra: Record<string, string> = {}, creator = 'deploy-endpoint'): ConfigInfo => ({
  name: `${e}-c${n}`,
  arn: arn('endpoint-config', `${e}-c${n}`),
  created: n,
  tags: tags(creator, { 'mlops-actions:endpoint': e, ...extra }),
  models: [`${e}-m${n}`],
});
const model = (e: string, n: number, extra: Record<string, string> = {}): Resource => ({
  name: `${e}-m${n}`,
  arn: arn('model', `${e}-m${n}`),
  created: n,
  tags: tags('deploy-endpoint', { 'mlops-actions:endpoint': e, ...extra }),
});

/** Endpoint `abalone` with configs/models 1..n, live on `live`. */
function history(n: number, live: number, pending?: number): Inventory {
  const numbers = Array.from({ length: n }, (_, i) => i + 1);
  return {
    pipelines: [],
    endpoints: [
      endpoint(
        'abalone',
        `abalone-c${live}`,
        tags('deploy-endpoint'),
        pending === undefined ? undefined : `abalone-c${pending}`,
      ),
    ],
    configs: numbers.map((i) => config('abalone', i)),
    models: numbers.map((i) => model('abalone', i)),
  };
}

const deleted = (inventory: Inventory, options: Omit<CleanupOptions, 'repository'>) =>
  planCleanup(inventory, { repository: REPO, ...options }).delete.map((d) => `${d.kind}:${d.name}`);

describe('pruning beyond the newest N per endpoint', () => {
  const cases: [string, Inventory, number, string[]][] = [
    ['nothing beyond N', history(3, 3), 3, []],
    [
      'the oldest go, configs and their models',
      history(6, 6),
      3,
      [
        'endpoint-config:abalone-c3',
        'endpoint-config:abalone-c2',
        'endpoint-config:abalone-c1',
        'model:abalone-m3',
        'model:abalone-m2',
        'model:abalone-m1',
      ],
    ],
    [
      'the live config and the one before it stay after a rollback to an old config',
      history(6, 2),
      2,
      ['endpoint-config:abalone-c4', 'endpoint-config:abalone-c3', 'model:abalone-m4', 'model:abalone-m3'],
    ],
    [
      'keep-last 0 keeps only the live one and the previous one',
      history(4, 4),
      0,
      ['endpoint-config:abalone-c2', 'endpoint-config:abalone-c1', 'model:abalone-m2', 'model:abalone-m1'],
    ],
    [
      'a config an update is moving to stays',
      history(5, 1, 2),
      0,
      [
        'endpoint-config:abalone-c5',
        'endpoint-config:abalone-c4',
        'endpoint-config:abalone-c3',
        'model:abalone-m5',
        'model:abalone-m4',
        'model:abalone-m3',
      ],
    ],
  ];
  it.each(cases)('%s', (_, inventory, keepLast, expected) => {
    expect(deleted(inventory, { keepLast })).toEqual(expected);
  });

  it('says why it kept what the rule would have deleted', () => {
    const plan = planCleanup(history(6, 2), { repository: REPO, keepLast: 2 });
    expect(plan.kept.map((k) => [k.name, k.reason])).toEqual([
      ['abalone-c2', 'live on endpoint abalone'],
      ['abalone-c1', 'the config before the live one on abalone (its rollback target)'],
      ['abalone-m2', 'served by endpoint config abalone-c2'],
      ['abalone-m1', 'served by endpoint config abalone-c1'],
    ]);
  });

  it('a model a kept config serves stays even when it is old', () => {
    const inventory = history(4, 4);
    // Config 4 serves the model of config 1 (the same model, deployed on another fleet).
    inventory.configs[3]!.models = ['abalone-m1'];
    expect(deleted(inventory, { keepLast: 1 })).toEqual([
      'endpoint-config:abalone-c2',
      'endpoint-config:abalone-c1',
      'model:abalone-m2',
    ]);
  });

  it('only the endpoints asked for are pruned', () => {
    const inventory = history(4, 4);
    inventory.configs.push(config('churn', 1), config('churn', 2), config('churn', 3));
    expect(deleted(inventory, { keepLast: 1, endpointNames: ['churn'] })).toEqual([
      'endpoint-config:churn-c2',
      'endpoint-config:churn-c1',
    ]);
  });
});

describe('never what our actions did not create for this repository', () => {
  const foreign: [string, Record<string, string>][] = [
    ['no tags at all', {}],
    ['created by someone else', { 'mlops-actions:created-by': 'terraform', 'mlops-actions:repository': REPO }],
    ['another repository', { ...tags('deploy-endpoint'), 'mlops-actions:repository': 'example-org/other' }],
  ];
  it.each(foreign)('%s', (_, foreignTags) => {
    const inventory = history(4, 4);
    for (const c of inventory.configs) c.tags = { ...foreignTags, 'mlops-actions:endpoint': 'abalone' };
    for (const m of inventory.models)
      m.tags = { ...foreignTags, 'mlops-actions:endpoint': 'abalone', 'mlops-actions:pull-request': '7' };
    inventory.pipelines.push(pipeline('abalone-pr-7', { ...foreignTags, 'mlops-actions:pull-request': '7' }));
    expect(deleted(inventory, { keepLast: 0, pullRequest: '7' })).toEqual([]);
  });
});

describe('a closed pull request', () => {
  function world(): Inventory {
    const pr = { 'mlops-actions:pull-request': '7' };
    return {
      pipelines: [
        pipeline('abalone-pr-7', tags('upsert-pipeline', pr), ['arn:exec/1']),
        pipeline('abalone-pr-8', tags('upsert-pipeline', { 'mlops-actions:pull-request': '8' })),
        pipeline('abalone', tags('upsert-pipeline')),
      ],
      endpoints: [
        endpoint('abalone-pr-7', 'abalone-pr-7-c1', tags('deploy-endpoint', pr)),
        endpoint('abalone', 'abalone-c2', tags('deploy-endpoint')),
      ],
      configs: [config('abalone-pr-7', 1, pr), config('abalone', 1), config('abalone', 2), config('abalone', 3, pr)],
      models: [model('abalone-pr-7', 1, pr), model('abalone', 1), model('abalone', 2), model('abalone', 3, pr)],
    };
  }

  it('stops its executions and deletes its pipeline, endpoint, configs and models, and nothing else', () => {
    const plan = planCleanup(world(), { repository: REPO, pullRequest: '7' });
    expect(plan.stop).toEqual([{ pipeline: 'abalone-pr-7', executionArn: 'arn:exec/1' }]);
    expect(plan.delete.map((d) => `${d.kind}:${d.name}`)).toEqual([
      'pipeline:abalone-pr-7',
      'endpoint:abalone-pr-7',
      'endpoint-config:abalone-pr-7-c1',
      'endpoint-config:abalone-c3',
      'model:abalone-pr-7-m1',
      'model:abalone-m3',
    ]);
    expect(plan.delete.every((d) => d.reason === 'created for pull request #7')).toBe(true);
  });

  it('keeps a config of the pull request that another endpoint now runs, and its model', () => {
    const inventory = world();
    inventory.endpoints[1]!.liveConfig = 'abalone-c3';
    const plan = planCleanup(inventory, { repository: REPO, pullRequest: '7' });
    expect(plan.delete.map((d) => d.name)).not.toContain('abalone-c3');
    expect(plan.delete.map((d) => d.name)).not.toContain('abalone-m3');
    expect(plan.kept.map((k) => [k.name, k.reason])).toContainEqual(['abalone-c3', 'live on endpoint abalone']);
  });

  it('both at once: the pull request and pruning', () => {
    expect(deleted(world(), { pullRequest: '7', keepLast: 0 })).toEqual([
      'pipeline:abalone-pr-7',
      'endpoint:abalone-pr-7',
      'endpoint-config:abalone-pr-7-c1',
      'endpoint-config:abalone-c3',
      'model:abalone-pr-7-m1',
      'model:abalone-m3',
    ]);
  });
});

/** Cleanup considers only what our actions created for this repository, by kind. */
import { describe, expect, it } from 'vitest';
import { isOurs, type Kind } from '../../src/cleanup/planner.ts';

const REPO = 'example-org/ml-pipelines';
const resource = (tags: Record<string, string>) => ({ name: 'abalone', arn: 'arn:x', created: 1, tags });
const made = (creator: string, repository = REPO) => ({
  'mlops-actions:created-by': creator,
  'mlops-actions:repository': repository,
});

describe('isOurs', () => {
  it.each([
    ['pipeline', made('upsert-pipeline'), true],
    ['endpoint', made('deploy-endpoint'), true],
    ['endpoint-config', made('deploy-endpoint'), true],
    ['model', made('deploy-endpoint'), true],
    // Each kind has one creator: a pipeline tagged by another action was not made as a pipeline by us.
    ['pipeline', made('deploy-endpoint'), false],
    ['model', made('upsert-pipeline'), false],
    ['endpoint', made('deploy-endpoint', 'example-org/other'), false],
    ['endpoint', { 'mlops-actions:created-by': 'deploy-endpoint' }, false],
    ['endpoint', { 'mlops-actions:repository': REPO }, false],
    ['endpoint', {}, false],
  ] as [Kind, Record<string, string>, boolean][])('a %s tagged %j: %s', (kind, tags, ours) => {
    expect(isOurs(resource(tags), kind, REPO)).toBe(ours);
  });
});

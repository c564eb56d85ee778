/** The approval description names who decided and where, so the registry keeps the audit trail. */
import { describe, expect, it } from 'vitest';
import { decisionDescription } from '../../src/gate-on-model-approval/main.ts';

const RUN = {
  GITHUB_REPOSITORY: 'example-org/ml-pipelines',
  GITHUB_RUN_ID: '42',
  GITHUB_RUN_ATTEMPT: '2',
  GITHUB_ACTOR: 'octocat',
};

describe('decisionDescription', () => {
  it.each([
    [
      'a reason, in a run',
      'rmse 2.1 on holdout',
      RUN,
      'rmse 2.1 on holdout — octocat via GitHub Actions https://github.com/example-org/ml-pipelines/actions/runs/42/attempts/2',
    ],
    [
      'no reason, on GitHub Enterprise Server',
      undefined,
      { ...RUN, GITHUB_SERVER_URL: 'https://github.example.com' },
      '— octocat via GitHub Actions https://github.example.com/example-org/ml-pipelines/actions/runs/42/attempts/2',
    ],
    ['outside a run', 'manual', {}, 'manual — unknown actor via GitHub Actions'],
  ])('%s', (_, reason, env, description) => expect(decisionDescription(reason, env)).toBe(description));
});

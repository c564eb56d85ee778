import { describe, expect, it } from 'vitest';
import { awsProblem } from '../../src/shared/aws-constraints.ts';
import { defaultDisplayName, parseRunMarker, runMarker, requestToken } from '../../src/start-execution/naming.ts';
import { githubContext } from '../../src/shared/github-context.ts';

const context = (env: Record<string, string>) =>
  githubContext({ GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '99', GITHUB_RUN_ATTEMPT: '2', GITHUB_JOB: 'j', ...env });

describe('execution naming', () => {
  it('names executions after the branch or pull request, within SageMaker pattern', () => {
    expect(defaultDisplayName(context({ GITHUB_REF: 'refs/heads/feature/deeper_trees' }))).toBe(
      'feature-deeper-trees-99-2',
    );
    expect(defaultDisplayName(context({ GITHUB_REF: 'refs/pull/7/merge' }))).toBe('pr-7-99-2');
    const long = defaultDisplayName(context({ GITHUB_REF: `refs/heads/${'x'.repeat(200)}` }));
    expect(awsProblem('executionDisplayName', long)).toBeUndefined();
    expect(long).toHaveLength(82);
    expect(long.endsWith('-99-2')).toBe(true);
  });

  it('gives the same token within an attempt and a new one per attempt; the marker finds the step again', () => {
    const identity = { context: context({}), pipeline: 'arn:p', parameters: { a: '1' } };
    expect(requestToken(identity)).toBe(requestToken({ ...identity, parameters: { a: '1' } }));
    expect(requestToken(identity)).not.toBe(
      requestToken({ ...identity, context: { ...identity.context, runAttempt: '3' } }),
    );
    expect(requestToken(identity)).toHaveLength(64);
    const marker = parseRunMarker(`nightly ${runMarker(identity)}`);
    expect(marker).toMatchObject({ run: 'o/r#99', attempt: 2 });
    expect(parseRunMarker(runMarker({ ...identity, parameters: { a: '2' } }))?.key).not.toBe(marker?.key);
  });
});

import { describe, expect, it } from 'vitest';
import { awsProblem } from '../../src/runtime/aws-constraints.ts';
import { defaultDisplayName, parseRunMarker, runMarker, requestToken } from '../../src/start-execution/naming.ts';
import { githubContext } from '../../src/runtime/github-context.ts';

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
    const identity = { context: context({}), step: 'run', pipeline: 'arn:p', parameters: { a: '1' }, requested: {} };
    expect(requestToken(identity)).toBe(requestToken({ ...identity, parameters: { a: '1' } }));
    expect(requestToken(identity)).not.toBe(
      requestToken({ ...identity, context: { ...identity.context, runAttempt: '3' } }),
    );
    expect(requestToken(identity)).toHaveLength(64);
    const marker = parseRunMarker(`nightly ${runMarker(identity)}`);
    expect(marker).toMatchObject({ run: 'o/r#99', attempt: 2 });
    expect(parseRunMarker(runMarker({ ...identity, parameters: { a: '2' } }))?.key).not.toBe(marker?.key);
  });

  it('keys a step by everything it asked for, and by the step itself', () => {
    const base = { context: context({}), step: 'run', pipeline: 'arn:p', parameters: { a: '1' }, requested: {} };
    const variants: [string, typeof base & { requested: object }][] = [
      ['another step of the job', { ...base, step: 'run-again' }],
      ['another pipeline version', { ...base, requested: { pipelineVersionId: 3 } }],
      ['another display name', { ...base, requested: { displayName: 'nightly' } }],
      ['another description', { ...base, requested: { description: 'backfill' } }],
      ['another parallelism', { ...base, requested: { parallelism: 2 } }],
      ['other parameters', { ...base, parameters: { a: '2' } }],
      ['another job', { ...base, context: { ...base.context, job: 'k' } }],
    ];
    for (const [what, variant] of variants) {
      expect(requestToken(variant), what).not.toBe(requestToken(base));
    }
    // The run attempt is not part of the key: a re-run finds the earlier attempt's execution.
    const rerun = { ...base, context: { ...base.context, runAttempt: '3' } };
    expect(parseRunMarker(runMarker(rerun))?.key).toBe(parseRunMarker(runMarker(base))?.key);
  });
});

/** The local runner's small parts: filters, templates, uses: mapping, masking, log rendering, CLI arguments. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../local-runner/action-metadata.ts';
import { parseCliArgs } from '../../local-runner/cli-args.ts';
import { withStatusFunction } from '../../local-runner/expressions.ts';
import { Masker } from '../../local-runner/masker.ts';
import { renderStepLog } from '../../local-runner/step-log.ts';
import { splitTemplate } from '../../local-runner/template-strings.ts';
import { matchesFilter } from '../../local-runner/triggers.ts';
import { fullRef, resolveStepUses, resolveWorkflowUses } from '../../local-runner/uses.ts';

describe('local runner parts', () => {
  it('matches branch filters the way GitHub does', () => {
    expect(matchesFilter(['main'], 'main')).toBe(true);
    expect(matchesFilter(['release/*'], 'release/1.2')).toBe(true);
    expect(matchesFilter(['release/*'], 'release/1/hotfix')).toBe(false);
    expect(matchesFilter(['release/**'], 'release/1/hotfix')).toBe(true);
    expect(matchesFilter(['**', '!feature/*'], 'feature/x')).toBe(false);
    expect(matchesFilter(['v[12].[0-9]+.[0-9]+'], 'v1.10.1')).toBe(true);
    expect(matchesFilter(['v[12].[0-9]+.[0-9]+'], 'v3.1.1')).toBe(false);
  });

  it('splits a template at its expressions, minding quoted braces', () => {
    expect(splitTemplate("echo '${{ format('}}{0}', 1) }}' done")).toEqual([
      { text: "echo '" },
      { expression: "format('}}{0}', 1)" },
      { text: "' done" },
    ]);
  });

  it('adds success() to conditions without a status function', () => {
    expect(withStatusFunction("github.ref == 'x'")).toBe("success() && (github.ref == 'x')");
    expect(withStatusFunction('always() || x')).toBe('always() || x');
    expect(withStatusFunction("contains('failure()', github.ref)")).toBe(
      "success() && (contains('failure()', github.ref))",
    );
  });

  it("maps this repository's actions and workflows to this checkout, whatever the owner or ref", () => {
    for (const uses of ['$/upsert-pipeline', './upsert-pipeline', 'acme/mlops-actions/upsert-pipeline@v1']) {
      expect(resolveStepUses(uses)).toMatchObject({ kind: 'action', dir: join(REPO_ROOT, 'upsert-pipeline') });
    }
    expect(resolveStepUses('actions/checkout@v4')).toEqual({ kind: 'checkout', ref: 'v4' });
    expect(() => resolveStepUses('acme/other-actions/x@v1')).toThrow(/not available to the local runner/);
    expect(resolveWorkflowUses('acme/mlops-actions/.github/workflows/promote.yml@v1', {} as never)).toEqual({
      file: join(REPO_ROOT, '.github/workflows/promote.yml'),
      identity: {
        repository: 'acme/mlops-actions',
        path: '.github/workflows/promote.yml',
        ref: 'refs/tags/v1',
        root: REPO_ROOT,
      },
    });
    expect(fullRef('main')).toBe('refs/heads/main');
    expect(fullRef('a'.repeat(40))).toBe('a'.repeat(40));
  });

  it('masks the longest value first and each line of a multi-line secret', () => {
    const run = new Masker();
    run.add('abc');
    const job = new Masker(run);
    job.add('abcdef\nsecond line');
    expect(job.mask('abcdef abc second line')).toBe('*** *** ***');
    expect(run.mask('abcdef')).toBe('***def');
  });

  it('renders a step log as before the move: annotations, masks, hidden commands', () => {
    expect(
      renderStepLog('::add-mask::s3cr3t\nhello s3cr3t\n::debug::hidden\n::error file=a.ts::bad\n::notice::fine\n'),
    ).toBe('hello ***\nError: bad\nNotice: fine');
  });

  it('reads the CLI arguments, taking a bare --secret NAME from the environment', () => {
    const request = parseCliArgs(
      [
        'w.yml',
        '--event',
        'push',
        '--endpoint',
        'http://x',
        '--secret',
        'TOKEN',
        '--input',
        'a=b=c',
        '--approve',
        'prod',
      ],
      { TOKEN: 'from-env' },
    );
    expect(request.options).toMatchObject({ workflow: 'w.yml', secrets: { TOKEN: 'from-env' }, inputs: { a: 'b=c' } });
    expect(request.approve).toEqual({ all: false, environments: ['prod'], ask: false });
    expect(() => parseCliArgs(['w.yml', '--event', 'push', '--endpoint', 'x', '--secret', 'UNSET'], {})).toThrow(
      /--secret UNSET: expected NAME=value or the name of a set environment variable/,
    );
  });
});

/** The release's notes, taken from CHANGELOG.md; and the release workflow's checks, in order. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { changelogSection } from '../../scripts/release/changelog-section.ts';
import { REPO_ROOT } from '../../local-runner/action-metadata.ts';

const FIXTURE = join(REPO_ROOT, 'testkit/fixtures/changelog.md');
const CHANGELOG = readFileSync(FIXTURE, 'utf8');

describe('changelog section', () => {
  it.each([
    ['1.1.0', '### Changed\n\n- `upsert-pipeline`: `definition` is now `definition-file`.\n'],
    ['v1.0.1', '### Fixed\n\n- a bug\n'],
    ['1.0.0', '- first\n'],
  ])('%s', (version, notes) => {
    expect(changelogSection(CHANGELOG, version)).toBe(notes);
  });

  it.each([
    ['1.2.0', "CHANGELOG.md has no section '## [1.2.0] - YYYY-MM-DD'; move the Unreleased entries"],
    ['1.1', "'1.1' is not a release version"],
    ['v1.1.0-rc.1', "'v1.1.0-rc.1' is not a release version"],
    ['1.1.00', 'no section'],
  ])('refuses %s', (version, message) => {
    expect(() => changelogSection(CHANGELOG, version)).toThrow(message);
  });

  it('refuses an empty section', () => {
    expect(() => changelogSection('## [2.0.0] - 2027-03-01\n\n## [1.0.0] - 2027-01-01\n- x\n', '2.0.0')).toThrow(
      'section for 2.0.0 is empty',
    );
  });

  it('is what the command prints, and fails in one line when there is no section', () => {
    const script = join(REPO_ROOT, 'scripts/release/changelog-section.ts');
    const file = FIXTURE;
    expect(execFileSync(process.execPath, [script, 'v1.0.1', file], { encoding: 'utf8' })).toBe(
      '### Fixed\n\n- a bug\n',
    );
    expect(() => execFileSync(process.execPath, [script, '9.9.9', file], { stdio: 'pipe' })).toThrow(
      /changelog: CHANGELOG.md has no section '## \[9.9.9\]/,
    );
  });
});

describe('release workflow', () => {
  const workflow = parse(readFileSync(join(REPO_ROOT, '.github/workflows/release.yml'), 'utf8')) as {
    on: { push: { tags: string[] } };
    jobs: Record<string, { steps: { name?: string; run?: string }[] }>;
  };
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
  const index = (pattern: RegExp): number => steps.findIndex((step) => pattern.test(step.run ?? ''));

  it('runs on vX.Y.Z tags only', () => {
    expect(workflow.on.push.tags).toEqual(['v[0-9]+.[0-9]+.[0-9]+']);
  });

  it('publishes and moves the major tag only after dist/, the tests and the notes are checked', () => {
    const dist = index(/git status --porcelain -- dist/);
    const tests = index(/check-runs/);
    const notes = index(/changelog-section\.ts/);
    const release = index(/gh release create/);
    const major = index(/git push --force origin "refs\/tags\/\$MAJOR"/);
    for (const at of [dist, tests, notes, release, major]) expect(at).toBeGreaterThanOrEqual(0);
    expect(Math.max(dist, tests, notes)).toBeLessThan(release);
    expect(release).toBeLessThan(major);
  });
});

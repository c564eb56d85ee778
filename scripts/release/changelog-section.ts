/**
 * The notes of one release, taken from CHANGELOG.md (Keep a Changelog): the body of its `## [X.Y.Z] - date`
 * section, without the heading, up to the next `## ` heading or the link references at the end. The release
 * workflow publishes it as the GitHub release's text, so a version without a section, or with an empty one,
 * cannot be released.
 *
 *   node scripts/release/changelog-section.ts 1.2.0 [CHANGELOG.md]   (a leading v is accepted: v1.2.0)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const VERSION = /^v?(\d+\.\d+\.\d+)$/;

export class ChangelogError extends Error {}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function changelogSection(changelog: string, version: string): string {
  const plain = VERSION.exec(version.trim())?.[1];
  if (!plain) throw new ChangelogError(`'${version}' is not a release version (X.Y.Z or vX.Y.Z)`);
  const lines = changelog.replace(/\r\n/g, '\n').split('\n');
  const heading = new RegExp(`^## \\[?v?${escapeRegExp(plain)}\\]?(?:\\s+-\\s+\\d{4}-\\d{2}-\\d{2})?\\s*$`);
  const start = lines.findIndex((line) => heading.test(line));
  if (start < 0) {
    const unreleased = lines.some((line) => /^## \[?Unreleased\]?\s*$/i.test(line));
    throw new ChangelogError(
      `CHANGELOG.md has no section '## [${plain}] - YYYY-MM-DD'` +
        (unreleased ? '; move the Unreleased entries under that heading before tagging' : ''),
    );
  }
  const rest = lines.slice(start + 1);
  // The section ends at the next release heading, or at the link references Keep a Changelog puts at the end.
  const end = rest.findIndex((line) => /^## /.test(line) || /^\[[^\]]+\]:\s/.test(line));
  const body = (end < 0 ? rest : rest.slice(0, end)).join('\n').trim();
  if (body === '') throw new ChangelogError(`CHANGELOG.md's section for ${plain} is empty`);
  return `${body}\n`;
}

if (import.meta.main) {
  const [version, file = join(import.meta.dirname, '../../CHANGELOG.md')] = process.argv.slice(2);
  try {
    if (!version) throw new ChangelogError('usage: node scripts/release/changelog-section.ts <X.Y.Z> [CHANGELOG.md]');
    process.stdout.write(changelogSection(readFileSync(file, 'utf8'), version));
  } catch (error) {
    if (!(error instanceof ChangelogError)) throw error;
    process.stderr.write(`changelog: ${error.message}\n`);
    process.exitCode = 1;
  }
}

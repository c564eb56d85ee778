import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  removeWritten,
  replaceSection,
  sectionNames,
  writeSection,
} from '../../src/assume-cross-account-role/profile-files.ts';
import { defaultSessionName, sessionTags } from '../../src/assume-cross-account-role/session.ts';
import { awsProblem } from '../../src/runtime/aws-constraints.ts';
import { githubContext } from '../../src/runtime/github-context.ts';

describe('session names and tags', () => {
  it('default session name stays within STS limits and keeps the run id', () => {
    const context = githubContext({
      GITHUB_REPOSITORY: 'an-organisation-with-a-long-name/a-repository-with-an-even-longer-name',
      GITHUB_RUN_ID: '12345678901',
      GITHUB_RUN_ATTEMPT: '2',
    });
    const name = defaultSessionName(context);
    expect(awsProblem('roleSessionName', name)).toBeUndefined();
    expect(name.length).toBe(64);
    expect(name.endsWith('-12345678901-2')).toBe(true);
  });

  it('tag values are cleaned to the characters STS accepts', () => {
    const tags = sessionTags(
      githubContext({
        GITHUB_WORKFLOW: 'Promote (prod) #1 & more',
        GITHUB_REPOSITORY: 'o/r',
        GITHUB_REF: 'refs/heads/main',
      }),
    );
    expect(tags).toContainEqual({ Key: 'Workflow', Value: 'Promote _prod_ _1 _ more' });
    expect(tags.find((tag) => tag.Key === 'Actor')).toBeUndefined();
  });

  it('tags made from a long workflow name are within what STS takes', () => {
    const tags = sessionTags(
      githubContext({ GITHUB_WORKFLOW: `Promote ${'é'.repeat(400)}`, GITHUB_REPOSITORY: 'o/r' }),
    );
    const workflow = tags.find((tag) => tag.Key === 'Workflow')!;
    expect(workflow.Value).toHaveLength(256);
    expect(awsProblem('sessionTagValue', workflow.Value!)).toBeUndefined();
  });
});

describe('profile files', () => {
  it('replaces one profile and keeps the others', () => {
    let text = replaceSection('', 'dev', { region: 'eu-west-1' });
    text = replaceSection(text, 'prod', { region: 'us-east-1' });
    text = replaceSection(text, 'dev', { region: 'eu-central-1' });
    expect(sectionNames(text)).toEqual(['prod', 'dev']);
    expect(text).toContain('[dev]\nregion = eu-central-1');
    expect(text).not.toContain('eu-west-1');
    expect(replaceSection(replaceSection(text, 'dev', undefined), 'prod', undefined)).toBe('');
  });
});

describe('profile files of the user', () => {
  const user = () => {
    const dir = mkdtempSync(join(tmpdir(), 'profiles-'));
    return join(dir, 'config');
  };

  it.each([
    ['ends with a newline', '[default]\nregion = us-west-2\n'],
    ['ends without one', '[default]\nregion = us-west-2'],
    ['is empty', ''],
    ['has odd spacing and comments', '# mine\n\n\n[profile a]\nregion=eu-west-1   \n\n'],
  ])('a section appended to a file that %s comes out byte for byte', (_, original) => {
    const file = user();
    writeFileSync(file, original);
    const written = writeSection(file, 'profile ci', { region: 'eu-west-1' }, false);
    expect(readFileSync(file, 'utf8').startsWith(original)).toBe(true);
    expect(sectionNames(readFileSync(file, 'utf8'))).toContain('profile ci');
    removeWritten(written);
    expect(readFileSync(file, 'utf8')).toBe(original);
    expect(existsSync(file)).toBe(true);
  });

  it("refuses to replace a section of the user's", () => {
    const file = user();
    writeFileSync(file, '[profile ci]\nregion = us-east-1\n');
    expect(() => writeSection(file, 'profile ci', { region: 'eu-west-1' }, false)).toThrow(/already has a section/);
  });

  it('deletes a file of its own once empty, and only then', () => {
    const file = user();
    const first = writeSection(file, 'profile a', { region: 'eu-west-1' }, true);
    const second = writeSection(file, 'profile b', { region: 'eu-west-1' }, true);
    expect([first.created, second.created]).toEqual([true, false]);
    removeWritten(second);
    expect(existsSync(file)).toBe(true);
    removeWritten(first);
    expect(existsSync(file)).toBe(false);
  });
});

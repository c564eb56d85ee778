import { describe, expect, it } from 'vitest';
import { replaceSection, sectionNames } from '../../src/assume-cross-account-role/profile-files.ts';
import { defaultSessionName, sessionTags } from '../../src/assume-cross-account-role/session.ts';
import { awsProblem } from '../../src/shared/aws-constraints.ts';
import { githubContext } from '../../src/shared/github-context.ts';

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

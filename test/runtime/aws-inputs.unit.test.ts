/** The inputs every AWS-calling action shares: a profile to act as must exist; inputs that apply only sometimes. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { existingProfileInput, profileFiles, profileInput } from '../../src/runtime/aws-inputs.ts';
import { optionalInput, refuseUnless } from '../../src/runtime/inputs.ts';

const root = mkdtempSync(join(tmpdir(), 'aws-inputs-'));
const credentials = join(root, 'credentials');
const config = join(root, 'config');
writeFileSync(credentials, '[prod]\naws_access_key_id = AKIA\n');
writeFileSync(config, '[default]\nregion = eu-west-1\n\n[profile staging]\ncredential_process = "node" "r.js"\n');
const files = { AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: config };

afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.unstubAllEnvs());
const input = (name: string, value: string) => vi.stubEnv(`INPUT_${name.toUpperCase()}`, value);

describe('profileFiles', () => {
  it.each([
    [{ HOME: '/home/runner' }, { credentials: '/home/runner/.aws/credentials', config: '/home/runner/.aws/config' }],
    [
      { HOME: '/home/runner', ...files },
      { credentials, config },
    ],
  ])('%j', (env, found) => expect(profileFiles(env)).toEqual(found));
});

describe('a profile to act as', () => {
  it.each([
    ['prod', 'in the credentials file'],
    ['staging', 'in the config file as [profile staging]'],
    ['default', 'in the config file as [default]'],
  ])('%s is taken: it is %s', (profile) => {
    input('aws-profile', profile);
    expect(existingProfileInput('aws-profile', files)).toBe(profile);
  });

  it('none given is none', () => expect(existingProfileInput('aws-profile', files)).toBeUndefined());

  it('refuses a profile that is in neither file, naming both', () => {
    input('aws-profile', 'prdo');
    expect(() => existingProfileInput('aws-profile', files)).toThrow(
      `input 'aws-profile': profile 'prdo' is in neither ${credentials} nor ${config}`,
    );
  });

  it.each(['has space', 'a'.repeat(65), 'semi;colon', '[prod]'])('refuses the name %j', (profile) => {
    input('profile', profile);
    expect(() => profileInput('profile')).toThrow(
      `input 'profile': '${profile}' is not a usable profile name (1-64 letters, digits, '.', '_' or '-')`,
    );
  });
});

describe('inputs that apply only sometimes', () => {
  it('reads an empty input as not given', () => {
    input('reason', '');
    expect(optionalInput('reason')).toBeUndefined();
    input('reason', 'looks good');
    expect(optionalInput('reason')).toBe('looks good');
  });

  it.each([
    ['applies', true, 'canary', undefined, undefined],
    ['not given', false, undefined, undefined, undefined],
    ['left at its default', false, '10', '10', undefined],
    [
      'given where it does not apply',
      false,
      '25',
      '10',
      "input 'step-percent': only applies when traffic-routing is canary or linear",
    ],
  ])('%s', (_, applies, value, defaultValue, message) => {
    if (value !== undefined) input('step-percent', value);
    const check = () => refuseUnless(applies, 'step-percent', 'when traffic-routing is canary or linear', defaultValue);
    if (message) expect(check).toThrow(message);
    else expect(check).not.toThrow();
  });
});

/**
 * assume-cross-account-role's decisions around the chain: where a profile goes and when it would
 * overwrite someone else's, the credential_process command line, the refresher's config, and
 * what an OIDC token claims.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  credentialProcess,
  planProfile,
  profileFolder,
} from '../../src/assume-cross-account-role/export-credentials.ts';
import { oidcAvailable, tokenClaims } from '../../src/assume-cross-account-role/oidc.ts';
import { configSectionName } from '../../src/assume-cross-account-role/profile-files.ts';
import { parseRefreshConfig, type RefreshConfig } from '../../src/assume-cross-account-role/refresh-config.ts';

const root = mkdtempSync(join(tmpdir(), 'assume-profile-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('planProfile', () => {
  const runnerTemp = join(root, 'runner-temp');
  const own = join(runnerTemp, 'mlops-actions-aws');
  const userCredentials = join(root, 'user-credentials');
  const userConfig = join(root, 'user-config');
  writeFileSync(userCredentials, '[prod]\naws_access_key_id = AKIA\n');
  writeFileSync(userConfig, '[default]\nregion = eu-west-1\n\n[profile staging]\nregion = eu-west-1\n');

  it('writes into the action’s own folder under RUNNER_TEMP when no files are named', () => {
    expect(profileFolder({ RUNNER_TEMP: runnerTemp })).toBe(own);
    expect(planProfile('prod', { RUNNER_TEMP: runnerTemp })).toEqual({
      profile: 'prod',
      credentialsFile: join(own, 'credentials'),
      configFile: join(own, 'config'),
      ownsCredentialsFile: true,
      ownsConfigFile: true,
    });
  });

  it('adds to the files the environment names, owning none of them', () => {
    expect(
      planProfile('deploy', {
        RUNNER_TEMP: runnerTemp,
        AWS_SHARED_CREDENTIALS_FILE: userCredentials,
        AWS_CONFIG_FILE: userConfig,
      }),
    ).toMatchObject({ credentialsFile: userCredentials, ownsCredentialsFile: false, ownsConfigFile: false });
  });

  it.each([
    ['prod', { AWS_SHARED_CREDENTIALS_FILE: userCredentials }, userCredentials],
    ['staging', { AWS_CONFIG_FILE: userConfig }, userConfig],
    ['default', { AWS_CONFIG_FILE: userConfig }, userConfig],
  ])('refuses to overwrite profile %s in a file the user wrote', (profile, env, file) => {
    expect(() => planProfile(profile, { RUNNER_TEMP: runnerTemp, ...env })).toThrow(
      `input 'aws-profile': '${profile}' already exists in ${file}, which this action did not write; choose another profile name (nothing was assumed or changed)`,
    );
  });

  it.each([
    ['default', 'default'],
    ['prod', 'profile prod'],
  ])('the config file names profile %s [%s]', (profile, section) => expect(configSectionName(profile)).toBe(section));
});

describe('credentialProcess', () => {
  it('quotes each part, so paths with spaces stay one argument', () => {
    expect(credentialProcess('/opt/node 24/bin/node', '/a/refresh.js', '/tmp/refresh-prod.json')).toBe(
      '"/opt/node 24/bin/node" "/a/refresh.js" "/tmp/refresh-prod.json"',
    );
  });

  it.each(['/tmp/a"b', '/tmp/$HOME', '/tmp/`id`', 'C:\\runner', '/tmp/a\nb'])(
    'refuses a path that would change the command line: %j',
    (path) => {
      expect(() => credentialProcess('/usr/bin/node', '/a/refresh.js', path)).toThrow(
        `cannot write a credential_process for the path ${path}`,
      );
    },
  );
});

describe('parseRefreshConfig', () => {
  const config: RefreshConfig = {
    version: 1,
    profile: 'prod',
    region: 'eu-west-1',
    audience: 'sts.amazonaws.com',
    sessionName: 'gha-42',
    durationSeconds: 3600,
    tags: [{ Key: 'repository', Value: 'o/r' }],
    hops: [
      { roleArn: 'arn:aws:iam::111111111111:role/ci' },
      { roleArn: 'arn:aws:iam::222222222222:role/deploy', externalId: 'x' },
    ],
    allowedAccountIds: ['222222222222'],
  };

  it('reads what the action wrote', () => {
    expect(parseRefreshConfig(JSON.stringify(config), '/tmp/r.json')).toEqual(config);
  });

  it.each([
    ['not JSON', '{', '/tmp/r.json is not JSON'],
    [
      'another version',
      JSON.stringify({ ...config, version: 2 }),
      'is not a role chain written by assume-cross-account-role',
    ],
    ['no hops', JSON.stringify({ ...config, hops: [] }), 'is not a role chain'],
    ['a hop without a role', JSON.stringify({ ...config, hops: [{}] }), 'is not a role chain'],
    ['a duration as text', JSON.stringify({ ...config, durationSeconds: '3600' }), 'is not a role chain'],
    ['no allowed accounts', JSON.stringify({ ...config, allowedAccountIds: undefined }), 'is not a role chain'],
    ['null', 'null', 'is not a role chain'],
  ])('refuses %s', (_, text, message) => expect(() => parseRefreshConfig(text, '/tmp/r.json')).toThrow(message));
});

describe('OIDC', () => {
  it.each([
    [{ ACTIONS_ID_TOKEN_REQUEST_URL: 'https://x', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't' }, true],
    [{ ACTIONS_ID_TOKEN_REQUEST_URL: 'https://x' }, false],
    [{ ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't' }, false],
    [{}, false],
  ])('a token can be asked for with %j: %s', (env, available) => expect(oidcAvailable(env)).toBe(available));

  it('reads the claims of a token without verifying it, and nothing from what is not one', () => {
    const claims = { sub: 'repo:example-org/ml-pipelines:ref:refs/heads/main', aud: 'sts.amazonaws.com' };
    const token = ['header', Buffer.from(JSON.stringify(claims)).toString('base64url'), 'signature'].join('.');
    expect(tokenClaims(token)).toEqual(claims);
    expect(tokenClaims('not-a-token')).toEqual({});
    expect(tokenClaims('a.!!!.c')).toEqual({});
  });
});

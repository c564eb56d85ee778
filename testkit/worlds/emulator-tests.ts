/**
 * The world of the emulator's own tests: the three accounts with two dev users (alice, who may,
 * and mallory, whom a role denies), a hub → deployer chain into prod, roles that refuse session
 * tags or a user, and a role in the registry account, whose account has no OIDC provider.
 */
import type { World } from '../../emulator/admin-client.ts';
import { assumeChain } from '../credentials.ts';
import {
  DEV,
  GITHUB_OIDC,
  githubProvider,
  githubTrust,
  PROD,
  REGISTRY,
  REPO,
  roleArn,
  roleTrust,
  userArn,
  type Keys,
} from './accounts.ts';

export const ALICE = {
  accessKeyId: 'AKIAALICE00000000001',
  secretAccessKey: 'alice/secret/key/for/emulator/tests/0001',
};
export const MALLORY = {
  accessKeyId: 'AKIAMALLORY000000001',
  secretAccessKey: 'mallory/secret/key/for/emulator/test/001',
};

export const ROLE = {
  deploy: roleArn(DEV, 'github-deploy'),
  hub: roleArn(DEV, 'hub'),
  deployer: roleArn(PROD, 'deployer'),
  noTags: roleArn(PROD, 'no-tags'),
  guarded: roleArn(PROD, 'guarded'),
  orphan: roleArn(REGISTRY, 'github-orphan'),
};

export const world: World = {
  authorization: 'allow-all',
  accounts: [
    {
      id: DEV,
      alias: 'dev',
      users: [
        { name: 'alice', ...ALICE },
        { name: 'mallory', ...MALLORY },
      ],
    },
    { id: PROD, alias: 'prod' },
    { id: REGISTRY, alias: 'no-provider' },
  ],
  oidcProviders: [githubProvider(DEV)],
  roles: [
    { arn: ROLE.deploy, trustPolicy: githubTrust(DEV, { like: { sub: `repo:${REPO}:ref:refs/heads/main` } }) },
    { arn: ROLE.hub, maxSessionDuration: 7200, trustPolicy: roleTrust([ROLE.deploy, userArn(DEV, 'alice')]) },
    { arn: ROLE.deployer, maxSessionDuration: 43200, trustPolicy: roleTrust([ROLE.hub], { externalId: 'mlops-prod' }) },
    { arn: ROLE.noTags, trustPolicy: roleTrust([ROLE.hub, DEV], { tagSession: false }) },
    {
      arn: ROLE.guarded,
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${DEV}:root` }, Action: 'sts:*' },
          { Effect: 'Deny', Principal: { AWS: userArn(DEV, 'mallory') }, Action: 'sts:AssumeRole' },
        ],
      },
    },
    {
      // Trusts GitHub through a provider its account does not have.
      arn: ROLE.orphan,
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: `arn:aws:iam::${REGISTRY}:oidc-provider/${GITHUB_OIDC}` },
            Action: 'sts:AssumeRoleWithWebIdentity',
          },
        ],
      },
    },
  ],
};

/** Session keys in prod through alice → hub → deployer. */
export function prodKeys(endpoint: string): Promise<Keys> {
  return assumeChain(endpoint, ALICE, [
    { roleArn: ROLE.hub, sessionName: 'hub' },
    { roleArn: ROLE.deployer, sessionName: 'deploy', externalId: 'mlops-prod' },
  ]);
}

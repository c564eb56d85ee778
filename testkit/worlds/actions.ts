/**
 * The world the actions' tests run in, like the multi-account setup the actions are made for:
 * GitHub OIDC lands in a dev "runner" role, which reaches a hub role, which reaches the prod
 * deployer (external id required) and the central registry. Owns its users' keys and role ARNs.
 */
import type { World } from '../../emulator/admin-client.ts';
import { DEV, githubProvider, githubTrust, PROD, REGISTRY, REPO, roleArn, roleTrust, userArn } from './accounts.ts';

export const ROLES = {
  devRunner: roleArn(DEV, 'github-runner'),
  prodDeploy: roleArn(PROD, 'github-deploy'),
  hub: roleArn(DEV, 'ci-hub'),
  prodDeployer: roleArn(PROD, 'sagemaker-deployer'),
  registryReader: roleArn(REGISTRY, 'registry-reader'),
  untaggable: roleArn(PROD, 'no-tag-session'),
};

/** The prod deployer's external id. */
export const PROD_EXTERNAL_ID = 'mlops-prod';

/** Long-term keys of a dev user, as a runner holds after a configure-credentials step. */
export const BOOTSTRAP_KEYS = {
  accessKeyId: 'AKIAEXAMPLEBOOTSTRAP',
  secretAccessKey: 'bootstrap/secret/key/for/tests/only/0000',
};

/**
 * Long-term keys of a user in prod and one in the registry account. STS sessions age on the
 * simulated clock (a chained hour is six wall seconds at 600×): tests of what the actions do, not
 * of credentials, act with keys that never expire, so a slow machine cannot fail them.
 */
export const OPERATOR_KEYS = {
  prod: { accessKeyId: 'AKIAEXAMPLEPRODOPS00', secretAccessKey: 'prod/operator/secret/key/for/tests/0000' },
  registry: { accessKeyId: 'AKIAEXAMPLEREGISTRY0', secretAccessKey: 'registry/operator/secret/key/tests/0000' },
};

// The actions' behaviour is tested here, not their permissions (test/iam/ proves those): identity
// policies are not consulted.
export const accountsWorld: World = {
  authorization: 'allow-all',
  accounts: [
    { id: DEV, alias: 'dev', users: [{ name: 'ci-bootstrap', ...BOOTSTRAP_KEYS }] },
    { id: PROD, alias: 'prod', users: [{ name: 'prod-operator', ...OPERATOR_KEYS.prod }] },
    { id: REGISTRY, alias: 'registry', users: [{ name: 'registry-operator', ...OPERATOR_KEYS.registry }] },
  ],
  oidcProviders: [githubProvider(DEV), githubProvider(PROD)],
  roles: [
    { arn: ROLES.devRunner, trustPolicy: githubTrust(DEV, { like: { sub: [`repo:${REPO}:*`] } }) },
    {
      arn: ROLES.prodDeploy,
      trustPolicy: githubTrust(PROD, {
        like: { sub: [`repo:${REPO}:ref:refs/heads/main`, `repo:${REPO}:environment:production`] },
      }),
    },
    { arn: ROLES.hub, trustPolicy: roleTrust([ROLES.devRunner, userArn(DEV, 'ci-bootstrap')]) },
    {
      arn: ROLES.prodDeployer,
      maxSessionDuration: 7200,
      trustPolicy: roleTrust([ROLES.hub], { externalId: PROD_EXTERNAL_ID }),
    },
    { arn: ROLES.registryReader, trustPolicy: roleTrust([ROLES.hub]) },
    { arn: ROLES.untaggable, trustPolicy: roleTrust([ROLES.hub], { tagSession: false }) },
  ],
};

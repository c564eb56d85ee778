/**
 * assume-cross-account-role and build-push-image run as the runner runs them under roles
 * holding exactly the action's shipped policy.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { World } from '../../emulator/admin-client.ts';
import { startLocalRegistry, type LocalRegistry } from '../../emulator/services/ecr/local-registry.ts';
import { pushImage, registryClient } from '../../testkit/images.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { SimulatedJob } from '../../local-runner/job.ts';
import {
  adminKeys,
  DEV,
  leastPrivilegeWorld,
  outcomeOf,
  PROD,
  proveLeastPrivilege,
  REGION,
  underTestCredentials,
  type Credentials,
  type Policy,
} from '../../testkit/least-privilege.ts';

const emulator = useEmulator({ accounts: [] });
const jobs: SimulatedJob[] = [];
afterEach(() => {
  for (const job of jobs.splice(0)) job.dispose();
});

const GITHUB = 'token.actions.githubusercontent.com';
const RUNNER = `arn:aws:iam::${DEV}:role/github-runner`;
const HUB = `arn:aws:iam::${DEV}:role/ci-hub`;
const DEPLOYER = `arn:aws:iam::${PROD}:role/sagemaker-deployer`;

/**
 * GitHub OIDC → dev runner → dev hub → prod deployer. The runner reaches the hub on the hub's
 * trust policy alone (same account, the runner named); the hub reaches prod with the action's
 * policy, the only permission policy in the chain.
 */
function chainWorld(grants: Record<string, Policy>): World {
  const trust = (principal: Record<string, string>, action: string[], condition?: object) => ({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: principal, Action: action, ...(condition ? { Condition: condition } : {}) },
    ],
  });
  const base = leastPrivilegeWorld({});
  return {
    ...base,
    roles: [
      {
        arn: RUNNER,
        trustPolicy: trust(
          { Federated: `arn:aws:iam::${DEV}:oidc-provider/${GITHUB}` },
          ['sts:AssumeRoleWithWebIdentity'],
          {
            StringLike: { [`${GITHUB}:sub`]: 'repo:example-org/ml-pipelines:*' },
          },
        ),
      },
      { arn: HUB, trustPolicy: trust({ AWS: RUNNER }, ['sts:AssumeRole', 'sts:TagSession']), policies: [] },
      {
        arn: DEPLOYER,
        trustPolicy: trust({ AWS: HUB }, ['sts:AssumeRole', 'sts:TagSession'], {
          StringEquals: { 'sts:ExternalId': 'mlops-prod' },
        }),
      },
    ].map((role) =>
      role.arn === HUB ? { ...role, policies: [{ name: 'action-policy', document: grants[DEV]! }] } : role,
    ),
  };
}

proveLeastPrivilege({
  action: 'assume-cross-account-role',
  emulator,
  values: { TARGET_ACCOUNT_ID: PROD, TARGET_ROLE_NAME: 'sagemaker-deployer' },
  grants: (policy) => ({ [DEV]: policy }),
  world: chainWorld,
  paths: [
    {
      name: 'OIDC, then a tagged chain into prod',
      run: async () => {
        const job = new SimulatedJob({ emulator: emulator.endpoint, oidcIssuer: emulator.admin });
        jobs.push(job);
        const step = await job.step('assume-cross-account-role', {
          inputs: {
            'role-to-assume': RUNNER,
            'role-chain': `${HUB}\n${DEPLOYER} external-id=mlops-prod`,
            'aws-region': REGION,
          },
        });
        return outcomeOf([step], step.outputs['aws-account-id'] === PROD);
      },
    },
  ],
});

// ---- build-push-image: a promotion by digest from dev's ECR to prod's, each account under its role.

let dev: LocalRegistry;
let prod: LocalRegistry;
let profiles: string;

beforeAll(async () => {
  [dev, prod] = await Promise.all([startLocalRegistry(), startLocalRegistry()]);
  profiles = mkdtempSync(join(tmpdir(), 'least-privilege-profiles-'));
}, 60_000);
afterAll(async () => {
  if (profiles) rmSync(profiles, { recursive: true, force: true });
  await Promise.all([dev?.stop(), prod?.stop()]);
});

function profileSection(name: string, credentials: Credentials): string {
  return [
    `[${name}]`,
    `aws_access_key_id = ${credentials.accessKeyId}`,
    `aws_secret_access_key = ${credentials.secretAccessKey}`,
    `aws_session_token = ${credentials.sessionToken ?? ''}`,
    '',
  ].join('\n');
}

proveLeastPrivilege({
  action: 'build-push-image',
  emulator,
  values: { REGION, ACCOUNT_ID: PROD, REPOSITORY_NAME: 'ml/abalone-train' },
  // The source account's role gets the same policy, for its own account.
  grants: (policy) => ({
    [PROD]: policy,
    [DEV]: JSON.parse(JSON.stringify(policy).replaceAll(`:${PROD}:`, `:${DEV}:`)) as Policy,
  }),
  prepare: async () => {
    await emulator.admin.setEcrRegistry({ account: DEV, endpoint: dev.endpoint, password: dev.password });
    await emulator.admin.setEcrRegistry({ account: PROD, endpoint: prod.endpoint, password: prod.password });
  },
  paths: [
    {
      name: 'promote by digest into a repository it creates',
      run: async () => {
        const image = await pushImage(registryClient(dev), 'ml/abalone-train', { layers: [2_000, 3_000] });
        // Under IAM the registry is reached through the emulator's gate, which ECR's answers name.
        const ecr = new ECRClient({ region: REGION, endpoint: emulator.endpoint, credentials: adminKeys(DEV) });
        const token = await ecr.send(new GetAuthorizationTokenCommand({}));
        ecr.destroy();
        const sourceHost = new URL(token.authorizationData![0]!.proxyEndpoint!).host;
        writeFileSync(
          join(profiles, 'credentials'),
          profileSection('dev', await underTestCredentials(emulator.endpoint, DEV)) +
            profileSection('prod', await underTestCredentials(emulator.endpoint, PROD)),
          { mode: 0o600 },
        );
        writeFileSync(join(profiles, 'config'), '', { mode: 0o600 });
        const job = new SimulatedJob({
          emulator: emulator.endpoint,
          idToken: false,
          env: {
            AWS_REGION: REGION,
            AWS_SHARED_CREDENTIALS_FILE: join(profiles, 'credentials'),
            AWS_CONFIG_FILE: join(profiles, 'config'),
          },
        });
        jobs.push(job);
        const step = await job.step('build-push-image', {
          inputs: {
            mode: 'promote',
            'source-image': `${sourceHost}/ml/abalone-train@${image.digest}`,
            'source-profile': 'dev',
            'aws-profile': 'prod',
            repository: 'ml/abalone-train',
          },
        });
        return outcomeOf([step], step.outputs['digest'] === image.digest);
      },
    },
  ],
});

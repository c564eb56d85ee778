/**
 * The local demo: the embedded AWS emulator with a dev, a prod and a registry
 * account, and the built actions run exactly as a GitHub runner runs them.
 * Later stages of the promotion join this script as their actions land.
 *
 *   npm run demo
 */
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { EmulatorAdmin } from '../emulator/admin-client.ts';
import { startEmulator } from '../emulator/server.ts';
import { readWorldFile } from '../emulator/world.ts';
import { SimulatedJob, type StepOptions, type StepResult } from '../test/harness/job.ts';
import { renderStepLog } from '../test/harness/step-log.ts';
import { renderMarkdown } from './terminal.ts';

const ROOT = join(import.meta.dirname, '..');
const DEV = '111111111111';
const PROD = '222222222222';
const REGISTRY = '333333333333';
const ROLE = {
  devDeploy: `arn:aws:iam::${DEV}:role/github-deploy`,
  prodDeploy: `arn:aws:iam::${PROD}:role/github-deploy`,
  hub: `arn:aws:iam::${DEV}:role/ci-hub`,
  prodDeployer: `arn:aws:iam::${PROD}:role/sagemaker-deployer`,
  registryReader: `arn:aws:iam::${REGISTRY}:role/registry-reader`,
};

const indent = (text: string, by = '    '): string => text.replace(/^/gm, by);

function printStep(title: string, result: StepResult): void {
  const status = result.exitCode === 0 ? 'ok' : `failed (exit ${result.exitCode})`;
  console.log(`\n  ▸ ${title} — ${status}`);
  const log = renderStepLog(result.stdout);
  if (log) console.log(indent(log));
  const outputs = Object.entries(result.outputs).filter(([, value]) => value !== '');
  if (outputs.length > 0) {
    console.log('    outputs:');
    for (const [name, value] of outputs) console.log(`      ${name} = ${value}`);
  }
  if (result.summary.trim()) console.log(`    job summary:\n${indent(renderMarkdown(result.summary), '      ')}`);
}

async function step(job: SimulatedJob, title: string, action: string, options: StepOptions): Promise<StepResult> {
  const result = await job.step(action, options);
  printStep(title, result);
  return result;
}

/** What `aws sts get-caller-identity --profile NAME` would print in a `run:` step. */
async function whoAmI(job: SimulatedJob, endpoint: string, profile: string): Promise<string> {
  const saved = { ...process.env };
  Object.assign(process.env, job.jobEnv, { AWS_ENDPOINT_URL: endpoint });
  try {
    const client = new STSClient({ profile });
    const identity = await client.send(new GetCallerIdentityCommand({}));
    client.destroy();
    return `${profile}: ${identity.Arn}`;
  } finally {
    process.env = saved;
  }
}

/** Runs the jobs; true when everything happened as a promotion should. */
async function promotion(endpoint: string): Promise<boolean> {
  const started = Date.now();
  const admin = new EmulatorAdmin(endpoint);
  console.log('\n━━ job validate (pull request from refs/heads/feature/better-features) ━━');
  const validate = new SimulatedJob({
    emulator: endpoint,
    context: { ref: 'refs/heads/feature/better-features', eventName: 'pull_request', workflow: 'validate' },
  });
  const dev = await step(validate, 'assume the dev role', 'assume-cross-account-role', {
    inputs: { 'role-to-assume': ROLE.devDeploy, 'aws-region': 'eu-west-1' },
  });
  const prodFromBranch = await step(
    validate,
    'assume the prod role from a feature branch (must be refused)',
    'assume-cross-account-role',
    {
      inputs: { 'role-to-assume': ROLE.prodDeploy, 'aws-region': 'eu-west-1' },
    },
  );
  for (const post of await validate.finish()) printStep('post: clean up', post);
  validate.dispose();

  console.log('\n━━ job promote (push to refs/heads/main) ━━');
  const promote = new SimulatedJob({ emulator: endpoint, context: { ref: 'refs/heads/main' } });
  const devProfile = await step(promote, 'dev account as profile "dev"', 'assume-cross-account-role', {
    inputs: { 'role-to-assume': ROLE.devDeploy, 'aws-region': 'eu-west-1', profile: 'dev' },
  });
  const prodProfile = await step(
    promote,
    'prod account through the hub role as profile "prod"',
    'assume-cross-account-role',
    {
      inputs: {
        'role-to-assume': ROLE.devDeploy,
        'role-chain': `${ROLE.hub}\n${ROLE.prodDeployer} external-id=mlops-prod`,
        'allowed-account-ids': PROD,
        'aws-region': 'eu-west-1',
        profile: 'prod',
      },
    },
  );
  const registryProfile = await step(
    promote,
    'central registry account as profile "registry"',
    'assume-cross-account-role',
    {
      inputs: {
        'role-to-assume': ROLE.devDeploy,
        'role-chain': `${ROLE.hub}\n${ROLE.registryReader}`,
        // The registry's role does not allow sts:TagSession.
        'skip-session-tags': 'true',
        'aws-region': 'eu-west-1',
        profile: 'registry',
      },
    },
  );
  console.log('\n  ▸ run: aws sts get-caller-identity --profile dev|prod|registry');
  for (const profile of ['dev', 'prod', 'registry']) console.log(`    ${await whoAmI(promote, endpoint, profile)}`);
  for (const post of await promote.finish()) printStep('post: clean up', post);
  promote.dispose();

  const calls = await admin.calls();
  console.log(`\n━━ result ━━`);
  console.log(`  AWS calls made: ${calls.length} (${calls.filter((call) => call.errorCode).length} refused)`);
  const expected =
    dev.exitCode === 0 &&
    prodFromBranch.exitCode === 1 &&
    devProfile.outputs['aws-account-id'] === DEV &&
    prodProfile.outputs['aws-account-id'] === PROD &&
    registryProfile.outputs['aws-account-id'] === REGISTRY;
  console.log(
    expected
      ? `  as expected: the feature branch could not reach prod; main reached dev, prod and the registry in one job (${((Date.now() - started) / 1000).toFixed(1)} s)`
      : '  NOT as expected: see the steps above',
  );
  return expected;
}

async function main(): Promise<void> {
  const emulator = await startEmulator({
    port: 0,
    world: await readWorldFile(join(ROOT, 'emulator/worlds/demo.yaml')),
  });
  console.log(`AWS emulator at ${emulator.endpoint} — accounts dev ${DEV}, prod ${PROD}, registry ${REGISTRY}`);
  try {
    process.exitCode = (await promotion(emulator.endpoint)) ? 0 : 1;
  } finally {
    await emulator.close();
  }
}

await main();

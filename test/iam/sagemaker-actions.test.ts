/**
 * upsert-pipeline, start-execution, gate-on-model-approval, deploy-endpoint, wait-for-endpoint,
 * smoke-test-endpoint and cleanup run as the runner runs them under a role holding exactly the
 * action's shipped policy.
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { CreateModelPackageGroupCommand, PutModelPackageGroupPolicyCommand } from '@aws-sdk/client-sagemaker';
import { describe, expect, it } from 'vitest';
import { sagemaker } from '../../testkit/clients.ts';
import { keysEnv } from '../../testkit/credentials.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { testJob, upsertPipeline as upsert } from '../../testkit/jobs.ts';
import { fill, type Outcome, outcomeOf, proveLeastPrivilege, shippedPolicy } from '../../testkit/least-privilege.ts';
import { groupSharePolicy, registerPackage } from '../../testkit/model-registry.ts';
import { ABALONE } from '../../testkit/sagemaker.ts';
import { DEV, type Keys as Credentials, PROD, REGION, REGISTRY } from '../../testkit/worlds/accounts.ts';
import { adminKeys, leastPrivilegeWorld, underTestCredentials } from '../../testkit/worlds/least-privilege.ts';
import type { SimulatedJob } from '../../local-runner/job.ts';
import { type StepResult } from '../../local-runner/job.ts';

const emulator = useEmulator({ accounts: [] });
const SCALE = 600;
const EXECUTION_ROLE = (account: string) => `arn:aws:iam::${account}:role/sagemaker-execution`;
function job(credentials: Credentials, context: Partial<SimulatedJob['context']> = {}): SimulatedJob {
  return testJob(emulator.endpoint, {
    idToken: false,
    context,
    env: { ...keysEnv(credentials, REGION), MLOPS_ACTIONS_CLOCK_SCALE: String(SCALE) },
  });
}

const asRole = (account: string) => underTestCredentials(emulator.endpoint, account);
const asAdmin = async (account: string): Promise<Credentials> => adminKeys(account);

const CHANGED = ABALONE.replace('"num_round": "50"', '"num_round": "80"');
const UPSERT_VALUES = {
  REGION,
  ACCOUNT_ID: DEV,
  PIPELINE_NAME: 'abalone',
  PIPELINE_ROLE_NAME: 'sagemaker-execution',
  DEFINITION_BUCKET: 'ml-dev-artifacts',
  DEFINITION_PREFIX: 'pipelines/',
};

describe('upsert-pipeline plan mode', () => {
  it('needs only the ReadThePipeline statement', async () => {
    const policy = fill(shippedPolicy('upsert-pipeline'), UPSERT_VALUES);
    const readOnly = { ...policy, Statement: policy.Statement.filter((s) => s.Sid === 'ReadThePipeline') };
    await emulator.admin.loadWorld(leastPrivilegeWorld({ [DEV]: readOnly }));
    await upsert(job(await asAdmin(DEV)), ABALONE);
    const step = await upsert(job(await asRole(DEV)), CHANGED, { mode: 'plan' });
    expect(step.errors).toEqual([]);
    expect(step.outputs['changed']).toBe('true');
  });
});

proveLeastPrivilege({
  action: 'upsert-pipeline',
  emulator,
  values: UPSERT_VALUES,
  grants: (policy) => ({ [DEV]: policy }),
  paths: [
    {
      name: 'create with tags',
      run: async () => {
        const step = await upsert(job(await asRole(DEV)), ABALONE, { tags: 'team: forecasting' });
        return outcomeOf([step], step.outputs['action'] === 'create');
      },
    },
    {
      name: 'update the definition and the tags',
      run: async () => {
        await upsert(job(await asAdmin(DEV)), ABALONE, { tags: 'team: forecasting\nstage: dev' });
        const step = await upsert(job(await asRole(DEV)), CHANGED, { tags: 'team: ranking' });
        return outcomeOf([step], step.outputs['action'] === 'update');
      },
    },
    {
      name: 'create with the definition in S3',
      run: async () => {
        const s3 = new S3Client({ region: REGION, endpoint: emulator.endpoint, credentials: adminKeys(DEV) });
        await s3.send(new CreateBucketCommand({ Bucket: 'ml-dev-artifacts' }));
        s3.destroy();
        const step = await upsert(job(await asRole(DEV)), ABALONE, {
          'definition-s3-uri': 's3://ml-dev-artifacts/pipelines/',
        });
        return outcomeOf([step], step.outputs['action'] === 'create');
      },
    },
  ],
});

async function pipelineInDev(): Promise<void> {
  await emulator.admin.setClockScale(SCALE);
  const step = await upsert(job(await asAdmin(DEV)), ABALONE);
  if (step.exitCode !== 0) throw new Error(`setting up the pipeline failed: ${step.errors.join(' ')}`);
}

const start = (target: SimulatedJob, options: Parameters<SimulatedJob['step']>[1] = {}) =>
  target.step('start-execution', { ...options, inputs: { 'pipeline-name': 'abalone', ...options.inputs } });

proveLeastPrivilege({
  action: 'start-execution',
  emulator,
  values: { REGION, ACCOUNT_ID: DEV, PIPELINE_NAME: 'abalone' },
  grants: (policy) => ({ [DEV]: policy }),
  prepare: pipelineInDev,
  paths: [
    {
      name: 'start and wait for success, with the step table',
      run: async () => {
        const step = await start(job(await asRole(DEV)));
        return outcomeOf([step], step.outputs['status'] === 'Succeeded' && step.summary.includes('Train'));
      },
    },
    {
      name: 'a failed step with its log lines',
      run: async () => {
        await emulator.admin.setScenario({
          pipelines: {
            abalone: { steps: { Train: { outcome: 'Failed', failureReason: 'diverged', logLines: ['loss is NaN'] } } },
          },
        });
        const step = await start(job(await asRole(DEV)));
        // The step fails because the pipeline did; what it is for is the digest with the job's logs.
        const digest =
          step.exitCode === 1 && step.outputs['status'] === 'Failed' && step.stdout.includes('loss is NaN');
        return { ...outcomeOf([{ ...step, exitCode: 0 }], digest) };
      },
    },
    {
      name: 'a re-run attaches to the execution the first attempt left running',
      run: async () => {
        await emulator.admin.setScenario({ pipelines: { abalone: { steps: { Train: { durationSeconds: 3600 } } } } });
        const credentials = await asRole(DEV);
        const first = await start(job(credentials, { runAttempt: '1' }), { inputs: { wait: 'false' } });
        // Not waiting: attaching is what this path is for, and the execution runs for an hour.
        const rerun = await start(job(credentials, { runAttempt: '2' }), { inputs: { wait: 'false' } });
        return outcomeOf([first, rerun], rerun.outputs['reused'] === 'true');
      },
    },
    {
      name: 'a failed execution retried from its failed step',
      run: async () => {
        await emulator.admin.setScenario({
          pipelines: {
            abalone: { steps: { Train: { failFirstRuns: 1, failureReason: 'CapacityError: no capacity' } } },
          },
        });
        const step = await start(job(await asRole(DEV)), { inputs: { 'retry-attempts': '1' } });
        return outcomeOf([step], step.outputs['status'] === 'Succeeded' && step.outputs['attempts'] === '2');
      },
    },
    {
      name: 'cancelling stops the execution',
      run: async () => {
        await emulator.admin.setScenario({ pipelines: { abalone: { steps: { Train: { durationSeconds: 36000 } } } } });
        const step = await start(job(await asRole(DEV)), { cancel: { whenStdout: /Train \(Training\): Executing/ } });
        const stopped = /cancelled; stopped arn:/.test(step.errors.at(-1) ?? '');
        return outcomeOf([{ ...step, exitCode: 0 }], stopped);
      },
    },
  ],
});

// ---- The registry account holds the packages; prod judges and deploys them.

const GROUP = 'abalone-models';
const IMAGE = `${REGISTRY}.dkr.ecr.${REGION}.amazonaws.com/abalone-inference@sha256:${'ab'.repeat(32)}`;

function registryClient(): SageMakerClient {
  return sagemaker(emulator.endpoint, adminKeys(REGISTRY), { region: REGION });
}

/** A shared group (its policy lets prod read, decide and deploy) with one package, settled. */
async function sharedPackage(status: 'Approved' | 'PendingManualApproval'): Promise<string> {
  await emulator.admin.setClockScale(SCALE);
  const registry = registryClient();
  await registry.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: GROUP }));
  await registry.send(
    new PutModelPackageGroupPolicyCommand({
      ModelPackageGroupName: GROUP,
      ResourcePolicy: groupSharePolicy({ region: REGION, registry: REGISTRY, consumer: PROD, group: GROUP }),
    }),
  );
  const arn = await registerPackage(registry, GROUP, IMAGE, status);
  registry.destroy();
  await emulator.admin.advanceClock(60_000);
  return arn;
}

const registryValues = { REGION, ACCOUNT_ID: PROD, REGISTRY_ACCOUNT_ID: REGISTRY, MODEL_PACKAGE_GROUP: GROUP };

proveLeastPrivilege({
  action: 'gate-on-model-approval',
  emulator,
  values: registryValues,
  grants: (policy) => ({ [PROD]: policy }),
  paths: [
    {
      name: 'check the newest package of a group in the registry account',
      run: async () => {
        await sharedPackage('Approved');
        const step = await job(await asRole(PROD)).step('gate-on-model-approval', {
          inputs: {
            'model-package-group-name': `arn:aws:sagemaker:${REGION}:${REGISTRY}:model-package-group/${GROUP}`,
          },
        });
        return outcomeOf([step], step.outputs['approval-status'] === 'Approved');
      },
    },
    {
      name: 'approve an exact package',
      run: async () => {
        const arn = await sharedPackage('PendingManualApproval');
        const step = await job(await asRole(PROD)).step('gate-on-model-approval', {
          inputs: { 'model-package-arn': arn, decision: 'approve', reason: 'RMSE 2.1 beats 2.4' },
        });
        return outcomeOf([step], step.outputs['approval-status'] === 'Approved');
      },
    },
  ],
});

function deploy(
  target: SimulatedJob,
  packageArn: string,
  tags = '',
  extra: Record<string, string> = {},
): Promise<StepResult> {
  return target.step('deploy-endpoint', {
    inputs: {
      'model-package-arn': packageArn,
      'endpoint-name': 'abalone',
      'execution-role-arn': EXECUTION_ROLE(PROD),
      ...(tags ? { tags } : {}),
      ...extra,
    },
  });
}

/** An image from the build, with its model data and environment: no package, no registry account. */
const PROD_IMAGE = `${PROD}.dkr.ecr.${REGION}.amazonaws.com/abalone-serve@sha256:${'cd'.repeat(32)}`;

function deployImage(target: SimulatedJob, logLevel: string): Promise<StepResult> {
  return target.step('deploy-endpoint', {
    inputs: {
      image: PROD_IMAGE,
      'model-data-url': 's3://ml-prod-artifacts/abalone/model.tar.gz',
      environment: `LOG_LEVEL: ${logLevel}`,
      'endpoint-name': 'abalone',
      'execution-role-arn': EXECUTION_ROLE(PROD),
    },
  });
}

/** The same package on a larger fleet: a deployment that differs, so it needs a new config. */
const LARGER_FLEET = { 'instance-count': '2' };

/** The endpoint already serves a first deployment (made by the admin), InService. */
async function servingEndpoint(packageArn: string): Promise<void> {
  const first = await deploy(job(await asAdmin(PROD), { runId: '1000' }), packageArn);
  if (first.exitCode !== 0) throw new Error(`setting up the endpoint failed: ${first.errors.join(' ')}`);
  await emulator.admin.advanceClock(3_600_000);
}

proveLeastPrivilege({
  action: 'deploy-endpoint',
  emulator,
  values: { ...registryValues, ENDPOINT_NAME: 'abalone', EXECUTION_ROLE_NAME: 'sagemaker-execution' },
  grants: (policy) => ({ [PROD]: policy }),
  paths: [
    {
      name: 'create the endpoint, tagged',
      run: async () => {
        const arn = await sharedPackage('Approved');
        const step = await deploy(job(await asRole(PROD)), arn, 'team: forecasting');
        return outcomeOf([step], step.outputs['action'] === 'create');
      },
    },
    {
      name: 'update the endpoint to a new config',
      run: async () => {
        const arn = await sharedPackage('Approved');
        await servingEndpoint(arn);
        const step = await deploy(job(await asRole(PROD), { runId: '2000' }), arn, '', LARGER_FLEET);
        return outcomeOf([step], step.outputs['action'] === 'update');
      },
    },
    {
      name: 'deploy an image with its model data and environment',
      run: async () => {
        await emulator.admin.setClockScale(SCALE);
        const step = await deployImage(job(await asRole(PROD)), 'info');
        const named = /^abalone-dcdcdcdcd-[0-9a-f]{8}$/.test(step.outputs['endpoint-config-name'] ?? '');
        return outcomeOf([step], step.outputs['action'] === 'create' && named);
      },
    },
    {
      name: 'update the endpoint to a new image deployment',
      run: async () => {
        await emulator.admin.setClockScale(SCALE);
        const first = await deployImage(job(await asAdmin(PROD), { runId: '1000' }), 'info');
        if (first.exitCode !== 0) throw new Error(`setting up the endpoint failed: ${first.errors.join(' ')}`);
        await emulator.admin.advanceClock(3_600_000);
        const step = await deployImage(job(await asRole(PROD), { runId: '2000' }), 'debug');
        return outcomeOf([step], step.outputs['action'] === 'update');
      },
    },
  ],
});

async function waitFor(credentials: Credentials, config: string): Promise<StepResult> {
  return job(credentials).step('wait-for-endpoint', {
    inputs: { 'endpoint-name': 'abalone', 'expected-config': config },
  });
}

proveLeastPrivilege({
  action: 'wait-for-endpoint',
  emulator,
  values: { REGION, ACCOUNT_ID: PROD, ENDPOINT_NAME: 'abalone' },
  grants: (policy) => ({ [PROD]: policy }),
  paths: [
    {
      name: 'InService on the expected config',
      run: async () => {
        const arn = await sharedPackage('Approved');
        const deployed = await deploy(job(await asAdmin(PROD)), arn);
        const step = await waitFor(await asRole(PROD), deployed.outputs['endpoint-config-name']!);
        return outcomeOf([step], step.outputs['status'] === 'InService');
      },
    },
    {
      name: 'a rolled-back update, with the endpoint log lines',
      run: async (): Promise<Outcome> => {
        const arn = await sharedPackage('Approved');
        await servingEndpoint(arn);
        await emulator.admin.setScenario({
          endpoints: {
            abalone: {
              updateOutcome: 'RolledBack',
              updateFailureReason: 'health check failed',
              logLines: ['OOM in worker 3'],
            },
          },
        });
        const updated = await deploy(job(await asAdmin(PROD), { runId: '2000' }), arn, '', LARGER_FLEET);
        const step = await waitFor(await asRole(PROD), updated.outputs['endpoint-config-name']!);
        const reported = step.exitCode === 1 && step.stdout.includes('OOM in worker 3');
        return outcomeOf([{ ...step, exitCode: 0 }], reported);
      },
    },
  ],
});

// ---- After a deployment: the smoke test, and cleanup of what our actions created.

/** The admin deploys the image (LOG_LEVEL makes each deployment differ) and lets it come InService. */
async function servingImage(logLevel: string, runId: string): Promise<Record<string, string>> {
  await emulator.admin.setClockScale(SCALE);
  const step = await deployImage(job(await asAdmin(PROD), { runId }), logLevel);
  if (step.exitCode !== 0) throw new Error(`deploying the image failed: ${step.errors.join(' ')}`);
  await emulator.admin.advanceClock(3_600_000);
  return step.outputs;
}

const REQUEST = '{"instances": [[0.455, 0.365, 0.095]]}';

proveLeastPrivilege({
  action: 'smoke-test-endpoint',
  emulator,
  values: { REGION, ACCOUNT_ID: PROD, ENDPOINT_NAME: 'abalone' },
  grants: (policy) => ({ [PROD]: policy }),
  paths: [
    {
      name: 'the config under test answers as expected',
      run: async () => {
        const deployed = await servingImage('info', '1000');
        const step = await job(await asRole(PROD)).step('smoke-test-endpoint', {
          inputs: {
            'endpoint-name': 'abalone',
            'expected-config': deployed['endpoint-config-name']!,
            'request-body': REQUEST,
          },
        });
        return outcomeOf([step], step.outputs['passed'] === 'true');
      },
    },
    {
      name: 'a failing config is rolled back to the previous one',
      run: async () => {
        await servingImage('info', '1000');
        const second = await servingImage('debug', '2000');
        await emulator.admin.setScenario({
          endpoints: {
            abalone: {
              updateSeconds: 60,
              invocationsByConfig: {
                [second['endpoint-config-name']!]: { response: 'fixed', body: '{"predictions": []}' },
              },
            },
          },
        });
        const step = await job(await asRole(PROD)).step('smoke-test-endpoint', {
          inputs: {
            'endpoint-name': 'abalone',
            'expected-config': second['endpoint-config-name']!,
            'request-body': REQUEST,
            'expect-json-path': 'predictions[0]',
            'on-failure': 'rollback',
            'rollback-config': second['previous-config-name']!,
          },
        });
        // The step fails because the test did: the rollback is what this path is for.
        return outcomeOf([{ ...step, exitCode: 0 }], step.exitCode === 1 && step.outputs['rolled-back'] === 'true');
      },
    },
  ],
});

const DEV_IMAGE = `${DEV}.dkr.ecr.${REGION}.amazonaws.com/abalone-serve@sha256:${'ef'.repeat(32)}`;

/** deploy-endpoint of the image in dev, by the admin, in the job given (a pull request's or main's). */
async function deployedInDev(target: SimulatedJob, endpoint: string, version: number): Promise<void> {
  const step = await target.step('deploy-endpoint', {
    inputs: {
      image: DEV_IMAGE,
      environment: `MODEL_VERSION: '${version}'`,
      'endpoint-name': endpoint,
      'execution-role-arn': EXECUTION_ROLE(DEV),
    },
  });
  if (step.exitCode !== 0) throw new Error(`deploying ${endpoint} failed: ${step.errors.join(' ')}`);
  await emulator.admin.advanceClock(3_600_000);
}

const cleanup = async (inputs: Record<string, string>) =>
  job(await asRole(DEV), { runId: '999' }).step('cleanup', { inputs });

proveLeastPrivilege({
  action: 'cleanup',
  emulator,
  // The repository every job of these tests runs in, as the ownership tags name it.
  values: { REGION, ACCOUNT_ID: DEV, GITHUB_REPOSITORY: 'example-org/ml-pipelines' },
  grants: (policy) => ({ [DEV]: policy }),
  prepare: async () => {
    await emulator.admin.setClockScale(SCALE);
  },
  paths: [
    {
      name: "a closed pull request's pipeline (its execution stopped first) and endpoint",
      run: async () => {
        await emulator.admin.setScenario({ pipelines: { '*': { steps: { Train: { durationSeconds: 36_000 } } } } });
        const prJob = job(await asAdmin(DEV), { ref: 'refs/pull/7/merge', runId: '700' });
        const created = await upsert(prJob, ABALONE, { 'pipeline-name': 'abalone-pr-7' });
        const started = await prJob.step('start-execution', {
          inputs: { 'pipeline-name': 'abalone-pr-7', wait: 'false' },
        });
        if (created.exitCode !== 0 || started.exitCode !== 0) throw new Error('setting up pull request 7 failed');
        await deployedInDev(prJob, 'abalone-pr-7', 1);
        const step = await cleanup({ 'pull-request': '7' });
        const plan = JSON.parse(step.outputs['plan'] ?? '[]') as { kind: string }[];
        const kinds = plan.map((d) => d.kind).sort();
        const all = ['endpoint', 'endpoint-config', 'model', 'pipeline'];
        return outcomeOf([step], JSON.stringify(kinds) === JSON.stringify(all) && step.outputs['deleted'] === '4');
      },
    },
    {
      name: 'keep the newest config and model of an endpoint',
      run: async () => {
        for (const version of [1, 2, 3])
          await deployedInDev(job(await asAdmin(DEV), { runId: `${version}00` }), 'abalone', version);
        const step = await cleanup({ 'keep-last': '1' });
        // The live config and the one before it stay: the first deployment's config and model go.
        return outcomeOf([step], step.outputs['deleted'] === '2');
      },
    },
  ],
});

describe('cleanup under its policy, beyond the proof', () => {
  const CLEANUP_VALUES = { REGION, ACCOUNT_ID: DEV, GITHUB_REPOSITORY: 'example-org/ml-pipelines' };
  const READS = [
    'ListWhatTheAccountHolds',
    'ReadTheOwnershipTags',
    'ReadWhatEndpointsServe',
    'ListTheExecutionsOfItsPipelines',
  ];

  it('plan mode needs only the statements that read', async () => {
    const policy = fill(shippedPolicy('cleanup'), CLEANUP_VALUES);
    const reads = { ...policy, Statement: policy.Statement.filter((s) => READS.includes(s.Sid)) };
    await emulator.admin.reset();
    await emulator.admin.loadWorld(leastPrivilegeWorld({ [DEV]: reads }));
    await emulator.admin.setClockScale(SCALE);
    const prJob = job(await asAdmin(DEV), { ref: 'refs/pull/7/merge', runId: '700' });
    expect((await upsert(prJob, ABALONE, { 'pipeline-name': 'abalone-pr-7' })).errors).toEqual([]);
    await deployedInDev(prJob, 'abalone-pr-7', 1);
    const step = await cleanup({ 'pull-request': '7', 'keep-last': '1', mode: 'plan' });
    expect(step.errors).toEqual([]);
    expect((JSON.parse(step.outputs['plan'] ?? '[]') as unknown[]).length).toBe(4);
  });

  it("refuses to delete what another repository's runs created, naming the permission", async () => {
    await emulator.admin.reset();
    await emulator.admin.loadWorld(leastPrivilegeWorld({ [DEV]: fill(shippedPolicy('cleanup'), CLEANUP_VALUES) }));
    await emulator.admin.setClockScale(SCALE);
    const other = job(await asAdmin(DEV), { ref: 'refs/pull/7/merge', runId: '700', repository: 'other-org/models' });
    await deployedInDev(other, 'other-pr-7', 1);
    // Pointed at the other repository, the planner finds its endpoint; the role may not delete it.
    const step = await cleanup({ 'pull-request': '7', 'github-repository': 'other-org/models' });
    expect(step.exitCode).toBe(1);
    expect(step.outputs['deleted']).toBe('0');
    expect(step.errors.at(-1)).toMatch(
      /not authorized to perform: sagemaker:DeleteEndpoint on resource: \S+:endpoint\/other-pr-7 /,
    );
  });
});

/**
 * deploy-endpoint, wait-for-endpoint and gate-on-model-approval as the runner
 * runs them: a central registry account holds the packages, prod deploys them.
 */
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import {
  CreateModelPackageGroupCommand,
  PutModelPackageGroupPolicyCommand,
  UpdateModelPackageCommand,
  DescribeModelPackageCommand,
  DescribeModelCommand,
  ListEndpointConfigsCommand,
  ListModelsCommand,
  ListTagsCommand,
} from '@aws-sdk/client-sagemaker';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SimulatedJob } from '../../local-runner/job.ts';
import { type StepOptions } from '../../local-runner/job.ts';
import { sagemaker } from '../../testkit/clients.ts';
import { assumeChain } from '../../testkit/credentials.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { keysJob } from '../../testkit/jobs.ts';
import {
  groupSharePolicy,
  registerPackage as registerPackageIn,
  SHARED_PACKAGE_ACTIONS,
} from '../../testkit/model-registry.ts';
import { PROD, REGION, REGISTRY } from '../../testkit/worlds/accounts.ts';
import { accountsWorld, BOOTSTRAP_KEYS, OPERATOR_KEYS, ROLES } from '../../testkit/worlds/actions.ts';

const emulator = useEmulator(accountsWorld);
const SCALE = 600;
const GROUP = 'abalone-models';
const GROUP_ARN = `arn:aws:sagemaker:${REGION}:${REGISTRY}:model-package-group/${GROUP}`;
const IMAGE = `${REGISTRY}.dkr.ecr.${REGION}.amazonaws.com/abalone-inference@sha256:${'ab'.repeat(32)}`;
const EXECUTION_ROLE = `arn:aws:iam::${PROD}:role/sagemaker-execution`;

let registry: SageMakerClient;

afterEach(() => {
  registry?.destroy();
});

beforeEach(async () => {
  await emulator.admin.setClockScale(SCALE);
  registry = sagemaker(emulator.endpoint, OPERATOR_KEYS.registry, { region: REGION });
  await registry.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: GROUP }));
});

async function sharePolicy(): Promise<void> {
  await registry.send(
    new PutModelPackageGroupPolicyCommand({
      ModelPackageGroupName: GROUP,
      ResourcePolicy: groupSharePolicy({
        region: REGION,
        registry: REGISTRY,
        consumer: PROD,
        group: GROUP,
        actions: [...SHARED_PACKAGE_ACTIONS, 'sagemaker:DescribeModelPackageGroup'],
      }),
    }),
  );
}

const registerPackage = (status: 'Approved' | 'PendingManualApproval' | 'Rejected'): Promise<string> =>
  registerPackageIn(registry, GROUP, IMAGE, status);

/** A prod job with keys that never expire: these tests are about deploying and waiting, not about sessions. */
function prodJob(context: Partial<SimulatedJob['context']> = {}): SimulatedJob {
  return keysJob(emulator.endpoint, OPERATOR_KEYS.prod, { context, env: { MLOPS_ACTIONS_CLOCK_SCALE: String(SCALE) } });
}

/**
 * A prod job holding fixed session credentials of a quarter hour (a role chain's last hop, nothing to
 * renew them) that ends once the step has printed a line matching `when`: the clock then jumps an
 * hour, past their end, so the step's next call meets AWS's expired-token answer.
 */
async function expiringProdJob(when: RegExp): Promise<{ job: SimulatedJob; onLine: (line: string) => void }> {
  const session = await assumeChain(emulator.endpoint, BOOTSTRAP_KEYS, [
    { roleArn: ROLES.hub },
    { roleArn: ROLES.prodDeployer, externalId: 'mlops-prod', durationSeconds: 900 },
  ]);
  const job = keysJob(emulator.endpoint, session, { env: { MLOPS_ACTIONS_CLOCK_SCALE: String(SCALE) } });
  let jumped = false;
  return {
    job,
    onLine: (line) => {
      if (jumped || !when.test(line)) return;
      jumped = true;
      void emulator.admin.advanceClock(3_600_000);
    },
  };
}

function decideWhenPending(arn: string, decision: 'Approved' | 'Rejected'): (line: string) => void {
  let decided = false;
  return (line) => {
    if (decided || !line.includes('PendingManualApproval')) return;
    decided = true;
    void registry.send(new UpdateModelPackageCommand({ ModelPackageArn: arn, ModelApprovalStatus: decision }));
  };
}

const gate = (job: SimulatedJob, inputs: Record<string, string>, options: Omit<StepOptions, 'inputs'> = {}) =>
  job.step('gate-on-model-approval', { inputs, ...options });

async function deployAndWait(job: SimulatedJob, packageArn: string, extra: Record<string, string> = {}) {
  const deploy = await job.step('deploy-endpoint', {
    inputs: {
      'model-package-arn': packageArn,
      'endpoint-name': 'abalone',
      'execution-role-arn': EXECUTION_ROLE,
      ...extra,
    },
  });
  expect(deploy.errors).toEqual([]);
  const wait = await job.step('wait-for-endpoint', {
    inputs: { 'endpoint-name': 'abalone', 'expected-config': deploy.outputs['endpoint-config-name']! },
  });
  return { deploy, wait };
}

// Settle the packages' status (Pending → Completed) on the simulated clock.
const settle = () => emulator.admin.advanceClock(60_000);

describe('gate-on-model-approval', () => {
  it('reads a registry in another account only when the group policy allows it', async () => {
    await registerPackage('Approved');
    await settle();
    const denied = await gate(prodJob(), { 'model-package-group-name': GROUP_ARN });
    expect(denied.exitCode).toBe(1);
    expect(denied.errors[0]).toMatch(/resource policy must allow this account/);

    await sharePolicy();
    const allowed = await gate(prodJob(), { 'model-package-group-name': GROUP_ARN });
    expect(allowed.errors).toEqual([]);
    expect(allowed.outputs['approval-status']).toBe('Approved');
  });

  it('judges the newest package of a group even when older ones are approved', async () => {
    await sharePolicy();
    const older = await registerPackage('Approved');
    const newest = await registerPackage('PendingManualApproval');
    await settle();
    const step = await gate(prodJob(), { 'model-package-group-name': GROUP_ARN });
    expect(step.exitCode).toBe(1);
    expect(step.outputs['model-package-arn']).toBe(newest);
    expect(step.outputs['model-package-arn']).not.toBe(older);
    expect(step.errors[0]).toContain('PendingManualApproval');
  });

  it('wait mode passes when the approval arrives mid-wait, and fails on Rejected', async () => {
    await sharePolicy();
    const arn = await registerPackage('PendingManualApproval');
    await settle();
    // The decision comes once the gate has reported the package as pending, i.e. mid-wait.
    const approved = await gate(
      prodJob(),
      { 'model-package-arn': arn, wait: 'true' },
      { onLine: decideWhenPending(arn, 'Approved') },
    );
    expect(approved.errors).toEqual([]);
    expect(approved.stdout).toMatch(/PendingManualApproval \/ Completed/);
    expect(approved.outputs['approval-status']).toBe('Approved');

    const second = await registerPackage('PendingManualApproval');
    await settle();
    const rejected = await gate(
      prodJob(),
      { 'model-package-arn': second, wait: 'true' },
      { onLine: decideWhenPending(second, 'Rejected') },
    );
    expect(rejected.exitCode).toBe(1);
    expect(rejected.errors[0]).toMatch(/is Rejected \/ Completed/);
  });

  it('approve records the decision with the actor and the run URL', async () => {
    await sharePolicy();
    const arn = await registerPackage('PendingManualApproval');
    await settle();
    const step = await gate(prodJob({ actor: 'release-manager', runId: '4242' }), {
      'model-package-arn': arn,
      decision: 'approve',
      reason: 'Offline RMSE 2.1 beats production 2.4',
    });
    expect(step.errors).toEqual([]);
    const described = await registry.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
    expect(described.ModelApprovalStatus).toBe('Approved');
    expect(described.ApprovalDescription).toBe(
      'Offline RMSE 2.1 beats production 2.4 — release-manager via GitHub Actions https://github.com/example-org/ml-pipelines/actions/runs/4242/attempts/1',
    );
  });
});

describe('credentials that expire under a wait and cannot be renewed', () => {
  it('gate-on-model-approval says when, how to fix it, that the package still waits, and how to wait again', async () => {
    await sharePolicy();
    const arn = await registerPackage('PendingManualApproval');
    await settle();
    const { job, onLine } = await expiringProdJob(/PendingManualApproval/);
    const step = await gate(job, { 'model-package-arn': arn, wait: 'true' }, { onLine });
    expect(step.exitCode).toBe(1);
    expect(step.errors).toHaveLength(1);
    expect(step.errors[0]).toMatch(
      new RegExp(
        `^gate-on-model-approval: the AWS credentials expired \\(AWS refused them at \\S+\\) and cannot be renewed: give the step an aws-profile written by assume-cross-account-role with refresh-credentials: true .*; ${arn.replace(/[/.]/g, '\\$&')} still waits for its decision .*; wait again with gate-on-model-approval's wait: true and model-package-arn: `,
      ),
    );
  });

  it('wait-for-endpoint says the same, and that the endpoint goes on', async () => {
    await sharePolicy();
    const arn = await registerPackage('Approved');
    await settle();
    await emulator.admin.setScenario({ endpoints: { abalone: { createSeconds: 36_000 } } });
    const deploy = await prodJob().step('deploy-endpoint', {
      inputs: { 'model-package-arn': arn, 'endpoint-name': 'abalone', 'execution-role-arn': EXECUTION_ROLE },
    });
    expect(deploy.errors).toEqual([]);
    const config = deploy.outputs['endpoint-config-name']!;
    const { job, onLine } = await expiringProdJob(/abalone: Creating on /);
    const step = await job.step('wait-for-endpoint', {
      inputs: { 'endpoint-name': 'abalone', 'expected-config': config },
      onLine,
    });
    expect(step.exitCode).toBe(1);
    expect(step.errors).toHaveLength(1);
    expect(step.errors[0]).toMatch(
      /^wait-for-endpoint: the AWS credentials expired \(AWS refused them at \S+\) and cannot be renewed: /,
    );
    expect(step.errors[0]).toContain(`endpoint abalone goes on (Creating on ${config}`);
    expect(step.errors[0]).toContain(
      `wait again with wait-for-endpoint's endpoint-name: abalone and expected-config: ${config}`,
    );
  });
});

describe('deploy-endpoint and wait-for-endpoint', () => {
  beforeEach(async () => {
    await sharePolicy();
  });

  it('deploys an approved package and waits until the endpoint is InService on the new config', async () => {
    const arn = await registerPackage('Approved');
    await settle();
    // Creating lasts until the wait has seen it: the clock is stepped on its progress line, so a slow
    // machine cannot let creation finish before the first look.
    await emulator.admin.setScenario({ endpoints: { abalone: { createSeconds: 36_000 } } });
    const job = prodJob();
    const deploy = await job.step('deploy-endpoint', {
      inputs: { 'model-package-arn': arn, 'endpoint-name': 'abalone', 'execution-role-arn': EXECUTION_ROLE },
    });
    expect(deploy.errors).toEqual([]);
    let stepped = false;
    const wait = await job.step('wait-for-endpoint', {
      inputs: { 'endpoint-name': 'abalone', 'expected-config': deploy.outputs['endpoint-config-name']! },
      onLine: (line) => {
        if (stepped || !/abalone: Creating on /.test(line)) return;
        stepped = true;
        void emulator.admin.advanceClock(36_000_000);
      },
    });
    expect(deploy.outputs['action']).toBe('create');
    expect(wait.errors).toEqual([]);
    expect(wait.outputs['status']).toBe('InService');
    expect(wait.outputs['endpoint-config-name']).toBe(deploy.outputs['endpoint-config-name']);
    expect(JSON.parse(wait.outputs['image-digests']!)).toEqual([`sha256:${'ab'.repeat(32)}`]);
    expect(wait.stdout).toMatch(/abalone: Creating on /);
  });

  it('a re-run or a later run deploying the same package changes nothing', async () => {
    const arn = await registerPackage('Approved');
    await settle();
    const first = await deployAndWait(prodJob(), arn);
    const callsBefore = (await emulator.admin.calls()).length;
    const again = await deployAndWait(prodJob({ runId: '2222222', runAttempt: '2' }), arn);
    expect(again.deploy.outputs['action']).toBe('none');
    expect(again.deploy.outputs['endpoint-config-name']).toBe(first.deploy.outputs['endpoint-config-name']);
    expect(again.deploy.outputs['model-name']).toBe(first.deploy.outputs['model-name']);
    expect(again.wait.outputs['status']).toBe('InService');
    const later = (await emulator.admin.calls()).slice(callsBefore);
    expect(later.filter((c) => /^(CreateEndpoint|UpdateEndpoint)$/.test(c.operation))).toEqual([]);
  });

  it('a re-run while the endpoint is still Creating on that config reports no change', async () => {
    const arn = await registerPackage('Approved');
    await settle();
    // On the wall clock's pace the endpoint stays Creating for minutes: the re-run lands meanwhile.
    await emulator.admin.setClockScale(1);
    const deploy = (job: SimulatedJob) =>
      job.step('deploy-endpoint', {
        inputs: { 'model-package-arn': arn, 'endpoint-name': 'abalone', 'execution-role-arn': EXECUTION_ROLE },
      });
    const first = await deploy(prodJob());
    const rerun = await deploy(prodJob({ runAttempt: '2' }));
    expect(first.outputs['action']).toBe('create');
    expect(rerun.errors).toEqual([]);
    expect(rerun.outputs['action']).toBe('none');
    expect(rerun.stdout).toContain('is already Creating to');
    expect(rerun.outputs['endpoint-config-name']).toBe(first.outputs['endpoint-config-name']);
  });

  it('creates each resource once when their answers are lost and the calls retried', async () => {
    const arn = await registerPackage('Approved');
    await settle();
    await emulator.admin.setFaults(
      ['CreateModel', 'CreateEndpointConfig', 'CreateEndpoint'].map((operation) => ({
        kind: 'lost-response' as const,
        operation,
        count: 1,
      })),
    );
    const { deploy, wait } = await deployAndWait(prodJob(), arn);
    expect(deploy.outputs['action']).toBe('create');
    expect(wait.outputs['status']).toBe('InService');
    const calls = await emulator.admin.calls();
    for (const operation of ['CreateModel', 'CreateEndpointConfig', 'CreateEndpoint']) {
      expect(
        calls.filter((c) => c.operation === operation && c.errorCode === 'ResponseLost'),
        operation,
      ).toHaveLength(1);
    }
    const client = sagemaker(emulator.endpoint, OPERATOR_KEYS.prod, { region: REGION });
    const models = await client.send(new ListModelsCommand({}));
    const configs = await client.send(new ListEndpointConfigsCommand({}));
    client.destroy();
    expect(models.Models?.length).toBe(1);
    expect(configs.EndpointConfigs?.length).toBe(1);
  });

  it('a changed execution role deploys a new model', async () => {
    const arn = await registerPackage('Approved');
    await settle();
    const first = await deployAndWait(prodJob(), arn);
    const changed = await deployAndWait(prodJob({ runId: '3333333' }), arn, {
      'execution-role-arn': `arn:aws:iam::${PROD}:role/sagemaker-execution-v2`,
    });
    expect(changed.deploy.outputs['action']).toBe('update');
    expect(changed.deploy.outputs['model-name']).not.toBe(first.deploy.outputs['model-name']);
    expect(changed.wait.outputs['status']).toBe('InService');
  });

  it('a missing endpoint answered as ResourceNotFound (as other AWS-compatible services do) is created', async () => {
    const arn = await registerPackage('Approved');
    await settle();
    await emulator.admin.setFaults([
      {
        kind: 'error',
        service: 'sagemaker',
        operation: 'DescribeEndpoint',
        code: 'ResourceNotFound',
        message: 'Endpoint abalone not found.',
        status: 400,
        count: 1,
      },
    ]);
    const { deploy, wait } = await deployAndWait(prodJob(), arn);
    expect(deploy.errors).toEqual([]);
    expect(deploy.outputs['action']).toBe('create');
    expect(wait.outputs['status']).toBe('InService');
  });

  it('an update that succeeds puts the new config live and keeps the old one', async () => {
    const first = await registerPackage('Approved');
    const second = await registerPackage('Approved');
    await settle();
    const initial = await deployAndWait(prodJob(), first);
    const { deploy, wait } = await deployAndWait(prodJob({ runId: '1234567' }), second, {
      strategy: 'blue-green',
      'rollback-alarms': 'abalone-5xx',
    });
    expect(deploy.outputs['action']).toBe('update');
    expect(deploy.outputs['previous-config-name']).toBe(initial.deploy.outputs['endpoint-config-name']);
    expect(wait.outputs['endpoint-config-name']).toBe(deploy.outputs['endpoint-config-name']);
    const update = (await emulator.admin.calls()).find((c) => c.operation === 'UpdateEndpoint');
    expect(JSON.stringify(update?.input)).toContain('abalone-5xx');
    expect((await emulator.admin.calls()).some((c) => c.operation.startsWith('Delete'))).toBe(false);
  });

  it('an update that rolls back to the old config fails with the reason', async () => {
    const first = await registerPackage('Approved');
    const second = await registerPackage('Approved');
    await settle();
    const initial = await deployAndWait(prodJob(), first);
    await emulator.admin.setScenario({
      endpoints: { abalone: { updateOutcome: 'RolledBack', updateFailureReason: 'Alarm abalone-5xx went into ALARM' } },
    });
    const { wait } = await deployAndWait(prodJob({ runId: '7654321' }), second);
    expect(wait.exitCode).toBe(1);
    expect(wait.outputs['status']).toBe('InService');
    expect(wait.outputs['endpoint-config-name']).toBe(initial.deploy.outputs['endpoint-config-name']);
    expect(wait.errors.at(-1)).toMatch(
      /failed and was rolled back; the endpoint is InService on .*: Alarm abalone-5xx went into ALARM/,
    );
  });

  it('UpdateRollbackFailed fails, with the endpoint logs', async () => {
    const first = await registerPackage('Approved');
    const second = await registerPackage('Approved');
    await settle();
    await deployAndWait(prodJob(), first);
    await emulator.admin.setScenario({
      endpoints: { abalone: { updateOutcome: 'UpdateRollbackFailed', logLines: ['model server crashed: OOM'] } },
    });
    const { wait } = await deployAndWait(prodJob({ runId: '7654322' }), second);
    expect(wait.exitCode).toBe(1);
    expect(wait.outputs['status']).toBe('UpdateRollbackFailed');
    expect(wait.errors.at(-1)).toMatch(/UpdateRollbackFailed/);
    expect(wait.stdout).toContain('model server crashed: OOM');
  });

  it('fails at once on an endpoint that does not exist, or waits for its creation when asked', async () => {
    const missing = await prodJob().step('wait-for-endpoint', { inputs: { 'endpoint-name': 'abalone' } });
    expect(missing.exitCode).toBe(1);
    expect(missing.errors.at(-1)).toMatch(/endpoint abalone does not exist \(set wait-for-creation: true/);

    const arn = await registerPackage('Approved');
    await settle();
    const deployer = prodJob();
    let deploying: Promise<unknown> | undefined;
    const waited = await prodJob().step('wait-for-endpoint', {
      inputs: { 'endpoint-name': 'abalone', 'wait-for-creation': 'true' },
      onLine: (line) => {
        if (deploying || !line.includes('does not exist yet')) return;
        deploying = deployer.step('deploy-endpoint', {
          inputs: { 'model-package-arn': arn, 'endpoint-name': 'abalone', 'execution-role-arn': EXECUTION_ROLE },
        });
      },
    });
    await deploying;
    expect(waited.errors).toEqual([]);
    expect(waited.stdout).toContain('abalone: does not exist yet');
    expect(waited.outputs['status']).toBe('InService');
  });

  it('OutOfService fails unless allowed', async () => {
    const arn = await registerPackage('Approved');
    await settle();
    await emulator.admin.setScenario({ endpoints: { abalone: { outOfServiceAfterSeconds: 0 } } });
    const { deploy, wait } = await deployAndWait(prodJob(), arn);
    expect(wait.exitCode).toBe(1);
    expect(wait.errors.at(-1)).toMatch(/the endpoint is OutOfService/);
    // Allowed, it keeps waiting through OutOfService until its time is up.
    const allowed = await prodJob().step('wait-for-endpoint', {
      inputs: {
        'endpoint-name': 'abalone',
        'expected-config': deploy.outputs['endpoint-config-name']!,
        'allow-out-of-service': 'true',
        'timeout-minutes': '5',
      },
    });
    expect(allowed.exitCode).toBe(1);
    expect(allowed.errors.at(-1)).not.toMatch(/the endpoint is OutOfService/);
    expect(allowed.errors.at(-1)).toMatch(/timed out/);
  });

  it('deploys a package that is not approved when require-approval is false', async () => {
    const arn = await registerPackage('PendingManualApproval');
    await settle();
    const { deploy, wait } = await deployAndWait(prodJob(), arn, { 'require-approval': 'false' });
    expect(deploy.exitCode).toBe(0);
    expect(wait.outputs['status']).toBe('InService');
  });

  it('deploys an image by digest with model data and environment, tagged for cleanup; a re-run changes nothing', async () => {
    const inputs = {
      image: IMAGE,
      'model-data-url': 's3://ml-prod-artifacts/abalone/model.tar.gz',
      environment: 'SAGEMAKER_TFS_NGINX_LOGLEVEL: info\nWORKERS: 2',
      'endpoint-name': 'abalone',
      'execution-role-arn': EXECUTION_ROLE,
    };
    const job = prodJob();
    const deploy = await job.step('deploy-endpoint', { inputs });
    expect(deploy.errors).toEqual([]);
    expect(deploy.outputs['action']).toBe('create');
    expect(deploy.outputs['model-name']).toMatch(/^abalone-dabababab-[0-9a-f]{8}$/);
    const wait = await job.step('wait-for-endpoint', {
      inputs: { 'endpoint-name': 'abalone', 'expected-config': deploy.outputs['endpoint-config-name']! },
    });
    expect(wait.outputs['status']).toBe('InService');
    const prod = sagemaker(emulator.endpoint, OPERATOR_KEYS.prod, { region: REGION });
    const model = await prod.send(new DescribeModelCommand({ ModelName: deploy.outputs['model-name']! }));
    expect(model.PrimaryContainer).toMatchObject({
      Image: IMAGE,
      ModelDataUrl: 's3://ml-prod-artifacts/abalone/model.tar.gz',
      Environment: { SAGEMAKER_TFS_NGINX_LOGLEVEL: 'info', WORKERS: '2' },
    });
    const tags = await prod.send(new ListTagsCommand({ ResourceArn: model.ModelArn! }));
    expect(tags.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'mlops-actions:created-by', Value: 'deploy-endpoint' },
        { Key: 'mlops-actions:endpoint', Value: 'abalone' },
      ]),
    );
    prod.destroy();
    expect(deploy.summary).toContain(IMAGE);

    const rerun = await prodJob({ runAttempt: '2' }).step('deploy-endpoint', { inputs });
    expect(rerun.outputs['action']).toBe('none');
    const changed = await prodJob({ runId: '4444444' }).step('deploy-endpoint', {
      inputs: { ...inputs, environment: 'SAGEMAKER_TFS_NGINX_LOGLEVEL: debug\nWORKERS: 2' },
    });
    expect(changed.outputs['action']).toBe('update');
    expect(changed.outputs['model-name']).not.toBe(deploy.outputs['model-name']);
    expect(changed.outputs['previous-config-name']).toBe(deploy.outputs['endpoint-config-name']);
  });

  it('refuses to deploy a package that is not approved', async () => {
    const arn = await registerPackage('PendingManualApproval');
    await settle();
    const step = await prodJob().step('deploy-endpoint', {
      inputs: { 'model-package-arn': arn, 'endpoint-name': 'abalone', 'execution-role-arn': EXECUTION_ROLE },
    });
    expect(step.exitCode).toBe(1);
    expect(step.errors[0]).toMatch(/is PendingManualApproval; only Approved packages are deployed/);
    expect((await emulator.admin.calls()).filter((c) => c.mutating && c.status === 200 && c.account === PROD)).toEqual(
      [],
    );
  });
});

describe('bad inputs', () => {
  const PACKAGE = `arn:aws:sagemaker:${REGION}:${REGISTRY}:model-package/${GROUP}/1`;
  const cases: [string, string, Record<string, string>, RegExp][] = [
    [
      'malformed package ARN',
      'gate-on-model-approval',
      { 'model-package-arn': `arn:aws:sagemaker:${REGION}:${REGISTRY}:model-package/${GROUP}` },
      /input 'model-package-arn': .* is not a versioned model package ARN/,
    ],
    [
      'malformed group ARN',
      'gate-on-model-approval',
      { 'model-package-group-name': `arn:aws:sagemaker:${REGION}:${REGISTRY}:group/${GROUP}` },
      /input 'model-package-group-name': .* is not a model package group ARN/,
    ],
    [
      'unknown decision',
      'gate-on-model-approval',
      { 'model-package-group-name': GROUP, decision: 'approve-all' },
      /input 'decision': 'approve-all' is not one of approve, reject/,
    ],
    [
      'approve without a package',
      'gate-on-model-approval',
      { 'model-package-group-name': GROUP, decision: 'approve' },
      /input 'model-package-arn': is required with decision: approve/,
    ],
    [
      'gate timeout out of range',
      'gate-on-model-approval',
      { 'model-package-arn': PACKAGE, wait: 'true', 'timeout-minutes': '50000' },
      /input 'timeout-minutes': 50000 is out of range/,
    ],
    [
      'instance count out of range',
      'deploy-endpoint',
      {
        'model-package-arn': PACKAGE,
        'endpoint-name': 'abalone',
        'execution-role-arn': EXECUTION_ROLE,
        'instance-count': '0',
      },
      /input 'instance-count': 0 is below 1, the least SageMaker CreateEndpointConfig ProductionVariants\[\]\.InitialInstanceCount takes$/,
    ],
    [
      'instance type SageMaker does not have',
      'deploy-endpoint',
      {
        'model-package-arn': PACKAGE,
        'endpoint-name': 'abalone',
        'execution-role-arn': EXECUTION_ROLE,
        'instance-type': 'ml.m5.huge',
      },
      /input 'instance-type': 'ml\.m5\.huge' is not one of the \d+ values SageMaker CreateEndpointConfig ProductionVariants\[\]\.InstanceType takes \(ml\.t2\.medium, /,
    ],
    [
      'tag key AWS refuses',
      'deploy-endpoint',
      {
        'model-package-arn': PACKAGE,
        'endpoint-name': 'abalone',
        'execution-role-arn': EXECUTION_ROLE,
        tags: 'team!: ml',
      },
      /input 'tags': tag key 'team!' does not match SageMaker AddTags Tags\[\]\.Key's pattern/,
    ],
    [
      'malformed package ARN for deploy',
      'deploy-endpoint',
      { 'model-package-arn': 'abalone-models/1', 'endpoint-name': 'abalone', 'execution-role-arn': EXECUTION_ROLE },
      /input 'model-package-arn'/,
    ],
    [
      'package and image together',
      'deploy-endpoint',
      { 'model-package-arn': PACKAGE, image: IMAGE, 'endpoint-name': 'abalone', 'execution-role-arn': EXECUTION_ROLE },
      /input 'image': cannot be given with input 'model-package-arn'/,
    ],
    [
      'neither package nor image',
      'deploy-endpoint',
      { 'endpoint-name': 'abalone', 'execution-role-arn': EXECUTION_ROLE },
      /input 'model-package-arn': is required \(or give input 'image'/,
    ],
    [
      'image by tag',
      'deploy-endpoint',
      {
        image: IMAGE.replace(/@sha256:.*/, ':latest'),
        'endpoint-name': 'abalone',
        'execution-role-arn': EXECUTION_ROLE,
      },
      /input 'image': .* is not an image by digest/,
    ],
    [
      'model data without an image',
      'deploy-endpoint',
      {
        'model-package-arn': PACKAGE,
        'model-data-url': 's3://ml-prod/model.tar.gz',
        'endpoint-name': 'abalone',
        'execution-role-arn': EXECUTION_ROLE,
      },
      /input 'model-data-url': needs input 'image'/,
    ],
    [
      'model data not in S3',
      'deploy-endpoint',
      {
        image: IMAGE,
        'model-data-url': 'https://example.com/model.tar.gz',
        'endpoint-name': 'abalone',
        'execution-role-arn': EXECUTION_ROLE,
      },
      /input 'model-data-url': .* is not an S3 URI/,
    ],
    [
      'bad environment variable name',
      'deploy-endpoint',
      {
        image: IMAGE,
        environment: '{"LOG-LEVEL": "info"}',
        'endpoint-name': 'abalone',
        'execution-role-arn': EXECUTION_ROLE,
      },
      /input 'environment': variable name 'LOG-LEVEL' does not match SageMaker CreateModel PrimaryContainer.Environment \(key\)'s pattern/,
    ],
    [
      'bad endpoint name',
      'wait-for-endpoint',
      { 'endpoint-name': 'abalone_prod' },
      /input 'endpoint-name': 'abalone_prod' does not match SageMaker CreateEndpoint EndpointName's pattern \[a-zA-Z0-9\]\(-\*\[a-zA-Z0-9\]\)\{0,62\}$/,
    ],
    [
      'wait timeout out of range',
      'wait-for-endpoint',
      { 'endpoint-name': 'abalone', 'timeout-minutes': '0' },
      /input 'timeout-minutes': 0 is out of range/,
    ],
  ];

  it.each(cases)('%s: one line naming the input, exit 1, no AWS call', async (_, action, inputs, message) => {
    await emulator.admin.clearCalls();
    const step = await prodJob().step(action, { inputs });
    expect(step.exitCode).toBe(1);
    expect(step.errors).toHaveLength(1);
    expect(step.errors[0]).toMatch(new RegExp(`^${action}: `));
    expect(step.errors[0]).toMatch(message);
    expect(await emulator.admin.calls()).toEqual([]);
  });
});

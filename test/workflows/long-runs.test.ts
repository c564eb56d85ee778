/**
 * promote.yml over hours of simulated time, through the local runner over the real bundles: a
 * three-hour training and an approval two hours after registration outlast every one-hour session
 * AWS hands out. Sessions age on the emulator's clock, so what AWS would refuse, it refuses.
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { DescribeModelPackageCommand, UpdateModelPackageCommand } from '@aws-sdk/client-sagemaker';
import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import { beforeEach, describe, expect, it } from 'vitest';
import { readWorldFile } from '../../emulator/world.ts';
import type { Call } from '../../emulator/admin-client.ts';
import { platformSetup } from '../../demo/platform.ts';
import { runWorkflow, type WorkflowRunResult } from '../../local-runner/index.ts';
import { sagemaker, sts } from '../../testkit/clients.ts';
import { keysOf } from '../../testkit/credentials.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { fetchIdToken } from '../../testkit/requests.ts';
import { REGION, REPO } from '../../testkit/worlds/accounts.ts';
import { REPO_ROOT } from '../../local-runner/action-metadata.ts';

// Sessions of an hour last six wall-clock seconds at this scale; the test lets simulated time run.
const SCALE = 600;
const HOUR = 3600_000;
const EXAMPLE = join(REPO_ROOT, 'examples/ml-pipelines');
const REGISTRY_READER = 'arn:aws:iam::333333333333:role/registry-reader';
const REVIEWER = 'arn:aws:iam::333333333333:role/model-approver';
const emulator = useEmulator(() => readWorldFile(join(REPO_ROOT, 'emulator/worlds/demo.yaml')));

beforeEach(async () => {
  await emulator.admin.setClockScale(SCALE);
  await platformSetup(emulator.endpoint);
  // Three hours of training, as real ML pipelines take.
  await emulator.admin.setScenario({ pipelines: { abalone: { steps: { Train: { durationSeconds: 3 * 3600 } } } } });
  await emulator.admin.clearCalls();
});

function repository(refreshCredentials: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'ml-pipelines-'));
  cpSync(EXAMPLE, dir, { recursive: true });
  writeFileSync(
    join(dir, '.github/workflows/caller.yml'),
    `name: caller
on: push
permissions:
  id-token: write
  contents: read
jobs:
  promote:
    uses: org/mlops-actions/.github/workflows/promote.yml@v1
    with:
      environment: production
      aws-region: eu-west-1
      prod-role-arn: arn:aws:iam::222222222222:role/github-deploy
      registry-role-chain: ${REGISTRY_READER}
      refresh-credentials: ${refreshCredentials}
      pipeline-name: abalone
      definition-file: pipelines/abalone.json
      substitutions-file: config/prod.json
      pipeline-role-arn: arn:aws:iam::222222222222:role/sagemaker-execution
      endpoint-name: abalone
      endpoint-role-arn: arn:aws:iam::222222222222:role/sagemaker-execution
      approval-timeout-minutes: 240
      # Five hours of work fit GitHub's 360 minutes; each step's start-up here costs simulated minutes at 600x.
      job-timeout-minutes: 480
`,
  );
  return dir;
}

const common = { endpoint: emulator.endpoint, env: { MLOPS_ACTIONS_CLOCK_SCALE: String(SCALE) } };

/** SageMaker as the reviewer's role (the one approve-model.yml assumes), from a GitHub OIDC token of its environment. */
async function asReviewer<T>(use: (client: SageMakerClient) => Promise<T>): Promise<T> {
  const token = await fetchIdToken(
    emulator.admin,
    { repository: REPO, ref: 'refs/heads/main', environment: 'model-approval' },
    'sts.amazonaws.com',
  );
  const assumed = await sts(emulator.endpoint, undefined, { region: REGION }).send(
    new AssumeRoleWithWebIdentityCommand({ RoleArn: REVIEWER, RoleSessionName: 'reviewer', WebIdentityToken: token }),
  );
  return use(sagemaker(emulator.endpoint, keysOf(assumed.Credentials), { region: REGION }));
}

/** The reviewer approves the package two simulated hours after it was registered. */
async function approveTwoHoursAfterRegistration(packageArn: string): Promise<string> {
  const described = await asReviewer((client) =>
    client.send(new DescribeModelPackageCommand({ ModelPackageName: packageArn })),
  );
  const due = described.CreationTime!.getTime() + 2 * HOUR;
  // Waits on the emulator's own clock (bounded), not for a guessed number of wall-clock seconds.
  for (let tries = 0; tries < 3000; tries++) {
    if (Date.parse((await emulator.admin.clock()).simulatedTime) >= due) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await asReviewer((client) =>
    client.send(
      new UpdateModelPackageCommand({
        ModelPackageArn: packageArn,
        ModelApprovalStatus: 'Approved',
        ApprovalDescription: 'RMSE 2.1 on the holdout set',
      }),
    ),
  );
  return (await emulator.admin.clock()).simulatedTime;
}

function promote(dir: string, onPending?: (packageArn: string) => void): Promise<WorkflowRunResult> {
  return runWorkflow({
    ...common,
    endpoint: emulator.endpoint,
    oidcIssuer: emulator.admin,
    workflow: join(dir, '.github/workflows/caller.yml'),
    checkout: dir,
    event: 'push',
    ref: 'refs/heads/main',
    runId: '8000000002',
    approve: ['production'],
    onStepLog: (_job, _step, line) => {
      const pending = /(arn:aws:sagemaker:\S+:model-package\/\S+\/\d+): PendingManualApproval/.exec(line);
      if (pending) onPending?.(pending[1]!);
    },
  });
}

function steps(result: WorkflowRunResult) {
  return result.jobs['promote']?.workflow?.jobs['promote']?.steps ?? [];
}

const expiredErrors = (calls: Call[]) =>
  calls.filter((call) => call.errorCode === 'ExpiredToken' || call.errorCode === 'ExpiredTokenException');

describe('promote.yml over hours', () => {
  it('succeeds with a three-hour training and an approval two hours after registration, re-assuming the chain', async () => {
    let approval: Promise<string> | undefined;
    const result = await promote(repository(true), (packageArn) => {
      approval ??= approveTwoHoursAfterRegistration(packageArn);
    });
    // A failed step shows with the end of its log.
    expect(
      steps(result)
        .filter((step) => step.outcome === 'failure')
        .map((step) => `${step.name}: ${step.log.slice(-600)}`),
    ).toEqual([]);
    expect(result.errors).toEqual([]);
    expect(await approval).toMatch(/^\d{4}-/);
    const job = result.jobs['promote']?.workflow?.jobs['promote'];
    expect({ conclusion: result.conclusion, job: job?.result, error: job?.error }).toEqual({
      conclusion: 'success',
      job: 'success',
      error: undefined,
    });
    expect(result.jobs['promote']?.workflow?.outputs['execution-status']).toBe('Succeeded');

    const calls = await emulator.admin.calls();
    // The registry chain was walked again and again (the action's own walk, then the refresher's).
    const registryHops = calls.filter(
      (call) => call.operation === 'AssumeRole' && call.input['RoleArn'] === REGISTRY_READER && call.status === 200,
    );
    expect(registryHops.length).toBeGreaterThanOrEqual(4);
    // The prod role too, each time from a fresh GitHub OIDC token.
    const oidc = calls.filter((call) => call.operation === 'AssumeRoleWithWebIdentity' && call.status === 200);
    expect(oidc.length).toBeGreaterThan(registryHops.length + 4);
    // No step saw an expired token, and the renewals say so in the waiting steps' logs.
    const logs = steps(result)
      .map((step) => step.log)
      .join('\n');
    expect(logs).not.toMatch(/ExpiredToken|expired/i);
    const execution = steps(result).find((step) => step.id === 'execution');
    expect(execution?.log).toMatch(/Renewed the AWS credentials of profile 'prod', valid until /);
    const gate = steps(result).find((step) => step.id === 'gate');
    expect(gate?.log).toMatch(/Renewed the AWS credentials of profile 'registry', valid until /);
    expect(expiredErrors(calls)).toEqual([]);
  }, 120_000);

  it('fails with fixed credentials in one line that says when they expired and how to resume', async () => {
    const result = await promote(repository(false));
    expect(result.conclusion).toBe('failure');
    const execution = steps(result).find((step) => step.id === 'execution');
    expect(execution?.outcome).toBe('failure');
    const arn = execution?.outputs['execution-arn'] ?? '';
    expect(arn).toMatch(/^arn:aws:sagemaker:eu-west-1:222222222222:pipeline\/abalone\/execution\//);
    const errors = execution!.log.split('\n').filter((line) => line.includes('start-execution: the AWS credentials'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      new RegExp(
        `the AWS credentials of profile 'prod' expired .*cannot be renewed: .*refresh-credentials: true.*; the execution ${arn} is still running; resume waiting on it with start-execution's execution-arn: ${arn}`,
      ),
    );
    // The post step says the same, and nobody stopped the execution.
    const post = steps(result).find((step) => step.kind === 'post' && step.name.includes('Run it in prod'));
    expect(post?.log).toContain(`the execution ${arn} is still running`);
    expect(post?.log).not.toMatch(/ExpiredTokenException:/);
    const calls = await emulator.admin.calls();
    expect(calls.filter((call) => call.operation === 'StopPipelineExecution')).toEqual([]);
    expect(expiredErrors(calls).length).toBeGreaterThan(0);
  }, 120_000);
});

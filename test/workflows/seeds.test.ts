/**
 * The jobs our users come from, each written as one workflow of the example repository, run
 * through the local runner over the real bundles, the emulator (the demo world) and real
 * registries behind its ECR — so that none of them can silently stop working:
 *
 * - a multi-account Kubeflow deployment: an image from another registry copied into ECR, deployed
 *   with its model data and environment (deploy-image.yml);
 * - a Step Functions build/train/deploy with bounded retries (train-and-deploy.yml);
 * - Jenkins + Terraform promotion through a central model registry (main.yml, with approve.yml);
 * - Jenkins + Terraform + ECR with a validation request after deployment (build-deploy-smoke-test.yml);
 * - a Kubernetes controller submitting a pipeline definition and starting it (submit-pipeline.yml);
 * - and what all of them lacked: cleaning up after pull requests (pull-request-closed.yml).
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  DescribePipelineCommand,
  ListPipelineExecutionsCommand,
  ListPipelinesCommand,
} from '@aws-sdk/client-sagemaker';
import { GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { World } from '../../emulator/admin-client.ts';
import { startLocalRegistry, type LocalRegistry } from '../../emulator/services/ecr/local-registry.ts';
import { readWorldFile } from '../../emulator/world.ts';
import { ACCOUNTS, platformSetup, REGION } from '../../demo/platform.ts';
import { runWorkflow, type RunWorkflowOptions, type WorkflowRunResult } from '../../local-runner/index.ts';
import { ecr, sagemaker } from '../../testkit/clients.ts';
import { buildahStorage, type BuildahStorage } from '../../testkit/container-tools.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { pushImage, registryClient } from '../../testkit/images.ts';
import { startTokenRegistry, type TokenRegistry } from '../../testkit/token-registry.ts';
import { REPO_ROOT } from '../../local-runner/action-metadata.ts';

const SCALE = 600;
const EXAMPLE = join(REPO_ROOT, 'examples/ml-pipelines');
const emulator = useEmulator(async () =>
  withInspectors(await readWorldFile(join(REPO_ROOT, 'emulator/worlds/demo.yaml'))),
);
let dev: LocalRegistry;
let prod: LocalRegistry;
let elsewhere: LocalRegistry;
let publicRegistry: TokenRegistry;
let buildah: BuildahStorage;

beforeAll(async () => {
  [dev, prod, elsewhere] = await Promise.all([startLocalRegistry(), startLocalRegistry(), startLocalRegistry()]);
  // A registry SageMaker cannot pull from, handing out anonymous tokens as Docker Hub does.
  publicRegistry = await startTokenRegistry(elsewhere, { anonymous: true });
  buildah = buildahStorage();
}, 90_000);

afterAll(async () => {
  buildah?.remove();
  await publicRegistry?.stop();
  await Promise.all([dev?.stop(), prod?.stop(), elsewhere?.stop()]);
}, 60_000);

beforeEach(async () => {
  await emulator.admin.setClockScale(SCALE);
  await emulator.admin.setEcrRegistry({ account: ACCOUNTS.dev, endpoint: dev.endpoint, password: dev.password });
  await emulator.admin.setEcrRegistry({ account: ACCOUNTS.prod, endpoint: prod.endpoint, password: prod.password });
  await platformSetup(emulator.endpoint);
});

/** A fresh copy of the example repository, as actions/checkout gives each run. */
function repository(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ml-pipelines-'));
  cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
}

async function run(
  dir: string,
  workflow: string,
  options: Partial<RunWorkflowOptions> = {},
): Promise<WorkflowRunResult> {
  return runWorkflow({
    workflow: join(dir, '.github/workflows', workflow),
    event: 'push',
    ref: 'refs/heads/main',
    endpoint: emulator.endpoint,
    oidcIssuer: emulator.admin,
    checkout: dir,
    env: { MLOPS_ACTIONS_CLOCK_SCALE: String(SCALE), ...buildah.env },
    approve: 'all',
    ...options,
  });
}

function step(result: WorkflowRunResult, job: string, name: string) {
  const found = result.jobs[job]?.steps.find((s) => s.id === name || s.name === name);
  if (!found)
    throw new Error(`no step ${name} in job ${job}: ${JSON.stringify(result.jobs[job]?.steps.map((s) => s.name))}`);
  return found;
}

/**
 * What the tests read back goes through an inspector user per account, read-only and added to the
 * demo world here: the world's own users and roles hold exactly what the workflows and the
 * platform setup need, so they cannot answer the tests' questions.
 */
const inspectorKeys = (account: string) => ({
  accessKeyId: `AKIAINSPECT${account}`.slice(0, 20),
  secretAccessKey: `inspector/${account}/secret/for/tests/only/00`,
});

function withInspectors(demo: World): World {
  const readOnly = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['sagemaker:Describe*', 'sagemaker:List*', 'ecr:GetAuthorizationToken'],
        Resource: '*',
      },
    ],
  };
  return {
    ...demo,
    accounts: demo.accounts.map((account) => ({
      ...account,
      users: [
        ...(account.users ?? []),
        { name: 'inspector', ...inspectorKeys(account.id), policies: [{ name: 'read-only', document: readOnly }] },
      ],
    })),
  };
}

function client(account: 'dev' | 'prod'): SageMakerClient {
  return sagemaker(emulator.endpoint, inspectorKeys(ACCOUNTS[account]), { region: REGION });
}

/** The registry host ECR names for the account: under IAM, the emulator's gate in front of the backing registry. */
async function registryHost(account: 'dev' | 'prod'): Promise<string> {
  const token = await ecr(emulator.endpoint, inspectorKeys(ACCOUNTS[account]), { region: REGION }).send(
    new GetAuthorizationTokenCommand({}),
  );
  return new URL(token.authorizationData![0]!.proxyEndpoint!).host;
}

async function liveModel(account: 'dev' | 'prod', endpoint: string) {
  const sagemaker = client(account);
  try {
    const described = await sagemaker.send(new DescribeEndpointCommand({ EndpointName: endpoint }));
    const config = await sagemaker.send(
      new DescribeEndpointConfigCommand({ EndpointConfigName: described.EndpointConfigName! }),
    );
    const model = await sagemaker.send(
      new DescribeModelCommand({ ModelName: config.ProductionVariants![0]!.ModelName! }),
    );
    return { status: described.EndpointStatus, config: described.EndpointConfigName, model };
  } finally {
    sagemaker.destroy();
  }
}

describe('the example workflows, one per job our users replace', () => {
  it('deploy-image.yml: an image from another registry, copied by digest, deployed with model data and environment', async () => {
    const image = await pushImage(registryClient(elsewhere), 'org/abalone-serve', { layers: [30_000] });
    const result = await run(repository(), 'deploy-image.yml', {
      event: 'workflow_dispatch',
      inputs: {
        image: `${publicRegistry.host}/org/abalone-serve@${image.digest}`,
        'model-data-url': 's3://ml-prod-artifacts/abalone/model.tar.gz',
        environment: '{"SAGEMAKER_TFS_NGINX_LOGLEVEL": "info"}',
        'endpoint-name': 'abalone-direct',
      },
    });
    expect(result.errors).toEqual([]);
    expect(result.conclusion).toBe('success');
    const live = await liveModel('prod', 'abalone-direct');
    expect(live.status).toBe('InService');
    expect(live.model.PrimaryContainer).toMatchObject({
      Image: `${await registryHost('prod')}/mirror/abalone-serve@${image.digest}`,
      ModelDataUrl: 's3://ml-prod-artifacts/abalone/model.tar.gz',
      Environment: { SAGEMAKER_TFS_NGINX_LOGLEVEL: 'info' },
    });
    expect(await registryClient(prod).headManifest('mirror/abalone-serve', image.digest)).toBe(image.digest);
  });

  it('train-and-deploy.yml: build, train with a step that fails once and is retried, deploy what it registered', async () => {
    await emulator.admin.setScenario({ pipelines: { 'abalone-train': { steps: { Train: { failFirstRuns: 1 } } } } });
    const result = await run(repository(), 'train-and-deploy.yml');
    expect(result.errors).toEqual([]);
    expect(result.conclusion).toBe('success');
    const train = step(result, 'train-and-deploy', 'train');
    expect(train.log).toContain('Execution attempt 1: Failed (Train:');
    expect(train.log).toContain('Execution attempt 2: Succeeded');
    expect(train.outputs['attempts']).toBe('2');
    const retries = (await emulator.admin.calls()).filter((c) => c.operation === 'RetryPipelineExecution');
    expect(retries).toHaveLength(1);
    const sagemaker = client('dev');
    const pipeline = await sagemaker.send(new DescribePipelineCommand({ PipelineName: 'abalone-train' }));
    sagemaker.destroy();
    const image = step(result, 'train-and-deploy', 'image').outputs['image-uri']!;
    expect(image).toMatch(new RegExp(`^${await registryHost('dev')}/ml/abalone-train@sha256:[0-9a-f]{64}$`));
    expect(pipeline.PipelineDefinition).toContain(image);
    expect((await liveModel('dev', 'abalone-dev')).status).toBe('InService');
  });

  it('main.yml: promotion through the central registry, with the approval the approve workflow records', async () => {
    const dir = repository();
    let approval: Promise<WorkflowRunResult> | undefined;
    const result = await run(dir, 'main.yml', {
      // When the promotion waits on the model's approval, a reviewer runs approve.yml.
      onStepLog: (_job, _step, line) => {
        const waiting = /(arn:aws:sagemaker:\S+:model-package\/\S+\/\d+): PendingManualApproval/.exec(line);
        if (!waiting || approval) return;
        approval = run(dir, 'approve.yml', {
          event: 'workflow_dispatch',
          runId: '3000',
          actor: 'ml-reviewer',
          inputs: { 'model-package-arn': waiting[1]!, decision: 'approve', reason: 'better than production' },
        });
      },
    });
    expect((await approval)?.conclusion).toBe('success');
    expect(result.errors).toEqual([]);
    expect(result.conclusion).toBe('success');
    expect(result.jobs['promote']?.workflow?.outputs['endpoint-config-name']).toMatch(/^abalone-v1-/);
  });

  it('build-deploy-smoke-test.yml: validated with a real request; a model that answers wrongly is rolled back', async () => {
    await emulator.admin.setScenario({
      endpoints: { 'abalone-serve': { invocation: { response: 'fixed', body: '{"predictions": [9.7]}' } } },
    });
    const dir = repository();
    const first = await run(dir, 'build-deploy-smoke-test.yml');
    expect(first.errors).toEqual([]);
    expect(first.conclusion).toBe('success');
    const released = (await liveModel('dev', 'abalone-serve')).config;

    // The next commit's model answers without predictions.
    writeFileSync(join(dir, 'images/serve/serve.py'), "print('serving abalone, v2')\n");
    await emulator.admin.setScenario({
      endpoints: { 'abalone-serve': { invocation: { response: 'fixed', body: '{"error": "model not loaded"}' } } },
    });
    const second = await run(dir, 'build-deploy-smoke-test.yml', { sha: 'c'.repeat(40), runId: '2000' });
    expect(second.conclusion).toBe('failure');
    const smoke = step(second, 'release', 'Smoke test');
    expect(smoke.outcome).toBe('failure');
    expect(smoke.log).toContain('$.predictions[0] is missing');
    expect(smoke.log).toContain(`rolled back to ${released}`);
    expect(smoke.log).toContain('{"error": "model not loaded"}');
    expect((await liveModel('dev', 'abalone-serve')).config).toBe(released);
  });

  it('submit-pipeline.yml: the definition submitted and an execution started, as a controller would', async () => {
    const result = await run(repository(), 'submit-pipeline.yml');
    expect(result.errors).toEqual([]);
    expect(result.conclusion).toBe('success');
    const sagemaker = client('dev');
    const pipeline = await sagemaker.send(new DescribePipelineCommand({ PipelineName: 'abalone' }));
    const executions = await sagemaker.send(new ListPipelineExecutionsCommand({ PipelineName: 'abalone' }));
    sagemaker.destroy();
    expect(pipeline.ParallelismConfiguration?.MaxParallelExecutionSteps).toBe(2);
    expect(executions.PipelineExecutionSummaries?.[0]?.PipelineExecutionStatus).toBe('Succeeded');
  });

  it("pull-request-closed.yml: what a pull request's validation created in dev goes when it closes", async () => {
    const dir = repository();
    const validated = await run(dir, 'pull-request.yml', {
      event: 'pull_request',
      ref: 'refs/heads/feature/deeper-trees',
      pullRequestNumber: 12,
    });
    expect(validated.conclusion).toBe('success');
    const sagemaker = client('dev');
    const before = await sagemaker.send(new ListPipelinesCommand({}));
    expect(before.PipelineSummaries?.map((p) => p.PipelineName)).toEqual(['abalone']);

    const closed = await run(dir, 'pull-request-closed.yml', {
      event: 'pull_request',
      ref: 'refs/heads/feature/deeper-trees',
      pullRequestNumber: 12,
    });
    expect(closed.errors).toEqual([]);
    expect(closed.conclusion).toBe('success');
    expect(step(closed, 'cleanup', 'Run org/mlops-actions/cleanup@v1').log).toContain(
      'Deleted pipeline abalone (created for pull request #12)',
    );
    const after = await sagemaker.send(new ListPipelinesCommand({}));
    sagemaker.destroy();
    expect(after.PipelineSummaries).toEqual([]);
  });
});

/**
 * cleanup as the runner runs it, on resources the real upsert-pipeline, start-execution and
 * deploy-endpoint bundles created (and some they did not) in the emulator's dev account.
 */
import {
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  ListEndpointConfigsCommand,
  ListEndpointsCommand,
  ListModelsCommand,
  ListPipelinesCommand,
} from '@aws-sdk/client-sagemaker';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SimulatedJob } from '../../local-runner/job.ts';
import { sagemaker } from '../../testkit/clients.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { devJob, upsertPipeline } from '../../testkit/jobs.ts';
import { ABALONE, EXECUTION_ROLE } from '../../testkit/sagemaker.ts';
import { REGION } from '../../testkit/worlds/accounts.ts';
import { accountsWorld, BOOTSTRAP_KEYS } from '../../testkit/worlds/actions.ts';

const emulator = useEmulator(accountsWorld);
const SCALE = 600;
const IMAGE = `111111111111.dkr.ecr.eu-west-1.amazonaws.com/abalone-serve@sha256:${'ef'.repeat(32)}`;

function job(context: Record<string, string> = {}): SimulatedJob {
  return devJob(emulator.endpoint, { context, env: { MLOPS_ACTIONS_CLOCK_SCALE: String(SCALE) } });
}

async function deploy(target: SimulatedJob, endpoint: string, version: number): Promise<Record<string, string>> {
  const step = await target.step('deploy-endpoint', {
    inputs: {
      image: IMAGE,
      environment: `MODEL_VERSION: '${version}'`,
      'endpoint-name': endpoint,
      'execution-role-arn': EXECUTION_ROLE,
    },
  });
  expect(step.errors).toEqual([]);
  const wait = await target.step('wait-for-endpoint', {
    inputs: { 'endpoint-name': endpoint, 'expected-config': step.outputs['endpoint-config-name']! },
  });
  expect(wait.errors).toEqual([]);
  return step.outputs;
}

interface Names {
  pipelines: string[];
  endpoints: string[];
  configs: string[];
  models: string[];
}

async function names(): Promise<Names> {
  const client = sagemaker(emulator.endpoint, BOOTSTRAP_KEYS, { region: REGION });
  const [pipelines, endpoints, configs, models] = await Promise.all([
    client.send(new ListPipelinesCommand({ MaxResults: 100 })),
    client.send(new ListEndpointsCommand({ MaxResults: 100 })),
    client.send(new ListEndpointConfigsCommand({ MaxResults: 100 })),
    client.send(new ListModelsCommand({ MaxResults: 100 })),
  ]);
  client.destroy();
  return {
    pipelines: (pipelines.PipelineSummaries ?? []).map((p) => p.PipelineName!).sort(),
    endpoints: (endpoints.Endpoints ?? []).map((e) => e.EndpointName!).sort(),
    configs: (configs.EndpointConfigs ?? []).map((c) => c.EndpointConfigName!).sort(),
    models: (models.Models ?? []).map((m) => m.ModelName!).sort(),
  };
}

const cleanup = (inputs: Record<string, string>) => job({ runId: '999' }).step('cleanup', { inputs });

describe('cleanup bundle', () => {
  let pr: { execution: string; configs: string[] };
  let main: Record<string, string>[];

  beforeEach(async () => {
    await emulator.admin.setClockScale(SCALE);
    await emulator.admin.setScenario({ pipelines: { '*': { steps: { Train: { durationSeconds: 36_000 } } } } });
    // Pull request 7's validation: its own pipeline with an execution still running, its own endpoint.
    const prJob = job({ ref: 'refs/pull/7/merge', runId: '700' });
    const upsert = await upsertPipeline(prJob, ABALONE, { 'pipeline-name': 'abalone-pr-7' });
    expect(upsert.errors).toEqual([]);
    const started = await prJob.step('start-execution', { inputs: { 'pipeline-name': 'abalone-pr-7', wait: 'false' } });
    const prDeploy = await deploy(prJob, 'abalone-pr-7', 1);
    pr = { execution: started.outputs['execution-arn']!, configs: [prDeploy['endpoint-config-name']!] };
    // main deployed abalone four times.
    main = [];
    for (const version of [1, 2, 3, 4])
      main.push(await deploy(job({ runId: String(100 + version) }), 'abalone', version));
    // What our actions did not create: a model and a config named like ours, without our tags.
    const client = sagemaker(emulator.endpoint, BOOTSTRAP_KEYS, { region: REGION });
    await client.send(
      new CreateModelCommand({
        ModelName: 'abalone-handmade',
        ExecutionRoleArn: EXECUTION_ROLE,
        PrimaryContainer: { Image: IMAGE },
      }),
    );
    await client.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: 'abalone-v1-handmade',
        ProductionVariants: [
          {
            VariantName: 'AllTraffic',
            ModelName: 'abalone-handmade',
            InstanceType: 'ml.m5.large',
            InitialInstanceCount: 1,
          },
        ],
      }),
    );
    client.destroy();
    await emulator.admin.clearCalls();
  });

  it('plan mode lists what would go and changes nothing', async () => {
    const before = await names();
    const plan = await cleanup({ mode: 'plan', 'pull-request': '7', 'keep-last': '1' });
    expect(plan.errors).toEqual([]);
    expect(plan.stdout).toContain(`Would stop execution ${pr.execution} of pipeline abalone-pr-7`);
    expect(plan.stdout).toContain('Would delete pipeline abalone-pr-7: created for pull request #7');
    expect(plan.stdout).toContain(
      `Would delete endpoint-config ${main[0]!['endpoint-config-name']}: beyond the newest 1`,
    );
    expect(plan.stdout).toContain(
      `Keeping endpoint-config ${main[2]!['endpoint-config-name']}: the config before the live one on abalone (its rollback target)`,
    );
    expect(JSON.parse(plan.outputs['plan']!)).toHaveLength(8);
    expect(plan.outputs['deleted']).toBe('0');
    expect(plan.summary).toContain('Cleanup of example-org/ml-pipelines: would delete 8');
    expect((await emulator.admin.calls()).filter((c) => c.mutating)).toEqual([]);
    expect(await names()).toEqual(before);
  });

  it("deletes the pull request's resources and old configs, keeps the live one, its rollback target and everything not ours", async () => {
    const step = await cleanup({ 'pull-request': '7', 'keep-last': '1' });
    expect(step.errors).toEqual([]);
    expect(step.outputs['deleted']).toBe('8');
    // Stopped first: SageMaker deletes no pipeline while an execution runs.
    const calls = (await emulator.admin.calls()).filter((c) => c.mutating && c.status === 200);
    const stop = calls.findIndex(
      (c) => c.operation === 'StopPipelineExecution' && c.input['PipelineExecutionArn'] === pr.execution,
    );
    expect(stop).toBeGreaterThanOrEqual(0);
    expect(calls.findIndex((c) => c.operation === 'DeletePipeline')).toBeGreaterThan(stop);
    const client = sagemaker(emulator.endpoint, BOOTSTRAP_KEYS, { region: REGION });
    const live = await client.send(new DescribeEndpointCommand({ EndpointName: 'abalone' }));
    client.destroy();
    expect(live.EndpointConfigName).toBe(main[3]!['endpoint-config-name']);
    // DeleteEndpoint leaves the endpoint Deleting for a while; step past it rather than race it.
    await emulator.admin.advanceClock(600_000);
    const after = await names();
    expect(after.pipelines).toEqual([]);
    expect(after.endpoints).toEqual(['abalone']);
    expect(after.configs).toEqual(
      [main[2]!['endpoint-config-name']!, main[3]!['endpoint-config-name']!, 'abalone-v1-handmade'].sort(),
    );
    expect(after.models).toEqual([main[2]!['model-name']!, main[3]!['model-name']!, 'abalone-handmade'].sort());
    expect(step.summary).toContain('Cleanup of example-org/ml-pipelines: 8 deleted');

    await emulator.admin.clearCalls();
    const again = await cleanup({ 'pull-request': '7', 'keep-last': '1' });
    expect(again.stdout).toContain('Nothing to delete.');
    expect((await emulator.admin.calls()).filter((c) => c.mutating)).toEqual([]);
  });
});

describe('cleanup bad inputs', () => {
  beforeEach(() => emulator.admin.clearCalls());

  const cases: [string, Record<string, string>, RegExp][] = [
    ['nothing asked', {}, /input 'pull-request': or input 'keep-last' is required/],
    ['not a number', { 'pull-request': '#7' }, /input 'pull-request': '#7' is not a pull request number/],
    ['keep-last out of range', { 'keep-last': '-1' }, /input 'keep-last': -1 is out of range/],
    [
      'endpoint names without keep-last',
      { 'pull-request': '7', 'endpoint-names': 'abalone' },
      /input 'endpoint-names'/,
    ],
    ['unknown mode', { 'pull-request': '7', mode: 'purge' }, /input 'mode': 'purge' is not one of apply, plan/],
  ];
  it.each(cases)('%s: one line naming the input, exit 1, no AWS call', async (_, inputs, message) => {
    const step = await cleanup(inputs);
    expect(step.exitCode).toBe(1);
    expect(step.errors).toHaveLength(1);
    expect(step.errors[0]).toMatch(/^cleanup: /);
    expect(step.errors[0]).toMatch(message);
    expect(await emulator.admin.calls()).toEqual([]);
  });
});

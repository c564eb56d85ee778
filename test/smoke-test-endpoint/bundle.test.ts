/** smoke-test-endpoint as the runner runs it, against endpoints deployed by deploy-endpoint on the emulator. */
import { DescribeEndpointCommand } from '@aws-sdk/client-sagemaker';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SimulatedJob } from '../../local-runner/job.ts';
import { sagemaker } from '../../testkit/clients.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { devJob } from '../../testkit/jobs.ts';
import { EXECUTION_ROLE } from '../../testkit/sagemaker.ts';
import { REGION } from '../../testkit/worlds/accounts.ts';
import { accountsWorld, BOOTSTRAP_KEYS } from '../../testkit/worlds/actions.ts';

const emulator = useEmulator(accountsWorld);
const SCALE = 600;
const IMAGE = `111111111111.dkr.ecr.eu-west-1.amazonaws.com/abalone-serve@sha256:${'cd'.repeat(32)}`;
const REQUEST = '{"instances": [[0.455, 0.365, 0.095]]}';

beforeEach(async () => {
  await emulator.admin.setClockScale(SCALE);
});

function job(runId = '100'): SimulatedJob {
  return devJob(emulator.endpoint, {
    context: { runId },
    env: { MLOPS_ACTIONS_CLOCK_SCALE: String(SCALE) },
  });
}

/** Deploys the image with one environment value and waits until it serves; returns deploy's outputs. */
async function deployed(target: SimulatedJob, logLevel: string): Promise<Record<string, string>> {
  const deploy = await target.step('deploy-endpoint', {
    inputs: {
      image: IMAGE,
      'model-data-url': 's3://ml-dev-artifacts/abalone/model.tar.gz',
      environment: `LOG_LEVEL: ${logLevel}`,
      'endpoint-name': 'abalone',
      'execution-role-arn': EXECUTION_ROLE,
    },
  });
  expect(deploy.errors).toEqual([]);
  const wait = await target.step('wait-for-endpoint', {
    inputs: { 'endpoint-name': 'abalone', 'expected-config': deploy.outputs['endpoint-config-name']! },
  });
  expect(wait.errors).toEqual([]);
  return deploy.outputs;
}

async function liveConfig(): Promise<string | undefined> {
  const client = sagemaker(emulator.endpoint, BOOTSTRAP_KEYS, { region: REGION });
  const endpoint = await client.send(new DescribeEndpointCommand({ EndpointName: 'abalone' }));
  client.destroy();
  return endpoint.EndpointConfigName;
}

const smoke = (target: SimulatedJob, inputs: Record<string, string>) =>
  target.step('smoke-test-endpoint', { inputs: { 'endpoint-name': 'abalone', ...inputs } });

describe('smoke-test-endpoint bundle', () => {
  it('passes when the answer has the status, the JSON path and the pattern expected', async () => {
    const target = job();
    const deploy = await deployed(target, 'info');
    await emulator.admin.setScenario({
      endpoints: { abalone: { invocation: { response: 'fixed', body: '{"predictions": [{"rings": 9.7}]}' } } },
    });
    const step = await smoke(target, {
      'expected-config': deploy['endpoint-config-name']!,
      'request-body': REQUEST,
      'expect-json-path': '$.predictions[0].rings',
      'expect-match': '"rings":\\s*\\d',
    });
    expect(step.errors).toEqual([]);
    expect(step.outputs).toMatchObject({ 'http-status': '200', passed: 'true', 'rolled-back': 'false' });
    expect(step.outputs['response']).toBe('{"predictions": [{"rings": 9.7}]}');
    expect(step.stdout).toContain('Smoke test passed');
    expect(step.summary).toContain('Smoke test of abalone: passed');
    const [call] = (await emulator.admin.calls()).filter((c) => c.operation === 'InvokeEndpoint');
    expect(call?.input['Body']).toBe(REQUEST);
    expect(call?.input['ContentType']).toBe('application/json');
  });

  it('reads the request from a file; the default echo passes a status check', async () => {
    const target = job();
    await deployed(target, 'info');
    target.writeFile('smoke/request.csv', '0.455,0.365,0.095\n');
    const step = await smoke(target, { 'request-file': 'smoke/request.csv', 'content-type': 'text/csv' });
    expect(step.errors).toEqual([]);
    expect(step.outputs['response']).toBe('0.455,0.365,0.095');
  });

  it('fails on a container error with the status and an excerpt of the response, and changes nothing', async () => {
    const target = job();
    await deployed(target, 'info');
    await emulator.admin.setScenario({
      endpoints: {
        abalone: { invocation: { response: 'fixed', body: 'ValueError: model.pkl not found', containerStatus: 500 } },
      },
    });
    await emulator.admin.clearCalls();
    const step = await smoke(target, { 'request-body': REQUEST });
    expect(step.exitCode).toBe(1);
    expect(step.outputs).toMatchObject({ 'http-status': '500', passed: 'false', 'rolled-back': 'false' });
    expect(step.errors).toEqual([
      'smoke-test-endpoint: smoke test failed: status 500, expected 200; response: ValueError: model.pkl not found',
    ]);
    expect(step.summary).toContain('ValueError: model.pkl not found');
    expect((await emulator.admin.calls()).filter((c) => c.mutating)).toEqual([]);
  });

  it('rolls back to the previous config when the new one fails the test', async () => {
    const first = await deployed(job('100'), 'info');
    const target = job('200');
    const second = await deployed(target, 'debug');
    expect(second['previous-config-name']).toBe(first['endpoint-config-name']);
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
    const step = await smoke(target, {
      'expected-config': second['endpoint-config-name']!,
      'request-body': REQUEST,
      'expect-json-path': 'predictions[0]',
      'on-failure': 'rollback',
      'rollback-config': second['previous-config-name']!,
    });
    expect(step.exitCode).toBe(1);
    expect(step.outputs['rolled-back']).toBe('true');
    expect(step.errors.at(-1)).toBe(
      `smoke-test-endpoint: smoke test failed: predictions[0] is missing; rolled back to ${first['endpoint-config-name']}; response: {"predictions": []}`,
    );
    expect(step.stdout).toContain(`Rolled back: abalone is InService on ${first['endpoint-config-name']}`);
    expect(await liveConfig()).toBe(first['endpoint-config-name']);
    const updates = (await emulator.admin.calls()).filter((c) => c.operation === 'UpdateEndpoint' && c.status === 200);
    expect(updates.at(-1)?.input['EndpointConfigName']).toBe(first['endpoint-config-name']);
  });

  it('a first deployment has nothing to roll back to: it fails and says so', async () => {
    const target = job();
    await deployed(target, 'info');
    await emulator.admin.setScenario({ endpoints: { abalone: { invocation: { containerStatus: 503 } } } });
    await emulator.admin.clearCalls();
    const step = await smoke(target, { 'request-body': REQUEST, 'on-failure': 'rollback' });
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toContain('nothing to roll back to');
    expect((await emulator.admin.calls()).filter((c) => c.mutating)).toEqual([]);
  });

  it('an endpoint slower than request-timeout-seconds fails the step, saying so', async () => {
    const target = job();
    await deployed(target, 'info');
    // Five times the timeout: the answer cannot arrive in time, however fast or slow this machine is.
    await emulator.admin.setScenario({ endpoints: { abalone: { invocation: { latencyMs: 5000 } } } });
    const step = await smoke(target, { 'request-body': REQUEST, 'request-timeout-seconds': '1' });
    expect(step.exitCode).toBe(1);
    expect(step.errors).toEqual(['smoke-test-endpoint: abalone did not answer within 1s (request-timeout-seconds)']);
  });

  it('refuses to test an endpoint that does not serve the expected config', async () => {
    const target = job();
    await deployed(target, 'info');
    const step = await smoke(target, { 'request-body': REQUEST, 'expected-config': 'abalone-v9-00000000' });
    expect(step.exitCode).toBe(1);
    expect(step.errors[0]).toMatch(/serves abalone-d\w+-\w+, not abalone-v9-00000000 \(expected-config\)/);
    expect((await emulator.admin.calls()).filter((c) => c.operation === 'InvokeEndpoint')).toEqual([]);
  });
});

describe('smoke-test-endpoint bad inputs', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['no request', {}, /input 'request-body': is required \(or give input 'request-file'\)/],
    [
      'both request forms',
      { 'request-body': '{}', 'request-file': 'x.json' },
      /input 'request-body': cannot be given with input 'request-file'/,
    ],
    ['a missing file', { 'request-file': 'nope.json' }, /input 'request-file': file 'nope.json' does not exist/],
    ['a bad expression', { 'request-body': '{}', 'expect-match': '(' }, /input 'expect-match': '\(' is not a regular/],
    ['a bad path', { 'request-body': '{}', 'expect-json-path': 'a[x]' }, /input 'expect-json-path': 'a\[x\]' is not/],
    ['a value without a path', { 'request-body': '{}', 'expect-json-value': '1' }, /input 'expect-json-value': needs/],
    [
      'an unknown on-failure',
      { 'request-body': '{}', 'on-failure': 'retry' },
      /input 'on-failure': 'retry' is not one of/,
    ],
    [
      'a rollback config without rollback',
      { 'request-body': '{}', 'rollback-config': 'abalone-v1' },
      /input 'rollback-config': is only used with on-failure: rollback/,
    ],
  ];
  it.each(cases)('%s: one line naming the input, exit 1, no AWS call', async (_, inputs, message) => {
    await emulator.admin.clearCalls();
    const step = await smoke(job(), inputs);
    expect(step.exitCode).toBe(1);
    expect(step.errors).toHaveLength(1);
    expect(step.errors[0]).toMatch(/^smoke-test-endpoint: /);
    expect(step.errors[0]).toMatch(message);
    expect(await emulator.admin.calls()).toEqual([]);
  });
});

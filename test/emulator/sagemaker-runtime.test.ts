/** SageMaker Runtime's InvokeEndpoint, answering from the endpoint's live config as the scenario says. */
import { CreateEndpointCommand, CreateEndpointConfigCommand, CreateModelCommand } from '@aws-sdk/client-sagemaker';
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { InvokeEndpointCommand, ModelError } from '@aws-sdk/client-sagemaker-runtime';
import { beforeEach, describe, expect, it } from 'vitest';
import { sagemaker, sagemakerRuntime } from '../../testkit/clients.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { rejection } from '../../testkit/requests.ts';
import { ALICE, world } from '../../testkit/worlds/emulator-tests.ts';

const t = useEmulator(world);
const ROLE = 'arn:aws:iam::111111111111:role/sagemaker-execution';

const runtime = (): SageMakerRuntimeClient => sagemakerRuntime(t.endpoint, ALICE);

async function liveEndpoint(name: string): Promise<void> {
  const client = sagemaker(t.endpoint, ALICE);
  await client.send(
    new CreateModelCommand({
      ModelName: `${name}-model`,
      ExecutionRoleArn: ROLE,
      PrimaryContainer: { Image: '111111111111.dkr.ecr.us-east-1.amazonaws.com/churn:v1' },
    }),
  );
  await client.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: `${name}-config`,
      ProductionVariants: [
        { VariantName: 'Blue', ModelName: `${name}-model`, InstanceType: 'ml.m5.large', InitialInstanceCount: 1 },
      ],
    }),
  );
  await client.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: `${name}-config` }));
  await t.admin.advanceClock(11_000);
}

const invoke = (name: string, body = '{"rows": [[1, 2, 3]]}') =>
  runtime().send(
    new InvokeEndpointCommand({
      EndpointName: name,
      Body: new TextEncoder().encode(body),
      ContentType: 'application/json',
    }),
  );

beforeEach(async () => {
  await t.admin.setScenario({ endpoints: { '*': { createSeconds: 10 } } });
});

describe('InvokeEndpoint', () => {
  it('echoes the request by default, naming the variant that answered', async () => {
    await liveEndpoint('churn');
    const answer = await invoke('churn');
    expect(new TextDecoder().decode(answer.Body)).toBe('{"rows": [[1, 2, 3]]}');
    expect(answer.ContentType).toBe('application/json');
    expect(answer.InvokedProductionVariant).toBe('Blue');
    const [call] = (await t.admin.calls()).filter((c) => c.operation === 'InvokeEndpoint');
    expect(call).toMatchObject({ service: 'sagemaker-runtime', status: 200, mutating: false });
    expect(call?.input['EndpointName']).toBe('churn');
  });

  it('answers a fixed body, per config when the scenario says so', async () => {
    await liveEndpoint('churn');
    await t.admin.setScenario({
      endpoints: {
        churn: {
          invocation: { response: 'fixed', body: '{"predictions": [0.91]}' },
          invocationsByConfig: { 'other-config': { containerStatus: 500 } },
        },
      },
    });
    const answer = await invoke('churn');
    expect(new TextDecoder().decode(answer.Body)).toBe('{"predictions": [0.91]}');
  });

  it('a container error is a ModelError with the container status and body', async () => {
    await liveEndpoint('churn');
    await t.admin.setScenario({
      endpoints: {
        churn: { invocationsByConfig: { 'churn-config': { response: 'fixed', body: 'boom', containerStatus: 500 } } },
      },
    });
    const error = await rejection(invoke('churn'));
    expect(error).toBeInstanceOf(ModelError);
    expect(error.$metadata?.httpStatusCode).toBe(424);
    expect((error as ModelError).OriginalStatusCode).toBe(500);
    expect((error as ModelError).OriginalMessage).toBe('boom');
    expect(error.message).toMatch(/^Received server error \(500\) from primary with message "boom"/);
  });

  it('service errors, an unknown endpoint and one not yet InService are refused', async () => {
    expect((await rejection(invoke('missing'))).message).toBe('Endpoint missing of account 111111111111 not found.');
    await liveEndpoint('churn');
    await t.admin.setScenario({ endpoints: { churn: { invocation: { error: 'ModelNotReadyException' } } } });
    const notReady = await rejection(invoke('churn'));
    expect(notReady.name).toBe('ModelNotReadyException');
    expect(notReady.$metadata?.httpStatusCode).toBe(429);

    await t.admin.setScenario({ endpoints: { '*': { createSeconds: 100 } } });
    const client = sagemaker(t.endpoint, ALICE);
    await client.send(new CreateEndpointCommand({ EndpointName: 'creating', EndpointConfigName: 'churn-config' }));
    expect((await rejection(invoke('creating'))).message).toMatch(/is Creating; it cannot be invoked/);
  });

  it('refuses an unsigned call', async () => {
    const unsigned = await fetch(`${t.endpoint}/endpoints/churn/invocations`, { method: 'POST', body: '{}' });
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });
});

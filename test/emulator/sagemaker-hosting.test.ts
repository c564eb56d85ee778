/** Models, endpoint configs and endpoints whose updates succeed, roll back or get stuck, per the scenario. */
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  ListEndpointsCommand,
  UpdateEndpointCommand,
  type DescribeEndpointCommandOutput,
} from '@aws-sdk/client-sagemaker';
import { beforeEach, describe, expect, it } from 'vitest';
import { logs, sagemaker } from '../../testkit/clients.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { rejection } from '../../testkit/requests.ts';
import { ALICE, world } from '../../testkit/worlds/emulator-tests.ts';

const t = useEmulator(world);
const IMAGE = '111111111111.dkr.ecr.us-east-1.amazonaws.com/churn:v1';
const ROLE = 'arn:aws:iam::111111111111:role/sagemaker-execution';
const seconds = (s: number) => t.admin.advanceClock(s * 1000);

async function modelAndConfig(suffix: string, image = IMAGE) {
  const client = sagemaker(t.endpoint, ALICE);
  await client.send(
    new CreateModelCommand({
      ModelName: `model-${suffix}`,
      ExecutionRoleArn: ROLE,
      PrimaryContainer: { Image: image, ModelDataUrl: `s3://models/${suffix}/model.tar.gz` },
    }),
  );
  await client.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: `config-${suffix}`,
      ProductionVariants: [
        {
          VariantName: 'AllTraffic',
          ModelName: `model-${suffix}`,
          InstanceType: 'ml.m5.large',
          InitialInstanceCount: 2,
        },
      ],
    }),
  );
}

const describeEndpoint = (name = 'churn'): Promise<DescribeEndpointCommandOutput> =>
  sagemaker(t.endpoint, ALICE).send(new DescribeEndpointCommand({ EndpointName: name }));

async function liveEndpoint(name = 'churn') {
  await modelAndConfig('v1');
  await modelAndConfig('v2', `${IMAGE.replace(':v1', ':v2')}`);
  await sagemaker(t.endpoint, ALICE).send(
    new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: 'config-v1' }),
  );
  await seconds(11);
  expect((await describeEndpoint(name)).EndpointStatus).toBe('InService');
}

const update = (name = 'churn', config = 'config-v2', extra: Record<string, unknown> = {}) =>
  sagemaker(t.endpoint, ALICE).send(
    new UpdateEndpointCommand({ EndpointName: name, EndpointConfigName: config, ...extra }),
  );

beforeEach(async () => {
  await t.admin.setScenario({
    endpoints: { '*': { createSeconds: 10, updateSeconds: 20, rollbackSeconds: 10, deleteSeconds: 5 } },
  });
});

describe('endpoints', () => {
  it('create: Creating, then InService with images resolved to digests', async () => {
    await modelAndConfig('v1');
    const client = sagemaker(t.endpoint, ALICE);
    expect((await client.send(new DescribeModelCommand({ ModelName: 'model-v1' }))).PrimaryContainer?.Image).toBe(
      IMAGE,
    );
    expect(
      (await client.send(new DescribeEndpointConfigCommand({ EndpointConfigName: 'config-v1' })))
        .ProductionVariants?.[0],
    ).toMatchObject({ VariantName: 'AllTraffic', InitialVariantWeight: 1 });
    const { EndpointArn } = await client.send(
      new CreateEndpointCommand({ EndpointName: 'churn', EndpointConfigName: 'config-v1' }),
    );
    expect(EndpointArn).toBe('arn:aws:sagemaker:us-east-1:111111111111:endpoint/churn');
    const creating = await describeEndpoint();
    expect(creating).toMatchObject({ EndpointStatus: 'Creating', EndpointConfigName: 'config-v1' });
    expect(creating.ProductionVariants?.[0]).toMatchObject({
      CurrentInstanceCount: 0,
      VariantStatus: [{ Status: 'Creating' }],
    });

    await seconds(11);
    const live = await describeEndpoint();
    expect(live.EndpointStatus).toBe('InService');
    expect(live.FailureReason).toBeUndefined();
    const variant = live.ProductionVariants?.[0];
    expect(variant).toMatchObject({ CurrentInstanceCount: 2, DesiredInstanceCount: 2, CurrentWeight: 1 });
    expect(variant?.DeployedImages?.[0]?.SpecifiedImage).toBe(IMAGE);
    expect(variant?.DeployedImages?.[0]?.ResolvedImage).toMatch(
      /^111111111111\.dkr\.ecr\.us-east-1\.amazonaws\.com\/churn@sha256:[0-9a-f]{64}$/,
    );
    const listed = await client.send(new ListEndpointsCommand({ StatusEquals: 'InService' }));
    expect(listed.Endpoints?.map((e) => e.EndpointName)).toEqual(['churn']);

    const again = await rejection(
      client.send(new CreateEndpointCommand({ EndpointName: 'churn', EndpointConfigName: 'config-v1' })),
    );
    expect(again.message).toBe(
      'Cannot create already existing endpoint "arn:aws:sagemaker:us-east-1:111111111111:endpoint/churn".',
    );
    const noConfig = await rejection(
      client.send(new CreateEndpointCommand({ EndpointName: 'x', EndpointConfigName: 'nope' })),
    );
    expect(noConfig.name).toBe('ValidationException');
    expect(noConfig.message).toMatch(/^Could not find endpoint configuration/);
  });

  it('update: the new config goes live', async () => {
    await liveEndpoint();
    await update('churn', 'config-v2', {
      DeploymentConfig: {
        BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 0 } },
        AutoRollbackConfiguration: { Alarms: [{ AlarmName: 'churn-5xx' }] },
      },
    });
    const updating = await describeEndpoint();
    expect(updating).toMatchObject({
      EndpointStatus: 'Updating',
      EndpointConfigName: 'config-v1',
      PendingDeploymentSummary: { EndpointConfigName: 'config-v2' },
      LastDeploymentConfig: { AutoRollbackConfiguration: { Alarms: [{ AlarmName: 'churn-5xx' }] } },
    });
    const busy = await rejection(update());
    expect(busy.message).toBe(
      'Cannot update in-progress endpoint "arn:aws:sagemaker:us-east-1:111111111111:endpoint/churn".',
    );
    await seconds(21);
    const done = await describeEndpoint();
    expect(done).toMatchObject({ EndpointStatus: 'InService', EndpointConfigName: 'config-v2' });
    expect(done.PendingDeploymentSummary).toBeUndefined();
    expect(done.ProductionVariants?.[0]?.DeployedImages?.[0]?.SpecifiedImage).toMatch(/:v2$/);
  });

  it('update rolled back: InService again, on the OLD config, with FailureReason set', async () => {
    await liveEndpoint();
    await t.admin.setScenario({
      endpoints: {
        churn: { updateSeconds: 20, rollbackSeconds: 10, updateOutcome: 'RolledBack', logLines: ['Loaded 3 handlers'] },
      },
    });
    await update();
    await seconds(21);
    const rollingBack = await describeEndpoint();
    expect(rollingBack.EndpointStatus).toBe('RollingBack');
    expect(rollingBack.FailureReason).toMatch(/did not pass the ping health check/);
    await seconds(11);
    const after = await describeEndpoint();
    expect(after).toMatchObject({
      EndpointStatus: 'InService',
      EndpointConfigName: 'config-v1',
      FailureReason:
        'The primary container for production variant AllTraffic did not pass the ping health check. Please check CloudWatch logs for this endpoint.',
    });
    expect(after.PendingDeploymentSummary).toBeUndefined();
    // Waiting for InService alone would call this a success; the config name says it was not.
    expect(after.EndpointConfigName).not.toBe('config-v2');

    const events = await logs(t.endpoint, ALICE).send(
      new FilterLogEventsCommand({ logGroupName: '/aws/sagemaker/Endpoints/churn', filterPattern: 'ERROR' }),
    );
    expect(events.events).toHaveLength(2); // one per new instance
    expect(events.events?.[0]?.logStreamName).toMatch(/^AllTraffic\/i-[0-9a-f]{17}$/);
    expect(events.events?.[0]?.message).toMatch(/^ERROR: The primary container/);
  });

  it('update whose rollback fails: UpdateRollbackFailed with the reason', async () => {
    await liveEndpoint();
    await t.admin.setScenario({
      endpoints: {
        '*': {
          updateSeconds: 5,
          rollbackSeconds: 5,
          updateOutcome: 'UpdateRollbackFailed',
          updateFailureReason: 'Image pull failed',
        },
      },
    });
    await update();
    await seconds(11);
    expect(await describeEndpoint()).toMatchObject({
      EndpointStatus: 'UpdateRollbackFailed',
      FailureReason: 'Image pull failed',
      EndpointConfigName: 'config-v1',
    });
    expect((await rejection(update())).message).toMatch(/in UpdateRollbackFailed status/);
  });

  it('create that fails, a SystemUpdating window and a fall to OutOfService', async () => {
    await modelAndConfig('v1');
    await t.admin.setScenario({
      endpoints: {
        broken: { createSeconds: 5, createOutcome: 'Failed', createFailureReason: 'CannotStartContainerError' },
        flaky: {
          createSeconds: 5,
          systemUpdating: { afterSeconds: 10, durationSeconds: 10 },
          outOfServiceAfterSeconds: 30,
        },
      },
    });
    const client = sagemaker(t.endpoint, ALICE);
    await client.send(new CreateEndpointCommand({ EndpointName: 'broken', EndpointConfigName: 'config-v1' }));
    await client.send(new CreateEndpointCommand({ EndpointName: 'flaky', EndpointConfigName: 'config-v1' }));
    await seconds(6);
    expect(await describeEndpoint('broken')).toMatchObject({
      EndpointStatus: 'Failed',
      FailureReason: 'CannotStartContainerError',
    });
    expect((await describeEndpoint('flaky')).EndpointStatus).toBe('InService');
    await seconds(10);
    expect((await describeEndpoint('flaky')).EndpointStatus).toBe('SystemUpdating');
    await seconds(10);
    expect((await describeEndpoint('flaky')).EndpointStatus).toBe('InService');
    await seconds(10);
    const out = await describeEndpoint('flaky');
    expect(out.EndpointStatus).toBe('OutOfService');
    expect(out.ProductionVariants?.[0]?.CurrentInstanceCount).toBe(0);
  });

  it('delete: a config in use may go; the endpoint is Deleting, then gone', async () => {
    await liveEndpoint();
    const client = sagemaker(t.endpoint, ALICE);
    await client.send(new DeleteEndpointConfigCommand({ EndpointConfigName: 'config-v1' }));
    expect((await describeEndpoint()).EndpointConfigName).toBe('config-v1');
    await client.send(new DeleteEndpointCommand({ EndpointName: 'churn' }));
    expect((await describeEndpoint()).EndpointStatus).toBe('Deleting');
    await seconds(6);
    const gone = await rejection(describeEndpoint());
    expect([gone.name, gone.message]).toEqual([
      'ValidationException',
      'Could not find endpoint "arn:aws:sagemaker:us-east-1:111111111111:endpoint/churn".',
    ]);
  });
});

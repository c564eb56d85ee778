/**
 * EventBridge in the emulator: rules on the default bus matching what SageMaker emits (pipeline
 * execution status changes, model package state changes) and what PutEvents puts, invoking
 * their targets as AWS does: a pipeline started as the target's role, an SNS topic published to
 * when its policy lets EventBridge, an API destination's request recorded with its secrets
 * masked. Whatever fails is recorded, never thrown.
 */
import {
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  DeleteApiDestinationCommand,
  DeleteConnectionCommand,
  DeleteRuleCommand,
  DescribeApiDestinationCommand,
  DescribeConnectionCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateApiDestinationCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import {
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  CreatePipelineCommand,
  ListPipelineExecutionsCommand,
  ListPipelineParametersForExecutionCommand,
  StartPipelineExecutionCommand,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  SetTopicAttributesCommand,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { CreateScheduleCommand } from '@aws-sdk/client-scheduler';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SnsDelivery } from '../../emulator/admin-client.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import {
  ACCOUNT,
  OPS_KEYS,
  REGION,
  ROLES,
  eventBridge,
  eventsMayPublish,
  eventsWorld,
  invocations,
  notifications,
  scheduler,
  sns,
} from '../../testkit/emulator-events.ts';
import { sagemaker } from '../../testkit/clients.ts';
import { definition, training } from '../../testkit/sagemaker.ts';
import { rejection } from '../../testkit/requests.ts';

const t = useEmulator(eventsWorld);

const MINUTE = 60_000;
const pipelineArn = (name: string) => `arn:aws:sagemaker:${REGION}:${ACCOUNT}:pipeline/${name}`;
const EXECUTION_STATUS = 'SageMaker Model Building Pipeline Execution Status Change';
const PACKAGE_STATE = 'SageMaker Model Package State Change';

const failedInference = JSON.stringify({
  source: ['aws.sagemaker'],
  'detail-type': [EXECUTION_STATUS],
  detail: { currentPipelineExecutionStatus: ['Failed'], pipelineArn: [pipelineArn('batch-inference')] },
});

beforeEach(async () => {
  await t.admin.holdClock(true);
  const client = sagemaker(t.endpoint, OPS_KEYS);
  for (const name of ['batch-inference', 'training']) {
    await client.send(
      new CreatePipelineCommand({
        PipelineName: name,
        RoleArn: ROLES.pipeline,
        PipelineDefinition: definition([training('Run')], [{ Name: 'Reason', Type: 'String', DefaultValue: 'manual' }]),
      }),
    );
  }
});

async function executionsOf(name: string) {
  const listed = await sagemaker(t.endpoint, OPS_KEYS).send(
    new ListPipelineExecutionsCommand({ PipelineName: name, SortOrder: 'Ascending' }),
  );
  return listed.PipelineExecutionSummaries ?? [];
}

async function rule(name: string, pattern: string, targets: Target[]): Promise<string> {
  const client = eventBridge(t.endpoint);
  const { RuleArn } = await client.send(new PutRuleCommand({ Name: name, EventPattern: pattern }));
  const put = await client.send(new PutTargetsCommand({ Rule: name, Targets: targets }));
  expect(put.FailedEntryCount).toBe(0);
  return RuleArn ?? '';
}

async function failInference(): Promise<string> {
  await t.admin.setScenario({ pipelines: { 'batch-inference': { steps: { Run: { outcome: 'Failed' } } } } });
  const { PipelineExecutionArn } = await sagemaker(t.endpoint, OPS_KEYS).send(
    new StartPipelineExecutionCommand({ PipelineName: 'batch-inference' }),
  );
  await t.admin.advanceClock(5 * MINUTE);
  return PipelineExecutionArn ?? '';
}

/** A topic with a confirmed email subscription; `policy` decides whether EventBridge may publish. */
async function alertsTopic(policy: boolean): Promise<string> {
  const client = sns(t.endpoint);
  const { TopicArn = '' } = await client.send(new CreateTopicCommand({ Name: 'pipeline-alerts' }));
  if (policy)
    await client.send(
      new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Policy', AttributeValue: eventsMayPublish(TopicArn) }),
    );
  await client.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'ml-team@example.com' }));
  const request = (await t.admin.deliveries()).find(
    (d): d is SnsDelivery => d.kind === 'sns' && d.type === 'SubscriptionConfirmation',
  );
  await client.send(new ConfirmSubscriptionCommand({ TopicArn, Token: request?.token }));
  return TopicArn;
}

describe('SageMaker events through rules', () => {
  it('a failed inference execution starts the training pipeline with the rule target’s parameters', async () => {
    const ruleArn = await rule('retrain-on-failure', failedInference, [
      {
        Id: 'training',
        Arn: pipelineArn('training'),
        RoleArn: ROLES.events,
        SageMakerPipelineParameters: { PipelineParameterList: [{ Name: 'Reason', Value: 'inference-failed' }] },
      },
    ]);
    const failed = await failInference();
    const [inference] = await executionsOf('batch-inference');
    expect(inference?.PipelineExecutionStatus).toBe('Failed');
    const [retrain, ...more] = await executionsOf('training');
    expect(more).toEqual([]);
    // Started when the inference failed, not when someone looked.
    expect(retrain?.StartTime?.getTime()).toBeLessThan(Date.parse((await t.admin.clock()).simulatedTime));
    const parameters = await sagemaker(t.endpoint, OPS_KEYS).send(
      new ListPipelineParametersForExecutionCommand({ PipelineExecutionArn: retrain?.PipelineExecutionArn }),
    );
    expect(parameters.PipelineParameters).toEqual([{ Name: 'Reason', Value: 'inference-failed' }]);

    const [invoked] = invocations(await t.admin.deliveries());
    expect(invoked).toMatchObject({
      invoker: 'events',
      sourceArn: ruleArn,
      targetId: 'training',
      outcome: 'succeeded',
      pipelineExecutionArn: retrain?.PipelineExecutionArn,
    });
    expect(failed).toBe(inference?.PipelineExecutionArn);
  });

  it('a succeeded execution does not match, and a disabled rule hears nothing', async () => {
    await rule('retrain-on-failure', failedInference, [
      { Id: 'training', Arn: pipelineArn('training'), RoleArn: ROLES.events },
    ]);
    await sagemaker(t.endpoint, OPS_KEYS).send(new StartPipelineExecutionCommand({ PipelineName: 'batch-inference' }));
    await t.admin.advanceClock(5 * MINUTE);
    expect(await executionsOf('training')).toEqual([]);

    await eventBridge(t.endpoint).send(new DisableRuleCommand({ Name: 'retrain-on-failure' }));
    await failInference();
    expect(await executionsOf('training')).toEqual([]);
    expect(invocations(await t.admin.deliveries())).toEqual([]);
  });

  it('an SNS notification is delivered for a failed execution, as the input transformer words it', async () => {
    const topic = await alertsTopic(true);
    await rule('notify-failures', failedInference, [
      {
        Id: 'alerts',
        Arn: topic,
        InputTransformer: {
          InputPathsMap: {
            execution: '$.detail.pipelineExecutionArn',
            status: '$.detail.currentPipelineExecutionStatus',
          },
          InputTemplate: '"Pipeline execution <execution> is <status>."',
        },
      },
    ]);
    const failed = await failInference();
    const [notification, ...more] = notifications(await t.admin.deliveries());
    expect(more).toEqual([]);
    expect(notification).toMatchObject({
      topicArn: topic,
      protocol: 'email',
      endpoint: 'ml-team@example.com',
      message: `"Pipeline execution ${failed} is Failed."`,
    });
  });

  it('emits status changes shaped as AWS documents them: Executing, then Failed', async () => {
    const topic = await alertsTopic(true);
    await rule('every-status', JSON.stringify({ source: ['aws.sagemaker'], 'detail-type': [EXECUTION_STATUS] }), [
      { Id: 'alerts', Arn: topic },
    ]);
    const failed = await failInference();
    const events = notifications(await t.admin.deliveries()).map(
      (n) => JSON.parse(n.message) as { detail: Record<string, string>; resources: string[]; account: string },
    );
    expect(
      events.map((e) => [e.detail.previousPipelineExecutionStatus, e.detail.currentPipelineExecutionStatus]),
    ).toEqual([
      [undefined, 'Executing'],
      ['Executing', 'Failed'],
    ]);
    const last = events[1]!;
    expect(last).toMatchObject({
      source: 'aws.sagemaker',
      'detail-type': EXECUTION_STATUS,
      account: ACCOUNT,
      region: REGION,
      resources: [pipelineArn('batch-inference'), failed],
      detail: { pipelineArn: pipelineArn('batch-inference'), pipelineExecutionArn: failed },
    });
    expect(last.detail.executionEndTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(Date.parse(last.detail.executionEndTime!)).toBeGreaterThan(Date.parse(last.detail.executionStartTime!));
  });
});

describe('refused invocations are recorded, not thrown', () => {
  it('a topic whose policy does not let EventBridge publish gets nothing', async () => {
    const topic = await alertsTopic(false);
    const ruleArn = await rule('notify-failures', failedInference, [{ Id: 'alerts', Arn: topic }]);
    await failInference();
    const deliveries = await t.admin.deliveries();
    expect(notifications(deliveries)).toEqual([]);
    expect(invocations(deliveries)).toMatchObject([
      {
        sourceArn: ruleArn,
        targetType: 'sns-topic',
        outcome: 'failed',
        errorCode: 'AuthorizationError',
        errorMessage: `events.amazonaws.com is not authorized to perform: SNS:Publish on resource: ${topic}`,
      },
    ]);
  });

  it('a pipeline target whose role does not trust EventBridge starts nothing', async () => {
    await rule('retrain-on-failure', failedInference, [
      { Id: 'training', Arn: pipelineArn('training'), RoleArn: ROLES.untrusted },
    ]);
    await failInference();
    expect(await executionsOf('training')).toEqual([]);
    expect(invocations(await t.admin.deliveries())).toMatchObject([
      { outcome: 'failed', errorCode: 'AccessDenied', roleArn: ROLES.untrusted },
    ]);
  });
});

describe('API destinations', () => {
  const TOKEN = 'ghp_exampleTokenThatMustNeverBeRecorded000';

  it('a package approval sends a repository_dispatch request, recorded with its secret masked', async () => {
    const client = eventBridge(t.endpoint);
    const { ConnectionArn, ConnectionState } = await client.send(
      new CreateConnectionCommand({
        Name: 'github',
        AuthorizationType: 'API_KEY',
        AuthParameters: {
          ApiKeyAuthParameters: { ApiKeyName: 'Authorization', ApiKeyValue: `Bearer ${TOKEN}` },
          InvocationHttpParameters: {
            HeaderParameters: [{ Key: 'Accept', Value: 'application/vnd.github+json', IsValueSecret: false }],
          },
        },
      }),
    );
    expect(ConnectionState).toBe('AUTHORIZED');
    const { ApiDestinationArn } = await client.send(
      new CreateApiDestinationCommand({
        Name: 'github-dispatch',
        ConnectionArn,
        InvocationEndpoint: 'https://api.github.com/repos/example-org/ml-pipelines/dispatches',
        HttpMethod: 'POST',
      }),
    );
    const approved = JSON.stringify({
      source: ['aws.sagemaker'],
      'detail-type': [PACKAGE_STATE],
      detail: { ModelPackageGroupName: ['churn'], ModelApprovalStatus: ['Approved'] },
    });
    await rule('deploy-on-approval', approved, [
      {
        Id: 'github',
        Arn: ApiDestinationArn,
        RoleArn: ROLES.events,
        InputTransformer: {
          InputPathsMap: { arn: '$.detail.ModelPackageArn', version: '$.detail.ModelPackageVersion' },
          InputTemplate:
            '{"event_type": "model-approved", "client_payload": {"model_package_arn": "<arn>", "version": <version>}}',
        },
      },
    ]);

    const registry = sagemaker(t.endpoint, OPS_KEYS);
    await registry.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'churn' }));
    const { ModelPackageArn } = await registry.send(
      new CreateModelPackageCommand({ ModelPackageGroupName: 'churn', ModelApprovalStatus: 'PendingManualApproval' }),
    );
    expect(invocations(await t.admin.deliveries())).toEqual([]);
    await registry.send(new UpdateModelPackageCommand({ ModelPackageArn, ModelApprovalStatus: 'Approved' }));

    const [invoked, ...more] = invocations(await t.admin.deliveries());
    expect(more).toEqual([]);
    expect(invoked).toMatchObject({ targetType: 'api-destination', outcome: 'succeeded' });
    expect(invoked?.request).toEqual({
      method: 'POST',
      url: 'https://api.github.com/repos/example-org/ml-pipelines/dispatches',
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'User-Agent': 'Amazon/EventBridge/ApiDestinations',
        Accept: 'application/vnd.github+json',
        Authorization: '***',
      },
      body: `{"event_type": "model-approved", "client_payload": {"model_package_arn": "${ModelPackageArn}", "version": 1}}`,
    });

    // The token is nowhere a test or the demo could print: deliveries, calls, Describe.
    const described = await client.send(new DescribeConnectionCommand({ Name: 'github' }));
    expect(described.AuthParameters?.ApiKeyAuthParameters).toEqual({ ApiKeyName: 'Authorization' });
    const everything = JSON.stringify([await t.admin.deliveries(), await t.admin.calls(), described]);
    expect(everything).not.toContain(TOKEN);
  });

  it('a role that may not invoke the destination is a failed invocation', async () => {
    const client = eventBridge(t.endpoint);
    const { ConnectionArn } = await client.send(
      new CreateConnectionCommand({
        Name: 'hook',
        AuthorizationType: 'BASIC',
        AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p4ssw0rd' } },
      }),
    );
    const { ApiDestinationArn } = await client.send(
      new CreateApiDestinationCommand({
        Name: 'hook',
        ConnectionArn,
        InvocationEndpoint: 'https://hooks.example.com/ml',
        HttpMethod: 'POST',
      }),
    );
    await rule('hook', JSON.stringify({ source: ['ml.promotion'] }), [
      { Id: 'hook', Arn: ApiDestinationArn, RoleArn: ROLES.powerless },
    ]);
    await client.send(
      new PutEventsCommand({ Entries: [{ Source: 'ml.promotion', DetailType: 'Promoted', Detail: '{}' }] }),
    );
    const [invoked] = invocations(await t.admin.deliveries());
    expect(invoked).toMatchObject({ outcome: 'failed', errorCode: 'AccessDeniedException' });
    expect(invoked?.errorMessage).toContain('events:InvokeApiDestination');
    expect(invoked?.request).toBeUndefined();
  });

  it('connections and destinations are described, updated and deleted', async () => {
    const client = eventBridge(t.endpoint);
    const { ConnectionArn } = await client.send(
      new CreateConnectionCommand({
        Name: 'github',
        AuthorizationType: 'API_KEY',
        AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'Authorization', ApiKeyValue: 'Bearer x' } },
      }),
    );
    expect(ConnectionArn).toMatch(new RegExp(`^arn:aws:events:${REGION}:${ACCOUNT}:connection/github/[0-9a-f-]{36}$`));
    const twice = await rejection(
      client.send(
        new CreateConnectionCommand({
          Name: 'github',
          AuthorizationType: 'API_KEY',
          AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'Authorization', ApiKeyValue: 'Bearer x' } },
        }),
      ),
    );
    expect(twice.name).toBe('ResourceAlreadyExistsException');
    await client.send(
      new CreateApiDestinationCommand({
        Name: 'dispatch',
        ConnectionArn,
        InvocationEndpoint: 'https://api.github.com/repos/o/r/dispatches',
        HttpMethod: 'POST',
      }),
    );
    await client.send(new UpdateApiDestinationCommand({ Name: 'dispatch', InvocationRateLimitPerSecond: 10 }));
    const destination = await client.send(new DescribeApiDestinationCommand({ Name: 'dispatch' }));
    expect(destination).toMatchObject({
      Name: 'dispatch',
      ConnectionArn,
      HttpMethod: 'POST',
      InvocationRateLimitPerSecond: 10,
      ApiDestinationState: 'ACTIVE',
    });
    await client.send(new DeleteApiDestinationCommand({ Name: 'dispatch' }));
    expect((await rejection(client.send(new DescribeApiDestinationCommand({ Name: 'dispatch' })))).name).toBe(
      'ResourceNotFoundException',
    );
    expect((await client.send(new DeleteConnectionCommand({ Name: 'github' }))).ConnectionState).toBe('DELETING');
  });
});

describe('rules and PutEvents', () => {
  it('puts, describes, lists, disables, enables and deletes rules with their targets and tags', async () => {
    const client = eventBridge(t.endpoint);
    const { RuleArn } = await client.send(
      new PutRuleCommand({
        Name: 'retrain',
        EventPattern: failedInference,
        Description: 'retrain when inference fails',
        Tags: [{ Key: 'team', Value: 'ml' }],
      }),
    );
    expect(RuleArn).toBe(`arn:aws:events:${REGION}:${ACCOUNT}:rule/retrain`);
    expect(await client.send(new DescribeRuleCommand({ Name: 'retrain' }))).toMatchObject({
      Name: 'retrain',
      Arn: RuleArn,
      EventPattern: failedInference,
      State: 'ENABLED',
      EventBusName: 'default',
      CreatedBy: ACCOUNT,
    });
    await client.send(new DisableRuleCommand({ Name: 'retrain' }));
    expect(
      (await client.send(new ListRulesCommand({ NamePrefix: 're' }))).Rules?.map((r) => [r.Name, r.State]),
    ).toEqual([['retrain', 'DISABLED']]);
    await client.send(new EnableRuleCommand({ Name: 'retrain' }));

    await client.send(
      new PutTargetsCommand({
        Rule: 'retrain',
        Targets: [{ Id: 't1', Arn: pipelineArn('training'), RoleArn: ROLES.events }],
      }),
    );
    expect((await client.send(new ListTargetsByRuleCommand({ Rule: 'retrain' }))).Targets?.map((x) => x.Id)).toEqual([
      't1',
    ]);
    const busy = await rejection(client.send(new DeleteRuleCommand({ Name: 'retrain' })));
    expect(busy.name).toBe('ValidationException');

    await client.send(new TagResourceCommand({ ResourceARN: RuleArn, Tags: [{ Key: 'env', Value: 'prod' }] }));
    await client.send(new UntagResourceCommand({ ResourceARN: RuleArn, TagKeys: ['team'] }));
    expect((await client.send(new ListTagsForResourceCommand({ ResourceARN: RuleArn }))).Tags).toEqual([
      { Key: 'env', Value: 'prod' },
    ]);

    await client.send(new RemoveTargetsCommand({ Rule: 'retrain', Ids: ['t1'] }));
    await client.send(new DeleteRuleCommand({ Name: 'retrain' }));
    expect((await client.send(new ListRulesCommand({}))).Rules).toEqual([]);
    const gone = await rejection(client.send(new DescribeRuleCommand({ Name: 'retrain' })));
    expect(gone.name).toBe('ResourceNotFoundException');
  });

  it.each([
    ['a pattern that is not JSON', { EventPattern: '{"source":' }, 'InvalidEventPatternException'],
    [
      'a pattern with an unknown matcher',
      { EventPattern: '{"source":[{"sounds_like":"x"}]}' },
      'InvalidEventPatternException',
    ],
    ['neither pattern nor schedule', {}, 'ValidationException'],
    ['a rate of one in the plural', { ScheduleExpression: 'rate(1 minutes)' }, 'ValidationException'],
    [
      'a bus that does not exist',
      { EventPattern: '{"source":["x"]}', EventBusName: 'custom' },
      'ResourceNotFoundException',
    ],
  ])('PutRule refuses %s', async (_, input, code) => {
    const error = await rejection(eventBridge(t.endpoint).send(new PutRuleCommand({ Name: 'r', ...input })));
    expect(error.name).toBe(code);
    expect((await eventBridge(t.endpoint).send(new ListRulesCommand({}))).Rules).toEqual([]);
  });

  it('PutTargets refuses a pipeline target without a role, and two inputs at once', async () => {
    const client = eventBridge(t.endpoint);
    await client.send(new PutRuleCommand({ Name: 'r', EventPattern: failedInference }));
    const noRole = await rejection(
      client.send(
        new PutTargetsCommand({
          Rule: 'r',
          Targets: [
            { Id: 't', Arn: pipelineArn('training'), SageMakerPipelineParameters: { PipelineParameterList: [] } },
          ],
        }),
      ),
    );
    expect(noRole.name).toBe('ValidationException');
    const twoInputs = await rejection(
      client.send(
        new PutTargetsCommand({
          Rule: 'r',
          Targets: [{ Id: 't', Arn: 'arn:aws:sns:us-east-1:111111111111:x', Input: '{}', InputPath: '$' }],
        }),
      ),
    );
    expect(twoInputs.message).toBe('Only one of Input, InputPath, or InputTransformer must be provided.');
  });

  it('PutEvents delivers to matching rules and reports refused entries one by one', async () => {
    const topic = await alertsTopic(true);
    await rule('promotions', JSON.stringify({ source: ['ml.promotion'], detail: { environment: ['prod'] } }), [
      { Id: 'alerts', Arn: topic, InputPath: '$.detail' },
    ]);
    const answer = await eventBridge(t.endpoint).send(
      new PutEventsCommand({
        Entries: [
          { Source: 'ml.promotion', DetailType: 'Promotion Failed', Detail: '{"environment":"prod","run":42}' },
          { Source: 'ml.promotion', DetailType: 'Promotion Failed', Detail: '{"environment":"dev"}' },
          { Source: 'aws.sagemaker', DetailType: 'Spoofed', Detail: '{}' },
          { Source: 'ml.promotion', DetailType: 'Broken', Detail: 'not json' },
        ],
      }),
    );
    expect(answer.FailedEntryCount).toBe(2);
    expect(answer.Entries?.map((e) => e.ErrorCode ?? 'ok')).toEqual([
      'ok',
      'ok',
      'NotAuthorizedForSourceException',
      'MalformedDetail',
    ]);
    expect(notifications(await t.admin.deliveries()).map((n) => JSON.parse(n.message) as unknown)).toEqual([
      { environment: 'prod', run: 42 },
    ]);
  });

  it('a scheduled rule sends its Scheduled Event on the clock', async () => {
    const topic = await alertsTopic(true);
    await eventBridge(t.endpoint).send(new PutRuleCommand({ Name: 'hourly', ScheduleExpression: 'rate(1 hour)' }));
    await eventBridge(t.endpoint).send(
      new PutTargetsCommand({ Rule: 'hourly', Targets: [{ Id: 'alerts', Arn: topic }] }),
    );
    await t.admin.advanceClock(2 * 60 * MINUTE + MINUTE);
    const sent = notifications(await t.admin.deliveries()).map((n) => JSON.parse(n.message) as Record<string, unknown>);
    expect(sent.map((e) => [e.source, e['detail-type']])).toEqual([
      ['aws.events', 'Scheduled Event'],
      ['aws.events', 'Scheduled Event'],
    ]);
  });
});

describe('the batch shape, end to end on the clock', () => {
  it('a scheduled inference that fails starts training and tells people, once per failure', async () => {
    const topic = await alertsTopic(true);
    await rule('retrain-and-notify', failedInference, [
      {
        Id: 'training',
        Arn: pipelineArn('training'),
        RoleArn: ROLES.events,
        SageMakerPipelineParameters: { PipelineParameterList: [{ Name: 'Reason', Value: 'inference-failed' }] },
      },
      {
        Id: 'alerts',
        Arn: topic,
        InputTransformer: {
          InputPathsMap: { execution: '$.detail.pipelineExecutionArn' },
          InputTemplate: '"Batch inference failed: <execution>"',
        },
      },
    ]);
    await t.admin.setScenario({ pipelines: { 'batch-inference': { steps: { Run: { outcome: 'Failed' } } } } });
    const start = Date.parse((await t.admin.clock()).simulatedTime);
    await scheduler(t.endpoint).send(
      new CreateScheduleCommand({
        Name: 'daily-inference',
        ScheduleExpression: 'rate(1 day)',
        StartDate: new Date(Math.ceil((start + 60 * MINUTE) / 1000) * 1000),
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: pipelineArn('batch-inference'),
          RoleArn: ROLES.scheduler,
        },
      }),
    );
    // A day and more passes in one step: each day's run fails, and each failure is handled at its own time.
    await t.admin.advanceClock(24 * 60 * MINUTE + 90 * MINUTE);
    const inference = await executionsOf('batch-inference');
    expect(inference.map((e) => e.PipelineExecutionStatus)).toEqual(['Failed', 'Failed']);
    const training = await executionsOf('training');
    expect(training).toHaveLength(2);
    // Each retraining starts after the failure that caused it, before the next day's run.
    expect(training[0]!.StartTime!.getTime()).toBeGreaterThan(inference[0]!.StartTime!.getTime());
    expect(training[0]!.StartTime!.getTime()).toBeLessThan(inference[1]!.StartTime!.getTime());
    expect(notifications(await t.admin.deliveries()).map((n) => n.message)).toEqual(
      inference.map((e) => `"Batch inference failed: ${e.PipelineExecutionArn}"`),
    );
  });
});

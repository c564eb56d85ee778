/** Pipeline executions progressing on the simulated clock, with job logs in CloudWatch Logs. */
import {
  FilterLogEventsCommand,
  GetLogEventsCommand,
  DescribeLogStreamsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateModelPackageGroupCommand,
  CreatePipelineCommand,
  DescribeModelCommand,
  DescribeModelPackageCommand,
  DescribeTrainingJobCommand,
  DescribePipelineDefinitionForExecutionCommand,
  DescribePipelineExecutionCommand,
  ListPipelineExecutionsCommand,
  ListPipelineExecutionStepsCommand,
  ListPipelineParametersForExecutionCommand,
  RetryPipelineExecutionCommand,
  StartPipelineExecutionCommand,
  StopPipelineExecutionCommand,
  UpdatePipelineCommand,
  type PipelineExecutionStep,
} from '@aws-sdk/client-sagemaker';
import { describe, expect, it } from 'vitest';
import { logs, sagemaker } from '../../testkit/clients.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { rejection } from '../../testkit/requests.ts';
import { definition, PIPELINE_ROLE, processing, type StepSpec, token, training } from '../../testkit/sagemaker.ts';
import { ALICE, prodKeys, world } from '../../testkit/worlds/emulator-tests.ts';

const t = useEmulator(world);

async function createPipeline(
  name: string,
  steps: StepSpec[],
  parameters: { Name: string; Type: string; DefaultValue?: unknown }[] = [],
) {
  await sagemaker(t.endpoint, ALICE).send(
    new CreatePipelineCommand({
      PipelineName: name,
      PipelineDefinition: definition(steps, parameters),
      RoleArn: PIPELINE_ROLE,
    }),
  );
}

async function start(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const out = await sagemaker(t.endpoint, ALICE).send(
    new StartPipelineExecutionCommand({
      PipelineName: name,
      ClientRequestToken: token(`start-${Math.random()}`),
      ...extra,
    }),
  );
  return out.PipelineExecutionArn ?? '';
}

const status = async (arn: string) =>
  (await sagemaker(t.endpoint, ALICE).send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: arn })))
    .PipelineExecutionStatus;

async function steps(arn: string): Promise<PipelineExecutionStep[]> {
  const out = await sagemaker(t.endpoint, ALICE).send(
    new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: arn, MaxResults: 100 }),
  );
  return out.PipelineExecutionSteps ?? [];
}

const seconds = (s: number) => t.admin.advanceClock(s * 1000);

describe('pipeline executions', () => {
  it('start with parameters, refuse unknown ones and fill in defaults', async () => {
    await createPipeline(
      'params',
      [training('Train')],
      [
        { Name: 'InstanceType', Type: 'String', DefaultValue: 'ml.m5.large' },
        { Name: 'Epochs', Type: 'Integer', DefaultValue: 3 },
      ],
    );
    const client = sagemaker(t.endpoint, ALICE);
    const arn = await start('params', {
      PipelineParameters: [{ Name: 'Epochs', Value: '10' }],
      PipelineExecutionDisplayName: 'feature-x-123',
    });
    expect(arn).toMatch(/^arn:aws:sagemaker:us-east-1:111111111111:pipeline\/params\/execution\/[a-z0-9]{12}$/);
    const described = await client.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: arn }));
    expect(described).toMatchObject({
      PipelineExecutionStatus: 'Executing',
      PipelineExecutionDisplayName: 'feature-x-123',
      PipelineVersionId: 1,
      CreatedBy: { IamIdentity: { Arn: 'arn:aws:iam::111111111111:user/alice' } },
    });
    const parameters = await client.send(new ListPipelineParametersForExecutionCommand({ PipelineExecutionArn: arn }));
    expect(parameters.PipelineParameters).toEqual([
      { Name: 'Epochs', Value: '10' },
      { Name: 'InstanceType', Value: 'ml.m5.large' },
    ]);

    const unknown = await rejection(start('params', { PipelineParameters: [{ Name: 'Nope', Value: 'x' }] }));
    expect(unknown.name).toBe('ValidationException');
    expect(unknown.message).toMatch(/'Nope' is not defined/);
    const badName = await rejection(start('params', { PipelineExecutionDisplayName: 'feature/x' }));
    expect(badName.message).toMatch(/at 'pipelineExecutionDisplayName' failed to satisfy constraint/);
    const tooLong = await rejection(
      start('params', { PipelineParameters: [{ Name: 'InstanceType', Value: 'x'.repeat(1025) }] }),
    );
    expect(tooLong.message).toMatch(/length less than or equal to 1024/);
  });

  it('start one execution for one ClientRequestToken, and pin a version', async () => {
    await createPipeline('tokens', [training('Train')]);
    const client = sagemaker(t.endpoint, ALICE);
    const first = await start('tokens', { ClientRequestToken: token('same') });
    const again = await start('tokens', { ClientRequestToken: token('same') });
    expect(again).toBe(first);
    const list = await client.send(new ListPipelineExecutionsCommand({ PipelineName: 'tokens' }));
    expect(list.PipelineExecutionSummaries).toHaveLength(1);

    await client.send(
      new UpdatePipelineCommand({ PipelineName: 'tokens', PipelineDefinition: definition([processing('Other')]) }),
    );
    const pinned = await start('tokens', { PipelineVersionId: 1 });
    const described = await client.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: pinned }));
    expect(described.PipelineVersionId).toBe(1);
    const pinnedDefinition = await client.send(
      new DescribePipelineDefinitionForExecutionCommand({ PipelineExecutionArn: pinned }),
    );
    expect(JSON.parse(pinnedDefinition.PipelineDefinition ?? '{}').Steps[0].Name).toBe('Train');
  });

  it('run a DAG in dependency order on the simulated clock, newest step listed first', async () => {
    await createPipeline('dag', [
      processing('Prepare'),
      training('Train', { DependsOn: ['Prepare'] }),
      // A data dependency, no DependsOn.
      { Name: 'Batch', Type: 'Transform', Arguments: { ModelName: { Get: 'Steps.Train.TrainingJobName' } } },
    ]);
    await t.admin.setScenario({ pipelines: { dag: { steps: { '*': { durationSeconds: 10 } } } } });
    const arn = await start('dag');

    expect((await steps(arn)).map((s) => s.StepName)).toEqual(['Prepare']);
    await seconds(11);
    const midway = await steps(arn);
    expect(midway.map((s) => [s.StepName, s.StepStatus])).toEqual([
      ['Train', expect.stringMatching(/^(Starting|Executing)$/)],
      ['Prepare', 'Succeeded'],
    ]);
    expect(midway[1]?.Metadata?.ProcessingJob?.Arn).toMatch(
      /^arn:aws:sagemaker:us-east-1:111111111111:processing-job\/pipelines-[a-z0-9]{12}-prepare-[a-z0-9]{10}$/,
    );
    await seconds(25);
    expect(await status(arn)).toBe('Succeeded');
    const done = await steps(arn);
    expect(done.map((s) => s.StepName)).toEqual(['Batch', 'Train', 'Prepare']);
    expect(done.every((s) => s.StepStatus === 'Succeeded' && s.AttemptCount === 1)).toBe(true);
    const [batch, train, prepare] = done as [PipelineExecutionStep, PipelineExecutionStep, PipelineExecutionStep];
    expect(prepare.EndTime!.getTime()).toBeLessThanOrEqual(train.StartTime!.getTime());
    expect(train.EndTime!.getTime()).toBeLessThanOrEqual(batch.StartTime!.getTime());
    expect(batch.Metadata?.TransformJob?.Arn).toMatch(/transform-job\/pipelines-/);
  });

  it('fail with the failing step named, its reason, attempts and log lines', async () => {
    await createPipeline('failing', [
      processing('Prepare'),
      training('Train', { DependsOn: ['Prepare'] }),
      training('After', { DependsOn: ['Train'] }),
    ]);
    await t.admin.setScenario({
      pipelines: {
        failing: {
          steps: {
            '*': { durationSeconds: 5 },
            Train: {
              outcome: 'Failed',
              failureReason: 'AlgorithmError: loss became NaN, exit code: 1',
              attempts: 3,
              durationSeconds: 20,
            },
          },
        },
      },
    });
    const arn = await start('failing');
    await seconds(30);
    const described = await sagemaker(t.endpoint, ALICE).send(
      new DescribePipelineExecutionCommand({ PipelineExecutionArn: arn }),
    );
    expect(described).toMatchObject({
      PipelineExecutionStatus: 'Failed',
      FailureReason: 'Step failure: One or multiple steps failed.',
    });
    const [train, prepare, ...rest] = await steps(arn);
    expect(rest).toEqual([]); // "After" never ran
    expect(prepare?.StepStatus).toBe('Succeeded');
    expect(train).toMatchObject({
      StepName: 'Train',
      StepStatus: 'Failed',
      FailureReason: 'AlgorithmError: loss became NaN, exit code: 1',
      AttemptCount: 3,
    });
    const arnName = train?.Metadata?.TrainingJob?.Arn?.split('/')[1] ?? '';
    // The ARN lower-cases the job name; log streams keep its case, so ask for the real name.
    const job = await sagemaker(t.endpoint, ALICE).send(new DescribeTrainingJobCommand({ TrainingJobName: arnName }));
    expect(job).toMatchObject({ TrainingJobStatus: 'Failed', FailureReason: train?.FailureReason });
    const jobName = job.TrainingJobName ?? '';
    expect(jobName).toMatch(/^pipelines-[a-z0-9]{12}-Train-[a-zA-Z0-9]{10}$/);
    expect(jobName.toLowerCase()).toBe(arnName);

    const cw = logs(t.endpoint, ALICE);
    const streams = await cw.send(
      new DescribeLogStreamsCommand({
        logGroupName: '/aws/sagemaker/TrainingJobs',
        logStreamNamePrefix: `${jobName}/`,
      }),
    );
    const stream = streams.logStreams?.[0]?.logStreamName ?? '';
    expect(stream).toMatch(new RegExp(`^${jobName}/algo-1-\\d{10}$`));
    const events = await cw.send(
      new GetLogEventsCommand({
        logGroupName: '/aws/sagemaker/TrainingJobs',
        logStreamName: stream,
        startFromHead: true,
      }),
    );
    const messages = events.events?.map((e) => e.message) ?? [];
    expect(messages.at(-2)).toBe('ERROR: AlgorithmError: loss became NaN, exit code: 1');
    expect(events.events?.at(-1)?.timestamp).toBe(train?.EndTime?.getTime());

    const filtered = await cw.send(
      new FilterLogEventsCommand({
        logGroupName: '/aws/sagemaker/TrainingJobs',
        logStreamNamePrefix: stream.split('/')[0],
        filterPattern: 'NaN',
      }),
    );
    expect(filtered.events?.map((e) => [e.logStreamName, e.message])).toEqual([
      [stream, 'ERROR: AlgorithmError: loss became NaN, exit code: 1'],
    ]);
  });

  it('retry: only a Failed execution, resumed from its failed step on the same ARN, once per token', async () => {
    await createPipeline('flaky', [
      processing('Prepare'),
      training('Train', { DependsOn: ['Prepare'] }),
      training('After', { DependsOn: ['Train'] }),
    ]);
    await t.admin.setScenario({
      pipelines: { flaky: { steps: { '*': { durationSeconds: 5 }, Train: { failFirstRuns: 1 } } } },
    });
    const arn = await start('flaky');
    const retry = (name: string) =>
      sagemaker(t.endpoint, ALICE).send(
        new RetryPipelineExecutionCommand({ PipelineExecutionArn: arn, ClientRequestToken: token(name) }),
      );
    expect((await rejection(retry('too-early'))).message).toMatch(/Executing status. Only executions in Failed status/);
    await seconds(11);
    expect(await status(arn)).toBe('Failed');
    const prepareBefore = (await steps(arn)).find((s) => s.StepName === 'Prepare');

    expect((await retry('first')).PipelineExecutionArn).toBe(arn);
    expect(await status(arn)).toBe('Executing');
    expect((await retry('first')).PipelineExecutionArn).toBe(arn); // the same request again: no second retry
    await seconds(11);
    expect(await status(arn)).toBe('Succeeded');
    const after = await steps(arn);
    expect(after.map((s) => [s.StepName, s.StepStatus])).toEqual([
      ['After', 'Succeeded'],
      ['Train', 'Succeeded'],
      ['Prepare', 'Succeeded'],
    ]);
    // Prepare succeeded the first time and was not run again.
    expect(after.find((s) => s.StepName === 'Prepare')?.StartTime).toEqual(prepareBefore?.StartTime);
    expect((await rejection(retry('second'))).message).toMatch(/Succeeded status/);
  });

  it('write job logs as the job runs, not before', async () => {
    await createPipeline('live', [training('Train')]);
    await t.admin.setScenario({
      pipelines: { live: { steps: { Train: { durationSeconds: 100, logLines: ['one', 'two', 'three'] } } } },
    });
    const arn = await start('live');
    await seconds(60);
    const [train] = await steps(arn);
    const jobName = train?.Metadata?.TrainingJob?.Arn?.split('/')[1] ?? '';
    const cw = logs(t.endpoint, ALICE);
    const read = async () =>
      (
        await cw.send(new FilterLogEventsCommand({ logGroupName: '/aws/sagemaker/TrainingJobs', filterPattern: '' }))
      ).events?.map((e) => e.message);
    expect(jobName).not.toBe('');
    expect(await read()).toEqual(['one', 'two']);
    await seconds(50);
    expect(await read()).toEqual(['one', 'two', 'three']);
  });

  it('stop: Stopping at once, Stopped a few simulated seconds later, running steps too', async () => {
    await createPipeline('stoppable', [training('Train'), processing('Prepare')]);
    const client = sagemaker(t.endpoint, ALICE);
    const arn = await start('stoppable');
    await seconds(10);
    const stopToken = token('stop-it');
    await client.send(new StopPipelineExecutionCommand({ PipelineExecutionArn: arn, ClientRequestToken: stopToken }));
    expect(await status(arn)).toBe('Stopping');
    expect((await steps(arn)).map((s) => s.StepStatus)).toEqual(['Stopping', 'Stopping']);
    // The same request again is a no-op.
    await client.send(new StopPipelineExecutionCommand({ PipelineExecutionArn: arn, ClientRequestToken: stopToken }));
    await seconds(6);
    expect(await status(arn)).toBe('Stopped');
    expect((await steps(arn)).map((s) => s.StepStatus)).toEqual(['Stopped', 'Stopped']);
    const again = await rejection(
      client.send(new StopPipelineExecutionCommand({ PipelineExecutionArn: arn, ClientRequestToken: token('other') })),
    );
    expect(again.name).toBe('ValidationException');
  });

  it('take the Condition branch the scenario picks, and fail Fail steps with their message', async () => {
    await createPipeline(
      'branches',
      [
        training('Train'),
        {
          Name: 'CheckAccuracy',
          Type: 'Condition',
          Arguments: {
            Conditions: [
              { Type: 'GreaterThanOrEqualTo', LeftValue: { Get: 'Steps.Train.FinalMetricDataList' }, RightValue: 0.8 },
            ],
            IfSteps: [processing('Publish')],
            ElseSteps: [
              {
                Name: 'TooInaccurate',
                Type: 'Fail',
                Arguments: {
                  ErrorMessage: {
                    'Std:Join': { On: ' ', Values: ['accuracy below', { Get: 'Parameters.Threshold' }] },
                  },
                },
              },
            ],
          },
        },
      ],
      [{ Name: 'Threshold', Type: 'Float', DefaultValue: 0.8 }],
    );
    await t.admin.setScenario({
      pipelines: { branches: { steps: { '*': { durationSeconds: 2 }, CheckAccuracy: { conditionOutcome: false } } } },
    });
    const arn = await start('branches');
    await seconds(10);
    expect(await status(arn)).toBe('Failed');
    const listed = await steps(arn);
    expect(listed.map((s) => [s.StepName, s.StepStatus])).toEqual([
      ['TooInaccurate', 'Failed'],
      ['CheckAccuracy', 'Succeeded'],
      ['Train', 'Succeeded'],
    ]);
    expect(listed[0]).toMatchObject({
      FailureReason: 'accuracy below 0.8',
      Metadata: { Fail: { ErrorMessage: 'accuracy below 0.8' } },
    });
    expect(listed[1]?.Metadata?.Condition?.Outcome).toBe('False');
  });

  it('respect MaxParallelExecutionSteps and page the step list', async () => {
    await createPipeline(
      'wide',
      ['A', 'B', 'C', 'D', 'E'].map((name) => processing(name)),
    );
    await t.admin.setScenario({ pipelines: { '*': { steps: { '*': { durationSeconds: 10 } } } } });
    const arn = await start('wide', { ParallelismConfiguration: { MaxParallelExecutionSteps: 2 } });
    expect((await steps(arn)).map((s) => s.StepName)).toEqual(['B', 'A']);
    await seconds(31);
    expect(await status(arn)).toBe('Succeeded');

    const client = sagemaker(t.endpoint, ALICE);
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(
        new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: arn, MaxResults: 2, NextToken: nextToken }),
      );
      seen.push(...(page.PipelineExecutionSteps ?? []).map((s) => s.StepName ?? ''));
      nextToken = page.NextToken;
      pages++;
    } while (nextToken);
    expect(pages).toBe(3);
    expect(seen).toEqual(['E', 'D', 'C', 'B', 'A']);
  });

  it('register a model package in an existing group, and fail the step when the group is missing', async () => {
    const client = sagemaker(t.endpoint, ALICE);
    await client.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'churn' }));
    const register = (group: string): StepSpec => ({
      Name: 'Register',
      Type: 'RegisterModel',
      Arguments: {
        ModelPackageGroupName: group,
        ModelApprovalStatus: { Get: 'Parameters.Approval' },
        InferenceSpecification: {
          Containers: [
            { Image: 'img@sha256:abc', ModelDataUrl: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' } },
          ],
          SupportedContentTypes: ['text/csv'],
          SupportedResponseMIMETypes: ['text/csv'],
        },
      },
    });
    const parameters = [{ Name: 'Approval', Type: 'String', DefaultValue: 'PendingManualApproval' }];
    await createPipeline('registers', [training('Train'), register('churn')], parameters);
    await createPipeline('no-group', [training('Train'), register('missing-group')], parameters);
    await t.admin.setScenario({ pipelines: { '*': { steps: { '*': { durationSeconds: 5 } } } } });

    const ok = await start('registers', { PipelineParameters: [{ Name: 'Approval', Value: 'Approved' }] });
    const bad = await start('no-group');
    await seconds(20);
    expect(await status(ok)).toBe('Succeeded');
    const [registered, train] = await steps(ok);
    const packageArn = registered?.Metadata?.RegisterModel?.Arn;
    expect(packageArn).toBe('arn:aws:sagemaker:us-east-1:111111111111:model-package/churn/1');
    const pkg = await client.send(new DescribeModelPackageCommand({ ModelPackageName: packageArn }));
    expect(pkg).toMatchObject({
      ModelPackageGroupName: 'churn',
      ModelPackageVersion: 1,
      ModelApprovalStatus: 'Approved',
    });
    const jobName = (
      await client.send(
        new DescribeTrainingJobCommand({ TrainingJobName: train?.Metadata?.TrainingJob?.Arn?.split('/')[1] }),
      )
    ).TrainingJobName;
    expect(pkg.InferenceSpecification?.Containers?.[0]?.ModelDataUrl).toBe(
      `s3://sagemaker-us-east-1-111111111111/${jobName}/output/model.tar.gz`,
    );

    expect(await status(bad)).toBe('Failed');
    const [failed] = await steps(bad);
    expect(failed).toMatchObject({ StepName: 'Register', StepStatus: 'Failed' });
    expect(failed?.FailureReason).toMatch(/Model Package Group missing-group does not exist/);
  });

  it('leave behind the model a Model step creates, for endpoint configs to use', async () => {
    await createPipeline('models', [
      training('Train'),
      {
        Name: 'CreateModel',
        Type: 'Model',
        Arguments: {
          ExecutionRoleArn: PIPELINE_ROLE,
          PrimaryContainer: { Image: 'img:1', ModelDataUrl: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' } },
        },
      },
    ]);
    await t.admin.setScenario({ pipelines: { models: { steps: { '*': { durationSeconds: 3 } } } } });
    const arn = await start('models');
    await seconds(10);
    const [model] = await steps(arn);
    const modelName = model?.Metadata?.Model?.Arn?.split('/')[1] ?? '';
    const described = await sagemaker(t.endpoint, ALICE).send(new DescribeModelCommand({ ModelName: modelName }));
    expect(described.PrimaryContainer).toMatchObject({
      Image: 'img:1',
      ModelDataUrl: expect.stringMatching(/^s3:.*model\.tar\.gz$/),
    });
  });

  it('keep executions per account', async () => {
    await createPipeline('mine', [training('Train')]);
    const arn = await start('mine');
    const prod = sagemaker(t.endpoint, await prodKeys(t.endpoint));
    const error = await rejection(prod.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: arn })));
    expect(error.name).toBe('ResourceNotFound');
  });
});

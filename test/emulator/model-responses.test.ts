/**
 * Every operation the emulator serves, driven once to a successful answer through the real
 * SDK clients, and every answer its handler gave compared with the operation's output shape in
 * AWS's model: required members present, types right, no member the model does not have.
 */
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteLogStreamCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { InvokeEndpointCommand } from '@aws-sdk/client-sagemaker-runtime';
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import {
  CreateBucketCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import {
  AddTagsCommand,
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  CreatePipelineCommand,
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DeleteModelPackageCommand,
  DeleteModelPackageGroupCommand,
  DeleteModelPackageGroupPolicyCommand,
  DeletePipelineCommand,
  DeleteTagsCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  DescribeModelPackageCommand,
  DescribeModelPackageGroupCommand,
  DescribePipelineCommand,
  DescribePipelineDefinitionForExecutionCommand,
  DescribePipelineExecutionCommand,
  DescribeProcessingJobCommand,
  DescribeTrainingJobCommand,
  DescribeTransformJobCommand,
  GetModelPackageGroupPolicyCommand,
  ListEndpointConfigsCommand,
  ListEndpointsCommand,
  ListModelPackageGroupsCommand,
  ListModelPackagesCommand,
  ListModelsCommand,
  ListPipelineExecutionStepsCommand,
  ListPipelineExecutionsCommand,
  ListPipelineParametersForExecutionCommand,
  ListPipelinesCommand,
  ListPipelineVersionsCommand,
  ListTagsCommand,
  PutModelPackageGroupPolicyCommand,
  StartPipelineExecutionCommand,
  RetryPipelineExecutionCommand,
  StopPipelineExecutionCommand,
  UpdateEndpointCommand,
  UpdateModelPackageCommand,
  UpdatePipelineCommand,
} from '@aws-sdk/client-sagemaker';
import { AssumeRoleCommand, AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import {
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  DeleteScheduleGroupCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListScheduleGroupsCommand,
  ListSchedulesCommand,
  ListTagsForResourceCommand as ListScheduleGroupTagsCommand,
  TagResourceCommand as TagScheduleGroupCommand,
  UntagResourceCommand as UntagScheduleGroupCommand,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
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
  ListTagsForResourceCommand as ListRuleTagsCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TagResourceCommand as TagRuleCommand,
  UntagResourceCommand as UntagRuleCommand,
  UpdateApiDestinationCommand,
} from '@aws-sdk/client-eventbridge';
import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTagsForResourceCommand as ListTopicTagsCommand,
  ListTopicsCommand,
  PublishCommand,
  SetTopicAttributesCommand,
  SubscribeCommand,
  TagResourceCommand as TagTopicCommand,
  UnsubscribeCommand,
  UntagResourceCommand as UntagTopicCommand,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorAdmin } from '../../emulator/admin-client.ts';
import { outputProblems } from '../../emulator/models/check-output.ts';
import type { Handler, OperationDefinition } from '../../emulator/registry.ts';
import type { RunningEmulator } from '../../emulator/server.ts';
import { startLocalRegistry, type LocalRegistry } from '../../emulator/services/ecr/local-registry.ts';
import { ecr, logs, s3, sagemaker, sagemakerRuntime, sts } from '../../testkit/clients.ts';
import { keysOf } from '../../testkit/credentials.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { eventBridge, scheduler, sns } from '../../testkit/emulator-events.ts';
import { pushImage, registryClient } from '../../testkit/images.ts';
import { fetchIdToken } from '../../testkit/requests.ts';
import { definition, PIPELINE_ROLE, processing, token, training } from '../../testkit/sagemaker.ts';
import { DEV as A, REPO } from '../../testkit/worlds/accounts.ts';
import { ALICE, ROLE, world } from '../../testkit/worlds/emulator-tests.ts';

/** Operations that never succeed in the emulator, so no answer of theirs can be compared. */
const ALWAYS_REFUSED = new Set(['sts:AssumeRoleWithSAML']);

// One emulator for the file, never reset: what the answers are compared on is gathered across its tests.
const t = useEmulator(world, { fresh: 'once' });
let emulator: RunningEmulator;
let registry: LocalRegistry;
let admin: EmulatorAdmin;
const answers = new Map<string, Record<string, unknown>[]>();

/** Every handler of every service records what it answered, as the encoder receives it. */
function recordAnswers(): void {
  for (const name of emulator.registry.names()) {
    const service = emulator.registry.service(name)!;
    for (const [operation, entry] of Object.entries(service.operations)) {
      const definition: OperationDefinition = typeof entry === 'function' ? { handler: entry } : entry;
      const handler: Handler = async (context) => {
        const output = await definition.handler(context);
        const key = `${name}:${operation}`;
        answers.set(key, [...(answers.get(key) ?? []), output]);
        return output;
      };
      service.operations[operation] = { ...definition, handler };
    }
  }
}

beforeAll(async () => {
  ({ emulator, admin } = t);
  registry = await startLocalRegistry();
  await admin.setEcrRegistry({ account: A, endpoint: registry.endpoint, password: registry.password });
  recordAnswers();
});
afterAll(async () => {
  await registry?.stop();
});

const seconds = (s: number) => admin.advanceClock(s * 1000);

describe('the output check', () => {
  it('finds a missing required member, a wrong type, a wrong enum value and a member the model lacks', () => {
    const good = { PipelineArn: 'arn:aws:sagemaker:us-east-1:111111111111:pipeline/p' };
    expect(outputProblems('sagemaker', 'CreatePipeline', good)).toEqual([]);
    expect(outputProblems('sagemaker', 'CreatePipeline', { ...good, Extra: 1 })).toEqual([
      "Extra: not a member of the model's shape",
    ]);
    expect(outputProblems('sts', 'GetCallerIdentity', { Account: 1 })).toEqual([
      'Account: expected a string (accountType), got 1',
    ]);
    expect(
      outputProblems('sagemaker', 'DescribeEndpoint', {
        EndpointName: 'e',
        EndpointArn: 'arn',
        EndpointStatus: 'Sleeping',
        CreationTime: new Date(),
        LastModifiedTime: new Date(),
      }),
    ).toEqual([
      'EndpointStatus: expected one of OutOfService, Creating, Updating, SystemUpdating, RollingBack, InService, Deleting, Failed, UpdateRollbackFailed (EndpointStatus), got "Sleeping"',
    ]);
    expect(outputProblems('sagemaker', 'DescribeModel', { ModelName: 'm', CreationTime: new Date() })).toEqual([
      'ModelArn: required, missing',
    ]);
  });
});

describe('every answer is shaped as the model says', () => {
  it('STS', async () => {
    await sts(emulator.endpoint, ALICE).send(new GetCallerIdentityCommand({}));
    await sts(emulator.endpoint, ALICE).send(
      new AssumeRoleCommand({
        RoleArn: ROLE.hub,
        RoleSessionName: 'shape',
        Tags: [{ Key: 'Repository', Value: REPO }],
      }),
    );
    const idToken = await fetchIdToken(admin, { repository: REPO, ref: 'refs/heads/main' }, 'sts.amazonaws.com');
    const web = await sts(emulator.endpoint).send(
      new AssumeRoleWithWebIdentityCommand({ RoleArn: ROLE.deploy, RoleSessionName: 'web', WebIdentityToken: idToken }),
    );
    keysOf(web.Credentials);
  });

  it('ECR', async () => {
    const client = ecr(emulator.endpoint, ALICE);
    await client.send(new CreateRepositoryCommand({ repositoryName: 'ml/train' }));
    await client.send(new DescribeRepositoriesCommand({}));
    await client.send(new GetAuthorizationTokenCommand({}));
    const image = await pushImage(registryClient(registry), 'ml/train', { layers: [64], tag: 'v1' });
    await client.send(new DescribeImagesCommand({ repositoryName: 'ml/train' }));
    await client.send(new BatchGetImageCommand({ repositoryName: 'ml/train', imageIds: [{ imageTag: 'v1' }] }));
    await client.send(
      new PutImageCommand({
        repositoryName: 'ml/train',
        imageManifest: image.body.toString('utf8'),
        imageManifestMediaType: image.mediaType,
        imageTag: 'v2',
      }),
    );
  });

  it('S3', async () => {
    const client = s3(emulator.endpoint, ALICE);
    await client.send(new CreateBucketCommand({ Bucket: 'defs' }));
    await client.send(new HeadBucketCommand({ Bucket: 'defs' }));
    await client.send(
      new PutBucketVersioningCommand({ Bucket: 'defs', VersioningConfiguration: { Status: 'Enabled' } }),
    );
    await client.send(new GetBucketVersioningCommand({ Bucket: 'defs' }));
    await client.send(new PutObjectCommand({ Bucket: 'defs', Key: 'p.json', Body: '{}' }));
    await client.send(new HeadObjectCommand({ Bucket: 'defs', Key: 'p.json' }));
    const object = await client.send(new GetObjectCommand({ Bucket: 'defs', Key: 'p.json' }));
    await object.Body?.transformToString();
  });

  it('CloudWatch Logs', async () => {
    const client = logs(emulator.endpoint, ALICE);
    await client.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    await client.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 's' }));
    await client.send(
      new PutLogEventsCommand({
        logGroupName: 'g',
        logStreamName: 's',
        logEvents: [{ timestamp: Date.now(), message: 'hi' }],
      }),
    );
    await client.send(new DescribeLogGroupsCommand({}));
    await client.send(new DescribeLogStreamsCommand({ logGroupName: 'g' }));
    await client.send(new GetLogEventsCommand({ logGroupName: 'g', logStreamName: 's', startFromHead: true }));
    await client.send(new FilterLogEventsCommand({ logGroupName: 'g' }));
    await client.send(new DeleteLogStreamCommand({ logGroupName: 'g', logStreamName: 's' }));
    await client.send(new DeleteLogGroupCommand({ logGroupName: 'g' }));
  });

  it('SageMaker pipelines, executions and jobs', async () => {
    const client = sagemaker(emulator.endpoint, ALICE);
    // Arguments as the SageMaker Python SDK writes them: what the Describe*Job answers echo.
    const steps = [
      processing('Prepare', {
        Arguments: {
          AppSpecification: { ImageUri: 'image' },
          ProcessingResources: {
            ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 30 },
          },
          RoleArn: PIPELINE_ROLE,
        },
      }),
      training('Train', {
        DependsOn: ['Prepare'],
        Arguments: {
          AlgorithmSpecification: { TrainingImage: 'image', TrainingInputMode: 'File' },
          OutputDataConfig: { S3OutputPath: 's3://models/out' },
          ResourceConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 30 },
          StoppingCondition: { MaxRuntimeInSeconds: 86400 },
          RoleArn: PIPELINE_ROLE,
        },
      }),
      {
        Name: 'Score',
        Type: 'Transform',
        DependsOn: ['Train'],
        Arguments: {
          ModelName: 'm',
          TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://data/in' } } },
          TransformOutput: { S3OutputPath: 's3://data/out' },
          TransformResources: { InstanceCount: 1, InstanceType: 'ml.m5.large' },
        },
      },
    ];
    const body = definition(steps, [{ Name: 'Epochs', Type: 'Integer', DefaultValue: 1 }]);
    const created = await client.send(
      new CreatePipelineCommand({
        PipelineName: 'p',
        PipelineDefinition: body,
        RoleArn: PIPELINE_ROLE,
        Tags: [{ Key: 'k', Value: 'v' }],
      }),
    );
    await client.send(new UpdatePipelineCommand({ PipelineName: 'p', PipelineDefinition: body }));
    await client.send(new DescribePipelineCommand({ PipelineName: 'p' }));
    await client.send(new ListPipelinesCommand({}));
    await client.send(new ListPipelineVersionsCommand({ PipelineName: 'p' }));
    await client.send(new AddTagsCommand({ ResourceArn: created.PipelineArn, Tags: [{ Key: 'team', Value: 'ml' }] }));
    await client.send(new ListTagsCommand({ ResourceArn: created.PipelineArn }));
    await client.send(new DeleteTagsCommand({ ResourceArn: created.PipelineArn, TagKeys: ['team'] }));

    const { PipelineExecutionArn: arn } = await client.send(
      new StartPipelineExecutionCommand({
        PipelineName: 'p',
        PipelineExecutionDisplayName: 'run-1',
        PipelineParameters: [{ Name: 'Epochs', Value: '2' }],
        ClientRequestToken: token('shape-run'),
      }),
    );
    await seconds(3600);
    await client.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: arn }));
    await client.send(new ListPipelineExecutionsCommand({ PipelineName: 'p' }));
    const listed = await client.send(new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: arn }));
    await client.send(new DescribePipelineDefinitionForExecutionCommand({ PipelineExecutionArn: arn }));
    await client.send(new ListPipelineParametersForExecutionCommand({ PipelineExecutionArn: arn }));
    const jobName = (jobArn: string | undefined) => jobArn?.split('/')[1] ?? '';
    const meta = (name: string) => listed.PipelineExecutionSteps?.find((s) => s.StepName === name)?.Metadata;
    await client.send(
      new DescribeProcessingJobCommand({ ProcessingJobName: jobName(meta('Prepare')?.ProcessingJob?.Arn) }),
    );
    await client.send(new DescribeTrainingJobCommand({ TrainingJobName: jobName(meta('Train')?.TrainingJob?.Arn) }));
    await client.send(new DescribeTransformJobCommand({ TransformJobName: jobName(meta('Score')?.TransformJob?.Arn) }));

    const { PipelineExecutionArn: running } = await client.send(
      new StartPipelineExecutionCommand({ PipelineName: 'p', ClientRequestToken: token('shape-stop') }),
    );
    await client.send(
      new StopPipelineExecutionCommand({ PipelineExecutionArn: running, ClientRequestToken: token('stop') }),
    );
    await seconds(600);

    // A training step that fails its first run: the retry resumes the execution from it.
    await admin.setScenario({ pipelines: { p: { steps: { Train: { outcome: 'Failed', failFirstRuns: 1 } } } } });
    const { PipelineExecutionArn: failing } = await client.send(
      new StartPipelineExecutionCommand({ PipelineName: 'p', ClientRequestToken: token('shape-retry') }),
    );
    await seconds(3600);
    await client.send(
      new RetryPipelineExecutionCommand({ PipelineExecutionArn: failing, ClientRequestToken: token('retry') }),
    );
    await seconds(3600);
    await client.send(new DeletePipelineCommand({ PipelineName: 'p', ClientRequestToken: token('delete') }));
  });

  it('SageMaker model registry and hosting', async () => {
    const client = sagemaker(emulator.endpoint, ALICE);
    await client.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'churn' }));
    await client.send(new DescribeModelPackageGroupCommand({ ModelPackageGroupName: 'churn' }));
    await client.send(new ListModelPackageGroupsCommand({}));
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Share',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::222222222222:root' },
          Action: ['sagemaker:DescribeModelPackage', 'sagemaker:ListModelPackages'],
          Resource: `arn:aws:sagemaker:us-east-1:${A}:model-package/churn/*`,
        },
      ],
    });
    await client.send(
      new PutModelPackageGroupPolicyCommand({ ModelPackageGroupName: 'churn', ResourcePolicy: policy }),
    );
    await client.send(new GetModelPackageGroupPolicyCommand({ ModelPackageGroupName: 'churn' }));
    await client.send(new DeleteModelPackageGroupPolicyCommand({ ModelPackageGroupName: 'churn' }));
    const image = `${A}.dkr.ecr.us-east-1.amazonaws.com/ml/serve@sha256:${'a'.repeat(64)}`;
    const { ModelPackageArn: packageArn } = await client.send(
      new CreateModelPackageCommand({
        ModelPackageGroupName: 'churn',
        ModelApprovalStatus: 'PendingManualApproval',
        InferenceSpecification: {
          Containers: [{ Image: image, ModelDataUrl: 's3://models/model.tar.gz' }],
          SupportedContentTypes: ['text/csv'],
          SupportedResponseMIMETypes: ['text/csv'],
        },
        CustomerMetadataProperties: { commit: 'abc' },
      }),
    );
    await seconds(60);
    await client.send(new DescribeModelPackageCommand({ ModelPackageName: packageArn }));
    await client.send(new ListModelPackagesCommand({ ModelPackageGroupName: 'churn' }));
    await client.send(
      new UpdateModelPackageCommand({
        ModelPackageArn: packageArn,
        ModelApprovalStatus: 'Approved',
        ApprovalDescription: 'ok',
      }),
    );

    await client.send(
      new CreateModelCommand({
        ModelName: 'm1',
        PrimaryContainer: { Image: image, ModelDataUrl: 's3://models/model.tar.gz' },
        ExecutionRoleArn: PIPELINE_ROLE,
      }),
    );
    await client.send(new DescribeModelCommand({ ModelName: 'm1' }));
    await client.send(new ListModelsCommand({}));
    const variant = {
      VariantName: 'AllTraffic',
      ModelName: 'm1',
      InstanceType: 'ml.m5.large' as const,
      InitialInstanceCount: 1,
    };
    await client.send(new CreateEndpointConfigCommand({ EndpointConfigName: 'c1', ProductionVariants: [variant] }));
    await client.send(new CreateEndpointConfigCommand({ EndpointConfigName: 'c2', ProductionVariants: [variant] }));
    await client.send(new DescribeEndpointConfigCommand({ EndpointConfigName: 'c1' }));
    await client.send(new ListEndpointConfigsCommand({}));
    await client.send(new CreateEndpointCommand({ EndpointName: 'e', EndpointConfigName: 'c1' }));
    await seconds(3600);
    await client.send(new DescribeEndpointCommand({ EndpointName: 'e' }));
    await client.send(new UpdateEndpointCommand({ EndpointName: 'e', EndpointConfigName: 'c2' }));
    await client.send(new DescribeEndpointCommand({ EndpointName: 'e' }));
    await seconds(3600);
    await client.send(new DescribeEndpointCommand({ EndpointName: 'e' }));
    await client.send(new ListEndpointsCommand({}));
    const runtime = sagemakerRuntime(emulator.endpoint, ALICE);
    await runtime.send(new InvokeEndpointCommand({ EndpointName: 'e', Body: '1,2,3', ContentType: 'text/csv' }));
    runtime.destroy();
    await client.send(new DeleteEndpointCommand({ EndpointName: 'e' }));
    await client.send(new DeleteEndpointConfigCommand({ EndpointConfigName: 'c1' }));
    await client.send(new DeleteModelCommand({ ModelName: 'm1' }));
    await client.send(new DeleteModelPackageCommand({ ModelPackageName: packageArn }));
    await client.send(new DeleteModelPackageGroupCommand({ ModelPackageGroupName: 'churn' }));
  });

  it('EventBridge Scheduler', async () => {
    const client = scheduler(emulator.endpoint, ALICE);
    const { ScheduleGroupArn } = await client.send(
      new CreateScheduleGroupCommand({ Name: 'ml', Tags: [{ Key: 'team', Value: 'ml' }] }),
    );
    await client.send(new GetScheduleGroupCommand({ Name: 'ml' }));
    await client.send(new ListScheduleGroupsCommand({}));
    await client.send(
      new TagScheduleGroupCommand({ ResourceArn: ScheduleGroupArn, Tags: [{ Key: 'env', Value: 'prod' }] }),
    );
    await client.send(new ListScheduleGroupTagsCommand({ ResourceArn: ScheduleGroupArn }));
    await client.send(new UntagScheduleGroupCommand({ ResourceArn: ScheduleGroupArn, TagKeys: ['env'] }));
    const schedule = {
      Name: 'nightly',
      GroupName: 'ml',
      ScheduleExpression: 'cron(0 2 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      StartDate: new Date(Date.now() + 3_600_000),
      FlexibleTimeWindow: { Mode: 'FLEXIBLE' as const, MaximumWindowInMinutes: 10 },
      Target: {
        Arn: `arn:aws:sagemaker:us-east-1:${A}:pipeline/p`,
        RoleArn: PIPELINE_ROLE,
        SageMakerPipelineParameters: { PipelineParameterList: [{ Name: 'Epochs', Value: '3' }] },
      },
    };
    await client.send(new CreateScheduleCommand(schedule));
    await client.send(new GetScheduleCommand({ Name: 'nightly', GroupName: 'ml' }));
    await client.send(new UpdateScheduleCommand({ ...schedule, Description: 'nightly scoring', State: 'DISABLED' }));
    await client.send(new ListSchedulesCommand({ GroupName: 'ml' }));
    await client.send(new DeleteScheduleCommand({ Name: 'nightly', GroupName: 'ml' }));
    await client.send(new DeleteScheduleGroupCommand({ Name: 'ml' }));
  });

  it('EventBridge', async () => {
    const client = eventBridge(emulator.endpoint, ALICE);
    const pattern = JSON.stringify({
      source: ['aws.sagemaker'],
      detail: { currentPipelineExecutionStatus: ['Failed'] },
    });
    const { RuleArn } = await client.send(
      new PutRuleCommand({ Name: 'retrain', EventPattern: pattern, Tags: [{ Key: 'team', Value: 'ml' }] }),
    );
    await client.send(new DescribeRuleCommand({ Name: 'retrain' }));
    await client.send(new ListRulesCommand({}));
    await client.send(new DisableRuleCommand({ Name: 'retrain' }));
    await client.send(new EnableRuleCommand({ Name: 'retrain' }));
    await client.send(new TagRuleCommand({ ResourceARN: RuleArn, Tags: [{ Key: 'env', Value: 'prod' }] }));
    await client.send(new ListRuleTagsCommand({ ResourceARN: RuleArn }));
    await client.send(new UntagRuleCommand({ ResourceARN: RuleArn, TagKeys: ['env'] }));
    const { ConnectionArn } = await client.send(
      new CreateConnectionCommand({
        Name: 'github',
        AuthorizationType: 'API_KEY',
        AuthParameters: {
          ApiKeyAuthParameters: { ApiKeyName: 'Authorization', ApiKeyValue: 'Bearer token' },
          InvocationHttpParameters: { HeaderParameters: [{ Key: 'X-Secret', Value: 's', IsValueSecret: true }] },
        },
      }),
    );
    await client.send(new DescribeConnectionCommand({ Name: 'github' }));
    const { ApiDestinationArn } = await client.send(
      new CreateApiDestinationCommand({
        Name: 'dispatch',
        ConnectionArn,
        InvocationEndpoint: 'https://api.github.com/repos/o/r/dispatches',
        HttpMethod: 'POST',
      }),
    );
    await client.send(new DescribeApiDestinationCommand({ Name: 'dispatch' }));
    await client.send(new UpdateApiDestinationCommand({ Name: 'dispatch', InvocationRateLimitPerSecond: 5 }));
    await client.send(
      new PutTargetsCommand({
        Rule: 'retrain',
        Targets: [
          {
            Id: 'train',
            Arn: `arn:aws:sagemaker:us-east-1:${A}:pipeline/p`,
            RoleArn: PIPELINE_ROLE,
            SageMakerPipelineParameters: { PipelineParameterList: [{ Name: 'Epochs', Value: '3' }] },
          },
          {
            Id: 'dispatch',
            Arn: ApiDestinationArn,
            RoleArn: PIPELINE_ROLE,
            InputTransformer: { InputPathsMap: { s: '$.source' }, InputTemplate: '{"source": <s>}' },
          },
        ],
      }),
    );
    await client.send(new ListTargetsByRuleCommand({ Rule: 'retrain' }));
    await client.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'ml.promotion', DetailType: 'Promoted', Detail: '{}' },
          { Source: 'aws.sagemaker', DetailType: 'Spoofed', Detail: '{}' },
        ],
      }),
    );
    await client.send(new RemoveTargetsCommand({ Rule: 'retrain', Ids: ['train', 'dispatch'] }));
    await client.send(new DeleteRuleCommand({ Name: 'retrain' }));
    await client.send(new DeleteApiDestinationCommand({ Name: 'dispatch' }));
    await client.send(new DeleteConnectionCommand({ Name: 'github' }));
  });

  it('SNS', async () => {
    const client = sns(emulator.endpoint, ALICE);
    const { TopicArn } = await client.send(
      new CreateTopicCommand({
        Name: 'alerts',
        Attributes: { DisplayName: 'Alerts' },
        Tags: [{ Key: 'team', Value: 'ml' }],
      }),
    );
    await client.send(new GetTopicAttributesCommand({ TopicArn }));
    await client.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'DisplayName', AttributeValue: 'ML' }));
    await client.send(new ListTopicsCommand({}));
    await client.send(new TagTopicCommand({ ResourceArn: TopicArn, Tags: [{ Key: 'env', Value: 'prod' }] }));
    await client.send(new ListTopicTagsCommand({ ResourceArn: TopicArn }));
    await client.send(new UntagTopicCommand({ ResourceArn: TopicArn, TagKeys: ['env'] }));
    await client.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'ml@example.com' }));
    const request = (await admin.deliveries()).find((d) => d.kind === 'sns' && d.type === 'SubscriptionConfirmation');
    const { SubscriptionArn } = await client.send(
      new ConfirmSubscriptionCommand({ TopicArn, Token: request?.kind === 'sns' ? request.token : '' }),
    );
    await client.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    await client.send(new PublishCommand({ TopicArn, Subject: 'Failed', Message: 'the pipeline failed' }));
    await client.send(new UnsubscribeCommand({ SubscriptionArn }));
    await client.send(new DeleteTopicCommand({ TopicArn }));
  });

  it('every served operation answered, and every answer fits its output shape', () => {
    const unanswered: string[] = [];
    const problems: string[] = [];
    for (const name of emulator.registry.names()) {
      for (const operation of Object.keys(emulator.registry.service(name)!.operations)) {
        const key = `${name}:${operation}`;
        const outputs = answers.get(key) ?? [];
        if (outputs.length === 0 && !ALWAYS_REFUSED.has(key)) unanswered.push(key);
        for (const output of outputs)
          for (const problem of outputProblems(name, operation, output)) problems.push(`${key} ${problem}`);
      }
    }
    expect(unanswered).toEqual([]);
    expect([...new Set(problems)]).toEqual([]);
  });
});

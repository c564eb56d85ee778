import type { ConditionContext } from './conditions.ts';

/**
 * Which IAM actions each operation the emulator serves is authorised as, on which resource
 * ARN, with which request condition keys: the IAM Service Authorization Reference's tables
 * ("Actions, resources, and condition keys for Amazon SageMaker", ... for Amazon ECR,
 * ... for Amazon CloudWatch Logs, ... for Amazon S3, ... for AWS STS, ... for Amazon EventBridge
 * Scheduler, ... for Amazon EventBridge, ... for Amazon SNS), reduced to what the
 * emulator serves. Operations without a resource type are authorised on "*".
 */

export interface Authorization {
  action: string;
  resource: string;
  /** Request keys (aws:RequestTag/…, aws:TagKeys, iam:PassedToService, sts:ExternalId, …). */
  context?: ConditionContext;
}

export interface RequestScope {
  account: string;
  region: string;
  input: Record<string, unknown>;
}

type Rule = (scope: RequestScope) => Authorization[];

const str = (input: Record<string, unknown>, key: string): string | undefined => {
  const value = input[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** aws:RequestTag/<key> and aws:TagKeys from a [{Key, Value}] (or ECR's [{Key, Value}] `tags`) list. */
function requestTags(raw: unknown): ConditionContext {
  if (!Array.isArray(raw) || raw.length === 0) return {};
  const context: ConditionContext = {};
  const keys: string[] = [];
  for (const entry of raw as { Key?: unknown; Value?: unknown }[]) {
    if (typeof entry?.Key !== 'string') continue;
    context[`aws:RequestTag/${entry.Key}`] = String(entry.Value ?? '');
    keys.push(entry.Key);
  }
  context['aws:TagKeys'] = keys;
  return context;
}

const hasTags = (raw: unknown): boolean => Array.isArray(raw) && raw.length > 0;

/** Passing a role to a service is iam:PassRole on that role, with the service as iam:PassedToService. */
function passRole(roleArn: string | undefined, service: string): Authorization[] {
  if (!roleArn) return [];
  return [{ action: 'iam:PassRole', resource: roleArn, context: { 'iam:PassedToService': service } }];
}

// ---- SageMaker: ARNs lower-case the resource name; inputs that take a name or an ARN take either.

const sagemakerArn = (scope: RequestScope, type: string, nameOrArn: string | undefined): string => {
  if (nameOrArn === undefined) return '*';
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  return `arn:aws:sagemaker:${scope.region}:${scope.account}:${type}/${nameOrArn.toLowerCase()}`;
};

function sm(action: string, type: string, field: string): Rule {
  return (scope) => [{ action: `sagemaker:${action}`, resource: sagemakerArn(scope, type, str(scope.input, field)) }];
}

const smAny =
  (action: string): Rule =>
  () => [{ action: `sagemaker:${action}`, resource: '*' }];

/**
 * Create* with Tags: SageMaker also authorises sagemaker:AddTags on the new resource, and the
 * tags are request tags of both.
 */
function smCreate(action: string, type: string, field: string, role?: string): Rule {
  return (scope) => {
    const resource = sagemakerArn(scope, type, str(scope.input, field));
    const context = requestTags(scope.input.Tags);
    return [
      { action: `sagemaker:${action}`, resource, context },
      ...(hasTags(scope.input.Tags) ? [{ action: 'sagemaker:AddTags', resource, context }] : []),
      ...(role ? passRole(str(scope.input, role), 'sagemaker.amazonaws.com') : []),
    ];
  };
}

/** Endpoints are authorised on the endpoint and on the endpoint config they are given. */
function smEndpoint(action: string, create: boolean): Rule {
  return (scope) => {
    const endpoint = sagemakerArn(scope, 'endpoint', str(scope.input, 'EndpointName'));
    const config = sagemakerArn(scope, 'endpoint-config', str(scope.input, 'EndpointConfigName'));
    const context = create ? requestTags(scope.input.Tags) : {};
    return [
      { action: `sagemaker:${action}`, resource: endpoint, context },
      { action: `sagemaker:${action}`, resource: config, context },
      ...(create && hasTags(scope.input.Tags) ? [{ action: 'sagemaker:AddTags', resource: endpoint, context }] : []),
    ];
  };
}

/** A package by name or ARN; an unversioned name is its own model-package ARN. */
const smPackage = (action: string, field: string): Rule => sm(action, 'model-package', field);

const SAGEMAKER: Record<string, Rule> = {
  CreatePipeline: smCreate('CreatePipeline', 'pipeline', 'PipelineName', 'RoleArn'),
  UpdatePipeline: (scope) => [
    ...sm('UpdatePipeline', 'pipeline', 'PipelineName')(scope),
    ...passRole(str(scope.input, 'RoleArn'), 'sagemaker.amazonaws.com'),
  ],
  DescribePipeline: sm('DescribePipeline', 'pipeline', 'PipelineName'),
  ListPipelines: smAny('ListPipelines'),
  ListPipelineVersions: sm('ListPipelineVersions', 'pipeline', 'PipelineName'),
  DeletePipeline: sm('DeletePipeline', 'pipeline', 'PipelineName'),
  StartPipelineExecution: sm('StartPipelineExecution', 'pipeline', 'PipelineName'),
  ListPipelineExecutions: sm('ListPipelineExecutions', 'pipeline', 'PipelineName'),
  DescribePipelineExecution: sm('DescribePipelineExecution', 'pipeline-execution', 'PipelineExecutionArn'),
  ListPipelineExecutionSteps: sm('ListPipelineExecutionSteps', 'pipeline-execution', 'PipelineExecutionArn'),
  StopPipelineExecution: sm('StopPipelineExecution', 'pipeline-execution', 'PipelineExecutionArn'),
  RetryPipelineExecution: sm('RetryPipelineExecution', 'pipeline-execution', 'PipelineExecutionArn'),
  DescribePipelineDefinitionForExecution: sm(
    'DescribePipelineDefinitionForExecution',
    'pipeline-execution',
    'PipelineExecutionArn',
  ),
  ListPipelineParametersForExecution: sm(
    'ListPipelineParametersForExecution',
    'pipeline-execution',
    'PipelineExecutionArn',
  ),
  DescribeTrainingJob: sm('DescribeTrainingJob', 'training-job', 'TrainingJobName'),
  DescribeProcessingJob: sm('DescribeProcessingJob', 'processing-job', 'ProcessingJobName'),
  DescribeTransformJob: sm('DescribeTransformJob', 'transform-job', 'TransformJobName'),
  CreateModelPackageGroup: smCreate('CreateModelPackageGroup', 'model-package-group', 'ModelPackageGroupName'),
  DescribeModelPackageGroup: sm('DescribeModelPackageGroup', 'model-package-group', 'ModelPackageGroupName'),
  ListModelPackageGroups: smAny('ListModelPackageGroups'),
  DeleteModelPackageGroup: sm('DeleteModelPackageGroup', 'model-package-group', 'ModelPackageGroupName'),
  PutModelPackageGroupPolicy: sm('PutModelPackageGroupPolicy', 'model-package-group', 'ModelPackageGroupName'),
  GetModelPackageGroupPolicy: sm('GetModelPackageGroupPolicy', 'model-package-group', 'ModelPackageGroupName'),
  DeleteModelPackageGroupPolicy: sm('DeleteModelPackageGroupPolicy', 'model-package-group', 'ModelPackageGroupName'),
  // A new version has no ARN yet: the group it goes into is what a policy can name.
  CreateModelPackage: smCreate('CreateModelPackage', 'model-package-group', 'ModelPackageGroupName'),
  DescribeModelPackage: smPackage('DescribeModelPackage', 'ModelPackageName'),
  // Listing one group's packages is authorised on the group (what a cross-account group policy grants).
  ListModelPackages: sm('ListModelPackages', 'model-package-group', 'ModelPackageGroupName'),
  UpdateModelPackage: smPackage('UpdateModelPackage', 'ModelPackageArn'),
  DeleteModelPackage: smPackage('DeleteModelPackage', 'ModelPackageName'),
  CreateModel: smCreate('CreateModel', 'model', 'ModelName', 'ExecutionRoleArn'),
  DescribeModel: sm('DescribeModel', 'model', 'ModelName'),
  ListModels: smAny('ListModels'),
  DeleteModel: sm('DeleteModel', 'model', 'ModelName'),
  CreateEndpointConfig: smCreate('CreateEndpointConfig', 'endpoint-config', 'EndpointConfigName'),
  DescribeEndpointConfig: sm('DescribeEndpointConfig', 'endpoint-config', 'EndpointConfigName'),
  ListEndpointConfigs: smAny('ListEndpointConfigs'),
  DeleteEndpointConfig: sm('DeleteEndpointConfig', 'endpoint-config', 'EndpointConfigName'),
  CreateEndpoint: smEndpoint('CreateEndpoint', true),
  UpdateEndpoint: smEndpoint('UpdateEndpoint', false),
  DescribeEndpoint: sm('DescribeEndpoint', 'endpoint', 'EndpointName'),
  ListEndpoints: smAny('ListEndpoints'),
  DeleteEndpoint: sm('DeleteEndpoint', 'endpoint', 'EndpointName'),
  AddTags: (scope) => [
    {
      action: 'sagemaker:AddTags',
      resource: str(scope.input, 'ResourceArn') ?? '*',
      context: requestTags(scope.input.Tags),
    },
  ],
  ListTags: (scope) => [{ action: 'sagemaker:ListTags', resource: str(scope.input, 'ResourceArn') ?? '*' }],
  DeleteTags: (scope) => {
    const keys = Array.isArray(scope.input.TagKeys) ? scope.input.TagKeys.map(String) : [];
    return [
      {
        action: 'sagemaker:DeleteTags',
        resource: str(scope.input, 'ResourceArn') ?? '*',
        context: keys.length > 0 ? { 'aws:TagKeys': keys } : {},
      },
    ];
  },
};

// ---- SageMaker Runtime signs as sagemaker: InvokeEndpoint is sagemaker:InvokeEndpoint on the endpoint.

const SAGEMAKER_RUNTIME: Record<string, Rule> = {
  InvokeEndpoint: sm('InvokeEndpoint', 'endpoint', 'EndpointName'),
};

// ---- ECR: repositories live in the registry (account) registryId names, the caller's by default.

function repositoryArn(scope: RequestScope, name: string | undefined): string {
  const registry = str(scope.input, 'registryId') ?? scope.account;
  return `arn:aws:ecr:${scope.region}:${registry}:repository/${name ?? '*'}`;
}

const ecrRepository =
  (action: string): Rule =>
  (scope) => [{ action: `ecr:${action}`, resource: repositoryArn(scope, str(scope.input, 'repositoryName')) }];

const ECR: Record<string, Rule> = {
  // Tags given at creation are applied with ecr:TagResource, which ECR authorises too.
  CreateRepository: (scope) => {
    const resource = repositoryArn(scope, str(scope.input, 'repositoryName'));
    const context = requestTags(scope.input.tags);
    return [
      { action: 'ecr:CreateRepository', resource, context },
      ...(hasTags(scope.input.tags) ? [{ action: 'ecr:TagResource', resource, context }] : []),
    ];
  },
  DescribeRepositories: (scope) => {
    const names = Array.isArray(scope.input.repositoryNames) ? scope.input.repositoryNames.map(String) : [];
    if (names.length === 0) return [{ action: 'ecr:DescribeRepositories', resource: repositoryArn(scope, undefined) }];
    return names.map((name) => ({ action: 'ecr:DescribeRepositories', resource: repositoryArn(scope, name) }));
  },
  GetAuthorizationToken: () => [{ action: 'ecr:GetAuthorizationToken', resource: '*' }],
  DescribeImages: ecrRepository('DescribeImages'),
  BatchGetImage: ecrRepository('BatchGetImage'),
  PutImage: ecrRepository('PutImage'),
  // The registry API, authorised by the registry gate (services/ecr/registry-gate.ts) as ECR does.
  BatchCheckLayerAvailability: ecrRepository('BatchCheckLayerAvailability'),
  GetDownloadUrlForLayer: ecrRepository('GetDownloadUrlForLayer'),
  InitiateLayerUpload: ecrRepository('InitiateLayerUpload'),
  UploadLayerPart: ecrRepository('UploadLayerPart'),
  CompleteLayerUpload: ecrRepository('CompleteLayerUpload'),
  BatchDeleteImage: ecrRepository('BatchDeleteImage'),
  ListImages: ecrRepository('ListImages'),
};

// ---- CloudWatch Logs: log-group ARNs without the ":*" DescribeLogGroups shows.

function logGroupName(input: Record<string, unknown>): string | undefined {
  const identifier = str(input, 'logGroupIdentifier');
  if (identifier?.startsWith('arn:')) return /:log-group:([^:]+)/.exec(identifier)?.[1];
  return str(input, 'logGroupName') ?? identifier;
}

const logGroupArn = (scope: RequestScope, name: string | undefined) =>
  `arn:aws:logs:${scope.region}:${scope.account}:log-group:${name ?? '*'}`;

const logsGroup =
  (action: string): Rule =>
  (scope) => [{ action: `logs:${action}`, resource: logGroupArn(scope, logGroupName(scope.input)) }];

const LOGS: Record<string, Rule> = {
  CreateLogGroup: (scope) => [
    {
      action: 'logs:CreateLogGroup',
      resource: logGroupArn(scope, logGroupName(scope.input)),
      context: requestTags(
        Object.entries((scope.input.tags as Record<string, string> | undefined) ?? {}).map(([Key, Value]) => ({
          Key,
          Value,
        })),
      ),
    },
  ],
  DeleteLogGroup: logsGroup('DeleteLogGroup'),
  CreateLogStream: logsGroup('CreateLogStream'),
  DeleteLogStream: logsGroup('DeleteLogStream'),
  PutLogEvents: (scope) => [
    {
      action: 'logs:PutLogEvents',
      resource: `${logGroupArn(scope, logGroupName(scope.input))}:log-stream:${str(scope.input, 'logStreamName') ?? '*'}`,
    },
  ],
  DescribeLogGroups: (scope) => [{ action: 'logs:DescribeLogGroups', resource: logGroupArn(scope, '*') }],
  DescribeLogStreams: logsGroup('DescribeLogStreams'),
  GetLogEvents: logsGroup('GetLogEvents'),
  FilterLogEvents: logsGroup('FilterLogEvents'),
};

// ---- S3: bucket and object ARNs carry no account or region.

const bucketArn = (scope: RequestScope) => `arn:aws:s3:::${str(scope.input, 'Bucket') ?? '*'}`;
const objectArn = (scope: RequestScope) => `${bucketArn(scope)}/${str(scope.input, 'Key') ?? '*'}`;

const S3: Record<string, Rule> = {
  CreateBucket: (scope) => [{ action: 's3:CreateBucket', resource: bucketArn(scope) }],
  // HeadBucket has no action of its own: it is authorised as s3:ListBucket.
  HeadBucket: (scope) => [{ action: 's3:ListBucket', resource: bucketArn(scope) }],
  PutBucketVersioning: (scope) => [{ action: 's3:PutBucketVersioning', resource: bucketArn(scope) }],
  GetBucketVersioning: (scope) => [{ action: 's3:GetBucketVersioning', resource: bucketArn(scope) }],
  PutObject: (scope) => [{ action: 's3:PutObject', resource: objectArn(scope) }],
  GetObject: (scope) => [{ action: 's3:GetObject', resource: objectArn(scope) }],
  // HeadObject is authorised as s3:GetObject.
  HeadObject: (scope) => [{ action: 's3:GetObject', resource: objectArn(scope) }],
};

// ---- STS: GetCallerIdentity needs no permission (it works even under an explicit deny).

const STS: Record<string, Rule> = {
  GetCallerIdentity: () => [],
  AssumeRole: (scope) => {
    const resource = str(scope.input, 'RoleArn') ?? '*';
    const context: ConditionContext = {
      ...requestTags(scope.input.Tags),
      'sts:ExternalId': str(scope.input, 'ExternalId'),
      'sts:RoleSessionName': str(scope.input, 'RoleSessionName'),
      'sts:SourceIdentity': str(scope.input, 'SourceIdentity'),
      ...(Array.isArray(scope.input.TransitiveTagKeys) && scope.input.TransitiveTagKeys.length > 0
        ? { 'sts:TransitiveTagKeys': scope.input.TransitiveTagKeys.map(String) }
        : {}),
    };
    const tagged = hasTags(scope.input.Tags) || hasTags(scope.input.TransitiveTagKeys);
    return [
      { action: 'sts:AssumeRole', resource, context },
      ...(tagged ? [{ action: 'sts:TagSession', resource, context }] : []),
      ...(str(scope.input, 'SourceIdentity') ? [{ action: 'sts:SetSourceIdentity', resource, context }] : []),
    ];
  },
};

// ---- EventBridge Scheduler: schedules live in a group ("default" when none is named).

const scheduleArn = (scope: RequestScope) =>
  `arn:aws:scheduler:${scope.region}:${scope.account}:schedule/${str(scope.input, 'GroupName') ?? 'default'}/${str(scope.input, 'Name') ?? '*'}`;
const scheduleGroupArn = (scope: RequestScope) =>
  `arn:aws:scheduler:${scope.region}:${scope.account}:schedule-group/${str(scope.input, 'Name') ?? '*'}`;

const targetRole = (input: Record<string, unknown>): string | undefined => {
  const target = input.Target as Record<string, unknown> | undefined;
  return target ? str(target, 'RoleArn') : undefined;
};

/** A schedule's target role is passed to Scheduler, which assumes it at every invocation. */
const schedule =
  (action: string, passes = false): Rule =>
  (scope) => [
    { action: `scheduler:${action}`, resource: scheduleArn(scope) },
    ...(passes ? passRole(targetRole(scope.input), 'scheduler.amazonaws.com') : []),
  ];

const schedulerTagged =
  (action: string): Rule =>
  (scope) => [
    {
      action: `scheduler:${action}`,
      resource: str(scope.input, 'ResourceArn') ?? '*',
      context:
        action === 'TagResource'
          ? requestTags(scope.input.Tags)
          : action === 'UntagResource' && Array.isArray(scope.input.TagKeys)
            ? { 'aws:TagKeys': scope.input.TagKeys.map(String) }
            : {},
    },
  ];

const SCHEDULER: Record<string, Rule> = {
  CreateSchedule: schedule('CreateSchedule', true),
  UpdateSchedule: schedule('UpdateSchedule', true),
  GetSchedule: schedule('GetSchedule'),
  DeleteSchedule: schedule('DeleteSchedule'),
  ListSchedules: () => [{ action: 'scheduler:ListSchedules', resource: '*' }],
  // Tagging at creation takes scheduler:TagResource as well.
  CreateScheduleGroup: (scope) => {
    const resource = scheduleGroupArn(scope);
    const context = requestTags(scope.input.Tags);
    return [
      { action: 'scheduler:CreateScheduleGroup', resource, context },
      ...(hasTags(scope.input.Tags) ? [{ action: 'scheduler:TagResource', resource, context }] : []),
    ];
  },
  GetScheduleGroup: (scope) => [{ action: 'scheduler:GetScheduleGroup', resource: scheduleGroupArn(scope) }],
  DeleteScheduleGroup: (scope) => [{ action: 'scheduler:DeleteScheduleGroup', resource: scheduleGroupArn(scope) }],
  ListScheduleGroups: () => [{ action: 'scheduler:ListScheduleGroups', resource: '*' }],
  TagResource: schedulerTagged('TagResource'),
  UntagResource: schedulerTagged('UntagResource'),
  ListTagsForResource: schedulerTagged('ListTagsForResource'),
};

// ---- EventBridge: rules on the default bus are rule/NAME, on another bus rule/BUS/NAME.

function busName(input: Record<string, unknown>): string {
  const bus = str(input, 'EventBusName') ?? 'default';
  return bus.startsWith('arn:') ? bus.slice(bus.lastIndexOf('/') + 1) : bus;
}

function ruleArn(scope: RequestScope, field: 'Name' | 'Rule'): string {
  const bus = busName(scope.input);
  return `arn:aws:events:${scope.region}:${scope.account}:rule/${bus === 'default' ? '' : `${bus}/`}${str(scope.input, field) ?? '*'}`;
}

const eventsRule =
  (action: string, field: 'Name' | 'Rule' = 'Name'): Rule =>
  (scope) => [{ action: `events:${action}`, resource: ruleArn(scope, field) }];

const eventsNamed =
  (action: string, type: 'connection' | 'api-destination'): Rule =>
  (scope) => [
    {
      action: `events:${action}`,
      resource: `arn:aws:events:${scope.region}:${scope.account}:${type}/${str(scope.input, 'Name') ?? '*'}`,
    },
  ];

const eventsTagged =
  (action: string): Rule =>
  (scope) => [
    {
      action: `events:${action}`,
      resource: str(scope.input, 'ResourceARN') ?? '*',
      context:
        action === 'TagResource'
          ? requestTags(scope.input.Tags)
          : action === 'UntagResource' && Array.isArray(scope.input.TagKeys)
            ? { 'aws:TagKeys': scope.input.TagKeys.map(String) }
            : {},
    },
  ];

const EVENTS: Record<string, Rule> = {
  PutRule: (scope) => {
    const resource = ruleArn(scope, 'Name');
    const context = requestTags(scope.input.Tags);
    return [
      { action: 'events:PutRule', resource, context },
      ...(hasTags(scope.input.Tags) ? [{ action: 'events:TagResource', resource, context }] : []),
      ...passRole(str(scope.input, 'RoleArn'), 'events.amazonaws.com'),
    ];
  },
  DescribeRule: eventsRule('DescribeRule'),
  DeleteRule: eventsRule('DeleteRule'),
  EnableRule: eventsRule('EnableRule'),
  DisableRule: eventsRule('DisableRule'),
  ListRules: () => [{ action: 'events:ListRules', resource: '*' }],
  // Each target's role is passed to EventBridge, which assumes it to invoke the target.
  PutTargets: (scope) => [
    { action: 'events:PutTargets', resource: ruleArn(scope, 'Rule') },
    ...(Array.isArray(scope.input.Targets) ? scope.input.Targets : []).flatMap((target) =>
      passRole(str(target as Record<string, unknown>, 'RoleArn'), 'events.amazonaws.com'),
    ),
  ],
  RemoveTargets: eventsRule('RemoveTargets', 'Rule'),
  ListTargetsByRule: eventsRule('ListTargetsByRule', 'Rule'),
  PutEvents: (scope) => {
    const entries = Array.isArray(scope.input.Entries) ? (scope.input.Entries as Record<string, unknown>[]) : [];
    const buses = new Set(entries.map((entry) => busName(entry)));
    return [...buses].map((bus) => ({
      action: 'events:PutEvents',
      resource: `arn:aws:events:${scope.region}:${scope.account}:event-bus/${bus}`,
    }));
  },
  TagResource: eventsTagged('TagResource'),
  UntagResource: eventsTagged('UntagResource'),
  ListTagsForResource: eventsTagged('ListTagsForResource'),
  CreateConnection: eventsNamed('CreateConnection', 'connection'),
  DescribeConnection: eventsNamed('DescribeConnection', 'connection'),
  DeleteConnection: eventsNamed('DeleteConnection', 'connection'),
  CreateApiDestination: eventsNamed('CreateApiDestination', 'api-destination'),
  DescribeApiDestination: eventsNamed('DescribeApiDestination', 'api-destination'),
  UpdateApiDestination: eventsNamed('UpdateApiDestination', 'api-destination'),
  DeleteApiDestination: eventsNamed('DeleteApiDestination', 'api-destination'),
};

// ---- SNS: topics are arn:aws:sns:REGION:ACCOUNT:NAME; a subscription's ARN is its topic's plus an id.

const snsTopic =
  (action: string, field = 'TopicArn'): Rule =>
  (scope) => [{ action: `sns:${action}`, resource: str(scope.input, field) ?? '*' }];

const SNS: Record<string, Rule> = {
  // Tagging at creation takes sns:TagResource as well.
  CreateTopic: (scope) => {
    const resource = `arn:aws:sns:${scope.region}:${scope.account}:${str(scope.input, 'Name') ?? '*'}`;
    const context = requestTags(scope.input.Tags);
    return [
      { action: 'sns:CreateTopic', resource, context },
      ...(hasTags(scope.input.Tags) ? [{ action: 'sns:TagResource', resource, context }] : []),
    ];
  },
  DeleteTopic: snsTopic('DeleteTopic'),
  GetTopicAttributes: snsTopic('GetTopicAttributes'),
  SetTopicAttributes: snsTopic('SetTopicAttributes'),
  ListTopics: () => [{ action: 'sns:ListTopics', resource: '*' }],
  Subscribe: snsTopic('Subscribe'),
  ConfirmSubscription: snsTopic('ConfirmSubscription'),
  Unsubscribe: (scope) => {
    const arn = str(scope.input, 'SubscriptionArn') ?? '*';
    return [{ action: 'sns:Unsubscribe', resource: arn === '*' ? arn : arn.slice(0, arn.lastIndexOf(':')) }];
  },
  ListSubscriptionsByTopic: snsTopic('ListSubscriptionsByTopic'),
  Publish: (scope) => [
    { action: 'sns:Publish', resource: str(scope.input, 'TopicArn') ?? str(scope.input, 'TargetArn') ?? '*' },
  ],
  TagResource: (scope) => [
    {
      action: 'sns:TagResource',
      resource: str(scope.input, 'ResourceArn') ?? '*',
      context: requestTags(scope.input.Tags),
    },
  ],
  UntagResource: (scope) => [
    {
      action: 'sns:UntagResource',
      resource: str(scope.input, 'ResourceArn') ?? '*',
      context: Array.isArray(scope.input.TagKeys) ? { 'aws:TagKeys': scope.input.TagKeys.map(String) } : {},
    },
  ],
  ListTagsForResource: snsTopic('ListTagsForResource', 'ResourceArn'),
};

const RULES: Record<string, Record<string, Rule>> = {
  sagemaker: SAGEMAKER,
  'sagemaker-runtime': SAGEMAKER_RUNTIME,
  ecr: ECR,
  logs: LOGS,
  s3: S3,
  sts: STS,
  scheduler: SCHEDULER,
  events: EVENTS,
  sns: SNS,
};

/** undefined when the emulator has no rule for the operation: the caller refuses such a request. */
export function authorizationsFor(
  service: string,
  operation: string,
  scope: RequestScope,
): Authorization[] | undefined {
  const rule = RULES[service]?.[operation];
  return rule ? rule(scope) : undefined;
}

/** Every operation a rule exists for, as service:Operation: what a test compares with the services served. */
export function authorizedOperations(): string[] {
  return Object.entries(RULES).flatMap(([service, rules]) => Object.keys(rules).map((op) => `${service}:${op}`));
}

/**
 * Writes src/runtime/aws-constraints.generated.ts: the constraints AWS's published models
 * (aws-models/) put on the values the actions send, for the few members they send, so the
 * actions refuse a bad value before any AWS call with AWS's own limits — and the bundles
 * carry a few kilobytes of rules instead of megabytes of models.
 *
 *   node scripts/generate-constraints.ts           writes the module
 *   node scripts/generate-constraints.ts --check   fails when the committed module is stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { javaPatternToJs } from '../emulator/models/pattern.ts';
import {
  MODELS_DIR,
  serviceModel,
  shapeOf,
  type MemberRef,
  type ServiceModel,
} from '../emulator/models/service-model.ts';

/** Which member of which operation each rule comes from; `[]` steps into a list's members, `{key}`/`{value}` into a map's. */
const MEMBERS = {
  pipelineName: ['sagemaker', 'CreatePipeline', 'PipelineName'],
  pipelineNameOrArn: ['sagemaker', 'StartPipelineExecution', 'PipelineName'],
  pipelineDescription: ['sagemaker', 'CreatePipeline', 'PipelineDescription'],
  pipelineDisplayName: ['sagemaker', 'CreatePipeline', 'PipelineDisplayName'],
  pipelineRoleArn: ['sagemaker', 'CreatePipeline', 'RoleArn'],
  pipelineParallelism: ['sagemaker', 'CreatePipeline', 'ParallelismConfiguration.MaxParallelExecutionSteps'],
  executionDisplayName: ['sagemaker', 'StartPipelineExecution', 'PipelineExecutionDisplayName'],
  executionDescription: ['sagemaker', 'StartPipelineExecution', 'PipelineExecutionDescription'],
  executionArn: ['sagemaker', 'DescribePipelineExecution', 'PipelineExecutionArn'],
  executionToken: ['sagemaker', 'StartPipelineExecution', 'ClientRequestToken'],
  parameterName: ['sagemaker', 'StartPipelineExecution', 'PipelineParameters.[].Name'],
  parameterValue: ['sagemaker', 'StartPipelineExecution', 'PipelineParameters.[].Value'],
  parameters: ['sagemaker', 'StartPipelineExecution', 'PipelineParameters'],
  parallelism: ['sagemaker', 'StartPipelineExecution', 'ParallelismConfiguration.MaxParallelExecutionSteps'],
  pipelineVersionId: ['sagemaker', 'StartPipelineExecution', 'PipelineVersionId'],
  endpointName: ['sagemaker', 'CreateEndpoint', 'EndpointName'],
  endpointConfigName: ['sagemaker', 'CreateEndpointConfig', 'EndpointConfigName'],
  modelName: ['sagemaker', 'CreateModel', 'ModelName'],
  modelRoleArn: ['sagemaker', 'CreateModel', 'ExecutionRoleArn'],
  variantName: ['sagemaker', 'CreateEndpointConfig', 'ProductionVariants.[].VariantName'],
  instanceType: ['sagemaker', 'CreateEndpointConfig', 'ProductionVariants.[].InstanceType'],
  instanceCount: ['sagemaker', 'CreateEndpointConfig', 'ProductionVariants.[].InitialInstanceCount'],
  rollbackAlarms: ['sagemaker', 'CreateEndpoint', 'DeploymentConfig.AutoRollbackConfiguration.Alarms'],
  alarmName: ['sagemaker', 'CreateEndpoint', 'DeploymentConfig.AutoRollbackConfiguration.Alarms.[].AlarmName'],
  modelPackageGroupName: ['sagemaker', 'CreateModelPackageGroup', 'ModelPackageGroupName'],
  modelPackageGroupNameOrArn: ['sagemaker', 'ListModelPackages', 'ModelPackageGroupName'],
  modelPackageArn: ['sagemaker', 'UpdateModelPackage', 'ModelPackageArn'],
  approvalDescription: ['sagemaker', 'UpdateModelPackage', 'ApprovalDescription'],
  sagemakerTags: ['sagemaker', 'AddTags', 'Tags'],
  sagemakerTagKey: ['sagemaker', 'AddTags', 'Tags.[].Key'],
  sagemakerTagValue: ['sagemaker', 'AddTags', 'Tags.[].Value'],
  ecrRepositoryName: ['ecr', 'CreateRepository', 'repositoryName'],
  roleSessionName: ['sts', 'AssumeRole', 'RoleSessionName'],
  externalId: ['sts', 'AssumeRole', 'ExternalId'],
  sessionTagKey: ['sts', 'AssumeRole', 'Tags.[].Key'],
  sessionTagValue: ['sts', 'AssumeRole', 'Tags.[].Value'],
  ecrImageTag: ['ecr', 'PutImage', 'imageTag'],
  containerImage: ['sagemaker', 'CreateModel', 'PrimaryContainer.Image'],
  modelDataUrl: ['sagemaker', 'CreateModel', 'PrimaryContainer.ModelDataUrl'],
  containerEnvironment: ['sagemaker', 'CreateModel', 'PrimaryContainer.Environment'],
  environmentName: ['sagemaker', 'CreateModel', 'PrimaryContainer.Environment.{key}'],
  environmentValue: ['sagemaker', 'CreateModel', 'PrimaryContainer.Environment.{value}'],
  scheduleName: ['scheduler', 'CreateSchedule', 'Name'],
  scheduleGroupName: ['scheduler', 'CreateScheduleGroup', 'Name'],
  scheduleExpression: ['scheduler', 'CreateSchedule', 'ScheduleExpression'],
  scheduleTimezone: ['scheduler', 'CreateSchedule', 'ScheduleExpressionTimezone'],
  scheduleDescription: ['scheduler', 'CreateSchedule', 'Description'],
  scheduleState: ['scheduler', 'CreateSchedule', 'State'],
  scheduleRoleArn: ['scheduler', 'CreateSchedule', 'Target.RoleArn'],
  scheduleParameters: ['scheduler', 'CreateSchedule', 'Target.SageMakerPipelineParameters.PipelineParameterList'],
  scheduleParameterName: [
    'scheduler',
    'CreateSchedule',
    'Target.SageMakerPipelineParameters.PipelineParameterList.[].Name',
  ],
  scheduleParameterValue: [
    'scheduler',
    'CreateSchedule',
    'Target.SageMakerPipelineParameters.PipelineParameterList.[].Value',
  ],
  ruleName: ['events', 'PutRule', 'Name'],
  eventPattern: ['events', 'PutRule', 'EventPattern'],
  ruleDescription: ['events', 'PutRule', 'Description'],
  ruleState: ['events', 'PutRule', 'State'],
  ruleParameters: ['events', 'PutTargets', 'Targets.[].SageMakerPipelineParameters.PipelineParameterList'],
  ruleParameterName: ['events', 'PutTargets', 'Targets.[].SageMakerPipelineParameters.PipelineParameterList.[].Name'],
  ruleParameterValue: ['events', 'PutTargets', 'Targets.[].SageMakerPipelineParameters.PipelineParameterList.[].Value'],
} as const satisfies Record<string, readonly [string, string, string]>;

interface Rule {
  /** Where AWS states it: "SageMaker CreatePipeline PipelineName". */
  source: string;
  shape: string;
  type: string;
  min?: number;
  max?: number;
  /** The model's pattern as AWS prints it, and (when it differs) the same as a JavaScript `u` RegExp source. */
  pattern?: string;
  jsPattern?: string;
  enum?: string[];
}

function memberRef(model: ServiceModel, operation: string, path: string): MemberRef {
  const op = model.operations[operation];
  if (!op?.input) throw new Error(`${model.metadata.serviceId} has no operation ${operation} with an input`);
  let ref: MemberRef = { shape: op.input.shape };
  for (const step of path.split('.')) {
    const shape = shapeOf(model, ref.shape);
    const next =
      step === '[]'
        ? shape.member
        : step === '{key}'
          ? shape.key
          : step === '{value}'
            ? shape.value
            : shape.members?.[step];
    if (!next) throw new Error(`${model.metadata.serviceId} ${operation}: no member ${step} in ${ref.shape}`);
    ref = next;
  }
  return ref;
}

/** A service the emulator does not serve is still read from its published model, aws-models/<service>.json. */
function modelOf(service: string): ServiceModel {
  const model = serviceModel(service);
  if (model) return model;
  try {
    return JSON.parse(readFileSync(new URL(`${service}.json`, MODELS_DIR), 'utf8')) as ServiceModel;
  } catch {
    throw new Error(`no model for ${service}`);
  }
}

function ruleOf([service, operation, path]: readonly [string, string, string]): Rule {
  const model = modelOf(service);
  const ref = memberRef(model, operation, path);
  const shape = shapeOf(model, ref.shape);
  const member = path.replace(/\.\[\]/g, '[]').replace(/\.\{(key|value)\}/g, ' ($1)');
  return {
    source: `${model.metadata.serviceId} ${operation} ${member}`,
    shape: ref.shape,
    type: shape.type,
    ...(shape.min !== undefined ? { min: shape.min } : {}),
    ...(shape.max !== undefined ? { max: shape.max } : {}),
    ...(shape.pattern !== undefined ? { pattern: shape.pattern } : {}),
    // Only where JavaScript needs another spelling of the same pattern.
    ...(shape.pattern !== undefined && javaPatternToJs(shape.pattern) !== shape.pattern
      ? { jsPattern: javaPatternToJs(shape.pattern) }
      : {}),
    ...(shape.enum !== undefined ? { enum: shape.enum } : {}),
  };
}

export const OUTPUT = new URL('../src/runtime/aws-constraints.generated.ts', import.meta.url);

export async function generatedModule(): Promise<string> {
  const rules = Object.fromEntries(Object.entries(MEMBERS).map(([name, member]) => [name, ruleOf(member)]));
  const text =
    '// Generated by scripts/generate-constraints.ts from aws-models/ (AWS service models, Apache-2.0). Do not edit.\n' +
    '// `npm run lint` fails when this file differs from what the models give.\n\n' +
    `export const AWS_CONSTRAINTS = ${JSON.stringify(rules, null, 2)} as const;\n`;
  const options = (await resolveConfig(OUTPUT)) ?? {};
  return format(text, { ...options, filepath: OUTPUT.pathname });
}

async function main(): Promise<void> {
  const text = await generatedModule();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(OUTPUT, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== text) {
      console.error(`${OUTPUT.pathname} is stale: run node scripts/generate-constraints.ts`);
      process.exit(1);
    }
    return;
  }
  writeFileSync(OUTPUT, text);
  console.log(`wrote ${OUTPUT.pathname}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();

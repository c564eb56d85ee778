import { AwsError } from '../../errors.ts';
import { actAsRole, isRefusal, resourcePolicyAllowsService } from '../../iam/service-roles.ts';
import type { EmulatorState } from '../../state.ts';
import type { TargetInvocation, TargetType } from '../../types.ts';
import { startExecution } from '../sagemaker/executions.ts';
import { findTopic, publish, topicPolicy } from '../sns/store.ts';

/**
 * The targets EventBridge rules and EventBridge Scheduler schedules share, invoked as AWS
 * invokes them: a SageMaker pipeline is started as the target's role (which must trust the
 * invoking service and may StartPipelineExecution on the pipeline); an SNS topic is published
 * to as the schedule's role, or, for a rule, on the strength of the topic's policy allowing the
 * service. Whatever happens is recorded in the delivery log; nothing is thrown back at the
 * service that invoked, as on AWS, where a failed invocation is a metric and a dead letter.
 */

export interface InvocationSource {
  invoker: 'events' | 'scheduler';
  /** The service principal acting: events.amazonaws.com or scheduler.amazonaws.com. */
  service: string;
  /** The rule or schedule. */
  sourceArn: string;
  account: string;
  /** Simulated ms of the invocation. */
  time: number;
  targetId: string | null;
  eventId: string | null;
}

type Details = Pick<TargetInvocation, 'pipelineExecutionArn' | 'pipelineParameters' | 'messageId' | 'request'>;

export interface TargetCall {
  arn: string;
  roleArn: string | undefined;
  /** What the target is given (an SNS message, an HTTP body), or null when it takes none. */
  input: string | null;
}

export function targetTypeOf(arn: string): TargetType {
  if (/^arn:aws[a-z-]*:sagemaker:[^:]*:\d{12}:pipeline\//.test(arn)) return 'sagemaker-pipeline';
  if (/^arn:aws[a-z-]*:sns:[^:]*:\d{12}:[^:]+$/.test(arn)) return 'sns-topic';
  if (/^arn:aws[a-z-]*:events:[^:]*:\d{12}:api-destination\//.test(arn)) return 'api-destination';
  return 'unsupported';
}

export function recordInvocation(
  state: EmulatorState,
  source: InvocationSource,
  call: TargetCall,
  outcome: { code: string; message: string } | Details,
): void {
  const failed = 'code' in outcome;
  state.deliveries.record({
    kind: 'invocation',
    time: new Date(source.time).toISOString(),
    invoker: source.invoker,
    sourceArn: source.sourceArn,
    targetId: source.targetId,
    targetArn: call.arn,
    targetType: targetTypeOf(call.arn),
    roleArn: call.roleArn ?? null,
    eventId: source.eventId,
    outcome: failed ? 'failed' : 'succeeded',
    errorCode: failed ? outcome.code : null,
    errorMessage: failed ? outcome.message : null,
    input: call.input,
    ...(failed ? {} : outcome),
  });
}

const PIPELINE_ARN = /^arn:aws[a-z-]*:sagemaker:([a-z0-9-]+):(\d{12}):pipeline\/([^/]+)$/;

export function invokePipeline(
  state: EmulatorState,
  source: InvocationSource,
  call: TargetCall,
  parameters: { Name: string; Value: string }[],
): void {
  const match = PIPELINE_ARN.exec(call.arn);
  if (!match) {
    recordInvocation(state, source, call, { code: 'ValidationException', message: `Invalid pipeline ARN ${call.arn}` });
    return;
  }
  const [, region = '', account = '', name = ''] = match;
  if (!call.roleArn) {
    recordInvocation(state, source, call, {
      code: 'ValidationException',
      message: 'A SageMaker pipeline target needs a RoleArn.',
    });
    return;
  }
  const session = actAsRole(state, {
    service: source.service,
    roleArn: call.roleArn,
    action: 'sagemaker:StartPipelineExecution',
    resource: `arn:aws:sagemaker:${region}:${account}:pipeline/${name.toLowerCase()}`,
    sourceArn: source.sourceArn,
    sourceAccount: source.account,
  });
  if (isRefusal(session)) {
    recordInvocation(state, source, call, session);
    return;
  }
  try {
    const executionArn = startExecution(
      state,
      { account, region },
      {
        pipeline: name,
        parameters,
        createdBy: { IamIdentity: { Arn: session.arn } },
        time: source.time,
      },
    );
    recordInvocation(state, source, call, { pipelineExecutionArn: executionArn, pipelineParameters: parameters });
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    recordInvocation(state, source, call, { code: error.code, message: error.message });
  }
}

export function invokeTopic(state: EmulatorState, source: InvocationSource, call: TargetCall): void {
  const topic = findTopic(state, call.arn);
  if (!topic) {
    recordInvocation(state, source, call, { code: 'NotFound', message: 'Topic does not exist' });
    return;
  }
  if (call.roleArn) {
    const session = actAsRole(state, {
      service: source.service,
      roleArn: call.roleArn,
      action: 'sns:Publish',
      resource: topic.arn,
      sourceArn: source.sourceArn,
      sourceAccount: source.account,
    });
    if (isRefusal(session)) {
      recordInvocation(state, source, call, session);
      return;
    }
  } else {
    const allowed = resourcePolicyAllowsService(topicPolicy(topic), {
      service: source.service,
      action: 'sns:Publish',
      resource: topic.arn,
      sourceArn: source.sourceArn,
      sourceAccount: source.account,
    });
    if (!allowed) {
      recordInvocation(state, source, call, {
        code: 'AuthorizationError',
        message: `${source.service} is not authorized to perform: SNS:Publish on resource: ${topic.arn}`,
      });
      return;
    }
  }
  try {
    const messageId = publish(state, topic, {
      message: call.input ?? '',
      subject: undefined,
      structure: undefined,
      time: source.time,
    });
    recordInvocation(state, source, call, { messageId });
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    recordInvocation(state, source, call, { code: error.code, message: error.message });
  }
}

/**
 * The state prod should be in, from the triggers file and the inputs alone (no AWS call): every
 * schedule, rule, target and topic with the names and ARNs they will have. Its canonical JSON is
 * what plan-sha256 hashes, so an apply can refuse to write anything but what a plan showed.
 */
import { canonicalJson, sha256Hex } from '../runtime/canonical-json.ts';
import { topicArnOf } from '../runtime/sns-topic.ts';
import { PIPELINE_EVENT_PATHS, pipelineArnOf, pipelineStatusPattern } from '../sagemaker/pipeline-events.ts';
import { NOTIFICATIONS_RULE, PIPELINE_TARGET_ID, ruleArnOf, ruleNameOf, TOPIC_TARGET_ID } from './ownership.ts';
import type { State, Subscription, TriggersFile } from './triggers-file.ts';

export interface DesiredSchedule {
  name: string;
  expression: string;
  timezone: string;
  description: string;
  state: State;
  target: { arn: string; roleArn: string; parameters: Record<string, string> };
}

export interface InputTransformer {
  paths: Record<string, string>;
  template: string;
}

export interface RuleTarget {
  id: string;
  arn: string;
  roleArn?: string;
  parameters?: Record<string, string>;
  inputTransformer?: InputTransformer;
}

export interface DesiredRule {
  /** The rule's name in EventBridge: `<prefix>.<name>`. */
  name: string;
  arn: string;
  pattern: Record<string, unknown>;
  state: State;
  description: string;
  target: RuleTarget;
}

export interface DesiredTopic {
  name: string;
  arn: string;
  subscriptions: Subscription[];
}

export interface DesiredState {
  pipeline: string;
  pipelineArn: string;
  /** The schedule group's name and the rules' name prefix. */
  prefix: string;
  schedules: DesiredSchedule[];
  /** The file's rules and, with notifications, the notification rule. */
  rules: DesiredRule[];
  topic?: DesiredTopic;
  /** The notification rule's ARN, whether or not it is wanted: topic policies name it. */
  notificationRuleArn: string;
}

export interface Context {
  region: string;
  account: string;
  pipeline: string;
  prefix: string;
  targetRoleArn: string;
}

/** The message people receive: one readable sentence rather than the event's JSON. */
export function notificationTransformer(pipeline: string): InputTransformer {
  const names = Object.keys(PIPELINE_EVENT_PATHS).map((name) => `<${name}>`);
  const [status, execution, displayName, time] = names;
  return {
    paths: { ...PIPELINE_EVENT_PATHS },
    // Plain text, not a JSON string literal: SNS would deliver a literal's quotes to every subscriber.
    template: `SageMaker pipeline ${pipeline}: execution ${displayName} ${status} at ${time}. Execution: ${execution}`,
  };
}

export function desiredState(file: TriggersFile, context: Context): DesiredState {
  const pipelineArn = pipelineArnOf(context.region, context.account, context.pipeline);
  const pipelineTarget = (parameters: Record<string, string>) => ({
    arn: pipelineArn,
    roleArn: context.targetRoleArn,
    parameters,
  });
  const schedules = file.schedules.map((schedule): DesiredSchedule => ({
    name: schedule.name,
    expression: schedule.expression,
    timezone: schedule.timezone,
    description: schedule.description,
    state: schedule.state,
    target: pipelineTarget(schedule.parameters),
  }));
  const rules = file.rules.map((rule): DesiredRule => {
    const name = ruleNameOf(context.prefix, rule.name);
    return {
      name,
      arn: ruleArnOf(context.region, context.account, name),
      pattern: rule.pattern,
      state: rule.state,
      description: rule.description,
      target: { id: PIPELINE_TARGET_ID, ...pipelineTarget(rule.parameters) },
    };
  });
  const notificationRule = ruleNameOf(context.prefix, NOTIFICATIONS_RULE);
  const notificationRuleArn = ruleArnOf(context.region, context.account, notificationRule);
  const state: DesiredState = {
    pipeline: context.pipeline,
    pipelineArn,
    prefix: context.prefix,
    schedules,
    rules,
    notificationRuleArn,
  };
  const notifications = file.notifications;
  if (notifications) {
    const topicArn = topicArnOf(context.region, context.account, notifications.topic);
    state.topic = { name: notifications.topic, arn: topicArn, subscriptions: notifications.subscriptions };
    rules.push({
      name: notificationRule,
      arn: notificationRuleArn,
      pattern: pipelineStatusPattern(pipelineArn, notifications.on),
      state: 'ENABLED',
      // EventBridge takes 512 characters; a pipeline and a topic name may each have 256.
      description:
        `Executions of pipeline ${context.pipeline} that turn ${notifications.on.join(' or ')}, to SNS topic ${notifications.topic}`.slice(
          0,
          512,
        ),
      target: { id: TOPIC_TARGET_ID, arn: topicArn, inputTransformer: notificationTransformer(context.pipeline) },
    });
  }
  return state;
}

export const planSha256 = (state: DesiredState): string => sha256Hex(canonicalJson(state));

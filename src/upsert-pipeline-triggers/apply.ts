/**
 * Carries out a plan's steps in their order. Something already gone counts as deleted, so a re-run
 * after an interrupted apply finishes the job; any other failure stops the apply there (what
 * follows may depend on it) and says how far it got.
 */
import * as core from '@actions/core';
import {
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import {
  DeleteRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  SetTopicAttributesCommand,
  SubscribeCommand,
  TagResourceCommand,
  UnsubscribeCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-sns';
import { canonicalJson, sha256Hex } from '../runtime/canonical-json.ts';
import { ActionError, describeError } from '../runtime/errors.ts';
import { isNotFound } from '../runtime/not-found.ts';
import type { DesiredRule, DesiredSchedule } from './desired.ts';
import type { Clients } from './inventory.ts';
import { isChange, type Operation, type Plan, type Step } from './planner.ts';

const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
const parameterList = (parameters: Record<string, string>) =>
  Object.entries(parameters).map(([Name, Value]) => ({ Name, Value }));

/** The same request of the same run gets the same token, so a retried create is not made twice. */
const tokenOf = (runKey: string, what: unknown): string => sha256Hex(`${runKey}/${canonicalJson(what)}`).slice(0, 64);

function scheduleInput(group: string, schedule: DesiredSchedule): CreateScheduleCommandInput {
  return {
    Name: schedule.name,
    GroupName: group,
    ScheduleExpression: schedule.expression,
    ScheduleExpressionTimezone: schedule.timezone,
    ...(schedule.description ? { Description: schedule.description } : {}),
    State: schedule.state,
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: {
      Arn: schedule.target.arn,
      RoleArn: schedule.target.roleArn,
      SageMakerPipelineParameters: { PipelineParameterList: parameterList(schedule.target.parameters) },
    },
  };
}

function ruleTarget(rule: DesiredRule): Target {
  const { target } = rule;
  return {
    Id: target.id,
    Arn: target.arn,
    ...(target.roleArn ? { RoleArn: target.roleArn } : {}),
    ...(target.parameters
      ? { SageMakerPipelineParameters: { PipelineParameterList: parameterList(target.parameters) } }
      : {}),
    ...(target.inputTransformer
      ? {
          InputTransformer: {
            InputPathsMap: target.inputTransformer.paths,
            InputTemplate: target.inputTransformer.template,
          },
        }
      : {}),
  };
}

/** PutTargets and RemoveTargets answer 200 with the entries they could not apply. */
function checkEntries(
  operation: string,
  out: {
    FailedEntryCount?: number | undefined;
    FailedEntries?: { ErrorCode?: string | undefined; ErrorMessage?: string | undefined }[] | undefined;
  },
) {
  const failed = out.FailedEntries?.[0];
  if ((out.FailedEntryCount ?? 0) > 0 || failed)
    throw new ActionError(
      `${operation} refused the target: ${failed?.ErrorCode ?? ''} ${failed?.ErrorMessage ?? ''}`.trim(),
    );
}

async function perform(clients: Clients, group: string, runKey: string, operation: Operation): Promise<void> {
  // The client factory retries what is transient; each call is sent once from here.
  const send = <T>(call: () => Promise<T>): Promise<T> => call();
  switch (operation.type) {
    case 'create-group':
      await send(() =>
        clients.scheduler.send(
          new CreateScheduleGroupCommand({
            Name: operation.name,
            Tags: tagList(operation.tags),
            ClientToken: tokenOf(runKey, operation),
          }),
        ),
      );
      return;
    case 'put-schedule': {
      const input = { ...scheduleInput(group, operation.schedule), ClientToken: tokenOf(runKey, operation) };
      await send(() =>
        clients.scheduler.send(operation.create ? new CreateScheduleCommand(input) : new UpdateScheduleCommand(input)),
      );
      return;
    }
    case 'delete-schedule':
      await send(() =>
        clients.scheduler.send(
          new DeleteScheduleCommand({
            Name: operation.name,
            GroupName: group,
            ClientToken: tokenOf(runKey, operation),
          }),
        ),
      );
      return;
    case 'put-rule': {
      const { rule } = operation;
      if (operation.writeRule)
        await send(() =>
          clients.events.send(
            new PutRuleCommand({
              Name: rule.name,
              EventPattern: canonicalJson(rule.pattern),
              State: rule.state,
              Description: rule.description,
              // PutRule sets tags only when it creates the rule.
              ...(operation.create ? { Tags: tagList(operation.tags) } : {}),
            }),
          ),
        );
      if (operation.writeTarget) {
        const out = await send(() =>
          clients.events.send(new PutTargetsCommand({ Rule: rule.name, Targets: [ruleTarget(rule)] })),
        );
        checkEntries('PutTargets', out);
      }
      return;
    }
    case 'delete-rule':
      if (operation.targetIds.length > 0) {
        const out = await send(() =>
          clients.events.send(new RemoveTargetsCommand({ Rule: operation.name, Ids: operation.targetIds })),
        );
        checkEntries('RemoveTargets', out);
      }
      await send(() => clients.events.send(new DeleteRuleCommand({ Name: operation.name })));
      return;
    case 'create-topic':
      await send(() =>
        clients.sns.send(
          new CreateTopicCommand({
            Name: operation.name,
            Attributes: { Policy: operation.policy },
            Tags: tagList(operation.tags),
          }),
        ),
      );
      return;
    case 'set-topic-policy':
      await send(() =>
        clients.sns.send(
          new SetTopicAttributesCommand({
            TopicArn: operation.arn,
            AttributeName: 'Policy',
            AttributeValue: operation.policy,
          }),
        ),
      );
      return;
    case 'tag-topic':
      if (Object.keys(operation.set).length > 0)
        await send(() =>
          clients.sns.send(new TagResourceCommand({ ResourceArn: operation.arn, Tags: tagList(operation.set) })),
        );
      if (operation.remove.length > 0)
        await send(() =>
          clients.sns.send(new UntagResourceCommand({ ResourceArn: operation.arn, TagKeys: operation.remove })),
        );
      return;
    case 'delete-topic':
      await send(() => clients.sns.send(new DeleteTopicCommand({ TopicArn: operation.arn })));
      return;
    case 'subscribe':
      await send(() =>
        clients.sns.send(
          new SubscribeCommand({
            TopicArn: operation.topicArn,
            Protocol: operation.subscription.protocol,
            Endpoint: operation.subscription.endpoint,
            ReturnSubscriptionArn: true,
          }),
        ),
      );
      return;
    case 'unsubscribe':
      await send(() => clients.sns.send(new UnsubscribeCommand({ SubscriptionArn: operation.arn })));
      return;
  }
}

export interface Outcome {
  done: Step[];
  failed?: { step: Step; error: string };
}

const describeStep = (step: Step): string => `${step.change} ${step.kind} ${step.name}`;

export async function applyPlan(clients: Clients, plan: Plan, group: string, runKey: string): Promise<Outcome> {
  const outcome: Outcome = { done: [] };
  for (const step of plan.steps.filter(isChange)) {
    if (!step.operation) continue;
    try {
      await perform(clients, group, runKey, step.operation);
      core.info(`Done: ${describeStep(step)}`);
    } catch (error) {
      if (step.change === 'delete' && isNotFound(error)) {
        core.info(`Already gone: ${step.kind} ${step.name}`);
      } else {
        outcome.failed = { step, error: describeError(error) };
        return outcome;
      }
    }
    outcome.done.push(step);
  }
  return outcome;
}

export function failureOf(outcome: Outcome, total: number): ActionError | undefined {
  if (!outcome.failed) return undefined;
  return new ActionError(
    `${describeStep(outcome.failed.step)} failed after ${outcome.done.length} of ${total} changes: ${outcome.failed.error} (run again to finish: what is done is not redone)`,
  );
}

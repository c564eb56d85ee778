import * as core from '@actions/core';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SNSClient } from '@aws-sdk/client-sns';
import { createClient } from '../runtime/aws-client.ts';
import { ActionError } from '../runtime/errors.ts';
import { githubContext } from '../runtime/github-context.ts';
import { SummaryBuilder, type Cell } from '../runtime/summary.ts';
import { ownershipTags } from '../sagemaker/ownership-tags.ts';
import { applyPlan, failureOf, type Outcome } from './apply.ts';
import { readInputs, type Inputs } from './inputs.ts';
import { readCurrent, type Clients } from './inventory.ts';
import { ACTION_NAME, PIPELINE_TAG, type Owner } from './ownership.ts';
import { isChange, planTriggers, type Plan, type Step } from './planner.ts';

export { ACTION_NAME };

const KIND_ORDER = ['schedule-group', 'schedule', 'rule', 'topic', 'subscription'];

function resultOf(step: Step, outcome: Outcome | undefined): string {
  if (!outcome || !isChange(step)) return '';
  if (outcome.done.includes(step)) return 'done';
  if (outcome.failed?.step === step) return `failed: ${outcome.failed.error}`;
  return 'not reached';
}

async function writeSummary(inputs: Inputs, plan: Plan, headline: string, outcome?: Outcome): Promise<void> {
  const summary = new SummaryBuilder().heading(`Triggers of pipeline ${inputs.pipeline}: ${headline}`).keyValues([
    ['Mode', inputs.mode === 'plan' ? 'plan (nothing changed)' : 'apply'],
    ['Triggers file', { code: inputs.triggersPath }],
    ['Schedule group and rule prefix', { code: inputs.desired.prefix }],
    ['Plan sha256', { code: inputs.planSha256 }],
    ['Region', inputs.region],
  ]);
  for (const conflict of plan.conflicts) summary.paragraph(`Conflict: ${conflict}`);
  for (const warning of plan.warnings) summary.paragraph(`Warning: ${warning}`);
  const steps = [...plan.steps].sort(
    (a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.name.localeCompare(b.name),
  );
  const withResult = outcome !== undefined;
  summary.table(
    ['Kind', 'Name', 'Change', 'Details', ...(withResult ? ['Result'] : [])],
    steps.map((step): Cell[] => [
      step.kind,
      { code: step.name },
      step.change,
      step.details.join('; '),
      ...(withResult ? [resultOf(step, outcome)] : []),
    ]),
  );
  await summary.write();
}

function makeClients(inputs: Inputs): Clients {
  return {
    scheduler: createClient(SchedulerClient, inputs),
    events: createClient(EventBridgeClient, inputs),
    sns: createClient(SNSClient, inputs),
  };
}

export async function run(): Promise<void> {
  const inputs = readInputs();
  const context = githubContext();
  const owner: Owner = { pipeline: inputs.pipeline, repository: context.repository };
  core.setOutput('plan-sha256', inputs.planSha256);
  core.setOutput('topic-arn', inputs.desired.topic?.arn ?? '');
  const clients = makeClients(inputs);
  try {
    const current = await readCurrent(clients, inputs.desired, owner);
    const plan = planTriggers(inputs.desired, current, {
      owner,
      resourceTags: ownershipTags(ACTION_NAME, context, { [PIPELINE_TAG]: inputs.pipeline }),
      topicTags: ownershipTags(ACTION_NAME, context),
    });
    const changes = plan.steps.filter(isChange);
    const verb = inputs.mode === 'plan' ? 'Plan' : 'Change';
    for (const step of plan.steps)
      if (step.change !== 'unchanged')
        core.info(
          `${verb}: ${step.change} ${step.kind} ${step.name}${step.details.length ? `: ${step.details.join('; ')}` : ''}`,
        );
    if (changes.length === 0) core.info('No change: prod matches the triggers file.');
    for (const warning of plan.warnings) core.warning(warning);
    core.setOutput(
      'plan',
      JSON.stringify(plan.steps.map(({ kind, name, change, details }) => ({ kind, name, change, details }))),
    );
    core.setOutput('changed', String(changes.length > 0));

    if (plan.conflicts.length > 0) {
      await writeSummary(inputs, plan, 'conflict, nothing changed');
      throw new ActionError(`nothing was changed: ${plan.conflicts.join('; ')}`);
    }
    if (inputs.mode === 'plan' || changes.length === 0) {
      const headline = changes.length === 0 ? 'no change' : `would make ${changes.length} change(s)`;
      core.info(`Triggers of pipeline ${inputs.pipeline}: ${headline}`);
      await writeSummary(inputs, plan, headline);
      return;
    }
    const outcome = await applyPlan(clients, plan, inputs.desired.prefix, `${context.runId}/${context.runAttempt}`);
    const failure = failureOf(outcome, changes.length);
    const headline = failure
      ? `${outcome.done.length} of ${changes.length} change(s) made, then a failure`
      : `${changes.length} change(s) made`;
    core.info(`Triggers of pipeline ${inputs.pipeline}: ${headline}`);
    await writeSummary(inputs, plan, headline, outcome);
    if (failure) throw failure;
  } finally {
    clients.scheduler.destroy();
    clients.events.destroy();
    clients.sns.destroy();
  }
}

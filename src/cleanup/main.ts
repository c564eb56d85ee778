import * as core from '@actions/core';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { createClient } from '../runtime/aws-client.ts';
import { ActionError } from '../runtime/errors.ts';
import { PULL_REQUEST_TAG } from '../sagemaker/ownership-tags.ts';
import { SummaryBuilder } from '../runtime/summary.ts';
import { applyPlan, type Outcome } from './apply.ts';
import { readInputs, type Inputs } from './inputs.ts';
import { readInventory } from './inventory.ts';
import { isOurs, planCleanup, type Plan } from './planner.ts';

export const ACTION_NAME = 'cleanup';

function scopeLine(inputs: Inputs): string {
  return [
    inputs.pullRequest ? `what pull request #${inputs.pullRequest} created` : '',
    inputs.keepLast !== undefined
      ? `models and endpoint configs beyond the newest ${inputs.keepLast} of ${inputs.endpointNames?.join(', ') ?? 'each endpoint'} (never the live one or the one before it)`
      : '',
  ]
    .filter(Boolean)
    .join('; and ');
}

async function writeSummary(inputs: Inputs, plan: Plan, outcome: Outcome | undefined): Promise<void> {
  const deleted = new Set(outcome?.deleted.map((d) => d.arn));
  const failed = new Map(outcome?.failed.map((f) => [f.decision.arn, f.error]));
  const summary = new SummaryBuilder()
    .heading(
      inputs.mode === 'plan'
        ? `Cleanup of ${inputs.githubRepository}: would delete ${plan.delete.length}`
        : `Cleanup of ${inputs.githubRepository}: ${outcome?.deleted.length ?? 0} deleted${outcome?.failed.length ? `, ${outcome.failed.length} failed` : ''}`,
    )
    .paragraph(`What goes: ${scopeLine(inputs)}.`)
    .table(
      ['Kind', 'Name', 'Why', inputs.mode === 'plan' ? 'Plan' : 'Result'],
      plan.delete.map((d) => [
        d.kind,
        { code: d.name },
        d.reason,
        inputs.mode === 'plan' ? 'would delete' : deleted.has(d.arn) ? 'deleted' : `failed: ${failed.get(d.arn) ?? ''}`,
      ]),
    );
  if (plan.stop.length)
    summary.table(
      ['Stopped first', 'Pipeline'],
      plan.stop.map((s) => [{ code: s.executionArn }, s.pipeline]),
    );
  if (plan.kept.length)
    summary.heading('Kept', 4).table(
      ['Kind', 'Name', 'Why'],
      plan.kept.map((k) => [k.kind, { code: k.name }, k.reason]),
    );
  await summary.write();
}

export async function run(): Promise<void> {
  const inputs = readInputs();
  const client = createClient(SageMakerClient, inputs);
  try {
    core.info(`Cleaning up for ${inputs.githubRepository}: ${scopeLine(inputs)}`);
    const inventory = await readInventory(client, {
      repository: inputs.githubRepository,
      withPipelines: inputs.pullRequest !== undefined,
      runningOf: (pipeline) =>
        isOurs(pipeline, 'pipeline', inputs.githubRepository) && pipeline.tags[PULL_REQUEST_TAG] === inputs.pullRequest,
    });
    const plan = planCleanup(inventory, {
      repository: inputs.githubRepository,
      ...(inputs.pullRequest ? { pullRequest: inputs.pullRequest } : {}),
      ...(inputs.keepLast !== undefined ? { keepLast: inputs.keepLast } : {}),
      ...(inputs.endpointNames ? { endpointNames: inputs.endpointNames } : {}),
    });
    const verb = inputs.mode === 'plan' ? 'Would' : 'Will';
    for (const stop of plan.stop) core.info(`${verb} stop execution ${stop.executionArn} of pipeline ${stop.pipeline}`);
    for (const d of plan.delete) core.info(`${verb} delete ${d.kind} ${d.name}: ${d.reason}`);
    for (const k of plan.kept) core.info(`Keeping ${k.kind} ${k.name}: ${k.reason}`);
    if (plan.delete.length === 0) core.info('Nothing to delete.');
    core.setOutput('plan', JSON.stringify(plan.delete.map(({ kind, name, reason }) => ({ kind, name, reason }))));

    let outcome: Outcome | undefined;
    if (inputs.mode === 'apply' && plan.delete.length > 0)
      outcome = await applyPlan(client, plan, { input: 'stop-timeout-minutes', minutes: inputs.stopTimeoutMinutes });
    core.setOutput('deleted', String(outcome?.deleted.length ?? 0));
    await writeSummary(inputs, plan, outcome);
    if (outcome?.failed.length) {
      throw new ActionError(
        `${outcome.failed.length} of ${plan.delete.length} could not be deleted: ${outcome.failed.map((f) => `${f.decision.kind} ${f.decision.name} (${f.error})`).join('; ')}`,
      );
    }
  } finally {
    client.destroy();
  }
}

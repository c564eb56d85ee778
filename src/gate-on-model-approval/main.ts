import * as core from '@actions/core';
import { SageMakerClient, UpdateModelPackageCommand } from '@aws-sdk/client-sagemaker';
import { createClient } from '../runtime/aws-client.ts';
import { checkAwsValue } from '../runtime/aws-constraints.ts';
import { formatElapsed, systemClock } from '../runtime/clock.ts';
import { explainExpiry } from '../runtime/expired-credentials.ts';
import { ActionError } from '../runtime/errors.ts';
import { githubContext, runUrl } from '../runtime/github-context.ts';
import { elapsedLine, transientErrorLine, WaitTimeoutError, waitUntil } from '../runtime/poll.ts';
import { SummaryBuilder } from '../runtime/summary.ts';
import { readInputs, type Inputs } from './inputs.ts';
import {
  describePackage,
  inferenceImages,
  isApprovedAndReady,
  modelDataUrl,
  newestPackageArn,
  type ModelPackage,
} from '../sagemaker/model-packages.ts';

export const ACTION_NAME = 'gate-on-model-approval';

function statusOf(pkg: ModelPackage): string {
  return `${pkg.ModelApprovalStatus ?? 'unknown'} / ${pkg.ModelPackageStatus ?? 'unknown'}`;
}

/** The approval description names who decided and where, so the registry keeps the audit trail. */
export function decisionDescription(reason: string | undefined, env = process.env): string {
  const context = githubContext(env);
  const url = runUrl(context);
  return [reason, `— ${context.actor || 'unknown actor'} via GitHub Actions${url ? ` ${url}` : ''}`]
    .filter(Boolean)
    .join(' ');
}

async function decide(client: SageMakerClient, inputs: Inputs, arn: string): Promise<ModelPackage> {
  const status = inputs.mode === 'approve' ? 'Approved' : 'Rejected';
  await client.send(
    new UpdateModelPackageCommand({
      ModelPackageArn: arn,
      ModelApprovalStatus: status,
      ApprovalDescription: decisionDescription(inputs.reason),
    }),
  );
  core.info(`Recorded ${status} on ${arn}`);
  return describePackage(client, arn);
}

async function waitForApproval(client: SageMakerClient, inputs: Inputs, arn: string): Promise<ModelPackage> {
  let last = '';
  try {
    const { value } = await waitUntil({
      clock: systemClock(),
      timeoutMs: inputs.timeoutMinutes * 60_000,
      poll: () => describePackage(client, arn),
      isDone: (pkg) =>
        isApprovedAndReady(pkg) || pkg.ModelApprovalStatus === 'Rejected' || pkg.ModelPackageStatus === 'Failed',
      onPoll: (pkg, elapsedMs) => {
        const line = statusOf(pkg);
        if (line !== last) core.info(elapsedLine(elapsedMs, `${arn}: ${line}`));
        last = line;
      },
      onTransientError: (error, consecutive) => core.info(transientErrorLine('the package', error, consecutive)),
    });
    return value;
  } catch (error) {
    if (error instanceof WaitTimeoutError) {
      throw new ActionError(
        `no approval within ${formatElapsed(error.elapsedMs)} (timeout-minutes: ${inputs.timeoutMinutes}); ${arn} is ${last}`,
      );
    }
    throw await explainExpiry(error, client, {
      ...(inputs.profile ? { profile: inputs.profile } : {}),
      stillRunning: `${arn} still waits for its decision${last ? ` (${last})` : ''}`,
      resume: `wait again with gate-on-model-approval's model-package-arn: ${arn}`,
    });
  }
}

async function writeSummary(inputs: Inputs, pkg: ModelPackage, passed: boolean): Promise<void> {
  await new SummaryBuilder()
    .heading(`Model approval gate: ${passed ? 'passed' : 'not passed'}`)
    .keyValues([
      ['Package', { code: pkg.ModelPackageArn ?? '' }],
      ['Version', pkg.ModelPackageVersion !== undefined ? String(pkg.ModelPackageVersion) : undefined],
      ['Approval', pkg.ModelApprovalStatus],
      ['Package status', pkg.ModelPackageStatus],
      ['Decision note', pkg.ApprovalDescription],
      ['Images', inferenceImages(pkg).join(' ') || undefined],
      ['Model data', modelDataUrl(pkg) || undefined],
      ['Mode', inputs.mode],
    ])
    .write();
}

export async function run(): Promise<void> {
  const inputs = readInputs();
  if (inputs.mode === 'approve' || inputs.mode === 'reject')
    checkAwsValue('reason', 'approvalDescription', decisionDescription(inputs.reason), 'with who decided and where, ');
  const client = createClient(SageMakerClient, inputs);
  try {
    const arn = inputs.packageArn ?? (await newestPackageArn(client, inputs.group!));
    if (inputs.group) core.info(`Newest package in ${inputs.group}: ${arn}`);
    const pkg =
      inputs.mode === 'approve' || inputs.mode === 'reject'
        ? await decide(client, inputs, arn)
        : inputs.mode === 'wait'
          ? await waitForApproval(client, inputs, arn)
          : await describePackage(client, arn);

    core.setOutput('model-package-arn', pkg.ModelPackageArn ?? arn);
    core.setOutput('model-package-version', String(pkg.ModelPackageVersion ?? ''));
    core.setOutput('approval-status', pkg.ModelApprovalStatus ?? '');
    core.setOutput('package-status', pkg.ModelPackageStatus ?? '');
    core.setOutput('inference-images', JSON.stringify(inferenceImages(pkg)));
    core.setOutput('model-data-url', modelDataUrl(pkg));

    // A decision step passes when the decision is recorded; a gate only on Approved and Completed.
    const passed =
      inputs.mode === 'approve'
        ? pkg.ModelApprovalStatus === 'Approved'
        : inputs.mode === 'reject'
          ? pkg.ModelApprovalStatus === 'Rejected'
          : isApprovedAndReady(pkg);
    await writeSummary(inputs, pkg, passed);
    if (!passed && (inputs.mode === 'approve' || inputs.mode === 'reject')) {
      throw new ActionError(`the decision did not take: ${pkg.ModelPackageArn ?? arn} is ${statusOf(pkg)}`);
    }
    if (!passed) {
      throw new ActionError(
        `${pkg.ModelPackageArn ?? arn} is ${statusOf(pkg)}; the gate passes only on Approved / Completed`,
      );
    }
    if (inputs.mode === 'check' || inputs.mode === 'wait')
      core.info(`Gate passed: ${pkg.ModelPackageArn} is Approved and Completed`);
  } finally {
    client.destroy();
  }
}

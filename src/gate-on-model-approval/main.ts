import * as core from '@actions/core';
import { SageMakerClient, UpdateModelPackageCommand } from '@aws-sdk/client-sagemaker';
import { createClient } from '../runtime/aws-client.ts';
import { checkAwsValue } from '../runtime/aws-constraints.ts';
import { systemClock } from '../runtime/clock.ts';
import { explainExpiry } from '../runtime/expired-credentials.ts';
import { ActionError } from '../runtime/errors.ts';
import { githubContext, runUrl } from '../runtime/github-context.ts';
import { pollFailedLine, progressLine, timedOutText, waitingLine } from '../runtime/log-lines.ts';
import { WaitTimeoutError, waitUntil } from '../runtime/poll.ts';
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
  const status = inputs.decision === 'approve' ? 'Approved' : 'Rejected';
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
  const bound = { input: 'timeout-minutes', minutes: inputs.timeoutMinutes };
  core.info(waitingLine(arn, 'be Approved and Completed', bound));
  try {
    const { value } = await waitUntil({
      clock: systemClock(),
      timeoutMs: inputs.timeoutMinutes * 60_000,
      poll: () => describePackage(client, arn),
      isDone: (pkg) =>
        isApprovedAndReady(pkg) || pkg.ModelApprovalStatus === 'Rejected' || pkg.ModelPackageStatus === 'Failed',
      onPoll: (pkg, elapsedMs) => {
        const line = statusOf(pkg);
        if (line !== last) core.info(progressLine(elapsedMs, arn, line));
        last = line;
      },
      onTransientError: (error, consecutive) => core.info(pollFailedLine('the package', error, consecutive)),
    });
    return value;
  } catch (error) {
    if (error instanceof WaitTimeoutError) {
      throw new ActionError(`no approval: ${timedOutText(error.elapsedMs, bound)}; ${arn} is ${last}`);
    }
    throw await explainExpiry(error, client, {
      ...(inputs.profile ? { profile: inputs.profile } : {}),
      stillRunning: `${arn} still waits for its decision${last ? ` (${last})` : ''}`,
      resume: `wait again with gate-on-model-approval's wait: true and model-package-arn: ${arn}`,
    });
  }
}

/** The package as the registry shows it, `<group>/<version>`; the ARN when the answer lacks either. */
function packageName(pkg: ModelPackage, arn: string): string {
  return pkg.ModelPackageGroupName && pkg.ModelPackageVersion !== undefined
    ? `${pkg.ModelPackageGroupName}/${pkg.ModelPackageVersion}`
    : arn;
}

async function writeSummary(inputs: Inputs, pkg: ModelPackage, arn: string, passed: boolean): Promise<void> {
  const outcome = inputs.decision
    ? passed
      ? `${pkg.ModelApprovalStatus} (decision recorded)`
      : `decision not recorded (${statusOf(pkg)})`
    : passed
      ? 'gate passed'
      : `gate not passed (${statusOf(pkg)})`;
  await new SummaryBuilder()
    .heading(`Model package ${packageName(pkg, arn)}: ${outcome}`)
    .keyValues([
      ['Package', { code: pkg.ModelPackageArn ?? '' }],
      ['Version', pkg.ModelPackageVersion !== undefined ? String(pkg.ModelPackageVersion) : undefined],
      ['Approval', pkg.ModelApprovalStatus],
      ['Package status', pkg.ModelPackageStatus],
      ['Decision note', pkg.ApprovalDescription],
      ['Images', inferenceImages(pkg).join(' ') || undefined],
      ['Model data', modelDataUrl(pkg) || undefined],
      ['Decision', inputs.decision],
      ['Waited', inputs.decision ? undefined : inputs.wait ? `yes (timeout-minutes: ${inputs.timeoutMinutes})` : 'no'],
    ])
    .write();
}

export async function run(): Promise<void> {
  const inputs = readInputs();
  if (inputs.decision)
    checkAwsValue('reason', 'approvalDescription', decisionDescription(inputs.reason), 'with who decided and where, ');
  const client = createClient(SageMakerClient, inputs);
  try {
    const arn = inputs.modelPackageArn ?? (await newestPackageArn(client, inputs.modelPackageGroup!));
    if (inputs.modelPackageGroup) core.info(`Newest package in ${inputs.modelPackageGroup}: ${arn}`);
    const pkg = inputs.decision
      ? await decide(client, inputs, arn)
      : inputs.wait
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
      inputs.decision === 'approve'
        ? pkg.ModelApprovalStatus === 'Approved'
        : inputs.decision === 'reject'
          ? pkg.ModelApprovalStatus === 'Rejected'
          : isApprovedAndReady(pkg);
    await writeSummary(inputs, pkg, arn, passed);
    if (!passed && inputs.decision) {
      throw new ActionError(`the decision did not take: ${pkg.ModelPackageArn ?? arn} is ${statusOf(pkg)}`);
    }
    if (!passed) {
      throw new ActionError(
        `${pkg.ModelPackageArn ?? arn} is ${statusOf(pkg)}; the gate passes only on Approved / Completed`,
      );
    }
    if (!inputs.decision) core.info(`Gate passed: ${pkg.ModelPackageArn} is Approved and Completed`);
  } finally {
    client.destroy();
  }
}

/**
 * What the user reads at the end: a step table in the job summary and, for
 * every failed step, its reason and the last lines its job logged.
 */
import * as core from '@actions/core';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { PipelineExecutionStep } from '@aws-sdk/client-sagemaker';
import { formatElapsed } from '../runtime/clock.ts';
import { logGroupLink, sagemakerJobLink } from '../sagemaker/console-links.ts';
import { describeError } from '../runtime/errors.ts';
import { jobLogGroup, lastLogLines, type LogExcerpt } from '../sagemaker/log-excerpts.ts';
import { SummaryBuilder, type Cell } from '../runtime/summary.ts';
import { pipelineOfExecution } from './inputs.ts';
import type { AttemptRecord } from './retry.ts';
import type { ExecutionState } from './watch.ts';
import { stepFailureReason, stepJob, stepType, type StepJob } from './step-metadata.ts';

/**
 * Log streams are named after the job as written (`pipelines-<id>-TrainModel-…/algo-1-…`)
 * while the ARN is lower-cased, so streams are listed by the part that keeps its case
 * (`pipelines-<execution id>-`) and matched without regard to case.
 */
async function jobLogs(logs: CloudWatchLogsClient, job: StepJob, lines: number): Promise<LogExcerpt[]> {
  const stablePrefix = /^pipelines-[a-z0-9]+-/.exec(job.nameFromArn)?.[0] ?? job.nameFromArn;
  return lastLogLines(logs, {
    logGroup: jobLogGroup(job.kind),
    streamPrefix: stablePrefix,
    keepStream: (name) => name.split('/')[0]!.toLowerCase() === job.nameFromArn,
    lines,
  });
}

export interface FailureDigest {
  step: string;
  reason: string;
  logs: LogExcerpt[];
  logLink?: string;
}

export async function failureDigests(
  logs: CloudWatchLogsClient,
  region: string,
  state: ExecutionState,
  lines: number,
): Promise<FailureDigest[]> {
  const digests: FailureDigest[] = [];
  for (const step of state.steps.filter((s) => s.StepStatus === 'Failed')) {
    const job = stepJob(step);
    const digest: FailureDigest = {
      step: step.StepName ?? '',
      reason: stepFailureReason(step) ?? 'no reason given',
      logs: [],
    };
    if (job && lines > 0) {
      digest.logLink = logGroupLink(region, jobLogGroup(job.kind), job.nameFromArn);
      try {
        digest.logs = await jobLogs(logs, job, lines);
      } catch (error) {
        core.warning(`Cannot read the logs of step ${digest.step}: ${describeError(error)}`);
      }
    }
    digests.push(digest);
  }
  return digests;
}

/** A failure that a retry will follow is a warning; the one the step ends with is an error. */
export function printDigests(digests: FailureDigest[], retrying = false): void {
  for (const digest of digests) {
    (retrying ? core.warning : core.error)(`Step ${digest.step} failed: ${digest.reason}`);
    for (const excerpt of digest.logs) {
      core.startGroup(`Last ${excerpt.lines.length} log lines of ${excerpt.stream}`);
      for (const line of excerpt.lines) core.info(line);
      core.endGroup();
    }
  }
}

function duration(step: PipelineExecutionStep): string {
  if (!step.StartTime) return '';
  return step.EndTime ? formatElapsed(step.EndTime.getTime() - step.StartTime.getTime()) : 'running';
}

function linkCell(region: string, step: PipelineExecutionStep): Cell {
  const job = stepJob(step);
  if (job) return { link: job.nameFromArn, href: sagemakerJobLink(region, job.kind, job.nameFromArn) };
  const packageArn = step.Metadata?.RegisterModel?.Arn;
  return packageArn ? { code: packageArn } : '';
}

export interface ReportContext {
  executionArn: string;
  region: string;
  state: ExecutionState;
  reused: boolean;
  digests: FailureDigest[];
  /** One per attempt (the start and each RetryPipelineExecution); empty when not waited on. */
  attempts?: AttemptRecord[];
}

export function buildSummary(report: ReportContext): SummaryBuilder {
  const { state } = report;
  const pipeline = pipelineOfExecution(report.executionArn) ?? 'the pipeline';
  const summary = new SummaryBuilder().heading(`Execution of ${pipeline}: ${state.status}`).keyValues([
    ['Execution', { code: report.executionArn }],
    ['Pipeline version', state.pipelineVersionId !== undefined ? String(state.pipelineVersionId) : undefined],
    ['Reason', state.failureReason],
    ['Started by', report.reused ? 'an earlier attempt of this run (re-used)' : undefined],
    ['Attempts', report.attempts && report.attempts.length > 1 ? String(report.attempts.length) : undefined],
  ]);
  if (report.attempts && report.attempts.length > 1) {
    summary.table(
      ['Attempt', 'By', 'Result', 'Failed steps'],
      report.attempts.map((record) => [
        String(record.attempt),
        record.attempt === 1 ? 'StartPipelineExecution' : 'RetryPipelineExecution',
        record.status,
        record.failedSteps.map((f) => `${f.step}: ${f.reason}`).join('; '),
      ]),
    );
  }
  summary.table(
    ['Step', 'Type', 'Status', 'Duration', 'Attempts', 'Reason', 'Details'],
    state.steps.map((step) => [
      step.StepName ?? '',
      stepType(step),
      step.StepStatus ?? '',
      duration(step),
      String(step.AttemptCount ?? ''),
      stepFailureReason(step) ?? '',
      linkCell(report.region, step),
    ]),
  );
  for (const digest of report.digests) {
    summary.heading(`${digest.step} failed`, 4).paragraph(digest.reason);
    for (const excerpt of digest.logs) {
      summary.paragraph(`Last lines of ${excerpt.stream}:`).codeBlock(excerpt.lines.join('\n'));
    }
    if (digest.logLink) summary.table(['Logs'], [[{ link: 'CloudWatch Logs', href: digest.logLink }]]);
  }
  return summary;
}

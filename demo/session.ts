/**
 * What both demo scenarios share: the embedded emulator in the demo world with the platform's one-time setup,
 * and running one of the example repository's workflows with its log printed and its run report written.
 */
import { join } from 'node:path';
import { EmulatorAdmin } from '../emulator/admin-client.ts';
import { startEmulator, type RunningEmulator } from '../emulator/server.ts';
import { readWorldFile } from '../emulator/world.ts';
import { runWorkflow, type RunWorkflowOptions, type WorkflowRunResult } from '../local-runner/index.ts';
import { defaultReportPath, writeRunReport } from '../local-runner/run-report.ts';
import { summaryProblems } from '../local-runner/summary-markdown.ts';
import { formatJobEnd, formatJobStart, formatRunEnd, formatStep } from '../local-runner/terminal-report.ts';
import { ACCOUNTS, platformSetup } from './platform.ts';

const ROOT = join(import.meta.dirname, '..');
export const EXAMPLE = join(ROOT, 'examples/ml-pipelines');
// Simulated time runs 600× faster: a 3-minute pipeline takes a third of a second.
export const TIME_SCALE = 600;

export const workflowFile = (name: string): string => join(EXAMPLE, '.github/workflows', name);

export interface DemoSession {
  emulator: RunningEmulator;
  admin: EmulatorAdmin;
  /** What every run of the example repository's workflows shares. */
  common: Pick<RunWorkflowOptions, 'endpoint' | 'oidcIssuer' | 'checkout' | 'repository' | 'env'>;
  /** The run report pages written so far, in order. */
  reports: string[];
  /** Job summaries of the runs that would not render on GitHub as meant (a demo with any fails). */
  summaryProblems: string[];
}

export async function startSession(): Promise<DemoSession> {
  const emulator = await startEmulator({
    port: 0,
    world: await readWorldFile(join(ROOT, 'emulator/worlds/demo.yaml')),
    timeScale: TIME_SCALE,
  });
  console.log(
    `AWS emulator at ${emulator.endpoint}: dev ${ACCOUNTS.dev}, prod ${ACCOUNTS.prod}, registry ${ACCOUNTS.registry}`,
  );
  await platformSetup(emulator.endpoint);
  const admin = new EmulatorAdmin(emulator.endpoint);
  return {
    emulator,
    admin,
    common: {
      endpoint: emulator.endpoint,
      // The emulator stands in for GitHub's OIDC service too.
      oidcIssuer: admin,
      checkout: EXAMPLE,
      repository: 'example-org/ml-pipelines',
      env: { MLOPS_ACTIONS_CLOCK_SCALE: String(TIME_SCALE) },
    },
    reports: [],
    summaryProblems: [],
  };
}

/** Every step summary of a run (called workflows' jobs included), checked to render on GitHub. */
function checkSummaries(result: WorkflowRunResult): string[] {
  return Object.values(result.jobs).flatMap((job) => [
    ...(job.workflow ? checkSummaries(job.workflow) : []),
    ...job.steps.flatMap((step) =>
      summaryProblems(step.summary).map((problem) => `${job.path} / ${step.name}: ${problem}`),
    ),
  ]);
}

/** Runs a workflow printing each step's log and each job summary, then writes its run report and prints its path. */
export async function run(
  session: DemoSession,
  title: string,
  options: RunWorkflowOptions,
): Promise<WorkflowRunResult> {
  console.log(`\n══════ ${title} ══════`);
  const result = await runWorkflow({
    ...options,
    onJobStart: (job) => process.stdout.write(formatJobStart(job)),
    onStepEnd: (job, step) => process.stdout.write(formatStep(job, step)),
    onJobEnd: (job) => process.stdout.write(formatJobEnd(job)),
  });
  process.stdout.write(formatRunEnd(result));
  const page = writeRunReport(result, defaultReportPath(result, options.runId), {
    trigger: `${options.event} on ${options.ref ?? 'refs/heads/main'}`,
    ...(options.runId ? { runId: options.runId } : {}),
  });
  session.reports.push(page);
  console.log(`  run report: ${page}`);
  for (const problem of checkSummaries(result)) {
    console.log(`  job summary that would not render on GitHub: ${problem}`);
    session.summaryProblems.push(problem);
  }
  return result;
}

/** Runs a workflow without printing it (what happened before the story starts). */
export function runQuietly(options: RunWorkflowOptions): Promise<WorkflowRunResult> {
  return runWorkflow(options);
}

const PENDING_PACKAGE = /(arn:aws:sagemaker:\S+:model-package\/\S+\/\d+): PendingManualApproval/;

/**
 * The merge to main, promoting; when it waits for the model's approval, a reviewer approves the package it
 * names through approve.yml. `show: false` runs both without printing them.
 */
export async function promoteWithApproval(
  session: DemoSession,
  runId: string,
  show = true,
): Promise<{ promote: WorkflowRunResult; approval: WorkflowRunResult | undefined }> {
  let approval: Promise<WorkflowRunResult> | undefined;
  const approve = (packageArn: string): Promise<WorkflowRunResult> => {
    const options: RunWorkflowOptions = {
      ...session.common,
      workflow: workflowFile('approve.yml'),
      event: 'workflow_dispatch',
      ref: 'refs/heads/main',
      runId: String(BigInt(runId) + 1000n),
      actor: 'ml-reviewer',
      inputs: {
        'model-package-arn': packageArn,
        decision: 'approve',
        reason: 'RMSE 2.1 on the holdout set, better than production',
      },
      approve: ['model-approval'],
    };
    return show
      ? run(session, 'reviewer: approve the model (workflow_dispatch, environment "model-approval" approved)', options)
      : runQuietly(options);
  };
  const options: RunWorkflowOptions = {
    ...session.common,
    workflow: workflowFile('main.yml'),
    event: 'push',
    ref: 'refs/heads/main',
    runId,
    approve: ['production'],
    onStepLog: (_job, _step, line) => {
      const waiting = PENDING_PACKAGE.exec(line);
      if (waiting && !approval) approval = approve(waiting[1]!);
    },
  };
  const promote = show
    ? await run(session, 'merge to main: promote (prod, environment "production" approved)', options)
    : await runQuietly(options);
  return { promote, approval: await approval };
}

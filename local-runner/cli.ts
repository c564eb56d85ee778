/**
 * The command line of the local runner (started by scripts/run-workflow.ts, which gives it the
 * emulator as OIDC issuer):
 *
 *   node scripts/run-workflow.ts .github/workflows/promote.yml --event push --endpoint http://127.0.0.1:4566 --approve production
 *
 * Prints each step's log and each job's summary, writes the run's HTML page (--report, or a page under the
 * temporary directory) and prints its path; the exit code is 0 when the run succeeded, 1 otherwise.
 */
import { parseCliArgs, USAGE } from './cli-args.ts';
import { defaultReportPath, writeRunReport } from './run-report.ts';
import { WorkflowDefinitionError } from './errors.ts';
import { terminalApprover } from './terminal-approval.ts';
import { formatJobEnd, formatJobStart, formatRunEnd, formatStep } from './terminal-report.ts';
import type { OidcTokenIssuer } from './oidc-issuer.ts';
import type { ApprovalPolicy } from './types.ts';
import { runWorkflow } from './workflow-runner.ts';

/** `issuerFor`: who serves the jobs' OIDC tokens, given the --endpoint. */
export async function runCli(argv: string[], issuerFor: (endpoint: string) => OidcTokenIssuer): Promise<number> {
  let request;
  try {
    request = parseCliArgs(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 1;
  }
  const { all, environments, ask } = request.approve;
  const approver = ask ? terminalApprover() : undefined;
  const approve: ApprovalPolicy = all
    ? 'all'
    : approver
      ? (asked) => environments.includes(asked.environment) || approver(asked)
      : environments;
  const cancel = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\ncancelling the run (Ctrl-C again to stop at once)\n');
    cancel.abort();
  });
  try {
    const result = await runWorkflow({
      ...request.options,
      oidcIssuer: issuerFor(request.options.endpoint),
      approve,
      signal: cancel.signal,
      onJobStart: (job) => process.stdout.write(formatJobStart(job)),
      onStepEnd: (job, step) => process.stdout.write(formatStep(job, step)),
      onJobEnd: (job) => process.stdout.write(formatJobEnd(job)),
    });
    process.stdout.write(formatRunEnd(result));
    const { event, ref, runId } = request.options;
    const page = writeRunReport(result, request.report ?? defaultReportPath(result, runId), {
      trigger: `${event}${ref ? ` on ${ref}` : ''}`,
      ...(runId ? { runId } : {}),
    });
    process.stdout.write(`run report: ${page}\n`);
    return result.conclusion === 'success' ? 0 : 1;
  } catch (error) {
    if (error instanceof WorkflowDefinitionError) {
      process.stderr.write(`the workflow cannot run:\n${error.problems.map((line) => `  ${line}`).join('\n')}\n`);
      return 1;
    }
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n${USAGE}\n`);
    return 1;
  }
}

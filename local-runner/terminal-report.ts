/**
 * How the CLI shows a run: each step's log as the runner shows it (already
 * masked), each job's summary rendered for the terminal, then the outcome.
 * Each block names its job, as jobs may run at the same time.
 */
import { renderMarkdown } from './terminal-markdown.ts';
import type { ConcurrencyOutcome, JobResult, StepRunResult, WorkflowRunResult } from './types.ts';

const indent = (text: string, by: string): string => text.replace(/^/gm, by);

export function formatJobStart(job: string): string {
  return `\n━━ ${job} ━━\n`;
}

export function formatStep(job: string, step: StepRunResult): string {
  const status = step.conclusion === step.outcome ? step.outcome : `${step.outcome} (continue-on-error)`;
  const lines = [`  [${job}] ▸ ${step.name} — ${status}`];
  if (step.log) lines.push(indent(step.log, '      '));
  return `${lines.join('\n')}\n`;
}

export function formatJobEnd(job: JobResult): string {
  const environment = job.environment
    ? ` (environment ${job.environment.name}${job.environment.url ? `, ${job.environment.url}` : ''})`
    : '';
  const lines = [`  [${job.path}] job ${job.result}${environment}`];
  if (job.error) lines.push(indent(job.error, '    '));
  const outputs = Object.entries(job.outputs).filter(([, value]) => value !== '');
  if (outputs.length > 0) {
    lines.push('    outputs:');
    for (const [name, value] of outputs) lines.push(`      ${name} = ${value}`);
  }
  if (job.summary.trim()) lines.push(`    job summary:\n${indent(renderMarkdown(job.summary), '      ')}`);
  return `${lines.join('\n')}\n`;
}

export function formatRunEnd(result: WorkflowRunResult): string {
  const lines = ['', `━━ ${result.name}: ${result.conclusion} ━━`];
  for (const note of result.notes) lines.push(`  note: ${note}`);
  for (const error of result.errors) lines.push(`  error: ${error}`);
  if (result.concurrency)
    lines.push(`  concurrency group '${result.concurrency.group}'${concurrencyState(result.concurrency)}`);
  for (const job of Object.values(result.jobs)) {
    lines.push(`  ${job.path}: ${job.result}`);
    for (const leg of job.legs ?? []) lines.push(`    ${leg.path}: ${leg.result}`);
  }
  return `${lines.join('\n')}\n`;
}

function concurrencyState(outcome: ConcurrencyOutcome): string {
  if (outcome.cancelled) return `: ${outcome.cancelled}`;
  return outcome.waited ? ': waited for the run before it' : '';
}

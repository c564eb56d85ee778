/**
 * Every job summary an action writes in any test must render on GitHub as meant: each test file ends by
 * failing on any summary with a table row that does not fit its table, a table row outside a table, or HTML
 * left open (see local-runner/summary-markdown.ts). Loaded before each test file (vitest setupFiles).
 */
import { afterAll, expect } from 'vitest';
import { SimulatedJob, type StepResult } from '../local-runner/job.ts';
import { summaryProblems } from '../local-runner/summary-markdown.ts';

const found: string[] = [];

function check(action: string, result: StepResult): StepResult {
  if (result.summary.trim() !== '') {
    for (const problem of summaryProblems(result.summary)) found.push(`${action}: ${problem}\n${result.summary}`);
  }
  return result;
}

const { step, post } = SimulatedJob.prototype;
SimulatedJob.prototype.step = async function (this: SimulatedJob, ...args: Parameters<typeof step>) {
  return check(args[0], await step.apply(this, args));
};
SimulatedJob.prototype.post = async function (this: SimulatedJob, ...args: Parameters<typeof post>) {
  return check('post step', await post.apply(this, args));
};

/** The findings so far, removed from the list: for the test of this check itself. */
export function takeSummaryFindings(): string[] {
  return found.splice(0);
}

afterAll(() => {
  expect(found, 'job summaries that would not render on GitHub').toEqual([]);
});

/**
 * The check every test file ends with (testkit/summary-check.ts) sees what an action writes: an action
 * whose summary would not render on GitHub is found, one whose summary renders is not.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../../testkit/emulator.ts';
import { testJob } from '../../testkit/jobs.ts';
import { takeSummaryFindings } from '../../testkit/summary-check.ts';
import { accountsWorld } from '../../testkit/worlds/actions.ts';

const emulator = useEmulator(accountsWorld);

/** A node action that appends the given markdown to its job summary. */
function summaryAction(markdown: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'summary-action-'));
  writeFileSync(
    join(dir, 'action.yml'),
    'name: summary\ndescription: writes a summary\nruns:\n  using: node24\n  main: index.js\n',
  );
  writeFileSync(
    join(dir, 'index.js'),
    `require('node:fs').appendFileSync(process.env.GITHUB_STEP_SUMMARY, ${JSON.stringify(markdown)});\n`,
  );
  return dir;
}

async function runAction(markdown: string): Promise<void> {
  const job = testJob(emulator.endpoint);
  const step = await job.step(summaryAction(markdown));
  expect(step.exitCode).toBe(0);
}

describe('the job summary check', () => {
  it('records a summary with a broken table and unclosed HTML', async () => {
    await runAction(
      '| step | status |\n| --- | --- |\n| Train | Failed | a | b |\n\n<details><summary>log</summary>\n',
    );
    const findings = takeSummaryFindings();
    expect(findings).toHaveLength(2);
    expect(findings[0]).toMatch(/: line 3: a table row with 4 cells under a header of 2/);
    expect(findings[1]).toMatch(/: line 5: <details> is never closed/);
  });

  it('records nothing for a summary that renders', async () => {
    await runAction(
      '| step | status |\n| --- | --- |\n| Train | Failed \\| retried |\n\n<details><summary>log</summary>\n\nok\n\n</details>\n',
    );
    expect(takeSummaryFindings()).toEqual([]);
  });
});

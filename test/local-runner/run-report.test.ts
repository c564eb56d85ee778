/**
 * The run report's parts without a browser: job summaries rendered and sanitised as GitHub does, the check
 * that finds summaries GitHub would not render as meant, the graph's columns, and masking in the page.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWorkflow, type JobResult } from '../../local-runner/index.ts';
import { graphColumns, renderRunReport } from '../../local-runner/run-report.ts';
import { renderSummaryHtml, summaryProblems } from '../../local-runner/summary-markdown.ts';

const TABLE = '| Step | Status |\n| --- | --- |\n| Train | Failed |\n';

describe('job summaries as GitHub renders them', () => {
  it('renders GFM tables, links and escaped pipes, and strips what GitHub strips', () => {
    const html = renderSummaryHtml(
      `${TABLE}| Eval | a \\| b |\n\n[console](https://console.aws.amazon.com/) <script>alert(1)</script>` +
        '\n\n<p onclick="x()" style="color:red">clicked</p>\n\n<details><summary>more</summary>\n\nhidden\n\n</details>\n',
    );
    expect(html).toContain('<th>Step</th>');
    expect(html).toContain('<td>Train</td>');
    expect(html).toContain('<td>a | b</td>');
    expect(html).toContain('<a href="https://console.aws.amazon.com/">console</a>');
    expect(html).toContain('<details><summary>more</summary>');
    expect(html).not.toMatch(/<script|onclick|style=/);
  });

  it.each([
    ['a clean table', TABLE, []],
    ['a pipe escaped in a cell', `${TABLE}| Eval | a \\| b |\n`, []],
    ['HTML that closes', '<details><summary>x</summary>\n\ntext\n\n</details>\n<br> line<br/>', []],
    ['pipes inside code spans and blocks', '`a | b`\n\n```\n| not | a | table |\n```\n', []],
    [
      'a stray | splitting a cell',
      `${TABLE}| Eval | a | b |\n`,
      [
        'line 4: a table row with 3 cells under a header of 2 (an unescaped | inside a cell? GitHub drops the extra cells)',
      ],
    ],
    [
      'a row with a cell missing',
      `${TABLE}| Eval |\n`,
      ['line 4: a table row with 1 cells under a header of 2 (GitHub fills the missing cells with nothing)'],
    ],
    [
      'a blank line inside a table',
      `${TABLE}\n| Eval | ok |\n`,
      [
        'line 5: a table row outside any table (no header and delimiter row above it, or a blank line inside the table)',
      ],
    ],
    [
      'a table without its delimiter row',
      '| Step | Status |\n| Train | Failed |\n',
      [
        'line 1: a table row outside any table (no header and delimiter row above it, or a blank line inside the table)',
      ],
    ],
    ['unclosed HTML', '<details><summary>logs</summary>\n\ntext\n', ['line 1: <details> is never closed']],
    ['a closing tag without its opening', 'text </b>\n', ['line 1: </b> closes nothing']],
    ['HTML closed out of order', '<details>\n<b>bold\n</details>\n', ['line 2: <b> is not closed before </details>']],
  ])('%s', (_, markdown, problems) => {
    expect(summaryProblems(markdown)).toEqual(problems);
  });
});

function job(id: string, needs: string[] = []): JobResult {
  return {
    id,
    path: id,
    name: id,
    result: 'success',
    outcome: 'success',
    outputs: {},
    steps: [],
    summary: '',
    needs,
    startedAt: 0,
    durationMs: 0,
  };
}

describe('run report', () => {
  it('places each job one column right of the furthest job it needs', () => {
    const columns = graphColumns([job('deploy', ['test', 'build']), job('build'), job('test', ['build']), job('lint')]);
    expect(columns.map((column) => column.map((j) => j.id))).toEqual([['build', 'lint'], ['test'], ['deploy']]);
  });

  it('shows the masked log and summary, never the secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-'));
    const workflow = join(dir, 'masked.yml');
    writeFileSync(
      workflow,
      `name: masked
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo "token is \${{ secrets.DEPLOY_TOKEN }}"
      - run: printf '| name | value |\\n| --- | --- |\\n| secret | %s |\\n' "\${{ secrets.DEPLOY_TOKEN }}" >> "$GITHUB_STEP_SUMMARY"
  later:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - run: exit 3
`,
    );
    const result = await runWorkflow({
      workflow,
      event: 'push',
      endpoint: 'http://127.0.0.1:9',
      secrets: { DEPLOY_TOKEN: 'tok-3f9a1c-very-secret' },
    });
    const page = renderRunReport(result);
    expect(page).not.toContain('tok-3f9a1c-very-secret');
    expect(page).toContain('token is ***');
    expect(page).toMatch(/<td>secret<\/td>\s*<td>\*\*\*<\/td>/);
    expect(page).toMatch(/<details class="step failure" open>/);
    expect(page).toMatch(/<details class="step success">/);
    expect(page).toContain('data-job="later" data-needs="build"');
  });
});

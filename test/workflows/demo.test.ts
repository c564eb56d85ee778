/**
 * `npm run demo -- failure` as a person runs it, and its run reports as a person sees them: opened in headless
 * Chromium (Debian's, installed by scripts/setup-system.sh), read from what the browser shows.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobResult, WorkflowRunResult } from '../../local-runner/index.ts';
import { renderRunReport } from '../../local-runner/run-report.ts';
import { REPO_ROOT } from '../../local-runner/action-metadata.ts';

const CHROMIUM = '/usr/bin/chromium';
// Nothing leaves the machine: no updates, no sync, no QUIC probes; no GPU or sandbox in a container.
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface DemoRun {
  exitCode: number | null;
  stdout: string;
  reports: string[];
}

function runDemo(scenario: string): Promise<DemoRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'demo/run.ts'), scenario], {
      cwd: REPO_ROOT,
      env: { ...process.env, TMPDIR: mkdtempSync(join(tmpdir(), 'demo-')) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (exitCode) => {
      const reports = [...stdout.matchAll(/^ {2}run report: (\S+\.html)$/gm)].map((match) => match[1]!);
      resolve({ exitCode, stdout, reports });
    });
  });
}

let demo: DemoRun;
let promotion: DemoRun;
let browser: Browser;
beforeAll(async () => {
  promotion = await runDemo('promotion');
  demo = await runDemo('failure');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}, 240_000);
afterAll(async () => {
  await browser?.close();
});

async function open(report: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
  await page.goto(pathToFileURL(report).href);
  return page;
}

const reportOf = (name: string): string => {
  const report = demo.reports.find((file) => file.includes(`${name}-`));
  if (!report) throw new Error(`no run report for ${name} in:\n${demo.stdout}`);
  return report;
};

describe('npm run demo', () => {
  it('validates, promotes, approves and deploys, printing each run report', () => {
    expect(promotion.exitCode, promotion.stdout).toBe(0);
    expect(promotion.stdout).toMatch(/endpoint abalone: +InService on abalone-v1-\w+/);
    expect(promotion.reports.map((file) => /([a-z-]+)-\d+\.html$/.exec(file)?.[1])).toEqual([
      'pull-request',
      'approve-model',
      'promote',
    ]);
    for (const report of promotion.reports) expect(existsSync(report)).toBe(true);
    // The demo fails on a job summary that would not render on GitHub; none does.
    expect(promotion.stdout).not.toContain('would not render on GitHub');
    expect(demo.stdout).not.toContain('would not render on GitHub');
  });
});

describe('npm run demo -- failure', () => {
  it('fails a pull request with the failed step, its reason and its log excerpt', () => {
    expect(demo.exitCode, demo.stdout).toBe(0);
    expect(demo.stdout).toMatch(
      /Train \(Training\): Failed: AlgorithmError: framework error: XGBoostError: label must be in \[0,1\]/,
    );
    expect(demo.stdout).toMatch(/▸ Last 4 log lines of pipelines-\w+-Train-\w+\/algo-1-\d+/);
    expect(demo.stdout).toContain('[2026-11-30 09:14:06] ERROR - Reporting training FAILURE');
    expect(demo.stdout).toMatch(/validate \(training fails in dev\): +failure/);
  });

  it('rolls a blue/green update back and fails the wait, the old config still serving', () => {
    const serving = /endpoint abalone: InService on (abalone-v1-\w+)/.exec(demo.stdout)?.[1];
    expect(serving, demo.stdout).toBeDefined();
    // The RollingBack state itself lasts under a tenth of a second of wall time at 600×: a poll
    // may miss it on a busy machine, so the rollback is judged by the verdict, not by that line.
    expect(demo.stdout).toMatch(
      new RegExp(
        `wait-for-endpoint: abalone: the update to abalone-v2-\\w+ failed and was rolled back; the endpoint is InService on ${serving}`,
      ),
    );
    expect(demo.stdout).toMatch(/promote \(blue\/green update rolls back\): failure/);
  });

  it('writes one run report per run and prints its path', () => {
    expect(demo.reports.map((file) => /([a-z-]+)-\d+\.html$/.exec(file)?.[1])).toEqual([
      'pull-request',
      'approve-model',
      'promote',
    ]);
    for (const report of demo.reports) expect(existsSync(report)).toBe(true);
  });
});

describe('the run report in a browser', () => {
  it("shows the jobs, the execution's steps as a rendered table and no markdown table syntax", async () => {
    const page = await open(reportOf('pull-request'));
    try {
      await expect.poll(() => page.title()).toBe('pull request: failure');
      // The graph: the calling job with the called workflow's two jobs, each with status and duration.
      const nodes = page.locator('.graph .graph .node');
      expect(await nodes.allInnerTexts()).toEqual([
        expect.stringMatching(/^✓\s+plan\s+[\d.]+ m?s$/),
        expect.stringMatching(/^✗\s+dev\s+[\d.]+ m?s$/),
      ]);
      // Drawn edges only where `needs` says: plan and dev are independent.
      expect(await page.locator('.graph .graph svg.edges path').count()).toBe(0);

      // The dev job's summary: the execution's steps as a table, rendered.
      const dev = page.locator('section#job-validate-dev');
      await expect.poll(() => dev.isVisible()).toBe(true);
      const steps = dev.locator('.markdown-body table', { has: page.locator('th', { hasText: /^Step$/ }) });
      expect(await steps.count()).toBe(1);
      expect(await steps.locator('thead th').allInnerTexts()).toEqual(
        expect.arrayContaining(['Step', 'Type', 'Status', 'Duration']),
      );
      const train = steps.locator('tbody tr', { hasText: 'Train' });
      expect(await train.locator('td').allInnerTexts()).toEqual(
        expect.arrayContaining(['Train', 'Training', 'Failed']),
      );
      expect(await steps.locator('a').first().getAttribute('href')).toMatch(/^https:\/\/eu-west-1\.console\.aws/);

      // What a person reads: no markdown table syntax, no raw tags.
      const text = await page.locator('main').innerText();
      expect(text).not.toMatch(/^\s*\|.*\|\s*$/m);
      expect(text).not.toMatch(/\|\s*-{3,}/);
      expect(text).not.toMatch(/<\/?(br|code|details|table)>/);

      // Logs collapsed, the failed step's open, as GitHub shows them.
      const passed = dev.locator('details.step.success').first();
      expect(await passed.locator('pre.log').isVisible()).toBe(false);
      const failed = dev.locator('details.step.failure');
      expect(await failed.locator('summary').innerText()).toContain('Run it in dev');
      expect(await failed.locator('pre.log').innerText()).toContain('ERROR - XGBoostError');

      await page.screenshot({ path: join(tmpdir(), 'run-report-pull-request.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });

  it('draws an edge for each need, between the jobs it joins', async () => {
    const job = (id: string, needs: string[], result: JobResult['result'] = 'success'): JobResult => ({
      id,
      path: id,
      name: id,
      result,
      outcome: result,
      outputs: {},
      steps: [],
      summary: '',
      needs,
      startedAt: 0,
      durationMs: 1500,
    });
    const jobs = [
      job('build', []),
      job('lint', []),
      job('test', ['build']),
      job('deploy', ['test', 'lint'], 'failure'),
      job('notify', ['deploy'], 'skipped'),
    ];
    const result: WorkflowRunResult = {
      file: 'graph.yml',
      name: 'graph',
      conclusion: 'failure',
      jobs: Object.fromEntries(jobs.map((j) => [j.id, j])),
      outputs: {},
      errors: [],
      notes: [],
    };
    const file = join(mkdtempSync(join(tmpdir(), 'graph-')), 'graph.html');
    writeFileSync(file, renderRunReport(result));
    const page = await open(file);
    try {
      const columns = page.locator('.graph > .column');
      expect(await columns.count()).toBe(4);
      expect(await columns.nth(0).locator('.node .name').allInnerTexts()).toEqual(['build', 'lint']);
      expect(await columns.nth(2).locator('.node').innerText()).toMatch(/✗\s+deploy\s+1\.5 s/);
      await expect.poll(() => page.locator('svg.edges path').count()).toBe(4);
      // Each edge starts at the right side of a needed job and ends at the left side of the job needing it.
      const deploy = (await page.locator('.node[data-job="deploy"]').boundingBox())!;
      const graph = (await page.locator('.graph').boundingBox())!;
      const ends = await page
        .locator('svg.edges path')
        .evaluateAll((paths) => paths.map((path) => path.getAttribute('d')!.split(' ').slice(-2).map(Number)));
      expect(ends.filter(([x]) => Math.abs(x! - (deploy.x - graph.x)) < 1)).toHaveLength(2);
    } finally {
      await page.close();
    }
  });

  it('shows the rolled-back deployment in the promotion', async () => {
    const page = await open(reportOf('promote'));
    try {
      expect(await page.locator('header h1').innerText()).toContain('promote — failure');
      const failed = page.locator('details.step.failure');
      expect(await failed.locator('summary').innerText()).toContain('Wait until the endpoint serves it');
      expect(await failed.locator('pre.log').innerText()).toMatch(/failed and was rolled back/);
      const text = await page.locator('main').innerText();
      expect(text).not.toMatch(/^\s*\|.*\|\s*$/m);
      await page.screenshot({ path: join(tmpdir(), 'run-report-promote.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });
});

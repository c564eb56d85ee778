/** The CLI as a person runs it: step logs and rendered summaries printed, secrets masked, exit code. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../local-runner/action-metadata.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { useWorkflowFolder } from '../../testkit/workflow-folder.ts';
import { accountsWorld } from '../../testkit/worlds/actions.ts';

const emulator = useEmulator(accountsWorld);
const folder = useWorkflowFolder();

function cli(args: string[], input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'scripts/run-workflow.ts'), ...args], {
      env: { ...process.env, DEPLOY_TOKEN: 'tok-from-the-environment' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('local runner CLI', () => {
  it('prints step logs with secrets masked and job summaries rendered, and exits 0 on success', async () => {
    const workflow = folder.write(
      'cli.yml',
      `
on:
  workflow_dispatch:
    inputs:
      target: { type: string }
jobs:
  release:
    runs-on: ubuntu-latest
    environment: staging
    steps:
      - run: |
          echo "using \${{ secrets.API_KEY }} and $TOKEN for \${{ inputs.target }}"
          echo "::warning::careful"
          echo "## Release \${{ inputs.target }}" >> "$GITHUB_STEP_SUMMARY"
          echo "| key | value |" >> "$GITHUB_STEP_SUMMARY"
          echo "| --- | --- |" >> "$GITHUB_STEP_SUMMARY"
          echo "| **token** | \${{ secrets.DEPLOY_TOKEN }} |" >> "$GITHUB_STEP_SUMMARY"
        env:
          TOKEN: \${{ secrets.DEPLOY_TOKEN }}
`,
    );
    const report = join(mkdtempSync(join(tmpdir(), 'cli-report-')), 'run.html');
    const run = await cli([
      workflow,
      '--event=workflow_dispatch',
      `--endpoint=${emulator.endpoint}`,
      '--input=target=v2',
      '--secret=API_KEY=sk-cli-secret',
      '--secret=DEPLOY_TOKEN',
      '--approve=staging',
      `--report=${report}`,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/sk-cli-secret|tok-from-the-environment/);
    expect(run.stdout).toContain('using *** and *** for v2');
    expect(run.stdout).toContain('Warning: careful');
    expect(run.stdout).toMatch(/RELEASE V2\n\s+key\s+value\n\s+token\s+\*\*\*/);
    expect(run.stdout).toMatch(/━━ .*cli\.yml: success ━━/);
    // Beside the terminal log, the run's page: the same masked log, the summary rendered.
    expect(run.stdout).toContain(`run report: ${report}\n`);
    const page = readFileSync(report, 'utf8');
    expect(page).not.toMatch(/sk-cli-secret|tok-from-the-environment/);
    expect(page).toContain('using *** and *** for v2');
    expect(page).toMatch(/<h2>Release v2<\/h2>[\s\S]*<td><strong>token<\/strong><\/td>\s*<td>\*\*\*<\/td>/);
  });

  it("has the endpoint's emulator serve the OIDC tokens of jobs with id-token: write", async () => {
    const workflow = folder.write(
      'oidc.yml',
      `
on: push
permissions:
  id-token: write
jobs:
  assume:
    runs-on: ubuntu-latest
    steps:
      - id: role
        uses: $/assume-cross-account-role
        with:
          role-to-assume: arn:aws:iam::111111111111:role/github-runner
          aws-region: eu-west-1
      - run: echo "assumed in \${{ steps.role.outputs.aws-account-id }}"
`,
    );
    const run = await cli([workflow, '--event', 'push', '--endpoint', emulator.endpoint]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('assumed in 111111111111');
    expect(run.code).toBe(0);
  });

  it('asks at the terminal with --ask, and exits 1 when the answer is no', async () => {
    const workflow = folder.write(
      'ask.yml',
      `
on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - run: echo deployed
`,
    );
    const refused = await cli([workflow, '--event', 'push', '--endpoint', emulator.endpoint, '--ask'], 'n\n');
    expect(refused.stderr).toContain("Approve job 'deploy' deploying to environment 'production'? [y/N]");
    expect(refused.stdout).toContain("deployment to environment 'production' was not approved");
    expect(refused.code).toBe(1);
    const approved = await cli([workflow, '--event', 'push', '--endpoint', emulator.endpoint, '--ask'], 'y\n');
    expect(approved.stdout).toContain('deployed');
    expect(approved.code).toBe(0);
  });

  it('lists what is wrong with a workflow that cannot run, and exits 1', async () => {
    const workflow = folder.write(
      'broken.yml',
      `
on: push
jobs:
  broken:
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ steps.nothing.outputs.value }}"
`,
    );
    const run = await cli([workflow, '--event', 'push', '--endpoint', emulator.endpoint]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `${workflow} (Line: 7, Col: 14): steps.nothing: job 'broken' has no step with id 'nothing'`,
    );
    const usage = await cli([workflow]);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toMatch(/^--event is required\nusage: node scripts\/run-workflow\.ts/);
  });
});

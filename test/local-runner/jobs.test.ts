/** Jobs and steps: needs, if, outputs, runner files, masking, continue-on-error, timeouts, concurrent runs. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWorkflow } from '../../local-runner/workflow-runner.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { useWorkflowFolder } from '../../testkit/workflow-folder.ts';
import { accountsWorld } from '../../testkit/worlds/actions.ts';

const emulator = useEmulator(accountsWorld);
const folder = useWorkflowFolder();

describe('local runner: jobs and steps', () => {
  it('passes a run step output to later steps and, as a job output, to the jobs that need it', async () => {
    const workflow = folder.write(
      'outputs.yml',
      `
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    outputs:
      version: \${{ steps.version.outputs.value }}
    steps:
      - id: version
        run: |
          echo "value=1.2.\${{ github.run_attempt }}" >> "$GITHUB_OUTPUT"
          echo "notes<<EOF" >> "$GITHUB_OUTPUT"
          printf 'line one\\nline two\\n' >> "$GITHUB_OUTPUT"
          echo "EOF" >> "$GITHUB_OUTPUT"
      - run: echo "same job sees \${{ steps.version.outputs.value }} and \${{ steps.version.outcome }}"
  deploy:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - run: echo "deploying \${{ needs.build.outputs.version }} after \${{ needs.build.result }}"
`,
    );
    const result = await runWorkflow({ workflow, event: 'push', endpoint: emulator.endpoint });
    expect(result.errors).toEqual([]);
    expect(result.conclusion).toBe('success');
    const build = result.jobs['build']!;
    expect(build.steps[0]!.outputs).toEqual({ value: '1.2.1', notes: 'line one\nline two' });
    expect(build.steps[1]!.log).toBe('same job sees 1.2.1 and success');
    expect(build.outputs).toEqual({ version: '1.2.1' });
    expect(result.jobs['deploy']!.steps[0]!.log).toBe('deploying 1.2.1 after success');
  });

  it('skips jobs whose needs failed unless their if says otherwise, and evaluates job and step conditions', async () => {
    const workflow = folder.write(
      'conditions.yml',
      `
on: push
jobs:
  breaks:
    runs-on: ubuntu-latest
    steps:
      - run: exit 3
      - run: echo never
      - if: failure()
        run: echo "cleaning up after \${{ job.status }}"
      - if: always()
        run: echo always
  after:
    needs: breaks
    runs-on: ubuntu-latest
    steps:
      - run: echo not reached
  report:
    needs: [breaks, after]
    if: always() && needs.breaks.result == 'failure'
    runs-on: ubuntu-latest
    steps:
      - run: echo "breaks \${{ needs.breaks.result }}, after \${{ needs.after.result }}"
  never:
    if: github.ref == 'refs/heads/other'
    runs-on: ubuntu-latest
    steps:
      - run: echo not reached
`,
    );
    const result = await runWorkflow({ workflow, event: 'push', endpoint: emulator.endpoint });
    expect(result.conclusion).toBe('failure');
    expect(result.errors).toEqual([]);
    const breaks = result.jobs['breaks']!;
    expect(breaks.result).toBe('failure');
    expect(breaks.steps.map((step) => step.conclusion)).toEqual(['failure', 'skipped', 'success', 'success']);
    expect(breaks.steps[0]!.log).toBe('Error: Process completed with exit code 3.');
    expect(breaks.steps[2]!.log).toBe('cleaning up after failure');
    expect(result.jobs['after']!.result).toBe('skipped');
    expect(result.jobs['report']!.steps[0]!.log).toBe('breaks failure, after skipped');
    expect(result.jobs['never']!.result).toBe('skipped');
  });

  it('carries GITHUB_ENV and GITHUB_PATH to later steps and honours env, working-directory and continue-on-error', async () => {
    const workflow = folder.write(
      'env.yml',
      `
on: push
env:
  LEVEL: workflow
  SHARED: workflow
jobs:
  env:
    runs-on: ubuntu-latest
    env:
      SHARED: job
    defaults:
      run:
        shell: bash
    steps:
      - run: |
          mkdir -p tools sub/dir
          printf '#!/bin/sh\\necho tool ran\\n' > tools/hello-tool && chmod +x tools/hello-tool
          echo "$PWD/tools" >> "$GITHUB_PATH"
          echo "EXPORTED=from step one" >> "$GITHUB_ENV"
      - env:
          STEP: step
        run: echo "$LEVEL $SHARED $STEP $EXPORTED \${{ env.EXPORTED }} $(hello-tool)"
      - working-directory: sub/dir
        run: basename "$PWD"
      - id: flaky
        continue-on-error: true
        run: false | true; false
      - run: echo "flaky was \${{ steps.flaky.outcome }}/\${{ steps.flaky.conclusion }}"
`,
    );
    const result = await runWorkflow({ workflow, event: 'push', endpoint: emulator.endpoint });
    const steps = result.jobs['env']!.steps;
    expect(steps[1]!.log).toBe('workflow job step from step one from step one tool ran');
    expect(steps[2]!.log).toBe('dir');
    expect(steps[4]!.log).toBe('flaky was failure/success');
    expect(result.conclusion).toBe('success');
  });

  it('masks secrets and ::add-mask:: values in logs and summaries, and drops a job output that holds one', async () => {
    const workflow = folder.write(
      'masking.yml',
      `
on: push
jobs:
  secretive:
    runs-on: ubuntu-latest
    outputs:
      leaked: \${{ steps.masked.outputs.value }}
      fine: \${{ steps.masked.outputs.other }}
    steps:
      - id: masked
        run: |
          echo "::add-mask::generated-password-42"
          echo "value=generated-password-42" >> "$GITHUB_OUTPUT"
          echo "other=public" >> "$GITHUB_OUTPUT"
          echo "api key \${{ secrets.API_KEY }} in the summary" >> "$GITHUB_STEP_SUMMARY"
      - run: |
          echo "later: generated-password-42"
          echo "key: \${{ secrets.API_KEY }}"
`,
    );
    const logged: string[] = [];
    const result = await runWorkflow({
      workflow,
      event: 'push',
      endpoint: emulator.endpoint,
      secrets: { API_KEY: 'sk-live-abcdef' },
      onStepLog: (_job, _step, line) => logged.push(line),
    });
    const job = result.jobs['secretive']!;
    expect(job.steps[1]!.log).toBe('later: ***\nkey: ***');
    expect(job.summary).toBe('api key *** in the summary\n');
    expect(logged.join('\n')).not.toMatch(/generated-password-42|sk-live-abcdef/);
    expect(job.outputs).toEqual({ fine: 'public' });
    expect(result.notes).toEqual(["secretive: Skip output 'leaked' since it may contain secret."]);
  });

  it('fails a step that outlasts its timeout-minutes, on the scaled clock', async () => {
    const workflow = folder.write(
      'timeout.yml',
      `
on: push
jobs:
  slow:
    runs-on: ubuntu-latest
    steps:
      - timeout-minutes: 1
        run: sleep 30
      - if: always()
        run: echo "after \${{ job.status }}"
  whole-job:
    runs-on: ubuntu-latest
    timeout-minutes: 1
    steps:
      - run: sleep 30
`,
    );
    const started = Date.now();
    const result = await runWorkflow({ workflow, event: 'push', endpoint: emulator.endpoint, timeScale: 300 });
    expect(Date.now() - started).toBeLessThan(10_000);
    const steps = result.jobs['slow']!.steps;
    expect(steps[0]!.conclusion).toBe('failure');
    expect(steps[0]!.error).toBe('The action has timed out.');
    expect(steps[1]!.log).toBe('after failure');
    const wholeJob = result.jobs['whole-job']!;
    expect(wholeJob.result).toBe('failure');
    expect(wholeJob.error).toBe('the job has exceeded the maximum execution time of 1 minutes');
  });

  it("checks out a given folder, passes the caller's environment to every job, and gives each job its own folders", async () => {
    const source = join(folder.root, 'checkout-source');
    mkdirSync(join(source, 'config'), { recursive: true });
    writeFileSync(join(source, 'config', 'prod.json'), '{"instances": 2}');
    const workflow = folder.write(
      'checkout.yml',
      `
on:
  push:
  workflow_dispatch:
    inputs:
      target:
        type: string
        required: true
jobs:
  one:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: |
          cat config/prod.json
          echo " scale=$MLOPS_ACTIONS_CLOCK_SCALE endpoint=$AWS_ENDPOINT_URL target='\${{ inputs.target }}'"
          touch "$RUNNER_TEMP/mine"
  two:
    runs-on: ubuntu-latest
    steps:
      - run: ls "$RUNNER_TEMP" "$GITHUB_WORKSPACE" | grep -c mine || true
`,
    );
    const result = await runWorkflow({
      workflow,
      event: 'push',
      endpoint: emulator.endpoint,
      checkout: source,
      env: { MLOPS_ACTIONS_CLOCK_SCALE: '600' },
    });
    expect(result.jobs['one']!.steps[1]!.log).toBe(
      `{"instances": 2} scale=600 endpoint=${emulator.endpoint} target=''`,
    );
    expect(result.jobs['two']!.steps[0]!.log).toBe('0');
  });

  it('cancels running steps when the run is cancelled, still running if: always() steps and post steps', async () => {
    const workflow = folder.write(
      'cancel.yml',
      `
on: push
jobs:
  long:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    steps:
      - uses: $/assume-cross-account-role
        with:
          role-to-assume: arn:aws:iam::111111111111:role/github-runner
          aws-region: eu-west-1
      - run: |
          echo started
          sleep 30
      - run: echo not after cancel
      - if: always()
        run: echo "cleanup after \${{ job.status }}"
  next:
    needs: long
    runs-on: ubuntu-latest
    steps:
      - run: echo never
`,
    );
    const cancel = new AbortController();
    const started = Date.now();
    const result = await runWorkflow({
      workflow,
      event: 'push',
      endpoint: emulator.endpoint,
      oidcIssuer: emulator.admin,
      signal: cancel.signal,
      onStepLog: (_job, _step, line) => {
        if (line === 'started') cancel.abort();
      },
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.conclusion).toBe('cancelled');
    const steps = result.jobs['long']!.steps;
    expect(steps.map((step) => `${step.name}: ${step.conclusion}`)).toEqual([
      'Run $/assume-cross-account-role: success',
      'Run echo started: cancelled',
      'Run echo not after cancel: skipped',
      'Run echo "cleanup after ${{ job.status }}": success',
      'Post Run $/assume-cross-account-role: success',
    ]);
    expect(steps[3]!.log).toBe('cleanup after cancelled');
    expect(steps[4]!.log).toContain('Cleanup: cleared AWS_ACCESS_KEY_ID');
    expect(result.jobs['next']!.result).toBe('cancelled');
  });

  it('runs two workflows at once, and lets a caller act on a line a step prints', async () => {
    const flag = join(folder.root, 'approved.flag');
    const waiting = folder.write(
      'waiting.yml',
      `
on: push
jobs:
  gate:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo "waiting for approval"
          until [ -f "${flag}" ]; do sleep 0.05; done
          echo "approved"
`,
    );
    const approving = folder.write(
      'approving.yml',
      `
on: push
jobs:
  approve:
    runs-on: ubuntu-latest
    steps:
      - run: echo "touch the flag now"
`,
    );
    let sawWaiting = false;
    let approverRan: Promise<unknown> = Promise.resolve();
    const [gate] = await Promise.all([
      runWorkflow({
        workflow: waiting,
        event: 'push',
        endpoint: emulator.endpoint,
        onStepLog: (job, _step, line) => {
          if (job === 'gate' && line === 'waiting for approval') {
            sawWaiting = true;
            approverRan = runWorkflow({
              workflow: approving,
              event: 'push',
              endpoint: emulator.endpoint,
              onStepLog: (_job, _step, printed) => {
                if (printed === 'touch the flag now') writeFlag(flag);
              },
            });
          }
        },
      }),
    ]);
    await approverRan;
    expect(sawWaiting).toBe(true);
    expect(gate.jobs['gate']!.steps[0]!.log).toBe('waiting for approval\napproved');
    expect(existsSync(flag)).toBe(true);
  });
});

function writeFlag(file: string): void {
  writeFileSync(file, '');
}

/** concurrency: groups evaluated and reported; runs and jobs of one group queued, replaced and cancelled as on GitHub. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConcurrencyGroups, type ConcurrencyEvent } from '../../local-runner/concurrency.ts';
import type { JobResult, RunWorkflowOptions, WorkflowRunResult } from '../../local-runner/types.ts';
import { runWorkflow } from '../../local-runner/workflow-runner.ts';
import { useWorkflowFolder } from '../../testkit/workflow-folder.ts';

// No step here calls AWS, so the endpoint is never contacted.
const endpoint = 'http://127.0.0.1:9';
const folder = useWorkflowFolder();

/** A step that holds its job until the test writes the file: the test decides when a run ends, not the clock. */
const HOLD = 'while [ ! -f "$RELEASE_FILE" ]; do sleep 0.05; done';

/** A registry whose events the test can wait for. */
function observedGroups(): {
  groups: ConcurrencyGroups;
  events: ConcurrencyEvent[];
  seen(kind: string, who: string): Promise<void>;
} {
  const events: ConcurrencyEvent[] = [];
  const waiting: { kind: string; who: string; resolve: () => void }[] = [];
  const groups = new ConcurrencyGroups({
    onEvent: (event) => {
      events.push(event);
      for (const waiter of waiting)
        if (event.kind === waiter.kind && event.holder.includes(waiter.who)) waiter.resolve();
    },
  });
  return {
    groups,
    events,
    seen: (kind, who) =>
      events.some((event) => event.kind === kind && event.holder.includes(who))
        ? Promise.resolve()
        : new Promise((resolve) => waiting.push({ kind, who, resolve })),
  };
}

function releaseFile(): { path: string; release(): void } {
  const path = join(mkdtempSync(join(tmpdir(), 'concurrency-')), 'release');
  return { path, release: () => writeFileSync(path, '') };
}

const ended = (job: JobResult): number => job.startedAt + job.durationMs;

describe('local runner: concurrency', () => {
  it('evaluates the groups of the workflow and of each job and leg, and reports them', async () => {
    const workflow = folder.write(
      'groups.yml',
      `
on: push
concurrency:
  group: promote-\${{ github.ref }}
  cancel-in-progress: \${{ github.ref != 'refs/heads/main' }}
jobs:
  plan:
    runs-on: ubuntu-latest
    concurrency: plan-\${{ github.ref_name }}
    steps:
      - run: echo plan
  deploy:
    needs: plan
    runs-on: ubuntu-latest
    strategy:
      matrix:
        pipeline: [training, inference]
    concurrency:
      group: deploy-\${{ matrix.pipeline }}-\${{ strategy.job-index }}
      queue: max
    steps:
      - run: echo deploy
`,
    );
    const result = await runWorkflow({ workflow, event: 'push', endpoint });
    expect(result.notes).toEqual([]);
    expect(result.concurrency).toEqual({
      group: 'promote-refs/heads/main',
      cancelInProgress: false,
      queue: 'single',
      waited: false,
    });
    expect(result.jobs['plan']!.concurrency).toMatchObject({ group: 'plan-main', cancelInProgress: false });
    expect(result.jobs['deploy']!.legs!.map((leg) => leg.concurrency)).toEqual([
      { group: 'deploy-training-0', cancelInProgress: false, queue: 'max', waited: false },
      { group: 'deploy-inference-1', cancelInProgress: false, queue: 'max', waited: false },
    ]);
  });

  const queued = folder.write(
    'queued.yml',
    `
name: promote
on: push
concurrency:
  group: promote-prod
  cancel-in-progress: false
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: ${HOLD}; echo "deployed by \${{ github.run_id }}"
`,
  );
  const start = (runId: string, file: string, groups: ConcurrencyGroups, extra: Partial<RunWorkflowOptions> = {}) =>
    runWorkflow({
      workflow: queued,
      event: 'push',
      endpoint,
      runId,
      concurrencyGroups: groups,
      env: { RELEASE_FILE: file },
      ...extra,
    });

  it('runs two runs of one group started together one after the other', async () => {
    const groups = new ConcurrencyGroups();
    const file = releaseFile();
    file.release();
    const runs = await Promise.all([start('201', file.path, groups), start('202', file.path, groups)]);
    expect(runs.map((run) => run.conclusion)).toEqual(['success', 'success']);
    const [first, second] = [...runs].sort((a, b) => Number(a.concurrency!.waited) - Number(b.concurrency!.waited));
    expect([first!.concurrency!.waited, second!.concurrency!.waited]).toEqual([false, true]);
    expect(second!.jobs['deploy']!.startedAt).toBeGreaterThanOrEqual(ended(first!.jobs['deploy']!));
  });

  it('keeps one run pending behind the running one: a newer pending run replaces the older, which is cancelled', async () => {
    const { groups, events, seen } = observedGroups();
    const file = releaseFile();
    const first = start('301', file.path, groups);
    await seen('running', '(run 301)');
    const second = start('302', file.path, groups);
    await seen('pending', '(run 302)');
    const third = start('303', file.path, groups);
    await seen('pending', '(run 303)');
    expect(groups.state('PROMOTE-PROD')).toEqual({ running: 'promote (run 301)', pending: ['promote (run 303)'] });
    file.release();
    const [a, b, c] = (await Promise.all([first, second, third])) as [
      WorkflowRunResult,
      WorkflowRunResult,
      WorkflowRunResult,
    ];

    expect(a.conclusion).toBe('success');
    expect(a.jobs['deploy']!.steps[0]!.log).toBe('deployed by 301');
    const replaced = "Canceling since a higher priority waiting request for 'promote-prod' exists";
    expect(b.conclusion).toBe('cancelled');
    expect(b.concurrency).toMatchObject({ group: 'promote-prod', waited: true, cancelled: replaced });
    expect(b.jobs['deploy']).toMatchObject({ result: 'cancelled', steps: [], error: replaced });
    expect(c.conclusion).toBe('success');
    expect(c.concurrency).toEqual({ group: 'promote-prod', cancelInProgress: false, queue: 'single', waited: true });
    expect(c.jobs['deploy']!.startedAt).toBeGreaterThanOrEqual(ended(a.jobs['deploy']!));
    expect(events.map((event) => `${event.kind} ${event.holder}`)).toEqual([
      'running promote (run 301)',
      'pending promote (run 302)',
      'cancelled promote (run 302)',
      'pending promote (run 303)',
      'released promote (run 301)',
      'running promote (run 303)',
      'released promote (run 303)',
    ]);
  });

  it('with cancel-in-progress, cancels the running run and starts once it has stopped', async () => {
    const { groups, seen } = observedGroups();
    const file = releaseFile();
    const impatient = folder.write(
      'impatient.yml',
      `
name: promote
on: push
concurrency:
  group: promote-prod
  cancel-in-progress: true
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: echo "deployed by \${{ github.run_id }}"
`,
    );
    const first = start('401', file.path, groups);
    await seen('running', '(run 401)');
    const second = await start('402', file.path, groups, { workflow: impatient });
    const cancelled = await first;
    expect(cancelled.conclusion).toBe('cancelled');
    expect(cancelled.concurrency!.cancelled).toBe(
      "Canceling since a higher priority waiting request for 'promote-prod' exists",
    );
    expect(cancelled.jobs['deploy']!.steps[0]!.outcome).toBe('cancelled');
    expect(second.conclusion).toBe('success');
    expect(second.concurrency).toMatchObject({ cancelInProgress: true, waited: true });
    expect(second.jobs['deploy']!.startedAt).toBeGreaterThanOrEqual(ended(cancelled.jobs['deploy']!));
  });

  it('applies job groups inside one run: legs of one group queue, and a newer pending leg replaces an older one', async () => {
    const { groups, seen } = observedGroups();
    const file = releaseFile();
    const workflow = folder.write(
      'job-groups.yml',
      `
on: push
jobs:
  migrate:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        step: [first, second, third]
    concurrency: database
    steps:
      - if: matrix.step == 'first'
        run: ${HOLD}
      - run: echo "\${{ matrix.step }}"
  in-turn:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        step: [first, second, third]
    concurrency:
      group: schema
      queue: max
    steps:
      - run: echo "\${{ matrix.step }}"
`,
    );
    const running = runWorkflow({
      workflow,
      event: 'push',
      endpoint,
      concurrencyGroups: groups,
      env: { RELEASE_FILE: file.path },
    });
    await seen('cancelled', 'migrate (second)');
    file.release();
    const result = await running;
    const migrate = result.jobs['migrate']!.legs!;
    expect(migrate.map((leg) => [leg.result, leg.concurrency?.waited, leg.concurrency?.cancelled ?? ''])).toEqual([
      ['success', false, ''],
      ['cancelled', true, "Canceling since a higher priority waiting request for 'database' exists"],
      ['success', true, ''],
    ]);
    expect(result.jobs['migrate']!.result).toBe('cancelled');
    const inTurn = result.jobs['in-turn']!.legs!;
    expect(inTurn.map((leg) => [leg.result, leg.concurrency?.waited])).toEqual([
      ['success', false],
      ['success', true],
      ['success', true],
    ]);
    expect(inTurn[1]!.startedAt).toBeGreaterThanOrEqual(ended(inTurn[0]!));
    expect(inTurn[2]!.startedAt).toBeGreaterThanOrEqual(ended(inTurn[1]!));
  });

  it('cancels a job whose group its own workflow holds, as the deadlock GitHub reports', async () => {
    const workflow = folder.write(
      'deadlock.yml',
      `
on: push
concurrency: prod
jobs:
  deploy:
    runs-on: ubuntu-latest
    concurrency: PROD
    steps:
      - run: echo never
`,
    );
    const result = await runWorkflow({ workflow, event: 'push', endpoint });
    expect(result.conclusion).toBe('cancelled');
    expect(result.jobs['deploy']).toMatchObject({
      result: 'cancelled',
      steps: [],
      error:
        "Canceling since a deadlock for concurrency group 'PROD' was detected between 'top level workflow' and 'deploy'",
    });
  });
});

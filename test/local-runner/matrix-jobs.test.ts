/** Matrix jobs run: a matrix from a needed job's output, leg names and contexts, fail-fast, merged outputs, reusable workflows. */
import { describe, expect, it } from 'vitest';
import { WorkflowDefinitionError } from '../../local-runner/errors.ts';
import { renderRunReport } from '../../local-runner/run-report.ts';
import type { JobResult } from '../../local-runner/types.ts';
import { runWorkflow } from '../../local-runner/workflow-runner.ts';
import { useWorkflowFolder } from '../../testkit/workflow-folder.ts';

// No step here calls AWS, so the endpoint is never contacted.
const endpoint = 'http://127.0.0.1:9';
const folder = useWorkflowFolder();
const run = (workflow: string) => runWorkflow({ workflow, event: 'push', endpoint });
const legs = (job: JobResult | undefined): JobResult[] => job?.legs ?? [];

describe('local runner: matrix jobs', () => {
  it("expands a matrix from a needed job's output once that job has run, with matrix and strategy contexts", async () => {
    const workflow = folder.write(
      'from-json.yml',
      `
on: push
jobs:
  plan:
    runs-on: ubuntu-latest
    outputs:
      pipelines: \${{ steps.plan.outputs.pipelines }}
      extra: \${{ steps.plan.outputs.extra }}
    steps:
      - id: plan
        run: |
          echo 'pipelines=[{"name":"training","run-now":true},{"name":"inference","run-now":false}]' >> "$GITHUB_OUTPUT"
          echo 'extra=[{"pipeline":{"name":"batch","run-now":false},"schedule":"daily"}]' >> "$GITHUB_OUTPUT"
  promote:
    needs: plan
    name: promote \${{ matrix.pipeline.name }}
    runs-on: ubuntu-latest
    strategy:
      matrix:
        pipeline: \${{ fromJSON(needs.plan.outputs.pipelines) }}
        include: \${{ fromJSON(needs.plan.outputs.extra) }}
    steps:
      - run: >-
          echo "\${{ matrix.pipeline.name }} now=\${{ matrix.pipeline.run-now }} schedule='\${{ matrix.schedule }}'
          \${{ strategy.job-index }}/\${{ strategy.job-total }} fail-fast=\${{ strategy.fail-fast }}
          max-parallel=\${{ strategy.max-parallel }}"
  report:
    needs: promote
    runs-on: ubuntu-latest
    steps:
      - run: echo "promote \${{ needs.promote.result }}"
`,
    );
    const result = await run(workflow);
    expect(result.errors).toEqual([]);
    expect(result.conclusion).toBe('success');
    const promote = result.jobs['promote']!;
    expect(legs(promote).map((leg) => [leg.name, leg.steps[0]!.log])).toEqual([
      ['promote training', "training now=true schedule='' 0/3 fail-fast=true max-parallel=3"],
      ['promote inference', "inference now=false schedule='' 1/3 fail-fast=true max-parallel=3"],
      ['promote batch', "batch now=false schedule='daily' 2/3 fail-fast=true max-parallel=3"],
    ]);
    expect(legs(promote)[2]!.leg).toEqual({
      index: 2,
      total: 3,
      matrix: { pipeline: { name: 'batch', 'run-now': false }, schedule: 'daily' },
    });
    expect(new Set(legs(promote).map((leg) => leg.path)).size).toBe(3);
    expect(promote.result).toBe('success');
    expect(result.jobs['report']!.steps[0]!.log).toBe('promote success');
  });

  it("names legs GitHub's way when the name has no expression", async () => {
    const workflow = folder.write(
      'names.yml',
      `
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        os: [linux, windows]
        go: [1.20]
    steps:
      - run: echo "\${{ matrix.os }} \${{ matrix.go }}"
  test:
    name: Test
    runs-on: ubuntu-latest
    strategy:
      matrix:
        shard: [1, 2]
    steps:
      - run: echo "\${{ matrix.shard }}"
`,
    );
    const result = await run(workflow);
    expect(legs(result.jobs['build']).map((leg) => leg.name)).toEqual(['build (linux, 1.2)', 'build (windows, 1.2)']);
    expect(legs(result.jobs['test']).map((leg) => leg.name)).toEqual(['Test (1)', 'Test (2)']);
    expect(legs(result.jobs['build']).map((leg) => leg.steps[0]!.log)).toEqual(['linux 1.2', 'windows 1.2']);

    // The run's page shows the legs inside their job's node, and a section with the steps of each.
    const page = renderRunReport(result);
    for (const leg of [...legs(result.jobs['build']), ...legs(result.jobs['test'])]) {
      expect(page).toContain(`<span class="name">${leg.name}</span>`);
      expect(page).toContain(`id="job-${leg.path.replace(/[^\w-]+/g, '-')}"`);
    }
    expect(page.match(/<div class="legs">/g)).toHaveLength(2);
  });

  it('with fail-fast, cancels the legs still running and those not started once one fails', async () => {
    const workflow = folder.write(
      'fail-fast.yml',
      `
on: push
jobs:
  parallel:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        leg: [breaks, waits]
    steps:
      - if: matrix.leg == 'breaks'
        run: exit 1
      - if: matrix.leg == 'waits'
        run: while true; do sleep 0.1; done
  one-at-a-time:
    runs-on: ubuntu-latest
    strategy:
      max-parallel: 1
      matrix:
        leg: [breaks, second, third]
    steps:
      - run: test "\${{ matrix.leg }}" != breaks
  no-fail-fast:
    runs-on: ubuntu-latest
    strategy:
      fail-fast: false
      max-parallel: 1
      matrix:
        leg: [breaks, second]
    steps:
      - run: test "\${{ matrix.leg }}" != breaks
  experimental:
    runs-on: ubuntu-latest
    continue-on-error: \${{ matrix.experimental }}
    strategy:
      max-parallel: 1
      matrix:
        leg: [stable]
        experimental: [false]
        include:
          - leg: next
            experimental: true
          - leg: after
            experimental: false
    steps:
      - run: test "\${{ matrix.leg }}" != next
  report:
    needs: [parallel, no-fail-fast, experimental]
    if: always()
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ needs.parallel.result }} \${{ needs.no-fail-fast.result }} \${{ needs.experimental.result }}"
`,
    );
    const result = await run(workflow);
    expect(result.conclusion).toBe('failure');
    const parallel = legs(result.jobs['parallel']);
    expect(parallel.map((leg) => leg.result)).toEqual(['failure', 'cancelled']);
    expect(parallel[1]!.error).toBe('The strategy configuration was canceled because "parallel (breaks)" failed');
    expect(parallel[1]!.steps[1]!.outcome).toBe('cancelled');

    const oneAtATime = legs(result.jobs['one-at-a-time']);
    expect(oneAtATime.map((leg) => [leg.result, leg.steps.length])).toEqual([
      ['failure', 1],
      ['cancelled', 0],
      ['cancelled', 0],
    ]);
    expect(result.jobs['one-at-a-time']!.result).toBe('failure');

    expect(legs(result.jobs['no-fail-fast']).map((leg) => leg.result)).toEqual(['failure', 'success']);
    const experimental = legs(result.jobs['experimental']);
    expect(experimental.map((leg) => [leg.name, leg.outcome, leg.result])).toEqual([
      ['experimental (stable, false)', 'success', 'success'],
      ['experimental (next, true)', 'failure', 'success'],
      ['experimental (after, false)', 'success', 'success'],
    ]);
    expect(result.jobs['report']!.steps[0]!.log).toBe('failure failure success');
  });

  it('gives the jobs that need a matrix job the last non-empty value of each output', async () => {
    const workflow = folder.write(
      'outputs.yml',
      `
on: push
jobs:
  register:
    runs-on: ubuntu-latest
    strategy:
      max-parallel: 1
      matrix:
        leg: [first, second, third]
    outputs:
      package: \${{ steps.register.outputs.package }}
      first-only: \${{ steps.register.outputs.first-only }}
    steps:
      - id: register
        run: |
          case "\${{ matrix.leg }}" in
            first) echo "package=arn:first" >> "$GITHUB_OUTPUT"; echo "first-only=yes" >> "$GITHUB_OUTPUT" ;;
            second) echo "package=arn:second" >> "$GITHUB_OUTPUT" ;;
            third) echo "package=" >> "$GITHUB_OUTPUT" ;;
          esac
  deploy:
    needs: register
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ needs.register.outputs.package }} \${{ needs.register.outputs.first-only }}"
`,
    );
    const result = await run(workflow);
    expect(legs(result.jobs['register']).map((leg) => leg.outputs['package'])).toEqual(['arn:first', 'arn:second', '']);
    expect(result.jobs['register']!.outputs).toEqual({ package: 'arn:second', 'first-only': 'yes' });
    expect(result.jobs['deploy']!.steps[0]!.log).toBe('arn:second yes');
  });

  it('runs a reusable workflow per leg, taking outputs from the legs that succeeded, and matrices inside it', async () => {
    folder.write(
      'per-pipeline.yml',
      `
on:
  workflow_call:
    inputs:
      name:
        type: string
        required: true
    outputs:
      seen:
        value: \${{ jobs.work.outputs.seen }}
jobs:
  work:
    runs-on: ubuntu-latest
    outputs:
      seen: \${{ steps.work.outputs.seen }}
    steps:
      - id: work
        run: |
          echo "seen=\${{ inputs.name }}" >> "$GITHUB_OUTPUT"
          test "\${{ inputs.name }}" != bad
  regions:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        region: [eu-west-1, us-east-1]
    steps:
      - run: echo "\${{ inputs.name }} in \${{ matrix.region }}"
`,
    );
    const workflow = folder.write(
      'calls.yml',
      `
on: push
jobs:
  promote:
    strategy:
      fail-fast: false
      max-parallel: 1
      matrix:
        name: [good, bad]
    uses: ./.github/workflows/per-pipeline.yml
    with:
      name: \${{ matrix.name }}
  after:
    needs: promote
    if: always()
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ needs.promote.result }} \${{ needs.promote.outputs.seen }}"
`,
    );
    const result = await run(workflow);
    const promote = legs(result.jobs['promote']);
    expect(promote.map((leg) => [leg.name, leg.result, leg.outputs['seen']])).toEqual([
      ['promote (good)', 'success', 'good'],
      ['promote (bad)', 'failure', 'bad'],
    ]);
    const regions = legs(promote[0]!.workflow!.jobs['regions']);
    expect(regions.map((leg) => [leg.path, leg.steps[0]!.log])).toEqual([
      ['promote (good) / regions (eu-west-1)', 'good in eu-west-1'],
      ['promote (good) / regions (us-east-1)', 'good in us-east-1'],
    ]);
    // The bad leg finished last but failed: a called workflow's leg counts only when it succeeded.
    expect(result.jobs['after']!.steps[0]!.log).toBe('failure good');
  });

  it('fails the job as GitHub does when a matrix from an output is empty', async () => {
    const workflow = folder.write(
      'empty.yml',
      `
on: push
jobs:
  plan:
    runs-on: ubuntu-latest
    outputs:
      pipelines: \${{ steps.plan.outputs.pipelines }}
    steps:
      - id: plan
        run: echo "pipelines=[]" >> "$GITHUB_OUTPUT"
  promote:
    needs: plan
    runs-on: ubuntu-latest
    strategy:
      matrix:
        pipeline: \${{ fromJSON(needs.plan.outputs.pipelines) }}
    steps:
      - run: echo never
  after:
    needs: promote
    runs-on: ubuntu-latest
    steps:
      - run: echo never
`,
    );
    const result = await run(workflow);
    expect(result.conclusion).toBe('failure');
    const message =
      /^Error when evaluating 'strategy' for job 'promote'\. \S+empty\.yml \(Line: 16, Col: 9\): Matrix vector 'pipeline' does not contain any values$/;
    expect(result.jobs['promote']!.result).toBe('failure');
    expect(result.jobs['promote']!.error).toMatch(message);
    expect(result.errors).toEqual([expect.stringMatching(message)]);
    expect(result.jobs['after']!.result).toBe('skipped');
  });

  it('refuses, before the run, matrix keys no combination has and matrix references in jobs without one', async () => {
    const workflow = folder.write(
      'strict.yml',
      `
on: push
jobs:
  literal:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        region: [eu-west-1]
        include:
          - region: eu-west-1
            pipeline:
              name: training
    steps:
      - run: echo "\${{ matrix.regoin }} \${{ matrix.pipeline.nmae }} \${{ strategy.index }}"
  plain:
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ matrix.region }} \${{ strategy.job-total }}"
  empty:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        region: []
    steps:
      - run: echo hi
`,
    );
    const problems = await run(workflow).then(
      () => [],
      (error: unknown) => (error instanceof WorkflowDefinitionError ? error.problems : [String(error)]),
    );
    expect(problems.map((line) => line.replace(/^.*?\): /, ''))).toEqual([
      "matrix.regoin: no combination of the matrix of job 'literal' has 'regoin' (its keys: region, pipeline)",
      "matrix.pipeline.nmae: no combination of the matrix of job 'literal' has 'nmae' (its keys: name)",
      "strategy.index: the strategy context has fail-fast, job-index, job-total and max-parallel, not 'index'",
      "matrix.region: job 'plain' has no strategy.matrix",
      "Matrix vector 'region' does not contain any values",
    ]);
  });

  it('gives null for a key only other legs have, and fails at run time for one no leg has', async () => {
    const workflow = folder.write(
      'strict-at-run.yml',
      `
on: push
jobs:
  plan:
    runs-on: ubuntu-latest
    outputs:
      matrix: \${{ steps.plan.outputs.matrix }}
    steps:
      - id: plan
        run: echo 'matrix={"include":[{"name":"a","schedule":"daily"},{"name":"b"}]}' >> "$GITHUB_OUTPUT"
  promote:
    needs: plan
    runs-on: ubuntu-latest
    strategy:
      fail-fast: false
      matrix: \${{ fromJSON(needs.plan.outputs.matrix) }}
    steps:
      - run: echo "\${{ matrix.name }} '\${{ matrix.schedule }}'"
      - run: echo "\${{ matrix.shedule }}"
`,
    );
    const result = await run(workflow);
    const promote = legs(result.jobs['promote']);
    expect(promote.map((leg) => leg.steps[0]!.log)).toEqual(["a 'daily'", "b ''"]);
    expect(promote[0]!.steps[1]!.error).toMatch(
      /matrix\.shedule: no combination of the matrix of job 'promote' has 'shedule' \(its keys: name, schedule\)/,
    );
    expect(result.conclusion).toBe('failure');
  });
});

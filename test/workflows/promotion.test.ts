/**
 * The reusable workflows run through the local runner over the real bundles,
 * in the demo world (dev, prod, central registry): the trust conditions, the
 * order of the promotion and the strictness that catches broken workflows.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { readWorldFile } from '../../emulator/world.ts';
import { platformSetup } from '../../demo/platform.ts';
import { runWorkflow, type RunWorkflowOptions, type WorkflowRunResult } from '../../local-runner/index.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { REPO_ROOT } from '../../local-runner/action-metadata.ts';

const SCALE = 600;
const EXAMPLE = join(REPO_ROOT, 'examples/ml-pipelines');
const emulator = useEmulator(() => readWorldFile(join(REPO_ROOT, 'emulator/worlds/demo.yaml')));

beforeEach(async () => {
  await emulator.admin.setClockScale(SCALE);
  await platformSetup(emulator.endpoint);
});

/** A copy of the example repository with one caller workflow of the test's own. */
function repository(caller: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ml-pipelines-'));
  cpSync(EXAMPLE, dir, { recursive: true });
  writeFileSync(join(dir, '.github/workflows/caller.yml'), caller);
  return dir;
}

const PROMOTE_WITH = `
      aws-region: eu-west-1
      prod-role-arn: arn:aws:iam::222222222222:role/github-deploy
      registry-role-chain: arn:aws:iam::333333333333:role/registry-reader
      pipeline-name: abalone
      definition-file: pipelines/abalone.json
      substitutions-file: config/prod.json
      pipeline-role-arn: arn:aws:iam::222222222222:role/sagemaker-execution
      endpoint-name: abalone
      endpoint-role-arn: arn:aws:iam::222222222222:role/sagemaker-execution
      parameters: '{"ModelApprovalStatus": "Approved"}'`;

function caller(environment: string): string {
  return `name: caller
on: push
permissions:
  id-token: write
  contents: read
jobs:
  promote:
    uses: org/mlops-actions/.github/workflows/promote.yml@v1
    with:
      environment: '${environment}'${PROMOTE_WITH}
`;
}

async function run(dir: string, options: Partial<RunWorkflowOptions>): Promise<WorkflowRunResult> {
  return runWorkflow({
    workflow: join(dir, '.github/workflows/caller.yml'),
    event: 'push',
    endpoint: emulator.endpoint,
    oidcIssuer: emulator.admin,
    checkout: dir,
    env: { MLOPS_ACTIONS_CLOCK_SCALE: String(SCALE) },
    approve: 'all',
    ...options,
  });
}

function steps(result: WorkflowRunResult) {
  return result.jobs['promote']?.workflow?.jobs['promote']?.steps ?? [];
}

async function prodMutations(): Promise<string[]> {
  return (await emulator.admin.calls())
    .filter((call) => call.account === '222222222222' && call.mutating && call.status === 200)
    .map((call) => call.operation);
}

describe('promote.yml', () => {
  it('promotes to prod from main: pipeline, execution, approved package, endpoint on the new config', async () => {
    const result = await run(repository(caller('production')), { ref: 'refs/heads/main' });
    expect(result.errors).toEqual([]);
    expect(result.conclusion).toBe('success');
    const outputs = result.jobs['promote']?.workflow?.outputs ?? {};
    expect(outputs['execution-status']).toBe('Succeeded');
    expect(outputs['model-package-arn']).toMatch(
      /^arn:aws:sagemaker:eu-west-1:333333333333:model-package\/abalone\/1$/,
    );
    expect(outputs['endpoint-config-name']).toMatch(/^abalone-v1-/);
  });

  it('a push from another branch cannot assume the prod role', async () => {
    // Without an environment the token's sub names the branch; the prod role trusts only main.
    const result = await run(repository(caller('')), { ref: 'refs/heads/feature/deeper-trees' });
    expect(result.conclusion).toBe('failure');
    const credentials = steps(result).find((step) => step.name === 'Prod credentials');
    expect(credentials?.outcome).toBe('failure');
    expect(credentials?.log).toContain("sub 'repo:example-org/ml-pipelines:ref:refs/heads/feature/deeper-trees'");
    expect(credentials?.log).toContain('AccessDenied');
    expect(await prodMutations()).toEqual([]);

    const fromMain = await run(repository(caller('')), { ref: 'refs/heads/main' });
    expect(steps(fromMain).find((step) => step.name === 'Prod credentials')?.outcome).toBe('success');
  });

  it('an execution that fails in prod stops the promotion before any deployment', async () => {
    await emulator.admin.setScenario({
      pipelines: {
        abalone: { steps: { Train: { outcome: 'Failed', failureReason: 'AlgorithmError: out of memory' } } },
      },
    });
    const result = await run(repository(caller('production')), { ref: 'refs/heads/main' });
    expect(result.conclusion).toBe('failure');
    const outcomes = Object.fromEntries(steps(result).map((step) => [step.id ?? step.name, step.outcome]));
    expect(outcomes['execution']).toBe('failure');
    expect(outcomes['gate']).toBe('skipped');
    expect(outcomes['deploy']).toBe('skipped');
    const deployments = (await prodMutations()).filter((op) => /Model$|EndpointConfig|Endpoint$/.test(op));
    expect(deployments).toEqual([]);
  });

  it('a misspelled step output in the workflow makes the run fail before anything runs', async () => {
    const dir = repository(caller('production'));
    const promote = join(REPO_ROOT, '.github/workflows/promote.yml');
    const broken = readFileSync(promote, 'utf8').replace(
      'steps.deploy.outputs.endpoint-config-name }}\n          aws-region',
      'steps.deploy.outputs.endpoint-config }}\n          aws-region',
    );
    expect(broken).not.toBe(readFileSync(promote, 'utf8'));
    writeFileSync(join(dir, '.github/workflows/promote.yml'), broken);
    await emulator.admin.clearCalls();
    writeFileSync(
      join(dir, '.github/workflows/caller.yml'),
      caller('production').replace(
        'org/mlops-actions/.github/workflows/promote.yml@v1',
        './.github/workflows/promote.yml',
      ),
    );
    const outcome = await run(dir, { ref: 'refs/heads/main' }).then(
      (result) => result.errors.join('\n'),
      (error: Error & { problems?: string[] }) => (error.problems ?? [error.message]).join('\n'),
    );
    expect(outcome).toMatch(/endpoint-config/);
    expect(await emulator.admin.calls()).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ service: 'sagemaker' })]),
    );
  });
});

/**
 * The local promotion demo: the embedded AWS emulator with a dev, a prod and a
 * central registry account, and the example ML pipelines repository's
 * workflows run by the local workflow runner over the real action bundles —
 * validate on a pull request, promote on the merge to main, and a reviewer's
 * approval while the promotion waits for it.
 *
 *   npm run demo
 */
import { join } from 'node:path';
import { EmulatorAdmin } from '../emulator/admin-client.ts';
import { startEmulator } from '../emulator/server.ts';
import { readWorldFile } from '../emulator/world.ts';
import { runWorkflow, type RunWorkflowOptions, type WorkflowRunResult } from '../local-runner/index.ts';
import { formatJobEnd, formatJobStart, formatRunEnd, formatStep } from '../local-runner/terminal-report.ts';
import { ACCOUNTS, platformSetup } from './platform.ts';

const ROOT = join(import.meta.dirname, '..');
const EXAMPLE = join(ROOT, 'examples/ml-pipelines');
// Simulated time runs 600× faster: a 3-minute pipeline takes a third of a second.
const TIME_SCALE = 600;
// Prod trains for 61 simulated minutes, longer than the one-hour sessions AWS gives: the promotion's
// profiles renew themselves while it waits (its log says "Renewed the AWS credentials of profile …").
const PROD_TRAINING_SECONDS = 61 * 60;

function printing(options: RunWorkflowOptions): RunWorkflowOptions {
  return {
    ...options,
    onJobStart: (job) => process.stdout.write(formatJobStart(job)),
    onStepEnd: (job, step) => process.stdout.write(formatStep(job, step)),
    onJobEnd: (job) => process.stdout.write(formatJobEnd(job)),
  };
}

async function run(title: string, options: RunWorkflowOptions): Promise<WorkflowRunResult> {
  console.log(`\n══════ ${title} ══════`);
  const result = await runWorkflow(printing(options));
  process.stdout.write(formatRunEnd(result));
  return result;
}

async function main(): Promise<boolean> {
  const started = Date.now();
  const emulator = await startEmulator({
    port: 0,
    world: await readWorldFile(join(ROOT, 'emulator/worlds/demo.yaml')),
    timeScale: TIME_SCALE,
  });
  try {
    console.log(
      `AWS emulator at ${emulator.endpoint}: dev ${ACCOUNTS.dev}, prod ${ACCOUNTS.prod}, registry ${ACCOUNTS.registry}`,
    );
    await platformSetup(emulator.endpoint);
    const common = {
      endpoint: emulator.endpoint,
      checkout: EXAMPLE,
      repository: 'example-org/ml-pipelines',
      env: { MLOPS_ACTIONS_CLOCK_SCALE: String(TIME_SCALE) },
    };

    const validate = await run('pull request #7: validate (plan against prod, run in dev)', {
      ...common,
      workflow: join(EXAMPLE, '.github/workflows/pull-request.yml'),
      event: 'pull_request',
      ref: 'refs/heads/feature/deeper-trees',
      pullRequestNumber: 7,
      runId: '7000000001',
    });

    await new EmulatorAdmin(emulator.endpoint).setScenario({
      pipelines: { abalone: { steps: { Train: { durationSeconds: PROD_TRAINING_SECONDS } } } },
    });
    // The merge to main promotes; when it waits for the model's approval, a reviewer approves it.
    let approval: Promise<WorkflowRunResult> | undefined;
    const promote = await run('merge to main: promote (prod, environment "production" approved)', {
      ...common,
      workflow: join(EXAMPLE, '.github/workflows/main.yml'),
      event: 'push',
      ref: 'refs/heads/main',
      runId: '7000000002',
      approve: ['production'],
      onStepLog: (_job, _step, line) => {
        const waiting = /(arn:aws:sagemaker:\S+:model-package\/\S+\/\d+): PendingManualApproval/.exec(line);
        if (!waiting || approval) return;
        approval = run('reviewer: approve the model (workflow_dispatch, environment "model-approval" approved)', {
          ...common,
          workflow: join(EXAMPLE, '.github/workflows/approve.yml'),
          event: 'workflow_dispatch',
          ref: 'refs/heads/main',
          runId: '7000000003',
          actor: 'ml-reviewer',
          inputs: {
            'model-package-arn': waiting[1]!,
            decision: 'approve',
            reason: 'RMSE 2.1 on the holdout set, better than production',
          },
          approve: ['model-approval'],
        });
      },
    });
    const approved = await approval;

    const outputs = promote.jobs['promote']?.workflow?.outputs ?? {};
    console.log('\n══════ result ══════');
    console.log(`  validate:               ${validate.conclusion}`);
    console.log(`  approve:                ${approved?.conclusion ?? 'never asked'}`);
    console.log(`  promote:                ${promote.conclusion}`);
    console.log(`  prod pipeline version:  ${outputs['pipeline-version-id'] || '-'}`);
    console.log(`  prod execution:         ${outputs['execution-status'] || '-'} ${outputs['execution-arn'] ?? ''}`);
    console.log(`  approved model package: ${outputs['model-package-arn'] || '-'}`);
    console.log(
      `  endpoint abalone:       ${outputs['endpoint-config-name'] ? `InService on ${outputs['endpoint-config-name']}` : '-'}`,
    );
    console.log(`  took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return validate.conclusion === 'success' && promote.conclusion === 'success' && approved?.conclusion === 'success';
  } finally {
    await emulator.close();
  }
}

process.exitCode = (await main()) ? 0 : 1;

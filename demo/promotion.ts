/**
 * The promotion as it should go: a pull request validated (plan against prod, run in dev), the merge to main
 * promoting to prod, and a reviewer's approval while the promotion waits for it.
 */
import { promoteWithApproval, run, workflowFile, type DemoSession } from './session.ts';

// Prod trains for 61 simulated minutes, longer than the one-hour sessions AWS gives: the promotion's
// profiles renew themselves while it waits (its log says "Renewed the AWS credentials of profile …").
const PROD_TRAINING_SECONDS = 61 * 60;

export async function promotionScenario(session: DemoSession): Promise<boolean> {
  const validate = await run(session, 'pull request #7: validate (plan against prod, run in dev)', {
    ...session.common,
    workflow: workflowFile('pull-request.yml'),
    event: 'pull_request',
    ref: 'refs/heads/feature/deeper-trees',
    pullRequestNumber: 7,
    runId: '7000000001',
  });
  await session.admin.setScenario({
    pipelines: { abalone: { steps: { Train: { durationSeconds: PROD_TRAINING_SECONDS } } } },
  });
  const { promote, approval } = await promoteWithApproval(session, '7000000002');

  const outputs = promote.jobs['promote']?.workflow?.outputs ?? {};
  console.log('\n══════ result ══════');
  console.log(`  validate:               ${validate.conclusion}`);
  console.log(`  approve:                ${approval?.conclusion ?? 'never asked'}`);
  console.log(`  promote:                ${promote.conclusion}`);
  console.log(`  prod pipeline version:  ${outputs['pipeline-version-id'] || '-'}`);
  console.log(`  prod execution:         ${outputs['execution-status'] || '-'} ${outputs['execution-arn'] ?? ''}`);
  console.log(`  approved model package: ${outputs['model-package-arn'] || '-'}`);
  console.log(
    `  endpoint abalone:       ${outputs['endpoint-config-name'] ? `InService on ${outputs['endpoint-config-name']}` : '-'}`,
  );
  return validate.conclusion === 'success' && promote.conclusion === 'success' && approval?.conclusion === 'success';
}

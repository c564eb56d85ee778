/**
 * What going wrong looks like. An earlier promotion (not shown) has put a model on the prod endpoint. Then:
 * a pull request whose training fails in dev — start-execution fails the check with the step's reason and the
 * last lines of its training job's log; and a merge whose blue/green update trips its alarm — SageMaker rolls
 * the endpoint back to the old config, which keeps serving, and wait-for-endpoint fails the promotion.
 */
import { promoteWithApproval, run, workflowFile, type DemoSession } from './session.ts';

const TRAINING_FAILURE = {
  pipelines: {
    abalone: {
      steps: {
        Train: {
          outcome: 'Failed' as const,
          failureReason:
            'AlgorithmError: framework error: XGBoostError: label must be in [0,1] for logistic regression',
          logLines: [
            '[2026-11-30 09:14:02] INFO - Reading training data from /opt/ml/input/data/train',
            '[2026-11-30 09:14:05] INFO - objective=binary:logistic num_round=50 max_depth=8',
            '[2026-11-30 09:14:06] ERROR - XGBoostError: label must be in [0,1] for logistic regression',
            '[2026-11-30 09:14:06] ERROR - Reporting training FAILURE',
          ],
        },
      },
    },
  },
};

const ROLLBACK = {
  endpoints: {
    abalone: {
      updateOutcome: 'RolledBack' as const,
      updateFailureReason:
        'Blue/green deployment stopped: the new fleet failed its health checks during the baking period; traffic is back on the previous fleet',
      logLines: [
        'ERROR: model server returned 500 for 37 of 120 health checks: cannot load model.tar.gz (XGBoost 2.1 model, server has 1.7)',
      ],
    },
  },
};

export async function failureScenario(session: DemoSession): Promise<boolean> {
  console.log('\n(an earlier promotion, not shown, has deployed a model to the prod endpoint abalone)');
  const earlier = await promoteWithApproval(session, '8000000001', false);
  const liveConfig = earlier.promote.jobs['promote']?.workflow?.outputs['endpoint-config-name'];
  if (earlier.promote.conclusion !== 'success' || !liveConfig) {
    console.log(`  the earlier promotion did not succeed (${earlier.promote.conclusion}); stopping`);
    return false;
  }
  console.log(`  endpoint abalone: InService on ${liveConfig}`);

  await session.admin.setScenario(TRAINING_FAILURE);
  const validate = await run(session, 'pull request #8: validate — training fails in dev', {
    ...session.common,
    workflow: workflowFile('pull-request.yml'),
    event: 'pull_request',
    ref: 'refs/heads/feature/logistic-objective',
    pullRequestNumber: 8,
    runId: '8000000002',
  });

  await session.admin.setScenario(ROLLBACK);
  const { promote } = await promoteWithApproval(session, '8000000003');

  const outputs = promote.jobs['promote']?.workflow?.outputs ?? {};
  console.log('\n══════ result ══════');
  console.log(`  validate (training fails in dev):      ${validate.conclusion}`);
  console.log(`  promote (blue/green update rolls back): ${promote.conclusion}`);
  console.log(`  endpoint abalone still serves:          ${liveConfig}`);
  console.log(
    `  deployed and rolled back:               ${outputs['endpoint-config-name'] || '(config not reported)'}`,
  );
  // The scenario shows failures: it succeeds when both runs failed the way they should.
  return validate.conclusion === 'failure' && promote.conclusion === 'failure';
}

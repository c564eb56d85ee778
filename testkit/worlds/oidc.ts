/**
 * The actions' world plus roles whose trust policies look at one claim each,
 * so a test sees which claims the local runner's jobs carry.
 */
import type { World } from '../../emulator/admin-client.ts';
import { DEV, githubTrust, PROD, REPO, roleArn } from './accounts.ts';
import { accountsWorld } from './actions.ts';

export const OIDC_ROLES = {
  /** Trusts only jobs that deploy to the production environment. */
  productionOnly: roleArn(PROD, 'production-environment-only'),
  /** Trusts only pull request runs. */
  pullRequestOnly: roleArn(DEV, 'pull-request-only'),
  /** Trusts only jobs of the reusable workflow deploy-called.yml. */
  calledWorkflowOnly: roleArn(DEV, 'called-workflow-only'),
};

export const oidcWorld: World = {
  ...accountsWorld,
  roles: [
    ...(accountsWorld.roles ?? []),
    {
      arn: OIDC_ROLES.productionOnly,
      trustPolicy: githubTrust(PROD, { equals: { sub: `repo:${REPO}:environment:production` } }),
    },
    {
      arn: OIDC_ROLES.pullRequestOnly,
      trustPolicy: githubTrust(DEV, { equals: { sub: `repo:${REPO}:pull_request` } }),
    },
    {
      arn: OIDC_ROLES.calledWorkflowOnly,
      trustPolicy: githubTrust(DEV, {
        like: { job_workflow_ref: `${REPO}/.github/workflows/deploy-called.yml@refs/heads/*` },
      }),
    },
  ],
};

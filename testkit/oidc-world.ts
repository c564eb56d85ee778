/**
 * The accounts world plus roles whose trust policies look at one claim each,
 * so a test sees which claims the local runner's jobs carry.
 */
import type { World } from '../emulator/admin-client.ts';
import { accountsWorld, DEV, PROD } from './accounts-world.ts';

const GITHUB = 'token.actions.githubusercontent.com';

export const OIDC_ROLES = {
  /** Trusts only jobs that deploy to the production environment. */
  productionOnly: `arn:aws:iam::${PROD}:role/production-environment-only`,
  /** Trusts only pull request runs. */
  pullRequestOnly: `arn:aws:iam::${DEV}:role/pull-request-only`,
  /** Trusts only jobs of the reusable workflow deploy-called.yml. */
  calledWorkflowOnly: `arn:aws:iam::${DEV}:role/called-workflow-only`,
};

/** A GitHub OIDC trust policy with the audience check and one condition on `claim`. */
function trust(account: string, claim: string, value: string, operator: 'StringEquals' | 'StringLike'): object {
  const audience = { [`${GITHUB}:aud`]: 'sts.amazonaws.com' };
  const condition = { [`${GITHUB}:${claim}`]: value };
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${account}:oidc-provider/${GITHUB}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition:
          operator === 'StringEquals'
            ? { StringEquals: { ...audience, ...condition } }
            : { StringEquals: audience, StringLike: condition },
      },
    ],
  };
}

export const oidcWorld: World = {
  ...accountsWorld,
  roles: [
    ...(accountsWorld.roles ?? []),
    {
      arn: OIDC_ROLES.productionOnly,
      trustPolicy: trust(PROD, 'sub', 'repo:example-org/ml-pipelines:environment:production', 'StringEquals'),
    },
    {
      arn: OIDC_ROLES.pullRequestOnly,
      trustPolicy: trust(DEV, 'sub', 'repo:example-org/ml-pipelines:pull_request', 'StringEquals'),
    },
    {
      arn: OIDC_ROLES.calledWorkflowOnly,
      trustPolicy: trust(
        DEV,
        'job_workflow_ref',
        'example-org/ml-pipelines/.github/workflows/deploy-called.yml@refs/heads/*',
        'StringLike',
      ),
    },
  ],
};

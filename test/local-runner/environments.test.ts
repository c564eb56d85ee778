/**
 * Environments and OIDC: approval gates a job before it starts, and the job's
 * token carries the claims GitHub would send, so trust policies on the
 * environment, the event and the calling workflow decide as they would on AWS.
 */
import { describe, expect, it } from 'vitest';
import { runWorkflow } from '../../local-runner/workflow-runner.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { useWorkflowFolder } from '../../testkit/workflow-folder.ts';
import { PROD } from '../../testkit/worlds/accounts.ts';
import { OIDC_ROLES, oidcWorld } from '../../testkit/worlds/oidc.ts';

const emulator = useEmulator(oidcWorld);
const folder = useWorkflowFolder();

const assume = (role: string): string => `
      - id: role
        uses: $/assume-cross-account-role
        with:
          role-to-assume: ${role}
          aws-region: eu-west-1`;

describe('local runner: environments and OIDC', () => {
  it('does not start a job whose environment is not approved', async () => {
    const workflow = folder.write(
      'refused.yml',
      `
on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    permissions:
      id-token: write
    steps:${assume(OIDC_ROLES.productionOnly)}
      - run: echo deployed
`,
    );
    const started: string[] = [];
    const asked: string[] = [];
    const result = await runWorkflow({
      workflow,
      event: 'push',
      endpoint: emulator.endpoint,
      oidcIssuer: emulator.admin,
      approve: (request) => {
        asked.push(`${request.job} → ${request.environment}`);
        return false;
      },
      onJobStart: (job) => started.push(job),
    });
    expect(asked).toEqual(['deploy → production']);
    expect(started).toEqual([]);
    const deploy = result.jobs['deploy']!;
    expect(deploy.result).toBe('failure');
    expect(deploy.steps).toEqual([]);
    expect(deploy.error).toBe("deployment to environment 'production' was not approved; the job did not start");
    expect(await emulator.admin.calls()).toEqual([]);
    expect(result.conclusion).toBe('failure');
  });

  it("puts the job's environment into the token's sub: a role trusting only environment:production works from that environment alone", async () => {
    const workflow = folder.write(
      'environment-sub.yml',
      `
on: push
permissions:
  id-token: write
jobs:
  with-environment:
    runs-on: ubuntu-latest
    environment:
      name: production
      url: https://console.example/\${{ steps.role.outputs.aws-account-id }}
    steps:${assume(OIDC_ROLES.productionOnly)}
  without-environment:
    runs-on: ubuntu-latest
    steps:${assume(OIDC_ROLES.productionOnly)}
`,
    );
    const result = await runWorkflow({
      workflow,
      event: 'push',
      endpoint: emulator.endpoint,
      oidcIssuer: emulator.admin,
      approve: ['production'],
    });
    const approved = result.jobs['with-environment']!;
    expect(approved.result).toBe('success');
    expect(approved.steps[0]!.outputs['aws-account-id']).toBe(PROD);
    expect(approved.environment).toEqual({ name: 'production', url: `https://console.example/${PROD}` });
    const plain = result.jobs['without-environment']!;
    expect(plain.result).toBe('failure');
    expect(plain.steps[0]!.log).toMatch(/AccessDenied|not authorized/i);
  });

  it('gives a job no token without id-token: write', async () => {
    const workflow = folder.write(
      'no-permission.yml',
      `
on: push
jobs:
  no-token:
    runs-on: ubuntu-latest
    environment: production
    permissions:
      contents: read
    steps:
      - run: echo "url=\${ACTIONS_ID_TOKEN_REQUEST_URL:-none}"
`,
    );
    const result = await runWorkflow({
      workflow,
      event: 'push',
      endpoint: emulator.endpoint,
      oidcIssuer: emulator.admin,
      approve: 'all',
    });
    expect(result.jobs['no-token']!.steps[0]!.log).toBe('url=none');
  });

  it('says pull_request in the sub of a pull request run', async () => {
    const workflow = folder.write(
      'pull-request.yml',
      `
on: pull_request
permissions:
  id-token: write
jobs:
  plan:
    runs-on: ubuntu-latest
    steps:${assume(OIDC_ROLES.pullRequestOnly)}
      - run: echo "\${{ github.ref }} from \${{ github.head_ref }} into \${{ github.base_ref }} (#\${{ github.event.number }})"
`,
    );
    const pullRequest = await runWorkflow({
      workflow,
      event: 'pull_request',
      ref: 'refs/heads/feature/better-features',
      endpoint: emulator.endpoint,
      oidcIssuer: emulator.admin,
    });
    expect(pullRequest.conclusion).toBe('success');
    expect(pullRequest.jobs['plan']!.steps[1]!.log).toBe(
      'refs/pull/1/merge from feature/better-features into main (#1)',
    );
  });

  it("names a called workflow's file in job_workflow_ref, so a role can trust one reusable workflow", async () => {
    folder.write(
      'deploy-called.yml',
      `
on:
  workflow_call:
    outputs:
      account:
        value: \${{ jobs.assume.outputs.account }}
jobs:
  assume:
    runs-on: ubuntu-latest
    outputs:
      account: \${{ steps.role.outputs.aws-account-id }}
    steps:${assume(OIDC_ROLES.calledWorkflowOnly)}
`,
    );
    const workflow = folder.write(
      'caller.yml',
      `
on: push
permissions:
  id-token: write
jobs:
  direct:
    runs-on: ubuntu-latest
    steps:${assume(OIDC_ROLES.calledWorkflowOnly)}
  called:
    uses: ./.github/workflows/deploy-called.yml
`,
    );
    const result = await runWorkflow({
      workflow,
      event: 'push',
      endpoint: emulator.endpoint,
      oidcIssuer: emulator.admin,
    });
    expect(result.jobs['direct']!.result).toBe('failure');
    expect(result.jobs['called']!.result).toBe('success');
    expect(result.jobs['called']!.outputs).toEqual({ account: '111111111111' });
  });
});

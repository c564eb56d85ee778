/**
 * The world of the least-privilege proofs: the three accounts under IAM authorization, in each an
 * admin user (which sets up what a path needs) and role `under-test`, which holds exactly the
 * policy a proof grants that account.
 */
import type { World, WorldRole } from '../../emulator/admin-client.ts';
import type { Policy } from '../least-privilege.ts';
import { assumeChain } from '../credentials.ts';
import { ACCOUNTS, githubProvider, roleArn, roleTrust, userArn, type Keys } from './accounts.ts';

const ADMIN_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

/** Long-lived keys of each account's admin user, which sets up what a path needs. */
export function adminKeys(account: string): { accessKeyId: string; secretAccessKey: string } {
  return {
    accessKeyId: `AKIAADMIN${account}`.slice(0, 20),
    secretAccessKey: `admin/${account}/secret/for/tests/only/0000`,
  };
}

export const underTestRole = (account: string) => roleArn(account, 'under-test');

// Sessions age on the simulated clock: AWS's longest (12 hours, 72 wall seconds at 600×) keeps
// a slow machine from expiring them under a proof that is not about expiry.
const SESSION_SECONDS = 43_200;

/** In each account, role `under-test` holds the policy given for that account (or none). */
export function leastPrivilegeWorld(grants: Record<string, Policy>, extraRoles: WorldRole[] = []): World {
  return {
    authorization: 'iam',
    accounts: ACCOUNTS.map((id) => ({
      id,
      users: [{ name: 'admin', ...adminKeys(id), policies: [{ name: 'admin', document: ADMIN_POLICY }] }],
    })),
    oidcProviders: ACCOUNTS.map(githubProvider),
    roles: [
      ...ACCOUNTS.map((account) => ({
        arn: underTestRole(account),
        maxSessionDuration: SESSION_SECONDS,
        trustPolicy: roleTrust([userArn(account, 'admin')], { tagSession: false }),
        policies: grants[account] ? [{ name: 'action-policy', document: grants[account] }] : [],
      })),
      ...extraRoles,
    ],
  };
}

/** Session keys of the account's `under-test` role, from its admin user. */
export function underTestCredentials(endpoint: string, account: string): Promise<Keys> {
  return assumeChain(endpoint, adminKeys(account), [
    { roleArn: underTestRole(account), sessionName: 'least-privilege', durationSeconds: SESSION_SECONDS },
  ]);
}

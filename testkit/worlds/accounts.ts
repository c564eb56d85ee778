/**
 * The three accounts every test world is made of, and the pieces the worlds build their roles from:
 * dev (where CI starts), prod (where models are deployed) and the central registry. Worlds differ
 * in their users, roles and authorization; the accounts, the GitHub OIDC provider and the shape of
 * a trust policy are written here once.
 */
import type { WorldOidcProvider } from '../../emulator/admin-client.ts';

export const DEV = '111111111111';
export const PROD = '222222222222';
export const REGISTRY = '333333333333';
export const ACCOUNTS = [DEV, PROD, REGISTRY];

/** The region the actions' jobs act in. */
export const REGION = 'eu-west-1';

/** The caller repository whose workflows the worlds trust. */
export const REPO = 'example-org/ml-pipelines';

/** GitHub's OIDC issuer host, as IAM names the provider and prefixes its condition keys. */
export const GITHUB_OIDC = 'token.actions.githubusercontent.com';

/** Access keys as the SDK takes them: a user's long-lived pair, or a session's three parts. */
export interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const roleArn = (account: string, name: string): string => `arn:aws:iam::${account}:role/${name}`;
export const userArn = (account: string, name: string): string => `arn:aws:iam::${account}:user/${name}`;

export function githubProvider(account: string): WorldOidcProvider {
  return { account, url: GITHUB_OIDC, clientIds: ['sts.amazonaws.com'] };
}

type Conditions = Record<string, string | string[]>;

/**
 * Trust for GitHub OIDC tokens of the account's provider. The audience is always checked; `equals`
 * and `like` add conditions on claims (keys without the issuer prefix, e.g. `sub`).
 */
export function githubTrust(account: string, claims: { equals?: Conditions; like?: Conditions } = {}): object {
  const prefixed = (conditions: Conditions = {}) =>
    Object.fromEntries(Object.entries(conditions).map(([claim, value]) => [`${GITHUB_OIDC}:${claim}`, value]));
  const like = prefixed(claims.like);
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${account}:oidc-provider/${GITHUB_OIDC}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { [`${GITHUB_OIDC}:aud`]: 'sts.amazonaws.com', ...prefixed(claims.equals) },
          ...(Object.keys(like).length > 0 ? { StringLike: like } : {}),
        },
      },
    ],
  };
}

/** Trust for principals (roles, users, accounts) calling AssumeRole, with session tags unless told otherwise. */
export function roleTrust(principals: string[], options: { tagSession?: boolean; externalId?: string } = {}): object {
  const actions = options.tagSession === false ? ['sts:AssumeRole'] : ['sts:AssumeRole', 'sts:TagSession'];
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: principals },
        Action: actions,
        ...(options.externalId ? { Condition: { StringEquals: { 'sts:ExternalId': options.externalId } } } : {}),
      },
    ],
  };
}

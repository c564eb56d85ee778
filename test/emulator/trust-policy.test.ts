/** The IAM trust policy evaluator on its own. */
import { describe, expect, it } from 'vitest';
import { evaluateTrustPolicy, globMatch, type TrustPrincipal } from '../../emulator/trust-policy.ts';
import type { PolicyDocument } from '../../emulator/types.ts';

const ACCT = '111111111111';
const user: TrustPrincipal = { type: 'user', accountId: ACCT, arn: `arn:aws:iam::${ACCT}:user/alice` };
const session: TrustPrincipal = {
  type: 'assumed-role',
  accountId: ACCT,
  roleArn: `arn:aws:iam::${ACCT}:role/hub`,
  sessionArn: `arn:aws:sts::${ACCT}:assumed-role/hub/s1`,
};
const github: TrustPrincipal = {
  type: 'web-identity',
  providerArn: `arn:aws:iam::${ACCT}:oidc-provider/token.actions.githubusercontent.com`,
};
const GH = 'token.actions.githubusercontent.com';

function policy(...Statement: PolicyDocument['Statement'][]): PolicyDocument {
  return { Version: '2012-10-17', Statement: Statement.flat() };
}

const allowAccount = { Effect: 'Allow' as const, Principal: { AWS: ACCT }, Action: 'sts:AssumeRole' };

describe('evaluateTrustPolicy', () => {
  it('denies by default and lets an explicit Deny win over an Allow', () => {
    expect(evaluateTrustPolicy(policy([]), { principal: user, action: 'sts:AssumeRole', context: {} })).toBe(
      'implicit-deny',
    );
    expect(evaluateTrustPolicy(policy(allowAccount), { principal: user, action: 'sts:AssumeRole', context: {} })).toBe(
      'allow',
    );
    const withDeny = policy(allowAccount, { Effect: 'Deny', Principal: '*', Action: 'sts:*' });
    expect(evaluateTrustPolicy(withDeny, { principal: user, action: 'sts:AssumeRole', context: {} })).toBe('deny');
  });

  it('matches principals by account, root ARN, role ARN of a session, and user ARN', () => {
    const allow = (AWS: string | string[]) => policy({ Effect: 'Allow', Principal: { AWS }, Action: 'sts:AssumeRole' });
    const decide = (p: PolicyDocument, principal: TrustPrincipal) =>
      evaluateTrustPolicy(p, { principal, action: 'sts:AssumeRole', context: {} });
    expect(decide(allow(`arn:aws:iam::${ACCT}:root`), session)).toBe('allow');
    expect(decide(allow('222222222222'), session)).toBe('implicit-deny');
    expect(decide(allow(`arn:aws:iam::${ACCT}:role/hub`), session)).toBe('allow');
    expect(decide(allow(`arn:aws:iam::${ACCT}:role/hub`), user)).toBe('implicit-deny');
    expect(decide(allow(['x', `arn:aws:iam::${ACCT}:user/alice`]), user)).toBe('allow');
    expect(decide(allow('*'), github)).toBe('allow');
    expect(decide(allow(`arn:aws:iam::${ACCT}:root`), github)).toBe('implicit-deny');
  });

  it('matches actions with wildcards, case-insensitively', () => {
    const p = policy({ Effect: 'Allow', Principal: '*', Action: ['sts:Assume*', 'STS:tagsession'] });
    for (const action of ['sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity', 'sts:TagSession']) {
      expect(evaluateTrustPolicy(p, { principal: user, action, context: {} })).toBe('allow');
    }
    expect(evaluateTrustPolicy(p, { principal: user, action: 'sts:SetSourceIdentity', context: {} })).toBe(
      'implicit-deny',
    );
  });

  it('evaluates StringLike with * and ?, StringEquals lists as OR, and blocks as AND', () => {
    const p = policy({
      Effect: 'Allow',
      Principal: { Federated: github.type === 'web-identity' ? github.providerArn : '' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { [`${GH}:aud`]: ['sts.amazonaws.com', 'other'] },
        StringLike: { [`${GH}:sub`]: 'repo:org/app:ref:refs/heads/release-?.*' },
      },
    });
    const decide = (sub: string, aud = 'sts.amazonaws.com') =>
      evaluateTrustPolicy(p, {
        principal: github,
        action: 'sts:AssumeRoleWithWebIdentity',
        context: { [`${GH}:sub`]: sub, [`${GH}:AUD`]: aud },
      });
    expect(decide('repo:org/app:ref:refs/heads/release-1.2')).toBe('allow');
    expect(decide('repo:org/app:ref:refs/heads/release-12.2')).toBe('implicit-deny');
    expect(decide('repo:org/app:ref:refs/heads/release-1.2', 'wrong')).toBe('implicit-deny');
  });

  it('treats negated operators as true when the key is absent and ForAnyValue/ForAllValues over sets', () => {
    const base = { Effect: 'Allow' as const, Principal: '*' as const, Action: 'sts:*' };
    const decide = (
      Condition: Record<string, Record<string, string | string[]>>,
      context: Record<string, string | string[]>,
    ) => evaluateTrustPolicy(policy({ ...base, Condition }), { principal: user, action: 'sts:TagSession', context });

    expect(decide({ StringNotEquals: { 'sts:ExternalId': 'x' } }, {})).toBe('allow');
    expect(decide({ StringNotLike: { 'sts:ExternalId': 'x*' } }, { 'sts:ExternalId': 'xyz' })).toBe('implicit-deny');

    const anyTeam = { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team', 'cost-center'] } };
    expect(decide(anyTeam, { 'aws:TagKeys': ['run', 'team'] })).toBe('allow');
    expect(decide(anyTeam, { 'aws:TagKeys': ['run'] })).toBe('implicit-deny');
    expect(decide(anyTeam, {})).toBe('implicit-deny');

    const onlyKnown = { 'ForAllValues:StringLike': { 'aws:TagKeys': ['team', 'run*'] } };
    expect(decide(onlyKnown, { 'aws:TagKeys': ['team', 'run-id'] })).toBe('allow');
    expect(decide(onlyKnown, { 'aws:TagKeys': ['team', 'owner'] })).toBe('implicit-deny');
    expect(decide(onlyKnown, {})).toBe('allow');

    expect(decide({ StringEqualsIfExists: { 'sts:ExternalId': 'x' } }, {})).toBe('allow');
    expect(decide({ Null: { 'sts:ExternalId': 'false' } }, {})).toBe('implicit-deny');
  });

  it('reads aws:PrincipalAccount and sts:ExternalId from the request context', () => {
    const p = policy({
      Effect: 'Allow',
      Principal: '*',
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:PrincipalAccount': ACCT, 'sts:ExternalId': 'mlops-prod' } },
    });
    const ok = { 'aws:PrincipalAccount': ACCT, 'sts:ExternalId': 'mlops-prod' };
    expect(evaluateTrustPolicy(p, { principal: session, action: 'sts:AssumeRole', context: ok })).toBe('allow');
    expect(
      evaluateTrustPolicy(p, {
        principal: session,
        action: 'sts:AssumeRole',
        context: { ...ok, 'aws:PrincipalAccount': '2' },
      }),
    ).toBe('implicit-deny');
  });
});

describe('globMatch', () => {
  it('escapes regex characters and anchors the match', () => {
    expect(globMatch('a.b', 'a.b', false)).toBe(true);
    expect(globMatch('axb', 'a.b', false)).toBe(false);
    expect(globMatch('repo:o/r:ref:x', 'repo:o/r:*', false)).toBe(true);
    expect(globMatch('xrepo:o/r:ref', 'repo:*', false)).toBe(false);
    expect(globMatch('ABC', 'a?c', true)).toBe(true);
  });
});

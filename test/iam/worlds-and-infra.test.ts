/**
 * Where the shipped policies are used: the demo world and the example repository's
 * infrastructure (CloudFormation and Terraform) hold them, placeholders filled, and nothing else.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../local-runner/action-metadata.ts';
import {
  PLACEHOLDERS,
  POLICY_ACTIONS as ACTIONS,
  shippedPolicy,
  type Statement,
} from '../../testkit/least-privilege.ts';

const INFRA = join(REPO_ROOT, 'examples/ml-pipelines/infra');

/** Keys sorted, one-element lists as lists, CloudFormation's Fn::Sub strings as the strings they template. */
function canonical(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v));
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (Object.keys(record).length === 1 && typeof record['Fn::Sub'] === 'string')
      return canonical(record['Fn::Sub'], key);
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((k) => [k, canonical(record[k], k)]),
    );
  }
  return (key === 'Action' || key === 'Resource') && typeof value === 'string' ? [value] : value;
}

// A placeholder stands for a value: literal name characters, or a CloudFormation/Terraform reference.
const VALUE = String.raw`(?:[A-Za-z0-9._/*-]|\$\{[A-Za-z0-9_:.]+\})+`;

const SHIPPED = new Map<string, { action: string; pattern: RegExp }>();
for (const action of ACTIONS) {
  for (const statement of shippedPolicy(action).Statement) {
    expect(SHIPPED.has(statement.Sid), `Sid ${statement.Sid} is used once across the actions`).toBe(false);
    let pattern = JSON.stringify(canonical(statement)).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const name of [...PLACEHOLDERS].sort((a, b) => b.length - a.length))
      pattern = pattern.replace(new RegExp(`\\b${name}\\b`, 'g'), VALUE);
    SHIPPED.set(statement.Sid, { action, pattern: new RegExp(`^${pattern}$`) });
  }
}

/** Every statement is a shipped statement, whole, with its placeholders filled in; returns their Sids. */
function shippedStatements(document: { Statement: Statement[] }, where: string): string[] {
  return document.Statement.map((statement) => {
    const shipped = SHIPPED.get(statement.Sid);
    expect(shipped, `${where}: ${statement.Sid} is a statement of a shipped policy`).toBeDefined();
    expect(JSON.stringify(canonical(statement)), `${where}: ${statement.Sid}`).toMatch(shipped!.pattern);
    return statement.Sid;
  });
}

interface RolePolicies {
  [role: string]: Record<string, string[]>;
}

function cloudFormationRoles(): RolePolicies {
  const template = parse(readFileSync(join(INFRA, 'cloudformation.yaml'), 'utf8')) as {
    Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  };
  const roles: RolePolicies = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::Role') continue;
    const policies = resource.Properties['Policies'] as {
      PolicyName: string;
      PolicyDocument: { Statement: Statement[] };
    }[];
    roles[id] = Object.fromEntries(
      policies.map((p) => [p.PolicyName, shippedStatements(p.PolicyDocument, `cloudformation ${id}/${p.PolicyName}`)]),
    );
  }
  return roles;
}

function terraformRoles(): RolePolicies {
  const main = readFileSync(join(INFRA, 'terraform/main.tf'), 'utf8');
  const blocks = [
    ...main.matchAll(
      /resource "aws_iam_role_policy" "(\w+)" \{\n[\s\S]*?name\s+= "([\w-]+)"\n\s+role\s+= aws_iam_role\.(\w+)\.id\n\s+policy\s+= <<-EOT\n([\s\S]*?)\n\s*EOT\n\}/g,
    ),
  ];
  expect(blocks.length, 'every aws_iam_role_policy is read').toBe(
    main.match(/resource "aws_iam_role_policy"/g)?.length,
  );
  const roles: RolePolicies = {};
  for (const [, id, name, role, json] of blocks) {
    const document = JSON.parse(json!) as { Statement: Statement[] };
    (roles[role!] ??= {})[name!] = shippedStatements(document, `terraform ${id}`);
  }
  return roles;
}

describe('the shipped policies where they are used', () => {
  it('the demo world authorises by IAM and its roles hold only shipped statements', () => {
    const world = parse(readFileSync(join(REPO_ROOT, 'emulator/worlds/demo.yaml'), 'utf8')) as {
      authorization?: string;
      policies: { name: string; document: { Statement: Statement[] } }[];
      roles: { arn: string; managedPolicies?: string[]; policies?: unknown[] }[];
    };
    expect(world.authorization ?? 'iam').toBe('iam');
    for (const policy of world.policies) shippedStatements(policy.document, `demo.yaml policy ${policy.name}`);
    for (const role of world.roles) {
      expect(role.policies, `${role.arn} has no inline policy of its own`).toBeUndefined();
      expect(role.managedPolicies?.length ?? 0, `${role.arn} holds a shipped policy`).toBeGreaterThan(0);
    }
  });

  it('the CloudFormation template and the Terraform configuration give the same roles the same statements', () => {
    const byName = (roles: RolePolicies) =>
      Object.values(roles)
        .map((policies) => JSON.stringify(Object.entries(policies).sort()))
        .sort();
    const cloudFormation = cloudFormationRoles();
    const terraform = terraformRoles();
    expect(Object.keys(cloudFormation)).toHaveLength(5);
    expect(byName(terraform)).toEqual(byName(cloudFormation));
  });

  it('every trust policy in the infrastructure narrows GitHub tokens to the repository', () => {
    const template = readFileSync(join(INFRA, 'cloudformation.yaml'), 'utf8');
    const main = readFileSync(join(INFRA, 'terraform/main.tf'), 'utf8');
    for (const text of [template, main]) {
      const federated = text.match(/sts:AssumeRoleWithWebIdentity/g)?.length ?? 0;
      const narrowed = text.match(/token\.actions\.githubusercontent\.com:sub/g)?.length ?? 0;
      const audience = text.match(/token\.actions\.githubusercontent\.com:aud/g)?.length ?? 0;
      expect(federated).toBe(4);
      expect([narrowed, audience]).toEqual([federated, federated]);
    }
  });
});

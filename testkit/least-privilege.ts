/**
 * The least-privilege proofs: each action's shipped policy with its placeholders filled, and the
 * proof itself: every path succeeds under the policy, and without any one of its permissions some
 * path fails naming that permission. The world they run in is worlds/least-privilege.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { World } from '../emulator/admin-client.ts';
import type { TestEmulator } from './emulator.ts';
import { leastPrivilegeWorld } from './worlds/least-privilege.ts';
import { REPO_ROOT } from '../local-runner/action-metadata.ts';
import type { StepResult } from '../local-runner/job.ts';

/** The actions that ship an iam-policy.json. */
export const POLICY_ACTIONS = [
  'assume-cross-account-role',
  'build-push-image',
  'upsert-pipeline',
  'start-execution',
  'gate-on-model-approval',
  'deploy-endpoint',
  'wait-for-endpoint',
  'smoke-test-endpoint',
  'cleanup',
  'upsert-pipeline-triggers',
  'notify-failure',
];

export interface Statement {
  Sid: string;
  Effect: 'Allow';
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}
export interface Policy {
  Version: string;
  Statement: Statement[];
}

/** The placeholders the shipped policies use, and what each stands for (the README's table says the same). */
export const PLACEHOLDERS = [
  'ACCOUNT_ID',
  'REGION',
  'PIPELINE_NAME',
  'PIPELINE_ROLE_NAME',
  'DEFINITION_BUCKET',
  'DEFINITION_PREFIX',
  'REPOSITORY_NAME',
  'REGISTRY_ACCOUNT_ID',
  'MODEL_PACKAGE_GROUP',
  'ENDPOINT_NAME',
  'EXECUTION_ROLE_NAME',
  'TARGET_ACCOUNT_ID',
  'TARGET_ROLE_NAME',
  'GITHUB_REPOSITORY',
  'NAME_PREFIX',
  'TRIGGER_ROLE_NAME',
  'TOPIC_NAME',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

export function policyPath(action: string): string {
  return join(REPO_ROOT, action, 'iam-policy.json');
}

export function shippedPolicy(action: string): Policy {
  return JSON.parse(readFileSync(policyPath(action), 'utf8')) as Policy;
}

/** Replaces every placeholder by its value; a placeholder left without a value fails the test. */
export function fill(policy: Policy, values: Partial<Record<Placeholder, string>>): Policy {
  let text = JSON.stringify(policy);
  // Longest first, so ACCOUNT_ID never eats the end of REGISTRY_ACCOUNT_ID.
  for (const name of [...PLACEHOLDERS].sort((a, b) => b.length - a.length)) {
    const value = values[name];
    if (value !== undefined) text = text.replace(new RegExp(`\\b${name}\\b`, 'g'), value);
  }
  const left = text.match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*\b/g)?.filter((w) => w.length > 2) ?? [];
  expect(left, 'placeholders without a value').toEqual([]);
  return JSON.parse(text) as Policy;
}

export interface Permission {
  sid: string;
  action: string;
}

export function permissionsOf(policy: Policy): Permission[] {
  return policy.Statement.flatMap((s) => [s.Action].flat().map((action) => ({ sid: s.Sid, action })));
}

export function without(policy: Policy, removed: Permission): Policy {
  const statements = policy.Statement.map((s) =>
    s.Sid === removed.sid ? { ...s, Action: [s.Action].flat().filter((a) => a !== removed.action) } : s,
  ).filter((s) => [s.Action].flat().length > 0);
  return { ...policy, Statement: statements };
}

/** What a path did: whether it did what it is for, and the lines it reported (errors and warnings). */
export interface Outcome {
  ok: boolean;
  lines: string[];
}

export function outcomeOf(steps: StepResult[], ok: boolean): Outcome {
  const lines = steps.flatMap((step) => [
    ...step.errors,
    ...step.stdout
      .split('\n')
      .filter((line) => line.startsWith('::warning'))
      .map((line) => line.slice(line.indexOf('::', 2) + 2)),
  ]);
  return { ok: ok && steps.every((step) => step.exitCode === 0), lines };
}

export interface Path {
  name: string;
  /** Runs against a freshly loaded world; sets up with admin credentials, acts under the role. */
  run(): Promise<Outcome>;
}

export interface Proof {
  action: string;
  emulator: TestEmulator;
  /** The action's policy with placeholders filled, as each account's role gets it. */
  grants(policy: Policy): Record<string, Policy>;
  values: Partial<Record<Placeholder, string>>;
  paths: Path[];
  /** The world for a set of grants; leastPrivilegeWorld by default. */
  world?: (grants: Record<string, Policy>) => World;
  /** Called after the world is loaded, before a path runs (clock scale, backing registries). */
  prepare?: () => Promise<void>;
}

/**
 * The proof for one action. A path counts as failing when it did not do what it is for; the
 * line that names the missing permission must be among what it reported, so a refusal never
 * hides behind a generic message.
 */
export function proveLeastPrivilege(proof: Proof): void {
  const filled = fill(shippedPolicy(proof.action), proof.values);
  const load = async (policy: Policy) => {
    await proof.emulator.admin.loadWorld((proof.world ?? leastPrivilegeWorld)(proof.grants(policy)));
    await proof.prepare?.();
  };

  // Which operations each path called under the full policy: a removal tries first the paths that
  // called the operation of the same name, so most removals cost one run. Order only, never the verdict.
  const called = new Map<string, Set<string>>();
  const likelyFirst = (permission: Permission): Path[] => {
    const [service, operation] = permission.action.split(':');
    const uses = (path: Path) => called.get(path.name)?.has(`${service}:${operation}`) ?? false;
    return [...proof.paths.filter(uses), ...proof.paths.filter((path) => !uses(path))];
  };

  describe(`${proof.action} under exactly its shipped policy`, () => {
    it('every tested path succeeds with the policy and nothing else', async () => {
      for (const path of proof.paths) {
        await load(filled);
        const outcome = await path.run();
        expect({ path: path.name, ...outcome }).toEqual({ path: path.name, ok: true, lines: expect.anything() });
        const calls = await proof.emulator.admin.calls();
        called.set(path.name, new Set(calls.map((call) => `${call.service}:${call.operation}`)));
      }
    });

    it.each(permissionsOf(filled).map((p) => [`${p.sid}: ${p.action}`, p] as const))(
      'without %s, some path fails naming it',
      async (_, permission) => {
        const tried: string[] = [];
        for (const path of likelyFirst(permission)) {
          await load(without(filled, permission));
          const outcome = await path.run();
          if (outcome.ok) {
            tried.push(path.name);
            continue;
          }
          // AWS's words where the answer has a body; a refused HEAD has none, so the action names it.
          const naming = outcome.lines.filter(
            (line) =>
              (line.includes(`not authorized to perform: ${permission.action} `) ||
                line.includes(`ECR authorises this as ${permission.action}`)) &&
              !line.includes('\n'),
          );
          expect(
            naming,
            `${path.name} failed, but no line named ${permission.action}: ${outcome.lines.join(' | ')}`,
          ).not.toEqual([]);
          return;
        }
        expect.fail(`every path still succeeded without ${permission.action}: ${tried.join(', ')}`);
      },
    );
  });
}

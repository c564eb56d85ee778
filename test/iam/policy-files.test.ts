/** The shipped policy files: what the README shows, the placeholders it documents, what the emulator accepts. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorld } from '../../emulator/world.ts';
import { REPO_ROOT } from '../../local-runner/action-metadata.ts';
import { PLACEHOLDERS, policyPath, shippedPolicy } from '../../testkit/least-privilege.ts';

const ACTIONS = [
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
const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

/** The README's section of an action: from its `## name` heading to the next `## ` heading. */
function section(action: string): string {
  const start = README.indexOf(`\n## ${action}\n`);
  expect(start, `README has a section ## ${action}`).toBeGreaterThan(-1);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end === -1 ? undefined : end);
}

const jsonBlocks = (text: string): unknown[] =>
  [...text.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => JSON.parse(m[1] ?? 'null') as unknown);

describe('least-privilege policy files', () => {
  it.each(ACTIONS)('the README section of %s shows its iam-policy.json as it is', (action) => {
    const shown = section(action);
    expect(jsonBlocks(shown)).toContainEqual(shippedPolicy(action));
    expect(shown).toContain(`(${action}/iam-policy.json)`);
  });

  it('uses only the placeholders the README explains, and the README explains no others', () => {
    const used = new Set(
      ACTIONS.flatMap(
        (action) => readFileSync(policyPath(action), 'utf8').match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*\b/g) ?? [],
      ),
    );
    expect([...used].sort()).toEqual([...PLACEHOLDERS].sort());
    const table = README.slice(README.indexOf('## Least-privilege policies'));
    const documented = [...table.matchAll(/^\| `([A-Z_]+)` +\|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...PLACEHOLDERS].sort());
  });

  it.each(ACTIONS)('%s: every statement has a Sid and is one the emulator evaluates', (action) => {
    const policy = shippedPolicy(action);
    expect(policy.Version).toBe('2012-10-17');
    expect(policy.Statement.every((s) => /^[A-Za-z0-9]+$/.test(s.Sid))).toBe(true);
    expect(new Set(policy.Statement.map((s) => s.Sid)).size).toBe(policy.Statement.length);
    expect(() =>
      loadWorld({
        accounts: [{ id: '111111111111', users: [{ name: 'u', policies: [{ name: action, document: policy }] }] }],
      }),
    ).not.toThrow();
  });
});

/**
 * A workflow that refers to something that does not exist, has a broken
 * expression or uses an unsupported feature fails with a message naming it
 * and its place — where GitHub would quietly use ''.
 */
import { describe, expect, it } from 'vitest';
import { WorkflowDefinitionError } from '../../local-runner/errors.ts';
import { runWorkflow } from '../../local-runner/workflow-runner.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { useWorkflowFolder } from '../../testkit/workflow-folder.ts';
import { accountsWorld } from '../../testkit/worlds/actions.ts';

const emulator = useEmulator(accountsWorld);
const folder = useWorkflowFolder();

async function problems(name: string, content: string, options: { inputs?: Record<string, string> } = {}) {
  const workflow = folder.write(name, content);
  const error = await runWorkflow({ workflow, event: 'push', endpoint: emulator.endpoint, ...options }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(WorkflowDefinitionError);
  return { file: workflow, problems: (error as WorkflowDefinitionError).problems };
}

describe('local runner: references to nothing fail', () => {
  it('a misspelled action output, before anything runs', async () => {
    const { file, problems: found } = await problems(
      'misspelled-output.yml',
      `
on: push
jobs:
  assume:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    steps:
      - id: role
        uses: $/assume-cross-account-role
        with:
          role-to-assume: arn:aws:iam::111111111111:role/github-runner
      - run: echo "\${{ steps.role.outputs.aws-acount-id }}"
`,
    );
    expect(found).toEqual([
      `${file} (Line: 13, Col: 14): steps.role.outputs.aws-acount-id: step 'role' (uses $/assume-cross-account-role) has no output 'aws-acount-id' (its outputs: aws-account-id, assumed-role-arn, role-session-name, credentials-expiration, aws-profile, aws-access-key-id, aws-secret-access-key, aws-session-token)`,
    ]);
    expect(await emulator.admin.calls()).toEqual([]);
  });

  it('a step id, a run step output, a needed job, a job output and an input that do not exist', async () => {
    const { problems: found } = await problems(
      'misspelled-everything.yml',
      `
on: push
jobs:
  first:
    runs-on: ubuntu-latest
    outputs:
      ok: \${{ steps.made.outputs.digest }}
      typo: \${{ steps.made.outputs.digets }}
    steps:
      - id: made
        run: echo "digest=sha256:abc" >> "$GITHUB_OUTPUT"
      - run: echo "\${{ steps.mdae.outputs.digest }}"
  second:
    needs: first
    runs-on: ubuntu-latest
    if: needs.frist.result == 'success'
    steps:
      - run: echo "\${{ needs.first.outputs.okay }} \${{ inputs.environment }}"
`,
    );
    expect(found.map((line) => line.replace(/^.*?\): /, ''))).toEqual([
      "steps.mdae: job 'first' has no step with id 'mdae'",
      "steps.made.outputs.digets: step 'made' (run) never writes an output 'digets' (its script does not mention it)",
      "needs.frist: job 'second' does not need job 'frist' (its needs: first)",
      "needs.first.outputs.okay: job 'first' declares no output 'okay' (its outputs: ok, typo)",
      "inputs.environment: the workflow declares no input 'environment' (its inputs: none)",
    ]);
  });

  it('a reference computed at run time fails the run with the same kind of message', async () => {
    const workflow = folder.write(
      'computed.yml',
      `
on: push
jobs:
  computed:
    runs-on: ubuntu-latest
    steps:
      - id: made
        run: echo "digest=sha256:abc" >> "$GITHUB_OUTPUT"
      - run: echo "\${{ steps[format('{0}', 'made')].outputs.digets }}"
      - if: always()
        run: echo still runs
`,
    );
    const result = await runWorkflow({ workflow, event: 'push', endpoint: emulator.endpoint });
    expect(result.conclusion).toBe('failure');
    expect(result.errors).toEqual([
      expect.stringMatching(
        /computed\.yml \(Line: 9, Col: 14\): steps\.made\.outputs\.digets: step 'made' \(run\) never writes an output 'digets'/,
      ),
    ]);
    const steps = result.jobs['computed']!.steps;
    expect(steps.map((step) => step.conclusion)).toEqual(['success', 'failure', 'success']);
  });

  it('an expression syntax error, with its file and line', async () => {
    const { file, problems: found } = await problems(
      'syntax.yml',
      `
on: push
jobs:
  broken:
    runs-on: ubuntu-latest
    steps:
      - run: echo ok
      - run: echo "\${{ github.ref == }}"
`,
    );
    expect(found).toEqual([`${file} (Line: 8, Col: 14): Unexpected end of expression: '=='`]);
  });

  it('a broken if: condition, with its file and line', async () => {
    const { file, problems: found } = await problems(
      'syntax-if.yml',
      `
on: push
jobs:
  broken:
    runs-on: ubuntu-latest
    steps:
      - if: github.ref = 'refs/heads/main'
        run: echo ok
`,
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(Line: 7, Col: 13\\): Unexpected symbol`),
    );
  });

  it('an input that is not declared, given or referred to', async () => {
    const content = `
on:
  workflow_dispatch:
    inputs:
      environment:
        type: choice
        options: [staging, production]
        required: true
jobs:
  show:
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ inputs.enviroment }}"
`;
    const { problems: referred } = await problems('inputs.yml', content);
    expect(referred).toEqual([
      expect.stringMatching(
        /inputs\.enviroment: the workflow declares no input 'enviroment' \(its inputs: environment\)$/,
      ),
    ]);

    const workflow = folder.write('inputs-ok.yml', content.replace('inputs.enviroment', 'inputs.environment'));
    const given = runWorkflow({
      workflow,
      event: 'workflow_dispatch',
      endpoint: emulator.endpoint,
      inputs: { environment: 'production', region: 'eu-west-1' },
    });
    await expect(given).rejects.toThrow(/input 'region' is not declared by the workflow \(its inputs: environment\)/);
    const wrong = runWorkflow({
      workflow,
      event: 'workflow_dispatch',
      endpoint: emulator.endpoint,
      inputs: { environment: 'prod' },
    });
    await expect(wrong).rejects.toThrow(/input 'environment' must be one of staging, production; got 'prod'/);
    const ok = await runWorkflow({
      workflow,
      event: 'workflow_dispatch',
      endpoint: emulator.endpoint,
      inputs: { environment: 'production' },
    });
    expect(ok.jobs['show']!.steps[0]!.log).toBe('production');
  });
});

describe('local runner: unsupported features', () => {
  const cases: [string, string, RegExp][] = [
    [
      'container',
      `
    container: node:20
    steps:
      - run: echo hi`,
      /\(Line: 5, Col: 16\): job containers \(job 'job'\) is not supported by the local runner$/,
    ],
    [
      'services',
      `
    services:
      db:
        image: postgres
    steps:
      - run: echo hi`,
      /\(Line: 6, Col: 7\): service containers \(job 'job'\) is not supported by the local runner$/,
    ],
    [
      'shell',
      `
    steps:
      - run: print('hi')
        shell: python`,
      /\(Line: 7, Col: 16\): shell 'python' is not supported by the local runner \(bash only\)$/,
    ],
    [
      'action',
      `
    steps:
      - uses: actions/setup-node@v4`,
      /\(Line: 6, Col: 15\): uses: actions\/setup-node@v4 is not available to the local runner .* \(job 'job'\)$/,
    ],
    [
      'docker',
      `
    steps:
      - uses: docker://alpine:3`,
      /\(Line: 6, Col: 15\): uses: docker:\/\/alpine:3 — docker actions are not supported by the local runner \(job 'job'\)$/,
    ],
  ];
  it.each(cases)('%s gives one line naming it and its place', async (name, job, message) => {
    const { problems: found } = await problems(
      `unsupported-${name}.yml`,
      `on: push\njobs:\n  job:\n    runs-on: ubuntu-latest${job}\n`,
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
    expect(found[0]).not.toContain('\n');
  });
});

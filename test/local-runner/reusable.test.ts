/** Reusable workflows: inputs with types and defaults, secrets passed or inherited, outputs, nesting. */
import { describe, expect, it } from 'vitest';
import { runWorkflow } from '../../local-runner/workflow-runner.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { useWorkflowFolder } from '../../testkit/workflow-folder.ts';
import { accountsWorld } from '../../testkit/worlds/actions.ts';

const emulator = useEmulator(accountsWorld);
const folder = useWorkflowFolder();

folder.write(
  'build.yml',
  `
name: build
on:
  workflow_call:
    inputs:
      image:
        type: string
        required: true
      replicas:
        type: number
        default: 2
      dry-run:
        type: boolean
        default: false
    secrets:
      registry-password:
        required: true
    outputs:
      digest:
        description: the pushed digest
        value: \${{ jobs.push.outputs.digest }}
      tagged:
        value: \${{ jobs.tag.outputs.tagged }}
jobs:
  push:
    runs-on: ubuntu-latest
    outputs:
      digest: \${{ steps.push.outputs.digest }}
    steps:
      - id: push
        run: |
          echo "pushing \${{ inputs.image }} x\${{ inputs.replicas }} dry=\${{ inputs.dry-run }} as \${{ github.job }} with \${{ secrets.registry-password }}"
          echo "types: \${{ inputs.replicas == 3 }} \${{ inputs.dry-run == true }}"
          echo "digest=sha256:\${{ inputs.replicas }}\${{ inputs.replicas }}" >> "$GITHUB_OUTPUT"
  tag:
    needs: push
    uses: ./.github/workflows/tag.yml
    with:
      digest: \${{ needs.push.outputs.digest }}
    secrets: inherit
`,
);
folder.write(
  'tag.yml',
  `
on:
  workflow_call:
    inputs:
      digest:
        type: string
        required: true
    outputs:
      tagged:
        value: \${{ jobs.tag.outputs.tagged }}
jobs:
  tag:
    runs-on: ubuntu-latest
    outputs:
      tagged: \${{ steps.tag.outputs.tagged }}
    steps:
      - id: tag
        run: |
          echo "tagging \${{ inputs.digest }} (inherited \${{ secrets.registry-password }}, \${{ secrets.OTHER }})"
          echo "tagged=latest@\${{ inputs.digest }}" >> "$GITHUB_OUTPUT"
`,
);

describe('local runner: reusable workflows', () => {
  it('calls a workflow with inputs and secrets, nests a further call, and hands its outputs back', async () => {
    const workflow = folder.write(
      'release.yml',
      `
on: push
jobs:
  build:
    uses: ./.github/workflows/build.yml
    with:
      image: trainer:\${{ github.sha }}
      replicas: 3
      dry-run: true
    secrets:
      registry-password: \${{ secrets.REGISTRY_PASSWORD }}
  announce:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ needs.build.outputs.digest }} \${{ needs.build.outputs.tagged }} \${{ needs.build.result }}"
`,
    );
    const jobs: string[] = [];
    const result = await runWorkflow({
      workflow,
      event: 'push',
      sha: 'abc123',
      endpoint: emulator.endpoint,
      secrets: { REGISTRY_PASSWORD: 'hunter2-registry', OTHER: 'not-passed-on' },
      onJobEnd: (job) => jobs.push(`${job.path}: ${job.result}`),
    });
    expect(result.errors).toEqual([]);
    expect(result.conclusion).toBe('success');
    expect(jobs).toEqual([
      'build / push: success',
      'build / tag / tag: success',
      'build / tag: success',
      'build: success',
      'announce: success',
    ]);
    const build = result.jobs['build']!;
    expect(build.outputs).toEqual({ digest: 'sha256:33', tagged: 'latest@sha256:33' });
    const push = build.workflow!.jobs['push']!;
    expect(push.path).toBe('build / push');
    expect(push.steps[0]!.log).toBe('pushing trainer:abc123 x3 dry=true as push with ***\ntypes: true true');
    const tag = build.workflow!.jobs['tag']!.workflow!.jobs['tag']!;
    // secrets: inherit passes on what the calling workflow had: only its declared secret.
    expect(tag.steps[0]!.log).toBe('tagging sha256:33 (inherited ***, )');
    expect(result.jobs['announce']!.steps[0]!.log).toBe('sha256:33 latest@sha256:33 success');
  });

  it('refuses a call without a required input, or with an input or secret the workflow does not declare', async () => {
    const workflow = folder.write(
      'bad-call.yml',
      `
on: push
jobs:
  build:
    uses: ./.github/workflows/build.yml
    with:
      imag: trainer
    secrets:
      registry-password: x
      token: y
`,
    );
    const error = await runWorkflow({ workflow, event: 'push', endpoint: emulator.endpoint }).catch(
      (thrown: Error) => thrown,
    );
    expect((error as Error).message.split('\n').map((line) => line.replace(/^.*?\): /, ''))).toEqual([
      expect.stringMatching(/build\.yml declares no input 'imag' \(job 'build'\)$/),
      expect.stringMatching(/input 'image' of .*build\.yml is required but not given \(job 'build'\)$/),
      expect.stringMatching(/build\.yml declares no secret 'token' \(job 'build'\)$/),
    ]);
  });

  it('fails the call when an input value does not fit its type', async () => {
    const workflow = folder.write(
      'bad-type.yml',
      `
on: push
jobs:
  build:
    uses: ./.github/workflows/build.yml
    with:
      image: trainer
      replicas: \${{ github.ref }}
    secrets:
      registry-password: x
`,
    );
    const result = await runWorkflow({ workflow, event: 'push', endpoint: emulator.endpoint });
    expect(result.conclusion).toBe('failure');
    expect(result.jobs['build']!.error).toMatch(/input 'replicas' is a number; 'refs\/heads\/main' is not/);
    expect(result.errors).toEqual([expect.stringMatching(/input 'replicas' is a number/)]);
  });

  it('runs a reusable workflow directly, its call inputs given as inputs', async () => {
    const result = await runWorkflow({
      workflow: `${folder.root}/.github/workflows/tag.yml`,
      event: 'push',
      endpoint: emulator.endpoint,
      inputs: { digest: 'sha256:ff' },
    });
    expect(result.outputs).toEqual({ tagged: 'latest@sha256:ff' });
  });
});

import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionFiles, lintActions, lintWorkflows, workflowFiles } from '../../scripts/lint-workflows.ts';
import { REPO_ROOT } from '../../local-runner/action-metadata.ts';

const workflows = join(REPO_ROOT, '.github/workflows');

function workflow(text: string, name = 'broken.yml'): string {
  const file = join(mkdtempSync(join(tmpdir(), 'lint-')), name);
  writeFileSync(file, text);
  return file;
}

const BAD_ACTION = `name: example
description: An action GitHub would refuse
branding:
  icon: key
  color: orange
inputs:
  role:
    description: The role.
    required: true
  region:
    required: false
outputs:
  arn:
    description: ''
runs:
  using: node24
  main: index.js
`;

const UNDESCRIBED_WORKFLOW = `name: reusable
on:
  workflow_call:
    inputs:
      region:
        type: string
        required: true
    secrets:
      token:
        required: false
    outputs:
      arn:
        value: \${{ jobs.run.outputs.arn }}
jobs:
  run:
    runs-on: ubuntu-latest
    outputs:
      arn: x
    steps:
      - uses: actions/checkout@v4
      - uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd
      - uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2
      - run: echo \${{ inputs.region }}
`;

const CALLER = `name: caller
on: push
jobs:
  promote:
    uses: org/mlops-actions/.github/workflows/promote.yml@v1
    with:
      deployment: blue-green
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: org/mlops-actions/deploy-endpoint@v1
        with:
          endpoint-name: abalone
          deployment: blue-green
`;

const BROKEN = `name: broken
on:
  workflow_call:
    inputs:
      pipeline:
        type: string
        required: true
jobs:
  run:
    runs-on: ubuntu-latest
    steps:
      - id: pipeline
        uses: $/upsert-pipeline
        with:
          pipeline-name: \${{ inputs.pipeline }}
          definition: pipeline.json
          execution-role-arn: arn:aws:iam::111111111111:role/x
      - run: echo "\${{ steps.pipeline.outputs.pipeline-version-id == }}"
      - uses: $/no-such-action
`;

describe('workflow lint', () => {
  it('finds nothing wrong in the reusable workflows, the example callers and the action files', async () => {
    const files = readdirSync(workflows)
      .filter((f) => f.endsWith('.yml'))
      .map((f) => join(workflows, f));
    expect(files.length).toBeGreaterThanOrEqual(3);
    expect(workflowFiles()).toEqual(expect.arrayContaining(files));
    expect(workflowFiles().some((file) => file.includes('examples/ml-pipelines/'))).toBe(true);
    expect(actionFiles()).toHaveLength(11);
    expect(await lintWorkflows(workflowFiles())).toEqual([]);
    expect(await lintActions(actionFiles())).toEqual([]);
  });

  it("fails an action.yml GitHub's parser refuses (a branding icon it does not allow) and an undescribed input or output", async () => {
    const messages = (await lintActions([workflow(BAD_ACTION, 'action.yml')])).map((f) => `${f.line}: ${f.message}`);
    expect(messages).toEqual([
      "4: Unexpected value 'key' [github parser]",
      "10: input 'region' has no description",
      "13: output 'arn' has no description",
    ]);
  });

  it('fails a workflow input, secret or output without a description, and a third-party action not pinned by SHA', async () => {
    const messages = (await lintWorkflows([workflow(UNDESCRIBED_WORKFLOW)])).map((f) => `${f.line}: ${f.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^20: uses actions\/checkout@v4: pin third-party actions to a full commit SHA/),
      expect.stringMatching(/^21: uses actions\/checkout@de0fac2e\w+: pin third-party actions/),
      "5: workflow_call input 'region' has no description",
      "12: workflow_call output 'arn' has no description",
      "9: workflow_call secret 'token' has no description",
    ]);
  });

  it("reports what GitHub's workflow parser refuses", async () => {
    const text = `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: missing\n    steps:\n      - run: echo\n`;
    const messages = (await lintWorkflows([workflow(text)])).map((f) => `${f.line}: ${f.message}`);
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/\[github parser\]$/)]));
  });

  it('reports a broken expression, a misspelled input, a missing required input and an unknown action', async () => {
    const messages = (await lintWorkflows([workflow(BROKEN)])).map((f) => `${f.line}: ${f.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^18: .*expression/),
        "12: uses $/upsert-pipeline: 'definition' is not an input of upsert-pipeline",
        "12: uses $/upsert-pipeline: required input 'definition-file' is missing",
        "19: uses $/no-such-action: this repository has no action 'no-such-action'",
      ]),
    );
  });

  it("checks a caller's steps of org/mlops-actions/<action>@… and its calls of the reusable workflows", async () => {
    const messages = (await lintWorkflows([workflow(CALLER)])).map((f) => `${f.line}: ${f.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        "5: uses org/mlops-actions/.github/workflows/promote.yml@v1: 'deployment' is not an input of promote.yml",
        "5: uses org/mlops-actions/.github/workflows/promote.yml@v1: required input 'aws-region' is missing",
        "11: uses org/mlops-actions/deploy-endpoint@v1: 'deployment' is not an input of deploy-endpoint",
        "11: uses org/mlops-actions/deploy-endpoint@v1: required input 'execution-role-arn' is missing",
      ]),
    );
  });
});

import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintWorkflows } from '../../scripts/lint-workflows.ts';
import { REPO_ROOT } from '../harness/action-metadata.ts';

const workflows = join(REPO_ROOT, '.github/workflows');

function workflow(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'lint-')), 'broken.yml');
  writeFileSync(file, text);
  return file;
}

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
          role-arn: arn:aws:iam::111111111111:role/x
      - run: echo "\${{ steps.pipeline.outputs.pipeline-version-id == }}"
      - uses: $/no-such-action
`;

describe('workflow lint', () => {
  it('finds nothing wrong in the reusable workflows', async () => {
    const files = readdirSync(workflows)
      .filter((f) => f.endsWith('.yml'))
      .map((f) => join(workflows, f));
    expect(files.length).toBeGreaterThanOrEqual(3);
    expect(await lintWorkflows(files)).toEqual([]);
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
});

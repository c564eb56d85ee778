/** upsert-pipeline run as the runner runs it, against the emulator's SageMaker. */
import { ListTagsCommand } from '@aws-sdk/client-sagemaker';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SimulatedJob } from '../../local-runner/job.ts';
import { sagemaker } from '../../testkit/clients.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { devJob, upsertPipeline as upsert } from '../../testkit/jobs.ts';
import { ABALONE, DEV_VALUES, EXECUTION_ROLE, storedDefinition } from '../../testkit/sagemaker.ts';
import { REGION } from '../../testkit/worlds/accounts.ts';
import { accountsWorld, BOOTSTRAP_KEYS } from '../../testkit/worlds/actions.ts';

const ACTION = 'upsert-pipeline';
const emulator = useEmulator(accountsWorld);
function job(ref?: string): SimulatedJob {
  const created = devJob(emulator.endpoint, ref ? { context: { ref } } : {});
  created.writeFile('config/dev.json', DEV_VALUES);
  return created;
}

async function mutatingCalls(): Promise<string[]> {
  return (await emulator.admin.calls()).filter((c) => c.mutating && c.status === 200).map((c) => c.operation);
}

describe('upsert-pipeline bundle', () => {
  it('creates, updates to a new version, then does nothing when only formatting changed', async () => {
    const created = await upsert(job(), ABALONE, { tags: 'team: forecasting' });
    expect(created.errors).toEqual([]);
    expect(created.outputs).toMatchObject({ action: 'create', changed: 'true', 'pipeline-version-id': '1' });
    expect(created.outputs['pipeline-arn']).toBe('arn:aws:sagemaker:eu-west-1:111111111111:pipeline/abalone');
    const stored = (await storedDefinition(emulator.endpoint, 'abalone')) as {
      Steps: { Arguments: { RoleArn?: string } }[];
    };
    expect(stored.Steps[1]?.Arguments.RoleArn).toBe(EXECUTION_ROLE);
    expect(JSON.stringify(stored)).not.toContain('<<');

    const changed = ABALONE.replace('"num_round": "50"', '"num_round": "80"');
    const updated = await upsert(job(), changed);
    expect(updated.outputs).toMatchObject({ action: 'update', changed: 'true', 'pipeline-version-id': '2' });
    expect(updated.summary).toContain('Train');
    expect(updated.summary).toContain('changed');
    expect(updated.outputs['definition-sha256']).not.toBe(created.outputs['definition-sha256']);

    await emulator.admin.clearCalls();
    const reformatted = JSON.stringify(JSON.parse(changed), null, 8);
    const same = await upsert(job(), reformatted);
    expect(same.outputs).toMatchObject({ action: 'none', changed: 'false', 'pipeline-version-id': '2' });
    expect(same.outputs['definition-sha256']).toBe(updated.outputs['definition-sha256']);
    expect(await mutatingCalls()).toEqual([]);
  });

  it('plan mode shows the change and makes no mutating call', async () => {
    await upsert(job(), ABALONE);
    await emulator.admin.clearCalls();
    const withoutEvaluate = JSON.parse(ABALONE) as { Steps: { Name: string }[] };
    withoutEvaluate.Steps = withoutEvaluate.Steps.filter((step) => step.Name !== 'Evaluate');
    const plan = await upsert(job(), JSON.stringify(withoutEvaluate), { mode: 'plan', parallelism: '2' });
    expect(plan.errors).toEqual([]);
    expect(plan.outputs).toMatchObject({ action: 'update', changed: 'true', 'pipeline-version-id': '1' });
    expect(plan.stdout).toContain('Plan: remove steps: Evaluate');
    expect(plan.stdout).toContain("Plan: parallelism: '' → '2'");
    expect(plan.summary).toContain('removed');
    expect(await mutatingCalls()).toEqual([]);
    expect(((await storedDefinition(emulator.endpoint, 'abalone')) as { Steps: unknown[] }).Steps).toHaveLength(3);
  });

  it('a write that succeeded stays a success when reading the version afterwards fails', async () => {
    // As a service that does not serve ListPipelineVersions answers.
    await emulator.admin.setFaults([
      {
        kind: 'error',
        code: 'UnknownOperationException',
        message: 'Unknown operation ListPipelineVersions',
        status: 400,
        operation: 'ListPipelineVersions',
      },
    ]);
    const step = await upsert(job(), ABALONE, { tags: 'team: forecasting' });
    expect(step.exitCode).toBe(0);
    expect(step.outputs['action']).toBe('create');
    expect(step.outputs['pipeline-arn']).toMatch(/:pipeline\/abalone$/);
    expect(step.outputs['pipeline-version-id']).toBe('');
    expect(step.stdout).toMatch(/Could not read the version of pipeline abalone \(.*Unknown operation/);
    const client = sagemaker(emulator.endpoint, BOOTSTRAP_KEYS, { region: REGION });
    const tags = (await client.send(new ListTagsCommand({ ResourceArn: step.outputs['pipeline-arn']! }))).Tags ?? [];
    client.destroy();
    expect(tags).toContainEqual({ Key: 'team', Value: 'forecasting' });
  });

  it('says so when the stored definition cannot be compared, and updates', async () => {
    const client = sagemaker(emulator.endpoint, BOOTSTRAP_KEYS, { region: REGION });
    const { CreatePipelineCommand } = await import('@aws-sdk/client-sagemaker');
    // Written by another tool, with a key twice: JSON keeps the last, so no comparison can be trusted.
    const stored = ABALONE.replace(
      '"Version": "2020-12-01",',
      '"Version": "2020-12-01", "Version": "2020-12-01",',
    ).replace(/<<[A-Z_]+>>/g, 'x');
    await client.send(
      new CreatePipelineCommand({
        PipelineName: 'abalone',
        PipelineDefinition: stored,
        RoleArn: EXECUTION_ROLE,
        ClientRequestToken: 'c'.repeat(32),
      }),
    );
    client.destroy();
    const step = await upsert(job(), ABALONE);
    expect(step.exitCode).toBe(0);
    expect(step.stdout).toMatch(/::warning::The definition stored in pipeline abalone could not be read for comparing/);
    expect(step.outputs['action']).toBe('update');
  });

  it('keeps its tags in sync and leaves tags set by others alone', async () => {
    const created = await upsert(job(), ABALONE, { tags: '{"team": "forecasting", "cost-center": "42"}' });
    const arn = created.outputs['pipeline-arn']!;
    const client = sagemaker(emulator.endpoint, BOOTSTRAP_KEYS, { region: REGION });
    const { AddTagsCommand } = await import('@aws-sdk/client-sagemaker');
    await client.send(new AddTagsCommand({ ResourceArn: arn, Tags: [{ Key: 'owner', Value: 'someone-else' }] }));
    await upsert(job(), ABALONE, { tags: 'team: ranking' });
    const tags = Object.fromEntries(
      ((await client.send(new ListTagsCommand({ ResourceArn: arn }))).Tags ?? []).map((t) => [t.Key, t.Value]),
    );
    client.destroy();
    expect(tags['team']).toBe('ranking');
    expect(tags['cost-center']).toBeUndefined();
    expect(tags['owner']).toBe('someone-else');
    expect(tags['mlops-actions:created-by']).toBe('upsert-pipeline');
  });

  it('a pipeline a pull request created is its own until another run writes it', async () => {
    const tagsOf = async (arn: string) => {
      const client = sagemaker(emulator.endpoint, BOOTSTRAP_KEYS, { region: REGION });
      const listed = await client.send(new ListTagsCommand({ ResourceArn: arn }));
      client.destroy();
      return Object.fromEntries((listed.Tags ?? []).map((t) => [t.Key, t.Value]));
    };
    const pr7 = job('refs/pull/7/merge');
    const created = await upsert(pr7, ABALONE);
    const arn = created.outputs['pipeline-arn']!;
    expect(await tagsOf(arn)).toMatchObject({
      'mlops-actions:created-by': 'upsert-pipeline',
      'mlops-actions:pull-request': '7',
    });
    const again = job('refs/pull/7/merge');
    await upsert(again, ABALONE.replace('"Evaluate"', '"Assess"'));
    expect((await tagsOf(arn))['mlops-actions:pull-request']).toBe('7');
    const pr8 = job('refs/pull/8/merge');
    await upsert(pr8, ABALONE);
    expect((await tagsOf(arn))['mlops-actions:pull-request']).toBeUndefined();
    expect((await tagsOf(arn))['mlops-actions:created-by']).toBe('upsert-pipeline');
  });
});

describe('upsert-pipeline against what other AWS-compatible services answer', () => {
  it.each([
    ['ResourceNotFound', 'Pipeline abalone does not exist.'],
    ['ValidationException', "Pipeline 'arn:aws:sagemaker:eu-west-1:111111111111:pipeline/abalone' does not exist."],
  ])('a missing pipeline answered as %s is created', async (code, message) => {
    await emulator.admin.setFaults([
      { kind: 'error', service: 'sagemaker', operation: 'DescribePipeline', code, message, status: 400, count: 1 },
    ]);
    const created = await upsert(job(), ABALONE);
    expect(created.errors).toEqual([]);
    expect(created.outputs).toMatchObject({ action: 'create', 'pipeline-version-id': '1' });
    expect((await emulator.admin.calls()).find((c) => c.operation === 'DescribePipeline')?.errorCode).toBe(code);
  });
});

describe('upsert-pipeline bad inputs', () => {
  const cases: [string, string, Record<string, string>, RegExp][] = [
    [
      'definition not JSON, with line and column',
      '{\n  "Version": "2020-12-01",\n  "Steps": [,]\n}',
      {},
      /input 'definition-file': pipelines\/abalone\.json:3:13: not valid JSON/,
    ],
    [
      'missing Version',
      ABALONE.replace('"Version": "2020-12-01",', ''),
      {},
      /input 'definition-file': pipelines\/abalone\.json:1: has no 'Version'/,
    ],
    [
      'duplicate step names',
      ABALONE.replace('"Name": "Evaluate"', '"Name": "Train"'),
      {},
      /pipelines\/abalone\.json:57: step name 'Train' is used more than once/,
    ],
    [
      'unresolved placeholder, named with its line',
      ABALONE.replace('"<<TRAINING_IMAGE>>"', '"<<TRAINING_IMAGE_URI>>"'),
      {},
      /input 'definition-file': pipelines\/abalone\.json:46:55: placeholder <<TRAINING_IMAGE_URI>> has no value/,
    ],
    [
      'a key written twice',
      ABALONE.replace('"Version": "2020-12-01",', '"Version": "2020-12-01",\n  "Version": "2020-12-01",'),
      {},
      /input 'definition-file': pipelines\/abalone\.json:3:3: key "Version" appears twice in one object/,
    ],
    [
      'a placeholder named after an object built-in',
      ABALONE.replace('"<<TRAINING_IMAGE>>"', '"<<constructor>>"'),
      {},
      /input 'definition-file': pipelines\/abalone\.json:46:\d+: placeholder <<constructor>> has no value/,
    ],
    [
      'a placeholder used as a key, without a value',
      ABALONE.replace('"Version": "2020-12-01",', '"Version": "2020-12-01",\n  "<<EXTRA_KEY>>": "x",'),
      {},
      /input 'definition-file': pipelines\/abalone\.json:3:4: placeholder <<EXTRA_KEY>> has no value/,
    ],
    [
      'an empty substitution value',
      ABALONE,
      { substitutions: 'TRAINING_IMAGE:' },
      /input 'definition-file': pipelines\/abalone\.json:46:\d+: placeholder <<TRAINING_IMAGE>> is given an empty value/,
    ],
    [
      'a substitution written twice',
      ABALONE,
      { substitutions: '{"TRAINING_IMAGE": "a", "TRAINING_IMAGE": "b"}' },
      /input 'substitutions': is not valid JSON or YAML: key "TRAINING_IMAGE" appears twice/,
    ],
    [
      'undeclared parameter',
      ABALONE.replace('"Parameters.InputData"', '"Parameters.InputUri"'),
      {},
      /uses parameter 'InputUri', which is not declared/,
    ],
    [
      'unknown DependsOn',
      ABALONE.replace('"DependsOn": ["Train"]', '"DependsOn": ["Training"]'),
      {},
      /depends on 'Training', which is not a step/,
    ],
    [
      'bad pipeline name',
      ABALONE,
      { 'pipeline-name': 'abalone_pipeline' },
      /input 'pipeline-name': 'abalone_pipeline' does not match SageMaker CreatePipeline PipelineName's pattern/,
    ],
    [
      'hyphenated 300-character pipeline name',
      ABALONE,
      { 'pipeline-name': `${'a-'.repeat(149)}ab` },
      /input 'pipeline-name': 'a-a-.*…' is 300 characters; SageMaker CreatePipeline PipelineName takes 1-256$/,
    ],
    [
      'bad role ARN',
      ABALONE,
      { 'execution-role-arn': 'sagemaker-execution' },
      /input 'execution-role-arn': 'sagemaker-execution' is 19 characters; SageMaker CreatePipeline RoleArn takes 20-2048$/,
    ],
    ['unknown mode', ABALONE, { mode: 'dry-run' }, /input 'mode': 'dry-run' is not one of apply, plan/],
    [
      'parallelism out of range',
      ABALONE,
      { parallelism: '0' },
      /input 'parallelism': 0 is below 1, the least SageMaker CreatePipeline ParallelismConfiguration\.MaxParallelExecutionSteps takes$/,
    ],
    [
      'missing definition file',
      ABALONE,
      { 'definition-file': 'pipelines/missing.json' },
      /input 'definition-file': file 'pipelines\/missing.json' does not exist/,
    ],
  ];

  it.each(cases)('%s: one line naming the input, exit 1, no AWS call', async (_, definition, inputs, message) => {
    const step = await upsert(job(), definition, inputs);
    expect(step.exitCode).toBe(1);
    expect(step.errors).toHaveLength(1);
    expect(step.errors[0]).toMatch(/^upsert-pipeline: /);
    expect(step.errors[0]).toMatch(message);
    expect(step.outputs).toEqual({});
    expect(await emulator.admin.calls()).toEqual([]);
  });

  it('reads definition and substitutions only from the workspace: symlinks out and folders are refused', async () => {
    const target = job();
    target.writeFile('pipelines/abalone.json', ABALONE);
    const secret = join(target.workspace, '..', 'runner-credentials.json');
    writeFileSync(secret, '{"TRAINING_IMAGE": "x"}');
    symlinkSync(secret, join(target.workspace, 'config', 'linked.json'));
    const inputs = {
      'pipeline-name': 'abalone',
      'definition-file': 'pipelines/abalone.json',
      'execution-role-arn': EXECUTION_ROLE,
    };
    const linked = await target.step(ACTION, { inputs: { ...inputs, 'substitutions-file': 'config/linked.json' } });
    expect(linked.errors).toEqual([
      expect.stringMatching(
        /^upsert-pipeline: input 'substitutions-file': 'config\/linked\.json' is outside the workspace/,
      ),
    ]);
    const folder = await target.step(ACTION, { inputs: { ...inputs, 'definition-file': 'pipelines' } });
    expect(folder.errors).toEqual(["upsert-pipeline: input 'definition-file': 'pipelines' is not a file"]);
    expect(await emulator.admin.calls()).toEqual([]);
  });

  it('annotates the definition file at the line of the problem', async () => {
    const step = await upsert(job(), ABALONE.replace('"Name": "Evaluate"', '"Name": "Train"'));
    expect(step.stdout).toMatch(/^::error file=pipelines\/abalone\.json,line=57::/m);
  });

  it('annotates every problem of the definition, each at its line, and still fails in one error line', async () => {
    const broken = ABALONE.replace('"Name": "Evaluate"', '"Name": "Train"')
      .replace('"DependsOn": ["Preprocess"]', '"DependsOn": ["Prepare"]')
      .replace('"Get": "Parameters.TrainingInstanceCount"', '"Get": "Parameters.InstanceCount"');
    const step = await upsert(job(), broken);
    expect(step.exitCode).toBe(1);
    const annotations = step.stdout
      .split('\n')
      .filter((line) => line.startsWith('::error file=pipelines/abalone.json'));
    expect(annotations).toEqual([
      expect.stringMatching(
        /^::error file=pipelines\/abalone\.json,line=57::.*step name 'Train' is used more than once.*\(and 2 more problems, each annotated\)$/,
      ),
      expect.stringMatching(
        /^::error file=pipelines\/abalone\.json,line=42::.*step 'Train' depends on 'Prepare', which is not a step/,
      ),
      expect.stringMatching(
        /^::error file=pipelines\/abalone\.json,line=49::.*uses parameter 'InstanceCount', which is not declared/,
      ),
    ]);
    expect(await emulator.admin.calls()).toEqual([]);
  });

  it('warns about a substitution no placeholder uses, and still upserts', async () => {
    const step = await upsert(job(), ABALONE, { substitutions: 'UNUSED_BUCKET: ml-other' });
    expect(step.exitCode).toBe(0);
    expect(step.stdout).toMatch(/^::warning::substitutions not used by pipelines\/abalone\.json: UNUSED_BUCKET$/m);
  });

  it('annotates every placeholder without a value', async () => {
    const step = await upsert(job(), ABALONE, { 'substitutions-file': '' });
    const annotations = step.stdout
      .split('\n')
      .filter((line) => line.startsWith('::error file=pipelines/abalone.json'));
    expect(annotations.length).toBeGreaterThan(1);
    for (const annotation of annotations)
      expect(annotation).toMatch(/line=\d+,col=\d+::.*placeholder <<\w+>> has no value/);
    expect(new Set(annotations.map((annotation) => /line=(\d+)/.exec(annotation)![1])).size).toBe(annotations.length);
  });
});

/**
 * Bad inputs a user could plausibly type, by category, for every action, run through the bundles
 * as the runner runs them: each fails in one line naming the input, exits 1, and makes no
 * mutating AWS call. Categories: AWS's limits (from its models), ARNs against the job's partition
 * and region, substitution, tags, contradictory inputs, files, and values a read can judge.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SimulatedJob } from '../../local-runner/job.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { devJob, upsertPipeline } from '../../testkit/jobs.ts';
import { ABALONE, DEV_VALUES, EXECUTION_ROLE } from '../../testkit/sagemaker.ts';
import { accountsWorld } from '../../testkit/worlds/actions.ts';

const emulator = useEmulator(accountsWorld);
const PACKAGE = 'arn:aws:sagemaker:eu-west-1:333333333333:model-package/abalone-models/3';
const IMAGE = `111111111111.dkr.ecr.eu-west-1.amazonaws.com/abalone@sha256:${'ab'.repeat(32)}`;
const EXECUTION = 'arn:aws:sagemaker:eu-west-1:111111111111:pipeline/abalone/execution/abc123def456';

type Category = 'limits' | 'arn' | 'substitution' | 'tags' | 'contradiction' | 'files' | 'read';

interface Case {
  category: Category;
  what: string;
  action: string;
  inputs: Record<string, string>;
  /** The input the line names, and what it says of it. */
  input: string;
  says: RegExp;
}

const pipeline = {
  'pipeline-name': 'abalone',
  'definition-file': 'pipelines/abalone.json',
  'execution-role-arn': EXECUTION_ROLE,
};
const upsert = (inputs: Record<string, string>) => ({
  action: 'upsert-pipeline',
  inputs: { ...pipeline, 'substitutions-file': 'config/dev.json', ...inputs },
});
const deploy = (inputs: Record<string, string>) => ({
  action: 'deploy-endpoint',
  inputs: { 'model-package-arn': PACKAGE, 'endpoint-name': 'abalone', 'execution-role-arn': EXECUTION_ROLE, ...inputs },
});
const start = (inputs: Record<string, string>) => ({
  action: 'start-execution',
  inputs: { 'pipeline-name': 'abalone', ...inputs },
});
const assume = (inputs: Record<string, string>) => ({
  action: 'assume-cross-account-role',
  inputs: { 'role-to-assume': 'arn:aws:iam::111111111111:role/ci-hub', 'aws-region': 'eu-west-1', ...inputs },
});

const CASES: Case[] = [
  // AWS's own limits, from its published models.
  {
    category: 'limits',
    what: 'a hyphenated 300-character pipeline name',
    ...upsert({ 'pipeline-name': `a-${'b'.repeat(298)}` }),
    input: 'pipeline-name',
    says: /is 300 characters; SageMaker CreatePipeline PipelineName takes 1-256/,
  },
  {
    category: 'limits',
    what: 'a 90-character display name',
    ...start({ 'display-name': 'd'.repeat(90) }),
    input: 'display-name',
    says: /is 90 characters; .*takes 1-82/,
  },
  {
    category: 'limits',
    what: 'an instance type SageMaker does not have',
    ...deploy({ 'instance-type': 'ml.m5.huge' }),
    input: 'instance-type',
    says: /is not one of the \d+ values/,
  },
  {
    category: 'limits',
    what: 'an endpoint name of 64 characters',
    action: 'wait-for-endpoint',
    inputs: { 'endpoint-name': 'e'.repeat(64) },
    input: 'endpoint-name',
    says: /is 64 characters/,
  },
  {
    category: 'limits',
    what: 'a one-character session name',
    ...assume({ 'role-session-name': 's' }),
    input: 'role-session-name',
    says: /is 1 characters; STS AssumeRole RoleSessionName takes 2-64/,
  },
  {
    category: 'limits',
    what: 'a repository name with capitals',
    action: 'build-push-image',
    inputs: { repository: 'ML/Abalone' },
    input: 'repository',
    says: /pattern/,
  },
  {
    category: 'limits',
    what: 'an endpoint name breaking its pattern, in the smoke test',
    action: 'smoke-test-endpoint',
    inputs: { 'endpoint-name': 'abalone_prod', 'request-body': '1,2,3' },
    input: 'endpoint-name',
    says: /pattern/,
  },
  {
    category: 'limits',
    what: 'an endpoint name over its length, in cleanup',
    action: 'cleanup',
    inputs: { 'keep-last': '3', 'endpoint-names': `abalone-${'x'.repeat(60)}` },
    input: 'endpoint-names',
    says: /is 68 characters/,
  },
  // ARNs against the job's partition and region.
  {
    category: 'arn',
    what: 'a role in another partition',
    ...upsert({ 'execution-role-arn': 'arn:aws-cn:iam::111111111111:role/sagemaker-execution' }),
    input: 'execution-role-arn',
    says: /is in partition aws-cn, but aws-region eu-west-1 is in aws/,
  },
  {
    category: 'arn',
    what: 'a package in another region',
    ...deploy({ 'model-package-arn': PACKAGE.replace('eu-west-1', 'us-east-1') }),
    input: 'model-package-arn',
    says: /is in region us-east-1, but aws-region is eu-west-1/,
  },
  {
    category: 'arn',
    what: 'a group ARN in another region',
    action: 'gate-on-model-approval',
    inputs: {
      'model-package-group-name': 'arn:aws:sagemaker:us-west-2:333333333333:model-package-group/abalone-models',
    },
    input: 'model-package-group-name',
    says: /is in region us-west-2/,
  },
  {
    category: 'arn',
    what: 'a chain role in another partition',
    ...assume({ 'role-chain': 'arn:aws-us-gov:iam::222222222222:role/deployer' }),
    input: 'role-chain',
    says: /is in partition aws-us-gov/,
  },
  {
    category: 'arn',
    what: 'an execution in another region',
    action: 'start-execution',
    inputs: { 'execution-arn': EXECUTION.replace('eu-west-1', 'eu-central-1') },
    input: 'execution-arn',
    says: /is in region eu-central-1/,
  },
  // Substitution.
  {
    category: 'substitution',
    what: 'a placeholder named after an object built-in',
    ...upsert({ substitutions: 'TRAINING_IMAGE: x' }),
    input: 'definition-file',
    says: /placeholder <<constructor>> has no value/,
  },
  {
    category: 'substitution',
    what: 'an empty value',
    ...upsert({ substitutions: 'TRAINING_IMAGE:' }),
    input: 'definition-file',
    says: /placeholder <<TRAINING_IMAGE>> is given an empty value/,
  },
  {
    category: 'substitution',
    what: 'a mapping key written twice',
    ...upsert({ substitutions: '{"TRAINING_IMAGE": "a", "TRAINING_IMAGE": "b"}' }),
    input: 'substitutions',
    says: /key "TRAINING_IMAGE" appears twice/,
  },
  // Tags.
  {
    category: 'tags',
    what: 'an AWS-reserved key in another case',
    ...upsert({ tags: 'AWS:team: ml' }),
    input: 'tags',
    says: /aws: prefix/,
  },
  {
    category: 'tags',
    what: 'an empty key',
    ...deploy({ tags: '{"": "x"}' }),
    input: 'tags',
    says: /tag key '' is 0 characters/,
  },
  {
    category: 'tags',
    what: "47 tags, over 50 with the action's own",
    ...deploy({ tags: JSON.stringify(Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`k${i}`, 'v']))) }),
    input: 'tags',
    says: /has 51 entries; SageMaker AddTags Tags takes at most 50 \(4 of them the action's own\)/,
  },
  {
    category: 'tags',
    what: "a key in the action's own namespace",
    ...upsert({ tags: 'mlops-actions:tag-keys: x' }),
    input: 'tags',
    says: /keys starting mlops-actions: are set by the action/,
  },
  // Inputs that contradict each other.
  {
    category: 'contradiction',
    what: 'an execution ARN with parameters',
    action: 'start-execution',
    inputs: { 'execution-arn': EXECUTION, parameters: 'Epochs: 3' },
    input: 'parameters',
    says: /only applies when starting an execution, not with input 'execution-arn'/,
  },
  {
    category: 'contradiction',
    what: 'an execution ARN of another pipeline',
    action: 'start-execution',
    inputs: { 'execution-arn': EXECUTION, 'pipeline-name': 'churn' },
    input: 'pipeline-name',
    says: /is churn, but input 'execution-arn' is an execution of pipeline abalone/,
  },
  {
    category: 'contradiction',
    what: 'a timeout for a step that does not wait',
    ...start({ wait: 'false', 'timeout-minutes': '30' }),
    input: 'timeout-minutes',
    says: /only applies with wait: true/,
  },
  {
    category: 'contradiction',
    what: 'a reason without a decision to record it with',
    action: 'gate-on-model-approval',
    inputs: { 'model-package-arn': PACKAGE, reason: 'looks good' },
    input: 'reason',
    says: /only applies with decision: approve or reject/,
  },
  {
    category: 'contradiction',
    what: 'a traffic routing for a direct deployment',
    ...deploy({ 'traffic-routing': 'canary' }),
    input: 'traffic-routing',
    says: /only applies with strategy: blue-green/,
  },
  {
    category: 'contradiction',
    what: 'a package and an image together',
    ...deploy({ image: IMAGE }),
    input: 'image',
    says: /cannot be given with input 'model-package-arn'/,
  },
  {
    category: 'contradiction',
    what: 'an audience for credentials that come from the environment',
    ...assume({ audience: 'my-audience', 'credential-source': 'environment' }),
    input: 'audience',
    says: /only applies to the GitHub OIDC token/,
  },
  {
    category: 'contradiction',
    what: 'a promotion input in build mode',
    action: 'build-push-image',
    inputs: { repository: 'ml/abalone', 'source-image': IMAGE },
    input: 'source-image',
    says: /is only used with operation: promote/,
  },
  // Files: read from the workspace only.
  {
    category: 'files',
    what: 'a definition symlinked out of the workspace',
    ...upsert({ 'definition-file': 'pipelines/escape.json' }),
    input: 'definition-file',
    says: /is outside the workspace/,
  },
  {
    category: 'files',
    what: 'a folder as the definition',
    ...upsert({ 'definition-file': 'pipelines' }),
    input: 'definition-file',
    says: /'pipelines' is not a file/,
  },
  {
    category: 'files',
    what: 'a build context outside the workspace',
    action: 'build-push-image',
    inputs: { repository: 'ml/abalone', context: '/etc' },
    input: 'context',
    says: /is outside the workspace/,
  },
  // Values a read can judge, before anything is started.
  {
    category: 'read',
    what: 'a pipeline version that does not exist',
    ...start({ 'pipeline-version-id': '99' }),
    input: 'pipeline-version-id',
    says: /pipeline abalone has no version 99/,
  },
  {
    category: 'read',
    what: 'an empty Float parameter',
    ...start({ parameters: '{"ModelApprovalStatus": "Approved", "TrainingInstanceCount": ""}' }),
    input: 'parameters',
    says: /'TrainingInstanceCount' is a Integer parameter; '' is not/,
  },
];

beforeEach(async () => {
  // The pipeline exists, so that reads can judge the values that need one.
  const created = await upsertPipeline(devJob(emulator.endpoint));
  expect(created.errors).toEqual([]);
  await emulator.admin.clearCalls();
});

function jobFor(testCase: Case): SimulatedJob {
  const job = devJob(emulator.endpoint);
  const definition =
    testCase.what === 'a placeholder named after an object built-in'
      ? ABALONE.replace('"<<TRAINING_IMAGE>>"', '"<<constructor>>"')
      : ABALONE;
  job.writeFile('pipelines/abalone.json', definition);
  job.writeFile('config/dev.json', DEV_VALUES);
  job.writeFile('Dockerfile', 'FROM scratch\n');
  const outside = join(job.workspace, '..', 'runner-secrets');
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(outside, 'credentials.json'), '{}');
  symlinkSync(join(outside, 'credentials.json'), join(job.workspace, 'pipelines', 'escape.json'));
  return job;
}

describe('bad inputs, by category, for every action', () => {
  it('covers every action and every category', () => {
    expect(new Set(CASES.map((c) => c.action)).size).toBe(9);
    expect(new Set(CASES.map((c) => c.category)).size).toBe(7);
  });

  it.each(CASES.map((c) => [`${c.category}: ${c.action}: ${c.what}`, c] as const))(
    '%s — one line naming the input, exit 1, no mutating call',
    async (_, testCase) => {
      const step = await jobFor(testCase).step(testCase.action, { inputs: testCase.inputs });
      expect(step.exitCode).toBe(1);
      expect(step.errors).toHaveLength(1);
      expect(step.errors[0]).toMatch(new RegExp(`^${testCase.action}: input '${testCase.input}': `));
      expect(step.errors[0]).toMatch(testCase.says);
      expect(step.errors[0]).not.toContain('\n');
      const mutating = (await emulator.admin.calls()).filter((call) => call.mutating);
      expect(mutating.map((call) => call.operation)).toEqual([]);
    },
  );
});

/** Inputs of upsert-pipeline-triggers and its triggers file, all checked before any AWS call. */
import { readFileSync } from 'node:fs';
import { checkArnForJob } from '../runtime/arn.ts';
import { checkAwsValue } from '../runtime/aws-constraints.ts';
import { awsInputs, type AwsInputs } from '../runtime/aws-inputs.ts';
import { InputError } from '../runtime/errors.ts';
import { choiceInput, optionalInput, refuseUnless, requiredInput } from '../runtime/inputs.ts';
import { workspacePath } from '../runtime/workspace-files.ts';
import { desiredState, planSha256, type DesiredState } from './desired.ts';
import { readTriggersFile } from './triggers-file.ts';

export interface Inputs extends AwsInputs {
  mode: 'plan' | 'apply';
  pipeline: string;
  /** Workspace-relative, as shown in messages and the summary. */
  triggersPath: string;
  desired: DesiredState;
  planSha256: string;
}

/** Rules are `<prefix>.<name>` within EventBridge's 64 characters, so the prefix leaves room for a name. */
const MAX_PREFIX = 62;
/** Scheduler's own group, where schedules made elsewhere live. */
const RESERVED_GROUP = 'default';

function readPrefix(pipeline: string): string {
  const given = optionalInput('name-prefix');
  const prefix = given ?? pipeline;
  if (prefix.length > MAX_PREFIX)
    throw new InputError(
      'name-prefix',
      given === undefined
        ? `is empty, and the pipeline name (${pipeline.length} characters) is too long to name the schedule group and rules by: give one of at most ${MAX_PREFIX}`
        : `'${prefix.slice(0, 60)}…' is ${prefix.length} characters; at most ${MAX_PREFIX} leave room for the rule names after it`,
    );
  checkAwsValue('name-prefix', 'scheduleGroupName', prefix);
  if (prefix === RESERVED_GROUP)
    throw new InputError('name-prefix', `'${RESERVED_GROUP}' is Scheduler's own schedule group`);
  return prefix;
}

export function readInputs(): Inputs {
  const aws = awsInputs();
  const mode = choiceInput('mode', ['plan', 'apply'] as const, 'apply');
  const pipeline = checkAwsValue('pipeline-name', 'pipelineName', requiredInput('pipeline-name'));
  const targetRoleArn = checkAwsValue('target-role-arn', 'scheduleRoleArn', requiredInput('target-role-arn'));
  // The schedules, rules and topic are made in the account of the role that starts the pipeline.
  const { account } = checkArnForJob('target-role-arn', targetRoleArn, aws.region);
  const prefix = readPrefix(pipeline);
  refuseUnless(mode === 'apply', 'expected-plan-sha256', 'with mode: apply');
  const expected = optionalInput('expected-plan-sha256');
  if (expected !== undefined && !/^[0-9a-f]{64}$/.test(expected))
    throw new InputError(
      'expected-plan-sha256',
      `'${expected.slice(0, 70)}' is not a sha256 (64 lower-case hex digits)`,
    );

  const { absolute, shown } = workspacePath('triggers-file', requiredInput('triggers-file'), 'file');
  const file = readTriggersFile(readFileSync(absolute, 'utf8'), shown, { region: aws.region, account, prefix });
  const desired = desiredState(file, { region: aws.region, account, pipeline, prefix, targetRoleArn });
  const sha = planSha256(desired);
  if (expected !== undefined && expected !== sha)
    throw new InputError(
      'expected-plan-sha256',
      `the plan showed ${expected.slice(0, 12)}…, but what this step would apply is ${sha.slice(0, 12)}… (the triggers file or inputs changed since the plan): nothing was changed; plan again`,
    );
  return { ...aws, mode, pipeline, triggersPath: shown, desired, planSha256: sha };
}

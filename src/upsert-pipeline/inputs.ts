/**
 * Reads the inputs and the definition file, fills in the placeholders and
 * checks the result the way SageMaker would: every problem is found here,
 * before any AWS call.
 */
import { readFileSync } from 'node:fs';
import { checkArnForJob } from '../runtime/arn.ts';
import { checkAwsValue, checkSageMakerTags } from '../runtime/aws-constraints.ts';
import { awsInputs, type AwsInputs } from '../runtime/aws-inputs.ts';
import { canonicalJson, sha256Hex } from '../runtime/canonical-json.ts';
import { fileProblemsError, InputError } from '../runtime/errors.ts';
import { workspacePath } from '../runtime/workspace-files.ts';
import { choiceInput, integerInput, optionalInput, requiredInput } from '../runtime/inputs.ts';
import { objectInput, parseJsonOrYaml } from '../runtime/object-input.ts';
import { checkDefinition, parseJsonText, type PipelineDefinition } from '../sagemaker/pipeline-definition.ts';
import { isOwnershipTag, OWNERSHIP_TAG_KEYS } from '../sagemaker/ownership-tags.ts';
import { definitionLocation, parseS3Uri, type DefinitionLocation } from './definition-location.ts';
import { MANAGED_KEYS_TAG } from './tags.ts';
import { findPlaceholders, placeholderProblems, substitute } from './placeholders.ts';

/** SageMaker's limit on PipelineDefinition sent inline. */
export const INLINE_DEFINITION_LIMIT = 1_048_576;

export interface DesiredPipeline {
  name: string;
  definition: PipelineDefinition;
  /** The definition as sent: canonical JSON, so its sha256 is stable across formatting. */
  definitionText: string;
  /** definition-s3-uri given: the definition is uploaded there and passed by PipelineDefinitionS3Location. */
  definitionLocation?: DefinitionLocation;
  executionRoleArn: string;
  displayName?: string;
  description?: string;
  parallelism?: number;
  tags: Record<string, string>;
}

export interface Inputs extends AwsInputs {
  pipeline: DesiredPipeline;
  mode: 'apply' | 'plan';
  /** Workspace-relative path, for annotations. */
  definitionPath: string;
  unusedSubstitutions: string[];
}

async function readSubstitutions(): Promise<Record<string, unknown>> {
  let fromFile: Record<string, unknown> = {};
  const file = optionalInput('substitutions-file');
  if (file !== undefined) {
    const { absolute } = workspacePath('substitutions-file', file, 'file');
    let parsed: unknown;
    try {
      parsed = await parseJsonOrYaml(readFileSync(absolute, 'utf8'));
    } catch (error) {
      throw new InputError(
        'substitutions-file',
        `'${file}' is not valid JSON or YAML: ${(error as Error).message.split('\n')[0]}`,
      );
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new InputError('substitutions-file', `'${file}' must hold a mapping of placeholder names to values`);
    }
    // Spread, not Object.assign: a "__proto__" key must stay a name, never set a prototype.
    fromFile = { ...parsed };
  }
  // Values given in the workflow win over the file, so one file can serve with a per-run override.
  return { ...fromFile, ...(await objectInput('substitutions')) };
}

async function readTags(): Promise<Record<string, string>> {
  const tags = (await objectInput('tags')) ?? {};
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) {
    if (isOwnershipTag(key))
      throw new InputError('tags', `tag key '${key}': keys starting mlops-actions: are set by the action`);
    result[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return checkSageMakerTags('tags', result, [...OWNERSHIP_TAG_KEYS, MANAGED_KEYS_TAG]);
}

async function readDefinition(substitutions: Record<string, unknown>): Promise<{
  definition: PipelineDefinition;
  path: string;
  unused: string[];
}> {
  const { absolute, shown } = workspacePath('definition-file', requiredInput('definition-file'), 'file');
  const text = readFileSync(absolute, 'utf8');

  const uses = findPlaceholders(text);
  const unresolved = placeholderProblems(uses, substitutions);
  if (unresolved.length > 0) {
    throw fileProblemsError(
      'definition-file',
      unresolved.map(({ use, message }) => ({
        problem: message,
        location: { file: shown, line: use.line, column: use.column },
      })),
    );
  }

  const parsed = parseJsonText(text);
  if ('problem' in parsed) {
    let { line, column } = parsed.problem;
    if (line === undefined) {
      const { jsonErrorPosition } = await import('../runtime/yaml-mapping.ts');
      ({ line, column } = jsonErrorPosition(text) ?? { line: text.split('\n').length, column: undefined });
    }
    throw new InputError('definition-file', parsed.problem.message, {
      file: shown,
      line: line ?? 1,
      ...(column ? { column } : {}),
    });
  }
  const problems = checkDefinition(parsed.value, text);
  if (problems.length > 0) {
    throw fileProblemsError(
      'definition-file',
      problems.map((problem) => ({ problem: problem.message, location: { file: shown, line: problem.line ?? 1 } })),
    );
  }

  const used = new Set(uses.map((use) => use.name));
  let definition: PipelineDefinition;
  try {
    definition = substitute(parsed.value, substitutions) as PipelineDefinition;
  } catch (error) {
    throw new InputError('definition-file', (error as Error).message, { file: shown, line: 1 });
  }
  return {
    definition,
    path: shown,
    unused: Object.keys(substitutions).filter((name) => !used.has(name)),
  };
}

export async function readInputs(): Promise<Inputs> {
  const aws = awsInputs();
  const name = checkAwsValue('pipeline-name', 'pipelineName', requiredInput('pipeline-name'));
  const executionRoleArn = checkAwsValue('execution-role-arn', 'pipelineRoleArn', requiredInput('execution-role-arn'));
  checkArnForJob('execution-role-arn', executionRoleArn, aws.region);
  const s3UriInput = optionalInput('definition-s3-uri');
  const s3Uri = s3UriInput === undefined ? undefined : parseS3Uri(s3UriInput);
  const { definition, path, unused } = await readDefinition(await readSubstitutions());
  const definitionText = canonicalJson(definition);
  if (s3Uri === undefined && definitionText.length > INLINE_DEFINITION_LIMIT) {
    throw new InputError(
      'definition-file',
      `the definition is ${definitionText.length} characters, over SageMaker's inline limit of ${INLINE_DEFINITION_LIMIT}; give definition-s3-uri (e.g. s3://my-bucket/pipelines/) to pass it through S3`,
    );
  }
  const location = s3Uri && definitionLocation(s3Uri, name, sha256Hex(definitionText));
  const displayName = optionalInput('display-name');
  if (displayName !== undefined) checkAwsValue('display-name', 'pipelineDisplayName', displayName);
  const description = optionalInput('description');
  if (description !== undefined) checkAwsValue('description', 'pipelineDescription', description);

  // AWS's model sets no maximum; 256 keeps a typo from meaning "unlimited".
  const parallelismInput = integerInput('parallelism', { min: Number.MIN_SAFE_INTEGER, max: 256 });
  const parallelism =
    parallelismInput === undefined ? undefined : checkAwsValue('parallelism', 'pipelineParallelism', parallelismInput);
  return {
    ...aws,
    mode: choiceInput('mode', ['apply', 'plan'] as const, 'apply'),
    definitionPath: path,
    unusedSubstitutions: unused,
    pipeline: {
      name,
      definition,
      definitionText,
      ...(location ? { definitionLocation: location } : {}),
      executionRoleArn,
      ...(displayName ? { displayName } : {}),
      ...(description ? { description } : {}),
      ...(parallelism !== undefined ? { parallelism } : {}),
      tags: await readTags(),
    },
  };
}

/** What would change between the pipeline SageMaker has and the one described by the inputs. */
import { canonicalJson, sameJson } from '../runtime/canonical-json.ts';
import {
  allSteps,
  parseJsonText,
  type PipelineDefinition,
  type PipelineStep,
} from '../sagemaker/pipeline-definition.ts';
import type { DesiredPipeline } from './inputs.ts';

export interface CurrentPipeline {
  arn: string;
  definition: unknown;
  executionRoleArn?: string;
  displayName?: string;
  description?: string;
  parallelism?: number;
}

export interface SettingChange {
  setting: string;
  from: string;
  to: string;
}

export interface Plan {
  action: 'create' | 'update' | 'none';
  stepsAdded: string[];
  stepsRemoved: string[];
  stepsChanged: string[];
  parametersChanged: boolean;
  /** The parsed definition differs from the pipeline's (always true for a create). */
  definitionChanged: boolean;
  /** Changes elsewhere in the definition (Version, PipelineExperimentConfig, …). */
  otherDefinitionChanges: boolean;
  settings: SettingChange[];
}

function stepsByName(definition: unknown): Map<string, PipelineStep> {
  const steps = (definition as Partial<PipelineDefinition> | undefined)?.Steps;
  return new Map(Array.isArray(steps) ? allSteps(steps).map((step) => [step.Name, step]) : []);
}

/** A step compared without its nested branches, so a changed branch step is reported once, by its own name. */
function stepOwnShape(step: PipelineStep): string {
  if (step.Type !== 'Condition') return canonicalJson(step);
  const args = { ...(step.Arguments as Record<string, unknown>) };
  for (const branch of ['IfSteps', 'ElseSteps']) {
    if (Array.isArray(args[branch])) args[branch] = (args[branch] as PipelineStep[]).map((nested) => nested.Name);
  }
  return canonicalJson({ ...step, Arguments: args });
}

export function parseStoredDefinition(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  const parsed = parseJsonText(text);
  return 'value' in parsed ? parsed.value : undefined;
}

export function planChanges(current: CurrentPipeline | undefined, desired: DesiredPipeline): Plan {
  const before = stepsByName(current?.definition);
  const after = stepsByName(desired.definition);
  const stepsAdded = [...after.keys()].filter((name) => !before.has(name));
  const stepsRemoved = [...before.keys()].filter((name) => !after.has(name));
  const stepsChanged = [...after.keys()].filter(
    (name) => before.has(name) && stepOwnShape(before.get(name)!) !== stepOwnShape(after.get(name)!),
  );
  const currentDefinition = (current?.definition ?? {}) as Record<string, unknown>;
  const desiredDefinition = desired.definition as Record<string, unknown>;
  const parametersChanged =
    current !== undefined && !sameJson(currentDefinition['Parameters'] ?? [], desiredDefinition['Parameters'] ?? []);
  const definitionChanged = current === undefined || !sameJson(current.definition, desired.definition);
  const otherDefinitionChanges =
    definitionChanged && stepsAdded.length + stepsRemoved.length + stepsChanged.length === 0 && !parametersChanged;

  const settings: SettingChange[] = [];
  const compare = (setting: string, from: string | number | undefined, to: string | number | undefined): void => {
    // An input left empty keeps what the pipeline has, as with the other settings of an update.
    if (to !== undefined && String(from ?? '') !== String(to))
      settings.push({ setting, from: String(from ?? ''), to: String(to) });
  };
  if (current) {
    compare('role ARN', current.executionRoleArn, desired.executionRoleArn);
    compare('display name', current.displayName, desired.displayName);
    compare('description', current.description, desired.description);
    compare('parallelism', current.parallelism, desired.parallelism);
  }
  const action = current === undefined ? 'create' : definitionChanged || settings.length > 0 ? 'update' : 'none';
  return {
    action,
    stepsAdded,
    stepsRemoved,
    stepsChanged,
    parametersChanged,
    definitionChanged,
    otherDefinitionChanges,
    settings,
  };
}

export function describePlan(plan: Plan): string[] {
  if (plan.action === 'none') return ['no change'];
  const lines: string[] = [];
  if (plan.action === 'create') lines.push(`create the pipeline with steps ${plan.stepsAdded.join(', ')}`);
  else {
    if (plan.stepsAdded.length) lines.push(`add steps: ${plan.stepsAdded.join(', ')}`);
    if (plan.stepsRemoved.length) lines.push(`remove steps: ${plan.stepsRemoved.join(', ')}`);
    if (plan.stepsChanged.length) lines.push(`change steps: ${plan.stepsChanged.join(', ')}`);
    if (plan.parametersChanged) lines.push('change parameters');
    if (plan.otherDefinitionChanges) lines.push('change other parts of the definition');
    for (const change of plan.settings) lines.push(`${change.setting}: '${change.from}' → '${change.to}'`);
  }
  return lines;
}

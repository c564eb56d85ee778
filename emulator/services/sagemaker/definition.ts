import { validation } from './common.ts';

/**
 * A pipeline definition checked the way CreatePipeline/UpdatePipeline check it, and turned
 * into the step graph executions run: explicit DependsOn, data dependencies through
 * {"Get": "Steps.X..."}, and Condition branches (IfSteps/ElseSteps, nested step objects or
 * names of top-level steps) that gate the steps inside them.
 */

export const STEP_TYPES = [
  'Training',
  'Processing',
  'Transform',
  'RegisterModel',
  'Condition',
  'Fail',
  'Model',
  'CreateModel',
  'Tuning',
  'Lambda',
  'Callback',
  'QualityCheck',
  'ClarifyCheck',
  'EMR',
  'AutoML',
] as const;
export type StepType = (typeof STEP_TYPES)[number];

export const PARAMETER_TYPES = ['String', 'Integer', 'Float', 'Boolean'] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

export interface ParameterDecl {
  name: string;
  type: ParameterType;
  /** As written in the definition; undefined when the parameter has no default. */
  defaultValue: string | number | boolean | undefined;
}

export interface StepNode {
  name: string;
  type: StepType;
  displayName: string | undefined;
  description: string | undefined;
  /** The step object as defined (Arguments, FunctionArn, ...). */
  raw: Record<string, unknown>;
  /** Steps that must succeed first: DependsOn, data references and the gating Condition. */
  dependsOn: string[];
  /** Set for steps inside a Condition's IfSteps (outcome true) or ElseSteps (false). */
  branch: { condition: string; outcome: boolean } | undefined;
  /** Position in the definition; ties between steps ready at once go in this order. */
  index: number;
}

export interface PipelineGraph {
  parameters: ParameterDecl[];
  steps: StepNode[];
  byName: Map<string, StepNode>;
}

export const DEFINITION_VERSION = '2020-12-01';
const STEP_NAME = /^[A-Za-z0-9\-_]{1,64}$/;

const invalid = (message: string) => validation(`Invalid pipeline definition: ${message}`);
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every {"Get": "..."} path inside `value`, skipping the keys named in `skip` at the top level. */
export function getReferences(value: unknown, skip: ReadonlySet<string> = new Set()): string[] {
  const found: string[] = [];
  const walk = (node: unknown, top: boolean): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item, false);
    } else if (isObject(node)) {
      if (typeof node.Get === 'string') found.push(node.Get);
      for (const [key, inner] of Object.entries(node)) if (!(top && skip.has(key))) walk(inner, false);
    }
  };
  walk(value, true);
  return found;
}

function parseJson(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw validation(`Unable to parse pipeline definition: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) throw validation('Unable to parse pipeline definition: the definition must be a JSON object.');
  return parsed;
}

function parameterValueFits(type: ParameterType, value: unknown): boolean {
  switch (type) {
    case 'String':
      return typeof value === 'string';
    case 'Integer':
      return Number.isInteger(value);
    case 'Float':
      return typeof value === 'number';
    case 'Boolean':
      return typeof value === 'boolean';
  }
}

function parseParameters(raw: unknown): ParameterDecl[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw invalid("'Parameters' must be a list.");
  const seen = new Set<string>();
  return raw.map((entry, i) => {
    if (!isObject(entry) || typeof entry.Name !== 'string' || entry.Name === '')
      throw invalid(`parameter ${i + 1} has no Name.`);
    const name = entry.Name;
    if (seen.has(name)) throw invalid(`parameter names must be unique; '${name}' is declared more than once.`);
    seen.add(name);
    const type = entry.Type;
    if (!(PARAMETER_TYPES as readonly unknown[]).includes(type)) {
      throw invalid(`parameter '${name}' has Type '${String(type)}'; expected one of ${PARAMETER_TYPES.join(', ')}.`);
    }
    const defaultValue = entry.DefaultValue;
    if (defaultValue !== undefined && !parameterValueFits(type as ParameterType, defaultValue)) {
      throw invalid(`the DefaultValue of parameter '${name}' is not a ${String(type)}.`);
    }
    return { name, type: type as ParameterType, defaultValue: defaultValue as ParameterDecl['defaultValue'] };
  });
}

interface Collected {
  nodes: StepNode[];
  /** Branch lists that name top-level steps instead of nesting them. */
  namedBranches: { condition: string; outcome: boolean; name: string }[];
}

function collectSteps(list: unknown[], where: string, branch: StepNode['branch'], into: Collected): void {
  list.forEach((entry, i) => {
    if (typeof entry === 'string' && branch) {
      into.namedBranches.push({ ...branch, name: entry });
      return;
    }
    if (!isObject(entry)) throw invalid(`${where}[${i}] is not a step object.`);
    const name = entry.Name;
    if (typeof name !== 'string' || !STEP_NAME.test(name))
      throw invalid(`${where}[${i}] needs a Name of 1 to 64 letters, digits, '-' or '_'.`);
    const type = entry.Type;
    if (!(STEP_TYPES as readonly unknown[]).includes(type)) {
      throw invalid(
        `step '${name}' has unsupported Type '${String(type)}'; supported types: ${STEP_TYPES.join(', ')}.`,
      );
    }
    const dependsOn = entry.DependsOn ?? [];
    if (!Array.isArray(dependsOn) || dependsOn.some((d) => typeof d !== 'string'))
      throw invalid(`DependsOn of step '${name}' must be a list of step names.`);
    into.nodes.push({
      name,
      type: type as StepType,
      displayName: typeof entry.DisplayName === 'string' ? entry.DisplayName : undefined,
      description: typeof entry.Description === 'string' ? entry.Description : undefined,
      raw: entry,
      dependsOn: [...(dependsOn as string[]), ...(branch ? [branch.condition] : [])],
      branch,
      index: into.nodes.length,
    });
    if (type === 'Condition') {
      const args = isObject(entry.Arguments) ? entry.Arguments : {};
      for (const [key, outcome] of [
        ['IfSteps', true],
        ['ElseSteps', false],
      ] as const) {
        const inner = args[key] ?? [];
        if (!Array.isArray(inner)) throw invalid(`${key} of step '${name}' must be a list.`);
        collectSteps(inner, `${name}.${key}`, { condition: name, outcome }, into);
      }
    }
  });
}

/** Names one cycle if the dependencies have any. */
function findCycle(byName: Map<string, StepNode>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'visiting');
    path.push(name);
    for (const dependency of byName.get(name)?.dependsOn ?? []) {
      const cycle = visit(dependency);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of byName.keys()) {
    const cycle = visit(name);
    if (cycle) return cycle;
  }
  return undefined;
}

const CONDITION_BRANCHES: ReadonlySet<string> = new Set(['IfSteps', 'ElseSteps']);

/** The references a step makes itself; a Condition's branches are steps of their own. */
function referencesOf(node: StepNode): string[] {
  if (node.type !== 'Condition') return getReferences(node.raw);
  const { Arguments: args, ...rest } = node.raw;
  return [...getReferences(rest), ...getReferences(args, CONDITION_BRANCHES)];
}

export function parseDefinition(text: string): PipelineGraph {
  const definition = parseJson(text);
  if (definition.Version === undefined) throw invalid("the required field 'Version' is missing.");
  if (definition.Version !== DEFINITION_VERSION) {
    throw invalid(`Version '${String(definition.Version)}' is not supported; use '${DEFINITION_VERSION}'.`);
  }
  const parameters = parseParameters(definition.Parameters);
  if (!Array.isArray(definition.Steps)) throw invalid("the required field 'Steps' must be a list of steps.");

  const collected: Collected = { nodes: [], namedBranches: [] };
  collectSteps(definition.Steps, 'Steps', undefined, collected);
  const byName = new Map<string, StepNode>();
  for (const node of collected.nodes) {
    if (byName.has(node.name)) throw invalid(`step names must be unique; '${node.name}' is used more than once.`);
    byName.set(node.name, node);
  }
  for (const { condition, outcome, name } of collected.namedBranches) {
    const node = byName.get(name);
    if (!node) throw invalid(`step '${condition}' lists step '${name}' in a branch, but no such step is defined.`);
    node.branch = { condition, outcome };
    node.dependsOn.push(condition);
  }

  const declared = new Set(parameters.map((p) => p.name));
  for (const node of collected.nodes) {
    for (const dependency of node.dependsOn) {
      if (!byName.has(dependency))
        throw invalid(`step '${node.name}' depends on step '${dependency}', which is not defined.`);
    }
    for (const reference of referencesOf(node)) {
      const [root, name] = reference.split('.');
      if (root === 'Parameters' && !declared.has(name ?? '')) {
        throw invalid(`step '${node.name}' references parameter '${name}', which is not declared in Parameters.`);
      }
      if (root === 'Steps') {
        if (!byName.has(name ?? ''))
          throw invalid(`step '${node.name}' references '${reference}', but step '${name}' is not defined.`);
        // Data dependency: the step can only start once the one it reads has succeeded.
        if (name !== undefined && !node.dependsOn.includes(name)) node.dependsOn.push(name);
      }
    }
  }
  const cycle = findCycle(byName);
  if (cycle) throw invalid(`the step dependencies form a cycle: ${cycle.join(' -> ')}.`);
  return { parameters, steps: collected.nodes, byName };
}

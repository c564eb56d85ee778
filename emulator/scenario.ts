import type { EndpointBehaviour, ModelPackageBehaviour, Scenario, StepBehaviour } from './types.ts';

/**
 * The scenario says how simulated resources behave (step durations and outcomes, endpoint
 * updates that roll back, ...). Services read it when a resource reaches a decision point, so
 * a new scenario affects what happens from then on, not what already happened.
 */
export class ScenarioError extends Error {}

type Check = (value: unknown, where: string) => void;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function fail(where: string, expected: string): never {
  throw new ScenarioError(`scenario: ${where} must be ${expected}`);
}

const seconds: Check = (value, where) => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(where, 'a non-negative number');
};
const text: Check = (value, where) => {
  if (typeof value !== 'string') fail(where, 'a string');
};
const oneOf =
  (...allowed: string[]): Check =>
  (value, where) => {
    if (typeof value !== 'string' || !allowed.includes(value)) fail(where, `one of ${allowed.join(', ')}`);
  };
const lines: Check = (value, where) => {
  if (!Array.isArray(value) || value.some((line) => typeof line !== 'string')) fail(where, 'a list of strings');
};

/** Unknown fields are refused: a misspelt "outcom" must not silently leave the default in place. */
function checkFields(value: unknown, where: string, fields: Record<string, Check>): void {
  if (!isObject(value)) fail(where, 'an object');
  for (const [key, inner] of Object.entries(value)) {
    const check = fields[key];
    if (!check) throw new ScenarioError(`scenario: ${where}.${key} is not a known field`);
    if (inner !== undefined) check(inner, `${where}.${key}`);
  }
}

function recordOf(check: Check): Check {
  return (value, where) => {
    if (!isObject(value)) fail(where, 'an object keyed by name or "*"');
    for (const [key, inner] of Object.entries(value)) check(inner, `${where}["${key}"]`);
  };
}

const STEP_FIELDS: Record<string, Check> = {
  durationSeconds: seconds,
  outcome: oneOf('Succeeded', 'Failed'),
  failFirstRuns: (value, where) => {
    if (!Number.isInteger(value) || (value as number) < 0) fail(where, 'a non-negative integer');
  },
  failureReason: text,
  attempts: (value, where) => {
    if (!Number.isInteger(value) || (value as number) < 1) fail(where, 'a positive integer');
  },
  logLines: lines,
  conditionOutcome: (value, where) => {
    if (typeof value !== 'boolean') fail(where, 'true or false');
  },
};

const INVOCATION_FIELDS: Record<string, Check> = {
  response: oneOf('echo', 'fixed'),
  body: text,
  contentType: text,
  containerStatus: (value, where) => {
    if (!Number.isInteger(value) || (value as number) < 100 || (value as number) > 599) fail(where, 'an HTTP status');
  },
  error: oneOf('ModelNotReadyException', 'ServiceUnavailable', 'InternalFailure', 'ValidationError'),
  latencyMs: seconds,
};
const invocationBehaviour: Check = (value, where) => checkFields(value, where, INVOCATION_FIELDS);

const ENDPOINT_FIELDS: Record<string, Check> = {
  createSeconds: seconds,
  createOutcome: oneOf('InService', 'Failed'),
  createFailureReason: text,
  updateSeconds: seconds,
  updateOutcome: oneOf('InService', 'RolledBack', 'UpdateRollbackFailed'),
  updateFailureReason: text,
  rollbackSeconds: seconds,
  systemUpdating: (value, where) => checkFields(value, where, { afterSeconds: seconds, durationSeconds: seconds }),
  outOfServiceAfterSeconds: seconds,
  deleteSeconds: seconds,
  logLines: lines,
  invocation: invocationBehaviour,
  invocationsByConfig: (value, where) => recordOf(invocationBehaviour)(value, where),
};

const PACKAGE_FIELDS: Record<string, Check> = {
  settleSeconds: seconds,
  status: oneOf('Completed', 'Failed'),
  failureReason: text,
};

const stepBehaviour: Check = (value, where) => checkFields(value, where, STEP_FIELDS);
const pipelineBehaviour: Check = (value, where) => checkFields(value, where, { steps: recordOf(stepBehaviour) });
const endpointBehaviour: Check = (value, where) => checkFields(value, where, ENDPOINT_FIELDS);
const packageBehaviour: Check = (value, where) => checkFields(value, where, PACKAGE_FIELDS);

export function parseScenario(raw: unknown): Scenario {
  checkFields(raw, 'scenario', {
    pipelines: recordOf(pipelineBehaviour),
    endpoints: recordOf(endpointBehaviour),
    modelPackageGroups: recordOf(packageBehaviour),
  });
  // A copy, so a caller keeping its object cannot change the emulator behind the admin API's back.
  return structuredClone(raw) as Scenario;
}

/** Most specific last, so its fields win. */
function merged<T extends object>(layers: (T | undefined)[]): T {
  return Object.assign({}, ...layers.filter((layer) => layer !== undefined)) as T;
}

export class ScenarioStore {
  private current: Scenario = {};

  get(): Scenario {
    return structuredClone(this.current);
  }

  set(scenario: Scenario): void {
    this.current = parseScenario(scenario);
  }

  clear(): void {
    this.current = {};
  }

  /** "*"/"*", then "*"/step, then pipeline/"*", then pipeline/step. */
  step(pipelineName: string, stepName: string): StepBehaviour {
    const pipelines = this.current.pipelines ?? {};
    const any = pipelines['*']?.steps;
    const named = pipelines[pipelineName]?.steps;
    return merged<StepBehaviour>([any?.['*'], any?.[stepName], named?.['*'], named?.[stepName]]);
  }

  endpoint(endpointName: string): EndpointBehaviour {
    const endpoints = this.current.endpoints ?? {};
    return merged<EndpointBehaviour>([endpoints['*'], endpoints[endpointName]]);
  }

  modelPackage(groupName: string): ModelPackageBehaviour {
    const groups = this.current.modelPackageGroups ?? {};
    return merged<ModelPackageBehaviour>([groups['*'], groups[groupName]]);
  }
}

/**
 * The parts of a parsed workflow the runner acts on, read from the parser's
 * token tree (which keeps every value's file position for messages). A feature
 * the runner does not support is reported here, once, with its place.
 */
import { tokenError } from './tokens.ts';
import {
  entries,
  find,
  isMapping,
  isSequence,
  literal,
  literalString,
  sourceText,
  stringList,
  type MappingToken,
  type TemplateToken,
} from './tokens.ts';

export interface InputDeclaration {
  name: string;
  type: 'string' | 'boolean' | 'number' | 'choice' | 'environment';
  required: boolean;
  default: TemplateToken | undefined;
  options: string[];
  token: TemplateToken;
}

export interface SecretDeclaration {
  name: string;
  required: boolean;
}

export interface NamedValue {
  name: string;
  value: TemplateToken;
}

export interface RunDefaults {
  shell: 'bash' | 'default';
  workingDirectory: TemplateToken | undefined;
}

export interface StepModel {
  index: number;
  id: string | undefined;
  token: TemplateToken;
  name: TemplateToken | undefined;
  if: TemplateToken | undefined;
  env: TemplateToken | undefined;
  continueOnError: TemplateToken | undefined;
  timeoutMinutes: TemplateToken | undefined;
  /** `uses:` as written, with its token; resolved by the loader. */
  uses: { text: string; token: TemplateToken } | undefined;
  with: TemplateToken | undefined;
  run: TemplateToken | undefined;
  shell: 'bash' | 'default';
  workingDirectory: TemplateToken | undefined;
}

interface JobCommon {
  id: string;
  token: TemplateToken;
  name: TemplateToken | undefined;
  needs: string[];
  if: TemplateToken | undefined;
  permissions: TemplateToken | undefined;
  /** `strategy:`, evaluated when the job is about to run (it may use needs). */
  strategy: TemplateToken | undefined;
  concurrency: TemplateToken | undefined;
}

export interface StepsJobModel extends JobCommon {
  kind: 'steps';
  env: TemplateToken | undefined;
  environment: TemplateToken | undefined;
  outputs: NamedValue[];
  steps: StepModel[];
  timeoutMinutes: TemplateToken | undefined;
  continueOnError: TemplateToken | undefined;
}

export interface CallJobModel extends JobCommon {
  kind: 'call';
  uses: { text: string; token: TemplateToken };
  with: TemplateToken | undefined;
  secrets: TemplateToken | undefined;
  inheritSecrets: boolean;
}

export type JobModel = StepsJobModel | CallJobModel;

export interface WorkflowModel {
  /** The file as shown in messages. */
  file: string;
  /** `name:`; GitHub names a workflow without one by its path. */
  name: string | undefined;
  events: Map<string, TemplateToken | undefined>;
  call: { inputs: InputDeclaration[]; secrets: SecretDeclaration[]; outputs: NamedValue[] } | undefined;
  dispatch: { inputs: InputDeclaration[] } | undefined;
  env: TemplateToken | undefined;
  permissions: TemplateToken | undefined;
  concurrency: TemplateToken | undefined;
  jobs: JobModel[];
  /** Things the runner does differently on purpose, for the caller to see. */
  notes: string[];
}

const UNSUPPORTED_JOB_KEYS: Record<string, string> = {
  container: 'job containers',
  services: 'service containers',
  snapshot: 'snapshot',
};
const UNSUPPORTED_STEP_KEYS = ['background', 'wait', 'wait-all', 'cancel', 'parallel'];

/** Reads a workflow's token tree; problems (unsupported features) are appended to `problems`. */
export function readWorkflow(file: string, root: TemplateToken, problems: string[]): WorkflowModel {
  const error = (token: TemplateToken | undefined, message: string): void => {
    problems.push(tokenError(file, token, message));
  };
  const notes: string[] = [];

  const events = readEvents(find(root, 'on'));
  const callToken = events.get('workflow_call');
  const dispatchToken = events.get('workflow_dispatch');
  const defaults = readDefaults(find(root, 'defaults'), { shell: 'default', workingDirectory: undefined }, error);

  const jobs: JobModel[] = [];
  for (const [id, token] of entries(find(root, 'jobs'))) {
    const common: JobCommon = {
      id,
      token,
      name: find(token, 'name'),
      needs: stringList(find(token, 'needs')),
      if: find(token, 'if'),
      permissions: find(token, 'permissions'),
      strategy: find(token, 'strategy'),
      concurrency: find(token, 'concurrency'),
    };
    for (const [key, value] of entries(token)) {
      const feature = UNSUPPORTED_JOB_KEYS[key];
      if (feature) error(value, `${feature} (job '${id}') is not supported by the local runner`);
    }
    const uses = find(token, 'uses');
    if (uses) {
      const secrets = find(token, 'secrets');
      jobs.push({
        ...common,
        kind: 'call',
        uses: { text: literalString(uses) ?? '', token: uses },
        with: find(token, 'with'),
        secrets: secrets && isMapping(secrets) ? secrets : undefined,
        inheritSecrets: literalString(secrets) === 'inherit',
      });
      continue;
    }
    const jobDefaults = readDefaults(find(token, 'defaults'), defaults, error);
    jobs.push({
      ...common,
      kind: 'steps',
      env: find(token, 'env'),
      environment: find(token, 'environment'),
      outputs: entries(find(token, 'outputs')).map(([name, value]) => ({ name, value })),
      steps: readSteps(id, find(token, 'steps'), jobDefaults, error),
      timeoutMinutes: find(token, 'timeout-minutes'),
      continueOnError: find(token, 'continue-on-error'),
    });
  }

  return {
    file,
    name: literalString(find(root, 'name')),
    events,
    call:
      callToken !== undefined || events.has('workflow_call')
        ? {
            inputs: readInputs(find(callToken, 'inputs'), ['string', 'boolean', 'number'], error),
            secrets: entries(find(callToken, 'secrets')).map(([name, spec]) => ({
              name,
              required: literal(find(spec, 'required')) === true,
            })),
            outputs: entries(find(callToken, 'outputs')).map(([name, spec]) => ({
              name,
              value: find(spec, 'value') ?? spec,
            })),
          }
        : undefined,
    dispatch: events.has('workflow_dispatch')
      ? {
          inputs: readInputs(
            find(dispatchToken, 'inputs'),
            ['string', 'boolean', 'number', 'choice', 'environment'],
            error,
          ),
        }
      : undefined,
    env: find(root, 'env'),
    permissions: find(root, 'permissions'),
    concurrency: find(root, 'concurrency'),
    jobs,
    notes,
  };
}

/** `on:` as a string, a list, or a mapping of event → configuration. */
function readEvents(on: TemplateToken | undefined): Map<string, TemplateToken | undefined> {
  const events = new Map<string, TemplateToken | undefined>();
  if (on && isMapping(on)) for (const [name, config] of entries(on)) events.set(name, config);
  else for (const name of stringList(on)) events.set(name, undefined);
  return events;
}

function readInputs(
  token: TemplateToken | undefined,
  types: InputDeclaration['type'][],
  error: (token: TemplateToken | undefined, message: string) => void,
): InputDeclaration[] {
  return entries(token).map(([name, spec]) => {
    const typeToken = find(spec, 'type');
    const type = (literalString(typeToken) ?? 'string') as InputDeclaration['type'];
    if (!types.includes(type))
      error(typeToken, `input '${name}' has type '${type}'; expected one of ${types.join(', ')}`);
    return {
      name,
      type,
      required: literal(find(spec, 'required')) === true,
      default: find(spec, 'default'),
      options: stringList(find(spec, 'options')),
      token: spec,
    };
  });
}

function readDefaults(
  token: TemplateToken | undefined,
  inherited: RunDefaults,
  error: (token: TemplateToken | undefined, message: string) => void,
): RunDefaults {
  const run = find(token, 'run');
  if (!run) return inherited;
  const shell = find(run, 'shell');
  return {
    shell: shell ? readShell(shell, 'defaults.run.shell', error) : inherited.shell,
    workingDirectory: find(run, 'working-directory') ?? inherited.workingDirectory,
  };
}

function readShell(
  token: TemplateToken,
  where: string,
  error: (token: TemplateToken | undefined, message: string) => void,
): 'bash' | 'default' {
  const shell = literalString(token);
  if (shell !== 'bash')
    error(token, `${where} '${sourceText(token)}' is not supported by the local runner (bash only)`);
  return 'bash';
}

function readSteps(
  jobId: string,
  token: TemplateToken | undefined,
  defaults: RunDefaults,
  error: (token: TemplateToken | undefined, message: string) => void,
): StepModel[] {
  if (!token) return [];
  const steps: StepModel[] = [];
  let index = 0;
  for (const step of entriesOfSequence(token)) {
    for (const key of UNSUPPORTED_STEP_KEYS) {
      const value = find(step, key);
      if (value) error(value, `step '${key}' (job '${jobId}') is not supported by the local runner`);
    }
    const uses = find(step, 'uses');
    const shell = find(step, 'shell');
    if (shell && uses) error(shell, `shell is only for run steps (job '${jobId}')`);
    steps.push({
      index: index++,
      id: literalString(find(step, 'id')),
      token: step,
      name: find(step, 'name'),
      if: find(step, 'if'),
      env: find(step, 'env'),
      continueOnError: find(step, 'continue-on-error'),
      timeoutMinutes: find(step, 'timeout-minutes'),
      uses: uses ? { text: literalString(uses) ?? sourceText(uses), token: uses } : undefined,
      with: find(step, 'with'),
      run: find(step, 'run'),
      shell: shell ? readShell(shell, 'shell', error) : defaults.shell,
      workingDirectory: find(step, 'working-directory') ?? (uses ? undefined : defaults.workingDirectory),
    });
  }
  return steps;
}

function entriesOfSequence(token: TemplateToken): MappingToken[] {
  return isSequence(token) ? [...token].filter(isMapping) : [];
}

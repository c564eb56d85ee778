/**
 * Runs the steps of one job the way the GitHub runner does: action bundles as
 * `node <runs.main>` with INPUT_* variables (defaults from action.yml), `run:`
 * scripts through bash, fresh GITHUB_OUTPUT/ENV/STATE/PATH/STEP_SUMMARY files
 * per step, the environment and PATH exported by earlier steps, OIDC tokens
 * from the issuer it is given, post steps in reverse order with STATE_* variables, and
 * SIGINT → SIGTERM → SIGKILL on cancel.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { actionDir, actionMetadata, actionScript, REPO_ROOT } from './action-metadata.ts';
import { eventPayload, githubEnv } from './github-context.ts';
import { oidcClaims } from './oidc-claims.ts';
import type { OidcTokenIssuer } from './oidc-issuer.ts';
import { runFacts, type RunFacts } from './run-facts.ts';
import { createRunnerFiles, inputVariable, readRunnerFiles, type RunnerFileContents } from './runner-files.ts';
import { runStepProcess, type CancelPlan, type StepProcessResult } from './step-process.ts';

if (Number(process.versions.node.split('.')[0]) < 24) {
  throw new Error(
    `actions must run on Node 24 like on GitHub (runs.using: node24), not ${process.version}; run through npm/npx`,
  );
}

export type { CancelPlan };

type LineHandler = (line: string, stream: 'stdout' | 'stderr') => void;

export interface StepOptions {
  inputs?: Record<string, string>;
  /** Variables for this step only (`env:` on the step). */
  env?: Record<string, string>;
  cancel?: CancelPlan;
  /** Whether the runner would run this step's post step at the end of the job (default true). */
  registerPost?: boolean;
  /** Cancels the running step when aborted (workflow cancelled, timeout-minutes). */
  signal?: AbortSignal;
  /** Each output line as it arrives. */
  onLine?: LineHandler;
  /** The step's id, as GITHUB_ACTION. */
  stepId?: string;
  /** What the post step of this step is called in the log (the runner's "Post <step name>"). */
  label?: string;
}

export interface RunStepOptions {
  env?: Record<string, string>;
  /** Relative to the workspace, like `working-directory:`. */
  workingDirectory?: string;
  /**
   * `bash` (written `shell: bash`): `bash --noprofile --norc -eo pipefail {0}`;
   * `default` (no shell given): `bash -e {0}`, as GitHub runs it on Linux.
   */
  shell?: 'bash' | 'default';
  cancel?: CancelPlan;
  signal?: AbortSignal;
  onLine?: LineHandler;
  stepId?: string;
}

/** What a step left behind: its process's result and the runner files it wrote. */
export interface StepResult extends StepProcessResult, Omit<RunnerFileContents, 'raw'> {
  /** Every file the step wrote for the runner, for secret-leak checks. */
  files: Record<string, string>;
  /** The `::error::` lines, without the prefix. */
  errors: string[];
}

export interface JobOptions {
  /** The run this job is part of; what is not given is the default run's (a push to main). */
  context?: Partial<RunFacts>;
  /** Emulator (or AWS) endpoint: AWS_ENDPOINT_URL. */
  emulator?: string;
  /** Serves the job's OIDC tokens; without one its steps get none. */
  oidcIssuer?: OidcTokenIssuer;
  /** Give the job `permissions: id-token: write` (default true when an issuer is given). */
  idToken?: boolean;
  /** Job-level `env:`. */
  env?: Record<string, string>;
  /** The runner machine's own environment, beneath everything the job sets (default: this process's PATH). */
  runnerEnv?: Record<string, string>;
  /** The event payload behind GITHUB_EVENT_PATH (default: one derived from the run). */
  event?: Record<string, unknown>;
}

export interface PendingPost {
  action: string;
  state: Record<string, string>;
  inputs: Record<string, string>;
  env: Record<string, string>;
  label: string | undefined;
  postIf: string | undefined;
}

export class SimulatedJob {
  /** The run this job is part of: its GITHUB_* variables and OIDC claims are derived from these. */
  readonly context: RunFacts;
  readonly runnerTemp: string;
  readonly workspace: string;
  /** What earlier steps exported through GITHUB_ENV, as the runner carries it to later steps. */
  readonly jobEnv: Record<string, string> = {};
  /** What earlier steps added through GITHUB_PATH, newest first, as the runner prepends it. */
  readonly jobPath: string[] = [];
  private readonly root: string;
  private readonly posts: PendingPost[] = [];
  private readonly eventPath: string;
  private stepCount = 0;

  private readonly options: JobOptions;

  constructor(options: JobOptions = {}) {
    this.options = options;
    this.context = runFacts(options.context);
    this.root = mkdtempSync(join(tmpdir(), 'mlops-job-'));
    this.runnerTemp = join(this.root, 'runner-temp');
    this.workspace = join(this.root, 'workspace');
    for (const dir of [this.runnerTemp, this.workspace]) mkdirSync(dir, { recursive: true });
    this.eventPath = join(this.root, 'event.json');
    writeFileSync(this.eventPath, JSON.stringify(options.event ?? eventPayload(this.context), null, 2));
  }

  private async baseEnv(): Promise<Record<string, string>> {
    const env: Record<string, string> = {
      ...(this.options.runnerEnv ?? { PATH: process.env['PATH'] ?? '/usr/bin:/bin' }),
      HOME: this.root,
      CI: 'true',
      ...githubEnv(this.context, { workspace: this.workspace, eventPath: this.eventPath }),
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_NAME: 'local-runner',
      RUNNER_ENVIRONMENT: 'github-hosted',
      RUNNER_TEMP: this.runnerTemp,
    };
    env['PATH'] ??= process.env['PATH'] ?? '/usr/bin:/bin';
    if (this.options.emulator) env['AWS_ENDPOINT_URL'] = this.options.emulator;
    const issuer = this.options.oidcIssuer;
    if (issuer && (this.options.idToken ?? true)) {
      const request = await issuer.issueOidcRequest(oidcClaims(this.context));
      env['ACTIONS_ID_TOKEN_REQUEST_URL'] = request.requestUrl;
      env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] = request.requestToken;
    }
    return { ...env, ...this.options.env };
  }

  /** Runs one `uses: <action>` step (a folder of this checkout, or an absolute path to an action folder). */
  async step(action: string, options: StepOptions = {}): Promise<StepResult> {
    const metadata = actionMetadata(action);
    const inputs: Record<string, string> = {};
    for (const [name, spec] of Object.entries(metadata.inputs)) {
      if (spec.default !== undefined) inputs[name] = String(spec.default);
    }
    for (const [name, value] of Object.entries(options.inputs ?? {})) {
      if (!(name in metadata.inputs)) throw new Error(`${action} has no input '${name}'`);
      inputs[name] = value;
    }
    const script = this.script(action, 'main');
    const runnerSet = this.actionEnv(action, inputs, {});
    const result = await this.runProcess(
      process.execPath,
      [script],
      options.env ?? {},
      runnerSet,
      this.workspace,
      options,
    );
    if (options.registerPost !== false && metadata.runs.post) {
      this.posts.push({
        action,
        state: result.state,
        inputs,
        env: options.env ?? {},
        label: options.label,
        postIf: metadata.runs['post-if'],
      });
    }
    return result;
  }

  /** Runs one `run:` step through bash, as the runner does on Linux. */
  async run(script: string, options: RunStepOptions = {}): Promise<StepResult> {
    const file = join(this.runnerTemp, `run-${this.stepCount + 1}.sh`);
    writeFileSync(file, script);
    const args = options.shell === 'bash' ? ['--noprofile', '--norc', '-eo', 'pipefail', file] : ['-e', file];
    const cwd = resolve(this.workspace, options.workingDirectory ?? '.');
    if (!existsSync(cwd))
      throw new Error(`working-directory ${options.workingDirectory} does not exist in the workspace`);
    return this.runProcess('bash', args, options.env ?? {}, {}, cwd, { ...options, processGroup: true });
  }

  /** The post steps still to run, in the order the runner runs them (last registered first). */
  pendingPosts(): PendingPost[] {
    return [...this.posts].reverse();
  }

  /** Runs one post step and removes it from the pending ones. */
  async post(
    post: PendingPost,
    options: Omit<StepOptions, 'inputs' | 'env' | 'registerPost'> = {},
  ): Promise<StepResult> {
    const index = this.posts.indexOf(post);
    if (index >= 0) this.posts.splice(index, 1);
    const script = this.script(post.action, 'post');
    const runnerSet = this.actionEnv(post.action, post.inputs, post.state);
    return this.runProcess(process.execPath, [script], post.env, runnerSet, this.workspace, options);
  }

  /** Runs the post steps the runner would run at the end of the job, last step first. */
  async finish(): Promise<StepResult[]> {
    const results: StepResult[] = [];
    for (const post of this.pendingPosts()) results.push(await this.post(post));
    return results;
  }

  /** Puts a file into the job's workspace (what actions/checkout would have brought), returning its path there. */
  writeFile(path: string, content: string): string {
    const target = join(this.workspace, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    return path;
  }

  /** Removes the job's temporary folders. */
  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  private script(action: string, which: 'main' | 'post'): string {
    const script = actionScript(action, which);
    if (!script || !existsSync(script))
      throw new Error(`${action}: ${which} script ${script} is missing; run npm run build`);
    return script;
  }

  private actionEnv(
    action: string,
    inputs: Record<string, string>,
    state: Record<string, string>,
  ): Record<string, string> {
    const env: Record<string, string> = { GITHUB_ACTION_PATH: actionDir(action) };
    for (const [name, value] of Object.entries(inputs)) env[inputVariable(name)] = value;
    for (const [name, value] of Object.entries(state)) env[`STATE_${name}`] = value;
    return env;
  }

  private async runProcess(
    command: string,
    args: string[],
    stepEnv: Record<string, string>,
    /** What the runner sets for an action (INPUT_*, STATE_*), over everything else. */
    runnerSet: Record<string, string>,
    cwd: string,
    options: {
      cancel?: CancelPlan;
      signal?: AbortSignal;
      onLine?: LineHandler;
      stepId?: string;
      processGroup?: boolean;
    },
  ): Promise<StepResult> {
    const files = createRunnerFiles(join(this.root, `step-${++this.stepCount}`));
    const base = await this.baseEnv();
    const env: Record<string, string> = { ...base, ...this.jobEnv, ...stepEnv, ...files, ...runnerSet };
    if (this.jobPath.length > 0) env['PATH'] = [...this.jobPath, env['PATH']].join(':');
    if (options.stepId) env['GITHUB_ACTION'] = options.stepId;

    const run: StepProcessResult = await runStepProcess({
      command,
      args,
      env,
      cwd,
      cancel: options.cancel,
      signal: options.signal,
      onLine: options.onLine,
      processGroup: options.processGroup,
    });
    const written = readRunnerFiles(files);
    Object.assign(this.jobEnv, written.exportedEnv);
    this.jobPath.unshift(...[...written.path].reverse());
    return {
      exitCode: run.exitCode,
      signal: run.signal,
      stdout: run.stdout,
      stderr: run.stderr,
      output: run.output,
      cancelled: run.cancelled,
      outputs: written.outputs,
      exportedEnv: written.exportedEnv,
      state: written.state,
      summary: written.summary,
      path: written.path,
      files: written.raw,
      errors: run.stdout
        .split('\n')
        .filter((line) => line.startsWith('::error'))
        .map((line) => line.replace(/^::error[^:]*::/, '')),
    };
  }
}

export { REPO_ROOT };

/**
 * Runs action bundles the way the GitHub runner does: `node <runs.main>` as a
 * child process with INPUT_* variables (defaults from action.yml), fresh
 * GITHUB_OUTPUT/ENV/STATE/PATH/STEP_SUMMARY files per step, the environment
 * exported by earlier steps, an OIDC token endpoint, post steps in reverse
 * order with STATE_* variables, and SIGINT → SIGTERM → SIGKILL on cancel.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { EmulatorAdmin } from '../../emulator/admin-client.ts';
import { actionMetadata, actionScript, REPO_ROOT } from './action-metadata.ts';
import { inputVariable, parseKeyValueFile } from './runner-files.ts';

if (Number(process.versions.node.split('.')[0]) < 24) {
  throw new Error(
    `bundle tests must run on Node 24 like the actions (runs.using: node24), not ${process.version}; run them through npm`,
  );
}

export interface GitHubRunContext {
  repository: string;
  ref: string;
  sha: string;
  actor: string;
  workflow: string;
  runId: string;
  runAttempt: string;
  eventName: string;
  job: string;
  /** Deployment environment of the job; goes into the OIDC token's sub like GitHub does. */
  environment?: string;
}

export const DEFAULT_CONTEXT: GitHubRunContext = {
  repository: 'example-org/ml-pipelines',
  ref: 'refs/heads/main',
  sha: '3f1c2e9a7b6d5c4e3f2a1b0c9d8e7f6a5b4c3d2e',
  actor: 'octocat',
  workflow: 'promote',
  runId: '9876543210',
  runAttempt: '1',
  eventName: 'push',
  job: 'promote',
};

export interface CancelPlan {
  /** Send SIGINT this long after the step started… */
  afterMs?: number;
  /** …or as soon as stdout matches. */
  whenStdout?: RegExp;
  /** Kill the process outright (SIGKILL), as when a cancelled step outlasts the runner's grace period. */
  kill?: boolean;
}

export interface StepOptions {
  inputs?: Record<string, string>;
  /** Variables for this step only (`env:` on the step). */
  env?: Record<string, string>;
  cancel?: CancelPlan;
  /** Whether the runner would run this step's post step at the end of the job (default true). */
  registerPost?: boolean;
}

export interface StepResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  exportedEnv: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  path: string[];
  /** Every file the step wrote for the runner, for secret-leak checks. */
  files: Record<string, string>;
  /** The `::error::` lines, without the prefix. */
  errors: string[];
}

export interface JobOptions {
  context?: Partial<GitHubRunContext>;
  /** Emulator endpoint; sets AWS_ENDPOINT_URL and serves OIDC tokens. */
  emulator?: string;
  /** Give the job `permissions: id-token: write` (default true when an emulator is given). */
  idToken?: boolean;
  /** Job-level `env:`. */
  env?: Record<string, string>;
}

interface PendingPost {
  action: string;
  state: Record<string, string>;
  inputs: Record<string, string>;
}

const RUNNER_KILL_AFTER_SIGINT_MS = 7500;

export class SimulatedJob {
  readonly context: GitHubRunContext;
  readonly runnerTemp: string;
  readonly workspace: string;
  /** What earlier steps exported through GITHUB_ENV, as the runner carries it to later steps. */
  readonly jobEnv: Record<string, string> = {};
  private readonly root: string;
  private readonly posts: PendingPost[] = [];
  private stepCount = 0;

  private readonly options: JobOptions;

  constructor(options: JobOptions = {}) {
    this.options = options;
    this.context = { ...DEFAULT_CONTEXT, ...options.context };
    this.root = mkdtempSync(join(tmpdir(), 'mlops-job-'));
    this.runnerTemp = join(this.root, 'runner-temp');
    this.workspace = join(this.root, 'workspace');
    for (const dir of [this.runnerTemp, this.workspace]) mkdirSyncSafe(dir);
  }

  /** The claims GitHub puts in a job's OIDC token. */
  oidcClaims(): Record<string, unknown> {
    const c = this.context;
    const owner = c.repository.split('/')[0];
    return {
      sub: c.environment ? `repo:${c.repository}:environment:${c.environment}` : `repo:${c.repository}:ref:${c.ref}`,
      repository: c.repository,
      repository_owner: owner,
      ref: c.ref,
      sha: c.sha,
      actor: c.actor,
      workflow: c.workflow,
      event_name: c.eventName,
      run_id: c.runId,
      run_attempt: c.runAttempt,
      job_workflow_ref: `${c.repository}/.github/workflows/${c.workflow}.yml@${c.ref}`,
      ...(c.environment ? { environment: c.environment } : {}),
    };
  }

  private async baseEnv(): Promise<Record<string, string>> {
    const c = this.context;
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: this.root,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: c.repository,
      GITHUB_REPOSITORY_OWNER: c.repository.split('/')[0]!,
      GITHUB_REF: c.ref,
      GITHUB_REF_NAME: c.ref.replace(/^refs\/(heads|tags)\//, ''),
      GITHUB_SHA: c.sha,
      GITHUB_ACTOR: c.actor,
      GITHUB_WORKFLOW: c.workflow,
      GITHUB_RUN_ID: c.runId,
      GITHUB_RUN_ATTEMPT: c.runAttempt,
      GITHUB_EVENT_NAME: c.eventName,
      GITHUB_JOB: c.job,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: 'https://api.github.com',
      RUNNER_OS: 'Linux',
      RUNNER_TEMP: this.runnerTemp,
      GITHUB_WORKSPACE: this.workspace,
    };
    if (this.options.emulator) {
      env['AWS_ENDPOINT_URL'] = this.options.emulator;
      if (this.options.idToken ?? true) {
        const request = await new EmulatorAdmin(this.options.emulator).issueOidcRequest(this.oidcClaims());
        env['ACTIONS_ID_TOKEN_REQUEST_URL'] = request.requestUrl;
        env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] = request.requestToken;
      }
    }
    return { ...env, ...this.options.env };
  }

  /** Runs one `uses: <action>` step. */
  async step(action: string, options: StepOptions = {}): Promise<StepResult> {
    const metadata = actionMetadata(action);
    const inputs: Record<string, string> = {};
    for (const [name, spec] of Object.entries(metadata.inputs ?? {})) {
      if (spec.default !== undefined) inputs[name] = String(spec.default);
    }
    for (const [name, value] of Object.entries(options.inputs ?? {})) {
      if (!(name in (metadata.inputs ?? {}))) throw new Error(`${action} has no input '${name}'`);
      inputs[name] = value;
    }
    const result = await this.runScript(action, 'main', inputs, {}, options);
    if (options.registerPost !== false && metadata.runs.post) {
      this.posts.push({ action, state: result.state, inputs });
    }
    return result;
  }

  /** Runs the post steps the runner would run at the end of the job, last step first. */
  async finish(): Promise<StepResult[]> {
    const results: StepResult[] = [];
    while (this.posts.length > 0) {
      const post = this.posts.pop()!;
      results.push(await this.runScript(post.action, 'post', post.inputs, post.state, {}));
    }
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

  private async runScript(
    action: string,
    which: 'main' | 'post',
    inputs: Record<string, string>,
    state: Record<string, string>,
    options: StepOptions,
  ): Promise<StepResult> {
    const script = actionScript(action, which);
    if (!script || !existsSync(script))
      throw new Error(`${action}: ${which} script ${script} is missing; run npm run build`);
    const stepDir = join(this.root, `step-${++this.stepCount}`);
    mkdirSyncSafe(stepDir);
    const files = {
      GITHUB_OUTPUT: join(stepDir, 'output'),
      GITHUB_ENV: join(stepDir, 'env'),
      GITHUB_STATE: join(stepDir, 'state'),
      GITHUB_PATH: join(stepDir, 'path'),
      GITHUB_STEP_SUMMARY: join(stepDir, 'summary.md'),
    };
    for (const file of Object.values(files)) writeFileSync(file, '');

    const env: Record<string, string> = { ...(await this.baseEnv()), ...this.jobEnv, ...options.env, ...files };
    for (const [name, value] of Object.entries(inputs)) env[inputVariable(name)] = value;
    for (const [name, value] of Object.entries(state)) env[`STATE_${name}`] = value;

    const { exitCode, signal, stdout, stderr } = await spawnStep(script, env, this.workspace, options.cancel);
    const read = (file: string): string => readFileSync(file, 'utf8');
    const exportedEnv = parseKeyValueFile(read(files.GITHUB_ENV));
    Object.assign(this.jobEnv, exportedEnv);
    return {
      exitCode,
      signal,
      stdout,
      stderr,
      outputs: parseKeyValueFile(read(files.GITHUB_OUTPUT)),
      exportedEnv,
      state: parseKeyValueFile(read(files.GITHUB_STATE)),
      summary: read(files.GITHUB_STEP_SUMMARY),
      path: read(files.GITHUB_PATH).split('\n').filter(Boolean),
      files: Object.fromEntries(Object.entries(files).map(([name, file]) => [name, read(file)])),
      errors: stdout
        .split('\n')
        .filter((line) => line.startsWith('::error'))
        .map((line) => line.replace(/^::error[^:]*::/, '')),
    };
  }
}

function mkdirSyncSafe(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

function spawnStep(
  script: string,
  env: Record<string, string>,
  cwd: string,
  cancel: CancelPlan | undefined,
): Promise<{ exitCode: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timers: NodeJS.Timeout[] = [];
    let cancelled = false;
    const cancelNow = (): void => {
      if (cancelled) return;
      cancelled = true;
      if (cancel?.kill) {
        child.kill('SIGKILL');
        return;
      }
      child.kill('SIGINT');
      timers.push(setTimeout(() => child.kill('SIGTERM'), RUNNER_KILL_AFTER_SIGINT_MS));
      timers.push(setTimeout(() => child.kill('SIGKILL'), RUNNER_KILL_AFTER_SIGINT_MS + 2500));
    };
    if (cancel?.afterMs !== undefined) timers.push(setTimeout(cancelNow, cancel.afterMs));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (cancel?.whenStdout?.test(stdout)) cancelNow();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      for (const timer of timers) clearTimeout(timer);
      resolve({ exitCode, signal, stdout, stderr });
    });
  });
}

export { REPO_ROOT };

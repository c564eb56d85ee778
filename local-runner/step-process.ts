/**
 * Runs one step's process the way the runner does: output read line by line
 * from stdout and stderr (both carry workflow commands), and cancellation as
 * SIGINT, SIGTERM 7.5 s later, then SIGKILL.
 */
import { spawn } from 'node:child_process';

export interface CancelPlan {
  /** Send SIGINT this long after the step started… */
  afterMs?: number;
  /** …or as soon as stdout matches. */
  whenStdout?: RegExp;
  /** Kill the process outright (SIGKILL), as when a cancelled step outlasts the runner's grace period. */
  kill?: boolean;
}

export interface StepProcessOptions {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  cancel?: CancelPlan | undefined;
  /** Aborting cancels the step like the runner cancels it (workflow cancelled, timeout-minutes reached). */
  signal?: AbortSignal | undefined;
  /**
   * Signal the step's whole process group, as the runner stops a shell step and
   * everything it started (a bash script waits for its foreground command before
   * acting on SIGINT, so signalling bash alone would not stop `sleep 600`).
   */
  processGroup?: boolean | undefined;
  /** Each complete output line as it arrives. */
  onLine?: ((line: string, stream: 'stdout' | 'stderr') => void) | undefined;
}

export interface StepProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr lines in the order they arrived, as the log shows them. */
  output: string;
  /** Whether the step was cancelled (plan or signal). */
  cancelled: boolean;
}

export const RUNNER_KILL_AFTER_SIGINT_MS = 7500;

export function runStepProcess(options: StepProcessOptions): Promise<StepProcessResult> {
  const { cancel, signal, onLine } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(options.command, options.args, {
      env: options.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: options.processGroup ?? false,
    });
    const kill = (signal: NodeJS.Signals): void => {
      try {
        if (options.processGroup && child.pid !== undefined) process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        // Already gone.
      }
    };
    let stdout = '';
    let stderr = '';
    const output: string[] = [];
    const partial = { stdout: '', stderr: '' };
    const timers: NodeJS.Timeout[] = [];
    let cancelled = false;
    const cancelNow = (): void => {
      if (cancelled) return;
      cancelled = true;
      if (cancel?.kill) {
        kill('SIGKILL');
        return;
      }
      kill('SIGINT');
      timers.push(setTimeout(() => kill('SIGTERM'), RUNNER_KILL_AFTER_SIGINT_MS));
      timers.push(setTimeout(() => kill('SIGKILL'), RUNNER_KILL_AFTER_SIGINT_MS + 2500));
    };
    if (cancel?.afterMs !== undefined) timers.push(setTimeout(cancelNow, cancel.afterMs));
    if (signal?.aborted) cancelNow();
    signal?.addEventListener('abort', cancelNow, { once: true });

    const take = (stream: 'stdout' | 'stderr', text: string): void => {
      const lines = (partial[stream] + text).split('\n');
      partial[stream] = lines.pop()!;
      for (const line of lines) {
        output.push(line);
        onLine?.(line, stream);
      }
    };
    // Decoding on the stream keeps a character split across two chunks whole.
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      take('stdout', chunk);
      if (cancel?.whenStdout?.test(stdout)) cancelNow();
    });
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      take('stderr', chunk);
    });
    child.on('error', reject);
    child.on('close', (exitCode, exitSignal) => {
      for (const timer of timers) clearTimeout(timer);
      signal?.removeEventListener('abort', cancelNow);
      for (const stream of ['stdout', 'stderr'] as const) {
        if (partial[stream] !== '') take(stream, '\n');
      }
      resolve({ exitCode, signal: exitSignal, stdout, stderr, output: output.join('\n'), cancelled });
    });
  });
}

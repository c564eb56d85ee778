/**
 * Runs external tools with argument arrays (never a shell), streams their output into the
 * step log with workflow commands switched off (a build log line such as "::add-mask::" or
 * "::set-env" must not be obeyed), and forwards the runner's cancel signals to them.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as core from '@actions/core';
import { ActionError } from '../runtime/errors.ts';

export interface CommandOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Shown as the log group's title. */
  title?: string;
  /** Keep the output quiet (probes); it is still captured. */
  quiet?: boolean;
  /** Kill the command after this many ms (probes). */
  timeoutMs?: number;
}

export interface CommandResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The runner's cancel signal, when one arrived and was passed on to the command. */
  cancelledBy?: NodeJS.Signals;
  /** stdout and stderr interleaved, the last 256 KiB. */
  output: string;
}

const KEEP_BYTES = 256 * 1024;

/** How a command line is shown in the log: arguments quoted where needed, nothing secret is ever in them. */
export function displayCommand(command: string, args: string[]): string {
  return [command, ...args].map((part) => (/^[\w@%+=:,./-]+$/.test(part) ? part : JSON.stringify(part))).join(' ');
}

export function runCommand(command: string, args: string[], options: CommandOptions = {}): Promise<CommandResult> {
  return new Promise((resolvePromise, reject) => {
    const echo = !options.quiet;
    const token = randomBytes(16).toString('hex');
    if (echo) {
      core.startGroup(options.title ?? displayCommand(command, args));
      core.info(`[command] ${displayCommand(command, args)}`);
      process.stdout.write(`::stop-commands::${token}\n`);
    }
    let output = '';
    let endedWithNewline = true;
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString();
      output = (output + text).slice(-KEEP_BYTES);
      if (echo) {
        process.stdout.write(text);
        endedWithNewline = text.endsWith('\n');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);

    let cancelledBy: NodeJS.Signals | undefined;
    const forward = (signal: NodeJS.Signals) => (): void => {
      cancelledBy ??= signal;
      child.kill(signal);
    };
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    const timer =
      options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);

    const finish = (): void => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      if (timer) clearTimeout(timer);
      if (echo) {
        process.stdout.write(`${endedWithNewline ? '' : '\n'}::${token}::\n`);
        core.endGroup();
      }
    };
    child.once('error', (error) => {
      finish();
      reject(new ActionError(`cannot run ${command}: ${error.message}`, { cause: error }));
    });
    child.once('close', (exitCode, signal) => {
      finish();
      resolvePromise({ exitCode, signal, output, ...(cancelledBy ? { cancelledBy } : {}) });
    });
  });
}

/** The last lines of a failed command's output that say something, for a one-line error. */
export function lastMeaningfulLine(output: string): string {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter(
      (line) =>
        line !== '' &&
        !/^(DEPRECATED|BuildKit is currently disabled|environment-variable|Install the buildx)/.test(line),
    );
  const error = [...lines].reverse().find((line) => /error|failed|denied|unauthorized|not found|no such/i.test(line));
  return (error ?? lines[lines.length - 1] ?? '').slice(0, 500);
}

/** Runs a command that must succeed; its failure becomes one line naming what failed. */
export async function mustRun(
  command: string,
  args: string[],
  options: CommandOptions & { what: string },
): Promise<string> {
  const result = await runCommand(command, args, options);
  if (result.cancelledBy) throw new ActionError(`the run was cancelled (${result.cancelledBy}) during ${options.what}`);
  if (result.signal) throw new ActionError(`${options.what} was stopped by ${result.signal}`);
  if (result.exitCode !== 0) {
    throw new ActionError(
      `${options.what} failed (${command} exited ${result.exitCode}): ${lastMeaningfulLine(result.output)}`,
    );
  }
  return result.output;
}

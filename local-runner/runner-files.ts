/**
 * The files a GitHub runner gives each step (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STATE,
 * GITHUB_PATH, GITHUB_STEP_SUMMARY) and how it reads them back: `name=value` lines or
 * the heredoc form `name<<DELIMITER` … `DELIMITER` that @actions/core writes.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function parseKeyValueFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) body.push(lines[i]!);
      if (i >= lines.length) throw new Error(`unterminated value for '${name}' (delimiter ${delimiter})`);
      values[name!] = body.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`runner file line is neither name=value nor a heredoc: ${line}`);
    values[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return values;
}

/** The runner's name for an input's variable: INPUT_ + upper case, spaces to underscores, hyphens kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export type RunnerFileName = 'GITHUB_OUTPUT' | 'GITHUB_ENV' | 'GITHUB_STATE' | 'GITHUB_PATH' | 'GITHUB_STEP_SUMMARY';
export type RunnerFiles = Record<RunnerFileName, string>;

/** Creates a step's empty runner files in `dir`; their paths go into the step's environment. */
export function createRunnerFiles(dir: string): RunnerFiles {
  mkdirSync(dir, { recursive: true });
  const files: RunnerFiles = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_ENV: join(dir, 'env'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_PATH: join(dir, 'path'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
  };
  for (const file of Object.values(files)) writeFileSync(file, '');
  return files;
}

export interface RunnerFileContents {
  outputs: Record<string, string>;
  exportedEnv: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  path: string[];
  /** Every file as written, for secret-leak checks. */
  raw: Record<RunnerFileName, string>;
}

/** Reads back what a step wrote for the runner. */
export function readRunnerFiles(files: RunnerFiles): RunnerFileContents {
  const raw = Object.fromEntries(
    Object.entries(files).map(([name, file]) => [name, readFileSync(file, 'utf8')]),
  ) as Record<RunnerFileName, string>;
  return {
    outputs: parseKeyValueFile(raw.GITHUB_OUTPUT),
    exportedEnv: parseKeyValueFile(raw.GITHUB_ENV),
    state: parseKeyValueFile(raw.GITHUB_STATE),
    summary: raw.GITHUB_STEP_SUMMARY,
    path: raw.GITHUB_PATH.split('\n').filter(Boolean),
    raw,
  };
}

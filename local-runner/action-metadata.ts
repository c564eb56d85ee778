/**
 * An action's action.yml and the scripts it names. Actions are folders: a name
 * relative to this checkout (`assume-cross-account-role`) or an absolute path.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

export interface ActionInputSpec {
  description: string;
  required?: boolean;
  default?: string;
  deprecationMessage?: string;
}

export interface ActionMetadata {
  name?: string;
  inputs: Record<string, ActionInputSpec>;
  outputs: Record<string, { description: string; value?: string }>;
  runs: { using: string; main?: string; pre?: string; post?: string; 'post-if'?: string; 'pre-if'?: string };
}

/** The root of this checkout: where `$/x` and `org/mlops-actions/x@ref` point. */
export const REPO_ROOT = join(import.meta.dirname, '..');

export function actionDir(action: string): string {
  return resolve(REPO_ROOT, action);
}

/** The metadata file the runner reads: action.yml, or action.yaml when that is what the folder has. */
export function actionFile(action: string): string | undefined {
  const dir = actionDir(action);
  return ['action.yml', 'action.yaml'].map((name) => join(dir, name)).find((file) => existsSync(file));
}

export function actionMetadata(action: string): ActionMetadata {
  const file = actionFile(action);
  if (!file) throw new Error(`${action}: no action.yml in ${actionDir(action)}`);
  const metadata = parse(readFileSync(file, 'utf8')) as Partial<ActionMetadata> | null;
  if (!metadata?.runs) throw new Error(`${file}: no runs section`);
  return { inputs: {}, outputs: {}, ...metadata, runs: metadata.runs };
}

/** Resolves runs.main / runs.post the way the runner does: relative to the action's folder. */
export function actionScript(action: string, which: 'main' | 'post'): string | undefined {
  const script = actionMetadata(action).runs[which];
  return script === undefined ? undefined : join(actionDir(action), script);
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface ActionMetadata {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string; post?: string; 'post-if'?: string };
}

export const REPO_ROOT = join(import.meta.dirname, '..', '..');

export function actionMetadata(action: string): ActionMetadata {
  return parse(readFileSync(join(REPO_ROOT, action, 'action.yml'), 'utf8')) as ActionMetadata;
}

/** Resolves runs.main / runs.post the way the runner does: relative to the action's folder. */
export function actionScript(action: string, which: 'main' | 'post'): string | undefined {
  const script = actionMetadata(action).runs[which];
  return script === undefined ? undefined : join(REPO_ROOT, action, script);
}

/**
 * The local stand-in for actions/checkout: copies a given folder into the job's
 * workspace (every real workflow starts with a checkout; here the "repository"
 * is a folder the caller names). Version control and dependency folders are
 * left out.
 */
import { cpSync, existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';

const SKIPPED = new Set(['.git', 'node_modules']);

/** Copies and returns the log lines the step shows. */
export function checkout(source: string | undefined, workspace: string, path: string | undefined): string[] {
  if (!source) return ['Nothing to check out: the local runner was given no checkout folder'];
  if (!existsSync(source)) throw new Error(`checkout folder ${source} does not exist`);
  const target = resolve(workspace, path ?? '.');
  if (!target.startsWith(workspace)) throw new Error(`checkout path ${path} is outside the workspace`);
  cpSync(source, target, { recursive: true, filter: (file) => !SKIPPED.has(basename(file)) });
  return [`Copied ${source} into ${target} (local stand-in for actions/checkout)`];
}

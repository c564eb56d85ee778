/**
 * The one rule for every input that names a file or folder: it is read from the checked-out
 * repository only. Relative paths are relative to the workspace; an absolute path, or a symlink
 * whose target lies outside the workspace, is refused, so a step never reads the runner's own
 * files (credentials, other jobs' work) because a workflow named them.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { InputError } from './errors.ts';

export function workspaceRoot(env = process.env): string {
  return realpathSync(env['GITHUB_WORKSPACE'] || process.cwd());
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

export interface WorkspacePath {
  /** The real path, symlinks resolved. */
  absolute: string;
  /** Relative to the workspace, as annotations and messages show it. */
  shown: string;
}

/**
 * A path inside the workspace, symlinks resolved, that exists and is of the kind asked.
 * `what` names it in messages ("file", "build context", "Dockerfile").
 */
export function workspacePath(
  input: string,
  value: string,
  kind: 'file' | 'directory',
  options: { workspace?: string; what?: string; runnerTemp?: boolean } = {},
): WorkspacePath {
  const workspace = options.workspace ?? workspaceRoot();
  const what = options.what ?? kind;
  const absolute = resolve(workspace, value);
  if (!existsSync(absolute)) {
    throw new InputError(input, `${what} '${value}' does not exist (paths are relative to the workspace)`);
  }
  const real = realpathSync(absolute);
  // A file an earlier step of the job wrote for this one (a docker config, say) may sit in RUNNER_TEMP.
  const temp = options.runnerTemp && process.env['RUNNER_TEMP'] ? realpathSync(process.env['RUNNER_TEMP']) : undefined;
  if (!inside(workspace, real) && !(temp && inside(temp, real))) {
    throw new InputError(
      input,
      `'${value}' is outside the workspace ${workspace}${temp ? ' and RUNNER_TEMP' : ''}; only files of the checked-out repository${temp ? ' or written by the job' : ''} are read`,
    );
  }
  const stats = statSync(real);
  if (kind === 'directory' && !stats.isDirectory()) throw new InputError(input, `'${value}' is not a directory`);
  if (kind === 'file' && !stats.isFile()) throw new InputError(input, `'${value}' is not a file`);
  return { absolute: real, shown: relative(workspace, real) || '.' };
}

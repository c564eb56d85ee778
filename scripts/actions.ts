/** The actions this repository ships: every src/<name>/ with an index.ts entry. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');

export interface ActionEntry {
  name: string;
  main: string;
  post?: string;
  /** A program of its own that the action hands to later steps (src/<name>/refresh-index.ts → refresh.js). */
  refresh?: string;
}

export function listActions(): ActionEntry[] {
  const src = join(ROOT, 'src');
  return readdirSync(src, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(src, entry.name, 'index.ts')))
    .map((entry) => {
      const post = join(src, entry.name, 'post-index.ts');
      const refresh = join(src, entry.name, 'refresh-index.ts');
      return {
        name: entry.name,
        main: join(src, entry.name, 'index.ts'),
        ...(existsSync(post) ? { post } : {}),
        ...(existsSync(refresh) ? { refresh } : {}),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

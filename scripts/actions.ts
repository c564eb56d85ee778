/** The actions this repository ships: every src/<name>/ with an index.ts entry. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');

export interface ActionEntry {
  name: string;
  main: string;
  post?: string;
}

export function listActions(): ActionEntry[] {
  const src = join(ROOT, 'src');
  return readdirSync(src, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(src, entry.name, 'index.ts')))
    .map((entry) => {
      const post = join(src, entry.name, 'post-index.ts');
      return {
        name: entry.name,
        main: join(src, entry.name, 'index.ts'),
        ...(existsSync(post) ? { post } : {}),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

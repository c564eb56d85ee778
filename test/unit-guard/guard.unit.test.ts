/** The unit project refuses what would make its tests slow or dependent on a build: see testkit/unit-guard.ts. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

describe('unit tests', () => {
  it('cannot start a process', () => {
    expect(() => spawnSync('node', ['-e', '0'])).toThrow(
      'a unit test must not start processes (child_process.spawnSync: node)',
    );
  });

  it('cannot read the built bundles, and can read everything else', async () => {
    expect(() => readFileSync(new URL('../../dist/cleanup/index.js', import.meta.url))).toThrow(
      'a unit test must not read the built bundles',
    );
    await expect(readFile('dist/cleanup/index.js')).rejects.toThrow('a unit test must not read the built bundles');
    expect(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).toContain('"name": "mlops-actions"');
    expect(existsSync('package.json')).toBe(true);
  });

  // A static import of either fails the file as it loads; a computed one fails where it is made.
  it.each(['../../emulator/world.ts', '../../dist/cleanup/index.js'])('cannot import %s', async (path) => {
    await expect(import(/* @vite-ignore */ path)).rejects.toThrow(
      `a unit test must not reach ${path.replace('../../', '')}`,
    );
  });
});

import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vitest/config';

const ROOT = dirname(fileURLToPath(import.meta.url));

/**
 * Unit tests (`*.unit.test.ts`) run without a build and without the emulator: a file that imports
 * the emulator or a bundle in dist/, directly or through what it imports, fails to load, naming
 * the import. testkit/unit-guard.ts refuses to start processes and to read dist/.
 */
function unitTestsStayPure(): Plugin {
  const forbidden = ['emulator', 'dist'].map((folder) => resolve(ROOT, folder) + sep);
  return {
    name: 'unit-tests-stay-pure',
    enforce: 'pre',
    resolveId(source, importer) {
      // Relative as written, or already absolute as vitest passes a computed import() on.
      const target = source.startsWith('.') && importer ? resolve(dirname(importer), source) : source;
      if (forbidden.some((folder) => target.startsWith(folder))) {
        throw new Error(
          `${importer ?? 'a test'} imports ${source}: a unit test must not reach ${target.slice(ROOT.length + 1)}`,
        );
      }
      return null;
    },
    // A computed import() reaches here without a relative specifier to check.
    load(id) {
      if (forbidden.some((folder) => id.startsWith(folder)))
        throw new Error(`a unit test must not reach ${id.slice(ROOT.length + 1)}`);
      return null;
    },
  };
}

export default defineConfig({
  test: {
    // One closing line per run, which CI reads (see .ci/run).
    reporters: ['default', './testkit/closing-line-reporter.ts'],
    projects: [
      {
        extends: true,
        plugins: [unitTestsStayPure()],
        test: {
          name: 'unit',
          include: ['test/**/*.unit.test.ts'],
          setupFiles: ['./testkit/unit-guard.ts'],
          // No processes and no ports: threads start faster than forks.
          pool: 'threads',
          // The bundles in dist/ go through the guard above instead of straight to Node.
          server: { deps: { inline: [resolve(ROOT, 'dist') + sep] } },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.unit.test.ts'],
          // Every job summary an action writes in a test is checked to render on GitHub.
          setupFiles: ['./testkit/summary-check.ts'],
          // Bundle tests spawn real Node processes against a real HTTP emulator; give them room on 2 cores.
          testTimeout: 30_000,
          hookTimeout: 30_000,
          pool: 'forks',
        },
      },
    ],
  },
});

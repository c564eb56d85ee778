import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every job summary an action writes in a test is checked to render on GitHub.
    setupFiles: ['./testkit/summary-check.ts'],
    // Bundle tests spawn real Node processes against a real HTTP emulator; give them room on 2 cores.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default', './testkit/closing-line-reporter.ts'],
  },
});

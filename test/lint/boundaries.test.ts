/**
 * The import directions between the programs (README "Layout") are rules of eslint.config.js: each
 * forbidden import, static or dynamic, is an error there, and an allowed one is not.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../local-runner/action-metadata.ts';

const eslint = new ESLint({ cwd: REPO_ROOT });
const BOUNDARY_RULES = new Set(['no-restricted-imports', 'no-restricted-syntax']);

/** The boundary errors ESLint finds in `code` written at `file`. */
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${REPO_ROOT}/${file}` });
  return result!.messages
    .filter((message) => message.ruleId && BOUNDARY_RULES.has(message.ruleId))
    .map((message) => message.message);
}

const staticImport = (path: string) => `import { thing } from '${path}';\nexport { thing };\n`;
const dynamicImport = (path: string) => `export const thing = await import('${path}');\n`;

// [the importing file, the imported path]
const FORBIDDEN: [string, string][] = [
  ['src/runtime/clock.ts', '../../emulator/admin-client.ts'],
  ['src/runtime/clock.ts', '../../local-runner/job.ts'],
  ['src/upsert-pipeline/main.ts', '../../demo/platform.ts'],
  ['src/upsert-pipeline/main.ts', '../../testkit/sagemaker.ts'],
  ['src/upsert-pipeline/main.ts', '../../test/x.ts'],
  ['src/upsert-pipeline/main.ts', '../../scripts/actions.ts'],
  ['emulator/server.ts', '../src/runtime/clock.ts'],
  ['emulator/services/sagemaker/pipelines.ts', '../../../local-runner/job.ts'],
  ['emulator/server.ts', '../testkit/emulator.ts'],
  ['emulator/server.ts', '../test/x.ts'],
  ['emulator/server.ts', '../demo/platform.ts'],
  ['local-runner/job.ts', '../emulator/admin-client.ts'],
  ['local-runner/job.ts', '../src/runtime/clock.ts'],
  ['local-runner/job.ts', '../demo/platform.ts'],
  ['local-runner/job.ts', '../testkit/emulator.ts'],
  ['local-runner/job.ts', '../test/x.ts'],
  ['local-runner/action-runtime-seam.ts', '../src/upsert-pipeline/main.ts'],
  ['local-runner/action-runtime-seam.ts', '../emulator/admin-client.ts'],
  ['demo/session.ts', '../test/x.ts'],
  ['demo/session.ts', '../testkit/emulator.ts'],
  ['testkit/emulator.ts', '../test/x.ts'],
  ['testkit/emulator.ts', '../demo/platform.ts'],
  ['scripts/bench/promotion.ts', '../../test/x.ts'],
];

const ALLOWED: [string, string][] = [
  ['src/upsert-pipeline/main.ts', '../runtime/clock.ts'],
  ['emulator/services/sagemaker/pipelines.ts', '../../registry.ts'],
  ['local-runner/job.ts', './run-facts.ts'],
  ['local-runner/action-runtime-seam.ts', '../src/runtime/clock.ts'],
  ['demo/session.ts', '../local-runner/index.ts'],
  ['demo/session.ts', '../emulator/admin-client.ts'],
  ['demo/session.ts', '../src/runtime/clock.ts'],
  ['testkit/emulator.ts', '../emulator/admin-client.ts'],
  ['testkit/emulator.ts', '../local-runner/job.ts'],
  ['scripts/bench/promotion.ts', '../../testkit/images.ts'],
  ['scripts/bench/promotion.ts', '../../emulator/server.ts'],
  ['test/workflows/x.test.ts', '../../demo/platform.ts'],
  ['test/workflows/x.test.ts', '../../scripts/lint-workflows.ts'],
  ['test/workflows/x.test.ts', '../local-runner/x.ts'],
];

describe('import directions between the programs', () => {
  it.each(FORBIDDEN)('%s may not import %s', async (file, path) => {
    const [fromStatic] = await boundaryErrors(file, staticImport(path));
    const [fromDynamic] = await boundaryErrors(file, dynamicImport(path));
    const program = file.startsWith('local-runner/action-runtime-seam.ts')
      ? 'local-runner/action-runtime-seam.ts'
      : `${file.split('/')[0]}/`;
    expect(fromStatic).toContain(`${program} does not import`);
    expect(fromDynamic).toContain(`${program} does not import`);
  });

  it.each(ALLOWED)('%s may import %s', async (file, path) => {
    expect(await boundaryErrors(file, staticImport(path))).toEqual([]);
    expect(await boundaryErrors(file, dynamicImport(path))).toEqual([]);
  });

  it('names the program an import may not reach, and why', async () => {
    expect(await boundaryErrors('local-runner/job.ts', staticImport('../emulator/admin-client.ts'))).toEqual([
      "'../emulator/admin-client.ts' import is restricted from being used by a pattern. local-runner/ does not import emulator/: the local runner is given its OIDC issuer and reaches src/ only through local-runner/action-runtime-seam.ts.",
    ]);
  });
});

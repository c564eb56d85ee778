/**
 * Loaded before each unit test file (vitest setupFiles of the `unit` project): a unit test that
 * starts a process or reads a built bundle in dist/ fails on the spot, so the unit loop stays
 * runnable without a build, without the emulator and without the tools the bundles drive.
 * Importing the emulator or dist/ is refused earlier, when the file loads (vitest.config.ts).
 */
import { vi } from 'vitest';

type Module = Record<string, unknown>;
type AnyFunction = (...args: unknown[]) => unknown;

// vi.mock calls are hoisted above everything else in this file; what they use is hoisted with them.
const { refuseProcesses, refuseDistReads } = vi.hoisted(() => {
  const override = (module: Module, names: string[], wrap: (name: string, original: AnyFunction) => AnyFunction) => {
    const replaced = Object.fromEntries(
      names
        .filter((name) => typeof module[name] === 'function')
        .map((name) => [name, wrap(name, module[name] as AnyFunction)]),
    );
    return { ...module, ...replaced, default: { ...(module['default'] as object), ...replaced } };
  };

  const refuseProcesses = async (importOriginal: () => Promise<Module>) =>
    override(
      await importOriginal(),
      ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'],
      (name) =>
        (command: unknown): never => {
          throw new Error(`a unit test must not start processes (child_process.${name}: ${String(command)})`);
        },
    );

  const refuseDistReads = (promises: boolean) => async (importOriginal: () => Promise<Module>) => {
    const { fileURLToPath } = await import('node:url');
    const { resolve, sep } = await import('node:path');
    const dist = resolve(fileURLToPath(new URL('../dist', import.meta.url))) + sep;
    const inDist = (path: unknown): boolean =>
      (typeof path === 'string' || path instanceof URL) &&
      resolve(path instanceof URL ? fileURLToPath(path) : path).startsWith(dist);
    return override(
      await importOriginal(),
      ['readFileSync', 'readdirSync', 'openSync', 'createReadStream', 'readFile', 'readdir', 'open'],
      (_, read) =>
        (path: unknown, ...rest: unknown[]): unknown => {
          if (!inDist(path)) return read(path, ...rest);
          const refusal = new Error(`a unit test must not read the built bundles (${String(path)})`);
          if (promises) return Promise.reject(refusal);
          throw refusal;
        },
    );
  };
  return { refuseProcesses, refuseDistReads };
});

vi.mock('node:child_process', refuseProcesses);
vi.mock('child_process', refuseProcesses);
vi.mock('node:fs', refuseDistReads(false));
vi.mock('fs', refuseDistReads(false));
vi.mock('node:fs/promises', refuseDistReads(true));
vi.mock('fs/promises', refuseDistReads(true));

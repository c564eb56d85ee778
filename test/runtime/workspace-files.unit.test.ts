import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { workspacePath } from '../../src/runtime/workspace-files.ts';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'workspace-files-')));
const workspace = join(root, 'workspace');
const outside = join(root, 'runner-secrets');
mkdirSync(join(workspace, 'pipelines'), { recursive: true });
mkdirSync(outside);
writeFileSync(join(workspace, 'pipelines', 'abalone.json'), '{}');
writeFileSync(join(outside, 'credentials'), 'secret');
symlinkSync(join(outside, 'credentials'), join(workspace, 'pipelines', 'escape.json'));
symlinkSync(join(workspace, 'pipelines', 'abalone.json'), join(workspace, 'inside-link.json'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('workspacePath', () => {
  const accepted: [string, string, string][] = [
    ['a relative file', 'pipelines/abalone.json', 'pipelines/abalone.json'],
    ['a symlink to a file inside', 'inside-link.json', 'pipelines/abalone.json'],
    ['an absolute path inside', join(workspace, 'pipelines/abalone.json'), 'pipelines/abalone.json'],
  ];
  for (const [what, value, shown] of accepted) {
    it(`accepts ${what}`, () => {
      expect(workspacePath('definition-file', value, 'file', { workspace })).toEqual({
        absolute: join(workspace, shown),
        shown,
      });
    });
  }

  const refused: [string, string, RegExp][] = [
    ['a symlink out of the workspace', 'pipelines/escape.json', /'pipelines\/escape\.json' is outside the workspace/],
    ['an absolute path outside', join(outside, 'credentials'), /is outside the workspace/],
    ['a path climbing out', '../runner-secrets/credentials', /is outside the workspace/],
    ['a directory', 'pipelines', /'pipelines' is not a file/],
    ['a missing file', 'pipelines/missing.json', /file 'pipelines\/missing\.json' does not exist/],
  ];
  for (const [what, value, message] of refused) {
    it(`refuses ${what}, naming the input`, () => {
      expect(() => workspacePath('definition-file', value, 'file', { workspace })).toThrow(message);
      expect(() => workspacePath('definition-file', value, 'file', { workspace })).toThrow(/input 'definition-file'/);
    });
  }
});

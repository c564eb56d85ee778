/** Workflow files for the local runner's tests, written into a fresh repository folder per test file. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export interface WorkflowFolder {
  root: string;
  /** Writes .github/workflows/<name> and returns its path. */
  write(name: string, content: string): string;
}

export function useWorkflowFolder(): WorkflowFolder {
  const root = mkdtempSync(join(tmpdir(), 'local-runner-test-'));
  const workflows = join(root, '.github', 'workflows');
  mkdirSync(workflows, { recursive: true });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  return {
    root,
    write(name, content) {
      const file = join(workflows, name);
      writeFileSync(file, content);
      return file;
    },
  };
}

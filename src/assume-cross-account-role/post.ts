import * as core from '@actions/core';
import { CLEANUP_PLAN_STATE, undoExport, type CleanupPlan } from './export-credentials.ts';

/** Undoes what the main step exported; nothing to do when it failed before exporting or cleanup is off. */
export function runPost(): void {
  const saved = core.getState(CLEANUP_PLAN_STATE);
  if (!saved) {
    core.info('Nothing to clean up.');
    return;
  }
  core.info(`Cleanup: ${undoExport(JSON.parse(saved) as CleanupPlan)}`);
}

import * as core from '@actions/core';
import { REGISTRY_AUTH_FOLDER_STATE, removeAuthFolder } from './auth-files.ts';

/**
 * Removes the registry credentials the main step wrote. The main step removes them itself
 * when it finishes; this catches a step that was cancelled or killed half-way.
 */
export function runPost(): void {
  const folder = core.getState(REGISTRY_AUTH_FOLDER_STATE);
  if (!folder) {
    core.info('No registry credentials were written; nothing to clean up.');
    return;
  }
  core.info(
    removeAuthFolder(folder)
      ? `Removed the registry credentials in ${folder}.`
      : `The registry credentials in ${folder} were already removed.`,
  );
}

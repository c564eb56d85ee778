/**
 * The wrapper every action's entry point goes through: one failure line named
 * after the action, and an explicit exit so that open keep-alive sockets of the
 * SDK's HTTP agent cannot keep the step running after the work is done.
 */
import * as core from '@actions/core';
import { describeError, InputError } from './errors.ts';

export async function runAction(actionName: string, main: () => Promise<void>): Promise<never> {
  try {
    await main();
  } catch (error) {
    const message = `${actionName}: ${describeError(error)}`;
    if (error instanceof InputError && error.location) {
      // An annotation on the file and line, still a single error line in the log.
      core.error(message, {
        file: error.location.file,
        startLine: error.location.line,
        ...(error.location.column ? { startColumn: error.location.column } : {}),
      });
      process.exitCode = 1;
    } else {
      core.setFailed(message);
    }
    if (core.isDebug() && error instanceof Error && error.stack) core.debug(error.stack);
  }
  // setFailed sets exitCode; a step that finished without failing exits 0.
  process.exit(process.exitCode ?? 0);
}

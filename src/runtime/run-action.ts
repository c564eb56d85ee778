/**
 * The wrapper every action's entry point goes through: one failure line named
 * after the action, and an explicit exit so that open keep-alive sockets of the
 * SDK's HTTP agent cannot keep the step running after the work is done.
 */
import * as core from '@actions/core';
import { describeError, InputError, type FileLocation } from './errors.ts';

function annotation(location: FileLocation): core.AnnotationProperties {
  return {
    file: location.file,
    startLine: location.line,
    ...(location.column ? { startColumn: location.column } : {}),
  };
}

export async function runAction(actionName: string, main: () => Promise<void> | void): Promise<never> {
  try {
    await main();
  } catch (error) {
    const message = `${actionName}: ${describeError(error)}`;
    if (error instanceof InputError && error.location) {
      // An annotation on the file and line, still a single error line in the log; each further problem of the
      // same file gets its own, so one run shows everything to fix.
      core.error(message, annotation(error.location));
      for (const other of error.others) {
        core.error(`${actionName}: input '${error.input}': ${other.problem}`, annotation(other.location));
      }
      process.exitCode = 1;
    } else {
      core.setFailed(message);
    }
    if (core.isDebug() && error instanceof Error && error.stack) core.debug(error.stack);
  }
  // setFailed sets exitCode; a step that finished without failing exits 0.
  process.exit(process.exitCode ?? 0);
}

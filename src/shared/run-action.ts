/**
 * The wrapper every action's entry point goes through: one failure line named
 * after the action, and an explicit exit so that open keep-alive sockets of the
 * SDK's HTTP agent cannot keep the step running after the work is done.
 */
import * as core from '@actions/core';
import { describeError } from './errors.ts';

export async function runAction(actionName: string, main: () => Promise<void>): Promise<never> {
  try {
    await main();
  } catch (error) {
    core.setFailed(`${actionName}: ${describeError(error)}`);
    if (core.isDebug() && error instanceof Error && error.stack) core.debug(error.stack);
  }
  // setFailed sets exitCode; a step that finished without failing exits 0.
  process.exit(process.exitCode ?? 0);
}

/**
 * Asks at the terminal whether a job may deploy to its environment, as a
 * required reviewer would. Questions are asked one at a time even when jobs
 * wait at the same moment.
 */
import { createInterface } from 'node:readline/promises';
import type { ApprovalRequest } from './types.ts';

export function terminalApprover(
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): (request: ApprovalRequest) => Promise<boolean> {
  let queue: Promise<unknown> = Promise.resolve();
  return (request) => {
    const asked = queue.then(async () => {
      const prompt = createInterface({ input, output, terminal: false });
      try {
        const answer = await prompt.question(
          `Approve job '${request.job}' deploying to environment '${request.environment}'? [y/N] `,
        );
        return /^y(es)?$/i.test(answer.trim());
      } finally {
        prompt.close();
      }
    });
    queue = asked.catch(() => undefined);
    return asked;
  };
}

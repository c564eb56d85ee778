/** The notification people receive about a failed promotion run: which run, where, and what failed. */
import { runUrl, type GitHubContext } from '../runtime/github-context.ts';
import { snsSubject } from '../runtime/sns-topic.ts';

export interface Notification {
  subject: string;
  message: string;
}

export function failureNotification(
  context: GitHubContext,
  details: { failedJob?: string; reason?: string },
): Notification {
  const repository = context.repository || 'a repository';
  const workflow = context.workflow || 'a workflow';
  const commit = context.sha ? ` at ${context.sha.slice(0, 12)}` : '';
  const lines = [
    `Promotion failed: ${workflow} in ${repository}.`,
    '',
    ['Repository', context.repository],
    [
      'Workflow',
      context.workflow &&
        `${context.workflow}${context.runId ? ` (run ${context.runId}, attempt ${context.runAttempt})` : ''}`,
    ],
    ['Ref', context.ref && `${context.ref}${commit}`],
    ['Triggered by', context.actor],
    ['Failed job', details.failedJob],
    ['Reason', details.reason],
    ['Run', runUrl(context)],
  ]
    .filter((line) => typeof line === 'string' || Boolean(line[1]))
    .map((line) => (typeof line === 'string' ? line : `${line[0]}: ${line[1]}`));
  return {
    subject: snsSubject(`Promotion failed: ${repository} (${workflow})`),
    message: lines.join('\n'),
  };
}

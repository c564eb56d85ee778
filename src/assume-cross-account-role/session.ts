/** Session names and tags that let CloudTrail tie every call back to a workflow run. */
import type { Tag } from '@aws-sdk/client-sts';
import type { GitHubContext } from '../shared/github-context.ts';

/** gha-<owner>.<repo>-<run id>-<attempt>, squeezed into STS's 64 characters without losing the run. */
export function defaultSessionName(context: GitHubContext): string {
  const suffix = context.runId ? `-${context.runId}-${context.runAttempt}` : '';
  const repository = (context.repository || 'local').replace('/', '.').replace(/[^\w+=,.@-]/g, '-');
  return `gha-${repository}`.slice(0, 64 - suffix.length) + suffix;
}

// STS session tag values: letters, spaces, digits and _.:/=+-@, at most 256 characters.
function tagValue(text: string): string {
  return text.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '_').slice(0, 256);
}

export function sessionTags(context: GitHubContext): Tag[] {
  const tags: [string, string][] = [
    ['GitHub', 'Actions'],
    ['Repository', context.repository],
    ['Workflow', context.workflow],
    ['Ref', context.ref],
    ['Commit', context.sha],
    ['Actor', context.actor],
    ['RunId', context.runId],
  ];
  return tags.filter(([, value]) => value !== '').map(([Key, value]) => ({ Key, Value: tagValue(value) }));
}

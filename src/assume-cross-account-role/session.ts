/** Session names and tags that let CloudTrail tie every call back to a workflow run. */
import type { Tag } from '@aws-sdk/client-sts';
import { AWS_CONSTRAINTS } from '../runtime/aws-constraints.generated.ts';
import { checkAwsValue } from '../runtime/aws-constraints.ts';
import type { GitHubContext } from '../runtime/github-context.ts';

/** gha-<owner>.<repo>-<run id>-<attempt>, squeezed into STS's 64 characters without losing the run. */
export function defaultSessionName(context: GitHubContext): string {
  const suffix = context.runId ? `-${context.runId}-${context.runAttempt}` : '';
  const repository = (context.repository || 'local').replace('/', '.').replace(/[^\w+=,.@-]/g, '-');
  return `gha-${repository}`.slice(0, 64 - suffix.length) + suffix;
}

// STS session tag values: letters, spaces, digits and _.:/=+-@ (its model's pattern), within its length.
function tagValue(text: string): string {
  return text.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '_').slice(0, AWS_CONSTRAINTS.sessionTagValue.max);
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
  // Made from the run, not given: still checked by STS's rules, so a refusal names the way out.
  return tags
    .filter(([, value]) => value !== '')
    .map(([Key, value]) => ({
      Key: checkAwsValue('skip-session-tags', 'sessionTagKey', Key, 'session tag key '),
      Value: checkAwsValue('skip-session-tags', 'sessionTagValue', tagValue(value), `the session tag ${Key}, `),
    }));
}

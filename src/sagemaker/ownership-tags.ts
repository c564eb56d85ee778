/**
 * Tags our actions put on every SageMaker resource they create, so that cleanup can find what
 * they created — and nothing else. A resource without `mlops-actions:created-by` was not made by
 * us and is never touched.
 */
import type { GitHubContext } from '../runtime/github-context.ts';

export const CREATED_BY_TAG = 'mlops-actions:created-by';
export const REPOSITORY_TAG = 'mlops-actions:repository';
/** Set when the resource was created by a pull request's run (ref refs/pull/<n>/merge). */
export const PULL_REQUEST_TAG = 'mlops-actions:pull-request';
/** On models and endpoint configs: the endpoint they were made for, to prune per endpoint. */
export const ENDPOINT_TAG = 'mlops-actions:endpoint';

export const OWNERSHIP_TAG_KEYS = [CREATED_BY_TAG, REPOSITORY_TAG, PULL_REQUEST_TAG, ENDPOINT_TAG];

/** The pull request number a run is for, from its ref; undefined for branch and tag runs. */
export function pullRequestOf(context: GitHubContext): string | undefined {
  return /^refs\/pull\/(\d+)\//.exec(context.ref)?.[1];
}

export function ownershipTags(
  action: string,
  context: GitHubContext,
  extra: Record<string, string> = {},
): Record<string, string> {
  const pullRequest = pullRequestOf(context);
  return {
    [CREATED_BY_TAG]: action,
    ...(context.repository ? { [REPOSITORY_TAG]: context.repository } : {}),
    ...(pullRequest ? { [PULL_REQUEST_TAG]: pullRequest } : {}),
    ...extra,
  };
}

export function isOwnershipTag(key: string): boolean {
  return key.startsWith('mlops-actions:');
}

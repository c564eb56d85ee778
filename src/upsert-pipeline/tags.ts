/**
 * Tags given as input are set on create and kept in sync afterwards. A tag
 * someone else put on the pipeline is never touched: the keys this action
 * manages are remembered in one extra tag, and only those are removed when
 * they disappear from the input.
 */
import { PULL_REQUEST_TAG } from '../sagemaker/ownership-tags.ts';

export const MANAGED_KEYS_TAG = 'mlops-actions:tag-keys';

/**
 * A pipeline is one pull request's own (removed by cleanup when it closes) only while no other run
 * has written it: the pull request tag set at creation is dropped when a run for another pull
 * request, or for a branch, updates the pipeline.
 */
export function sharedNow(current: Record<string, string>, pullRequest: string | undefined): boolean {
  const owner = current[PULL_REQUEST_TAG];
  return owner !== undefined && owner !== pullRequest;
}

export interface TagChanges {
  set: Record<string, string>;
  remove: string[];
}

/** Tag values may not hold commas, so keys are joined with "/" escaped as "//"; simple keys stay readable. */
export function encodeKeys(keys: string[]): string {
  return keys
    .sort()
    .map((key) => key.replace(/\//g, '//'))
    .join(' / ');
}

export function decodeKeys(value: string | undefined): string[] {
  if (!value) return [];
  return value.split(' / ').map((key) => key.replace(/\/\//g, '/'));
}

export function desiredTagSet(tags: Record<string, string>): Record<string, string> {
  const keys = Object.keys(tags);
  return keys.length === 0 ? {} : { ...tags, [MANAGED_KEYS_TAG]: encodeKeys(keys) };
}

export function tagChanges(
  current: Record<string, string>,
  desired: Record<string, string>,
  pullRequest?: string,
): TagChanges {
  const wanted = desiredTagSet(desired);
  const set: Record<string, string> = {};
  for (const [key, value] of Object.entries(wanted)) if (current[key] !== value) set[key] = value;
  const previouslyManaged = decodeKeys(current[MANAGED_KEYS_TAG]);
  const remove = previouslyManaged.filter((key) => !(key in desired) && key in current);
  if (Object.keys(desired).length === 0 && MANAGED_KEYS_TAG in current) remove.push(MANAGED_KEYS_TAG);
  if (sharedNow(current, pullRequest)) remove.push(PULL_REQUEST_TAG);
  return { set, remove };
}

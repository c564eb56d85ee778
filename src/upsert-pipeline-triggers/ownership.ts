/**
 * How the action names what it makes for a pipeline, and how it knows later that it made it:
 *
 * - schedules live in a schedule group of their own, `<name-prefix>` (the pipeline's name by default),
 *   tagged with the ownership tags and the pipeline; every schedule in a group of ours is ours;
 * - rules are named `<name-prefix>.<rule>` (pipeline names hold no dots, so no pipeline's prefix is
 *   another's) and carry the same tags; a rule under the prefix without them is never touched;
 * - the notification topic carries the ownership tags (a topic serves every pipeline of the
 *   repository that names it); each pipeline adds its rule to the topic policy's one statement and
 *   records the subscriptions its file declares in a tag of its own.
 */
import { partitionOf } from '../runtime/arn.ts';
import { sha256Hex } from '../runtime/canonical-json.ts';
import { CREATED_BY_TAG, REPOSITORY_TAG } from '../sagemaker/ownership-tags.ts';

export const ACTION_NAME = 'upsert-pipeline-triggers';

/** On schedule groups and rules: the pipeline they start or report on. */
export const PIPELINE_TAG = 'mlops-actions:pipeline';

/** On topics: `<prefix>` → the subscriptions that pipeline's file declares, as short hashes. */
export const SUBSCRIPTIONS_TAG_PREFIX = 'mlops-actions:subscriptions:';

/** The rule that sends the pipeline's failed executions to the topic: `<name-prefix>.notifications`. */
export const NOTIFICATIONS_RULE = 'notifications';

export const PIPELINE_TARGET_ID = 'pipeline';
export const TOPIC_TARGET_ID = 'topic';

/** The topic policy statement that lets EventBridge publish, for the rules listed in its aws:SourceArn. */
export const POLICY_SID = 'MlopsActionsEventBridgeRules';

export const ruleNameOf = (prefix: string, name: string): string => `${prefix}.${name}`;

export function ruleArnOf(region: string, account: string, ruleName: string): string {
  return `arn:${partitionOf(region)}:events:${region}:${account}:rule/${ruleName}`;
}

export interface Owner {
  pipeline: string;
  /** The repository running the action; empty outside GitHub (then the tag is absent). */
  repository: string;
}

const repositoryMatches = (tags: Record<string, string>, repository: string): boolean =>
  (tags[REPOSITORY_TAG] ?? '') === repository;

/** A schedule group or rule this action made for this pipeline, from this repository. */
export function isOursForPipeline(tags: Record<string, string>, owner: Owner): boolean {
  return (
    tags[CREATED_BY_TAG] === ACTION_NAME &&
    tags[PIPELINE_TAG] === owner.pipeline &&
    repositoryMatches(tags, owner.repository)
  );
}

/** A topic this action made for some pipeline of this repository. */
export function isOurTopic(tags: Record<string, string>, repository: string): boolean {
  return tags[CREATED_BY_TAG] === ACTION_NAME && repositoryMatches(tags, repository);
}

/** Twelve hex digits of a subscription's sha256: 19 of them fit one tag value (256 characters). */
export const subscriptionHash = (protocol: string, endpoint: string): string =>
  sha256Hex(`${protocol} ${endpoint}`).slice(0, 12);

export const MAX_SUBSCRIPTIONS = 19;

export function decodeHashes(value: string | undefined): string[] {
  return value ? value.split(' ').filter(Boolean) : [];
}

export const encodeHashes = (hashes: string[]): string => [...new Set(hashes)].sort().join(' ');

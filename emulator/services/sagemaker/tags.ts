import type { Handler, OperationContext } from '../../registry.ts';
import type { EmulatorState } from '../../state.ts';
import { areaStore, inputOf, listPage, scopeOf, validation, type Scope } from './common.ts';

/**
 * Tags on any SageMaker resource, by ARN. Each area says which of its ARNs exist through an
 * ArnExists check, so tagging stays one module however many resource kinds there are.
 */

export type ArnExists = (context: OperationContext, arn: string) => boolean;

type TagStore = Map<string, Map<string, string>>;

const tagStoreOf = (context: OperationContext) =>
  areaStore<TagStore>(context.state, scopeOf(context), 'tags', () => new Map());

const MAX_TAGS = 50;

/** Keys and values have passed the model's check (lengths, pattern); the reserved prefix is no model's. */
function parseTags(raw: unknown[]): [string, string][] {
  return raw.map((entry) => {
    const tag = entry as { Key: string; Value?: string };
    if (tag.Key.toLowerCase().startsWith('aws:'))
      throw validation(`Tag keys starting with 'aws:' are reserved for AWS use: ${tag.Key}`);
    return [tag.Key, tag.Value ?? ''];
  });
}

/** Adds or overwrites tags on a resource the caller just created or already checked. */
export function putTags(context: OperationContext, arn: string, raw: unknown[]): void {
  const store = tagStoreOf(context);
  const tags = new Map(store.get(arn) ?? []);
  for (const [key, value] of parseTags(raw)) tags.set(key, value);
  if (tags.size > MAX_TAGS) throw validation(`A resource can have at most ${MAX_TAGS} tags.`);
  store.set(arn, tags);
}

export function readTags(context: OperationContext, arn: string): { Key: string; Value: string }[] {
  return [...(tagStoreOf(context).get(arn) ?? [])].map(([Key, Value]) => ({ Key, Value }));
}

/** A deleted resource takes its tags with it. */
export function dropTags(context: OperationContext, arn: string): void {
  tagStoreOf(context).delete(arn);
}

/** The same, for resources that go away on the simulated clock, outside any request. */
export function dropTagsIn(state: EmulatorState, scope: Scope, arn: string): void {
  areaStore<TagStore>(state, scope, 'tags', () => new Map()).delete(arn);
}

export function tagOperations(exists: ArnExists[]): Record<string, Handler> {
  const resourceArn = (input: ReturnType<typeof inputOf>): string => input.string('ResourceArn') ?? '';
  const requireResource = (context: OperationContext, arn: string) => {
    if (!exists.some((check) => check(context, arn))) throw validation(`Resource ${arn} does not exist.`);
  };
  return {
    AddTags: (context) => {
      const input = inputOf(context);
      const arn = resourceArn(input);
      const tags = input.list('Tags') ?? [];
      requireResource(context, arn);
      putTags(context, arn, tags);
      return { Tags: tags };
    },
    ListTags: (context) => {
      const input = inputOf(context);
      const arn = resourceArn(input);
      requireResource(context, arn);
      const page = listPage(input, 'ListTags', readTags(context, arn), MAX_TAGS);
      return { Tags: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
    },
    DeleteTags: (context) => {
      const input = inputOf(context);
      const arn = resourceArn(input);
      const keys = input.list('TagKeys') ?? [];
      requireResource(context, arn);
      const tags = tagStoreOf(context).get(arn);
      for (const key of keys) tags?.delete(String(key));
      return {};
    },
  };
}

/** The tags on a resource of any account, for aws:ResourceTag conditions; nothing is created by looking. */
export function tagsAt(state: EmulatorState, scope: Scope, arn: string): Map<string, string> | undefined {
  const stores = state.resources.bucketsOf<TagStore>('sagemaker:tags');
  return stores.find((s) => s.account === scope.account && s.region === scope.region)?.bucket.get(arn);
}

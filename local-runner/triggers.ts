/**
 * Whether a workflow runs for the event at all: its `on:` lists the event, the
 * branch and tag filters of push and pull_request match, and a
 * repository_dispatch's type is among on.repository_dispatch.types. A reusable
 * workflow (on: workflow_call) may be run directly for any event, as if called
 * from a workflow triggered by it.
 */
import { find, stringList, type TemplateToken } from './tokens.ts';
import type { WorkflowModel } from './workflow-model.ts';

/** Why the workflow would not run, or undefined when it would. */
export function triggerProblem(
  model: WorkflowModel,
  event: string,
  ref: string,
  baseRef: string,
  action?: string,
): string | undefined {
  if (!model.events.has(event)) {
    if (model.call) return undefined;
    return `the workflow does not run on ${event} (on: ${[...model.events.keys()].join(', ')})`;
  }
  const config = model.events.get(event);
  if (event === 'push') {
    const isTag = ref.startsWith('refs/tags/');
    const name = ref.replace(/^refs\/(heads|tags)\//, '');
    const [include, exclude] = isTag ? ['tags', 'tags-ignore'] : ['branches', 'branches-ignore'];
    const [otherInclude, otherExclude] = isTag ? ['branches', 'branches-ignore'] : ['tags', 'tags-ignore'];
    const filtered = (key: string): boolean => find(config, key) !== undefined;
    // Filters only for the other kind of ref mean this kind does not trigger the workflow.
    if (!filtered(include) && !filtered(exclude) && (filtered(otherInclude) || filtered(otherExclude))) {
      return `a push to ${ref} does not trigger the workflow (on.push filters only ${isTag ? 'branches' : 'tags'})`;
    }
    return filterProblem(config, 'push', include, exclude, name, `a push to ${ref}`);
  }
  if (event === 'repository_dispatch') {
    const types = stringList(find(config, 'types'));
    if (types.length > 0 && (action === undefined || !types.includes(action))) {
      return `a repository_dispatch of type '${action ?? ''}' does not match on.repository_dispatch.types (${types.join(', ')})`;
    }
    return undefined;
  }
  if (event === 'pull_request') {
    return filterProblem(
      config,
      'pull_request',
      'branches',
      'branches-ignore',
      baseRef,
      `a pull request into ${baseRef}`,
    );
  }
  return undefined;
}

function filterProblem(
  config: TemplateToken | undefined,
  event: string,
  include: string,
  exclude: string,
  name: string,
  what: string,
): string | undefined {
  const patterns = stringList(find(config, include));
  if (patterns.length > 0 && !matchesFilter(patterns, name)) {
    return `${what} does not match on.${event}.${include} (${patterns.join(', ')})`;
  }
  const ignored = stringList(find(config, exclude));
  if (ignored.length > 0 && matchesFilter(ignored, name)) {
    return `${what} matches on.${event}.${exclude} (${ignored.join(', ')})`;
  }
  return undefined;
}

/** GitHub's filter lists: later patterns win, `!` excludes again. */
export function matchesFilter(patterns: string[], name: string): boolean {
  let matched = false;
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) {
      if (globToRegExp(pattern.slice(1)).test(name)) matched = false;
    } else if (globToRegExp(pattern).test(name)) {
      matched = true;
    }
  }
  return matched;
}

/** GitHub's filter glob: `*` within a path segment, `**` across them, `?`/`+` for the preceding character, `[…]`. */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*') {
      if (pattern[i + 1] === '*') {
        source += '.*';
        i++;
      } else {
        source += '[^/]*';
      }
    } else if (char === '?' || char === '+') {
      source += char;
    } else if (char === '[') {
      const end = pattern.indexOf(']', i);
      if (end < 0) source += '\\[';
      else {
        source += pattern.slice(i, end + 1);
        i = end;
      }
    } else {
      source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

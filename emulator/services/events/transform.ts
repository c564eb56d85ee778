/**
 * What a rule target is given: the whole event (default), a constant (Input), the part of the
 * event a JSONPath selects (InputPath), or an InputTransformer's template filled from the paths
 * in its InputPathsMap. In a JSON template a placeholder inside a string literal takes the
 * value's text, one outside takes the value as JSON (a string with its quotes); in a plain text
 * template every placeholder takes the value's text.
 */

export class TransformError extends Error {}

/** `$`, `$.a.b`, `$.a[0]`, `$['a-b']`: the JSONPath subset EventBridge's paths use. */
export function selectPath(document: unknown, path: string): unknown {
  if (!path.startsWith('$')) throw new TransformError(`Invalid JSONPath: ${path}`);
  const steps: (string | number)[] = [];
  const syntax = /\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/gy;
  syntax.lastIndex = 1;
  while (syntax.lastIndex < path.length) {
    const match = syntax.exec(path);
    if (!match) throw new TransformError(`Invalid JSONPath: ${path}`);
    steps.push(match[2] !== undefined ? Number(match[2]) : (match[1] ?? match[3] ?? match[4] ?? ''));
  }
  let value: unknown = document;
  for (const step of steps) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[step];
  }
  return value;
}

export interface TransformContext {
  ruleArn: string;
  ruleName: string;
  /** The event's ingestion time, ISO 8601. */
  ingestionTime: string;
}

const PLACEHOLDER = /<([A-Za-z0-9_.:-]+)>/g;

function valueOf(
  name: string,
  event: Record<string, unknown>,
  paths: Record<string, string>,
  context: TransformContext,
): { found: boolean; value: unknown } {
  if (name === 'aws.events.rule-arn') return { found: true, value: context.ruleArn };
  if (name === 'aws.events.rule-name') return { found: true, value: context.ruleName };
  if (name === 'aws.events.event.ingestion-time') return { found: true, value: context.ingestionTime };
  if (name === 'aws.events.event' || name === 'aws.events.event.json') return { found: true, value: event };
  const path = paths[name];
  if (path === undefined) return { found: false, value: undefined };
  return { found: true, value: selectPath(event, path) };
}

/** Whether the template is JSON text (an object, an array or a string literal). */
const isJsonTemplate = (template: string) => /^\s*[[{"]/.test(template);

export function applyTemplate(
  template: string,
  paths: Record<string, string>,
  event: Record<string, unknown>,
  context: TransformContext,
): string {
  const json = isJsonTemplate(template);
  let out = '';
  let inString = false;
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const index = match.index;
    const before = template.slice(last, index);
    // Track whether the placeholder sits inside a JSON string literal.
    for (let i = 0; i < before.length; i++) {
      if (before[i] === '\\') i++;
      else if (before[i] === '"') inString = !inString;
    }
    out += before;
    last = index + match[0].length;
    const { found, value } = valueOf(match[1] as string, event, paths, context);
    if (!found) {
      out += match[0];
      continue;
    }
    const text = typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
    if (!json) out += text;
    else if (inString) out += JSON.stringify(text).slice(1, -1);
    else out += value === undefined ? 'null' : JSON.stringify(value);
  }
  return out + template.slice(last);
}

export interface TargetInputSpec {
  Input?: string;
  InputPath?: string;
  InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
}

export function targetInput(
  target: TargetInputSpec,
  event: Record<string, unknown>,
  context: TransformContext,
): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) return JSON.stringify(selectPath(event, target.InputPath) ?? null);
  if (target.InputTransformer)
    return applyTemplate(
      target.InputTransformer.InputTemplate,
      target.InputTransformer.InputPathsMap ?? {},
      event,
      context,
    );
  return JSON.stringify(event);
}

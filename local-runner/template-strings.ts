/**
 * Strings with embedded `${{ }}` that span several lines. The workflow parser
 * (built for editors) turns them into `format(…)` over the raw YAML source, so
 * a block scalar's indentation, or a quoted scalar's quotes, would end up in the
 * value. Here the value is read back from that source as YAML reads it, and its
 * expressions are found again, to be evaluated in place.
 */
import { parse } from 'yaml';
import type { BasicExpressionToken } from './tokens.ts';

export type TemplatePart = { text: string } | { expression: string };

/** The parts of a multi-line string with expressions; undefined for anything else. */
export function multiLineTemplate(token: BasicExpressionToken): TemplatePart[] | undefined {
  const range = token.range;
  const multiLine = range !== undefined && range.start.line !== range.end.line;
  if (!multiLine || !token.originalExpressions || token.source === undefined) return undefined;
  const document = token.blockScalarHeader ? `v: ${token.blockScalarHeader}\n${token.source}` : `v: ${token.source}`;
  const value = (parse(document) as { v?: unknown } | null)?.v;
  return typeof value === 'string' ? splitTemplate(value) : undefined;
}

/** Splits text at `${{ … }}`; a `}}` inside a quoted string of the expression does not end it. */
export function splitTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let rest = text;
  for (;;) {
    const open = rest.indexOf('${{');
    if (open < 0) break;
    let inString = false;
    let close = -1;
    for (let i = open + 3; i < rest.length; i++) {
      if (rest[i] === "'") inString = !inString;
      else if (!inString && rest[i] === '}' && rest[i + 1] === '}') {
        close = i;
        break;
      }
    }
    if (close < 0) break;
    if (open > 0) parts.push({ text: rest.slice(0, open) });
    parts.push({ expression: rest.slice(open + 3, close).trim() });
    rest = rest.slice(close + 2);
  }
  if (rest !== '') parts.push({ text: rest });
  return parts;
}

/**
 * The YAML parser, loaded only when a value is not plain JSON (it is a
 * separate bundle: see scripts/build.ts). At 115 kB it was the largest part of
 * the actions that take mappings, and most steps never need it.
 */
import { parse, parseDocument } from 'yaml';

export function parseYamlText(text: string): unknown {
  return parse(text);
}

/** Where a JSON syntax error is, for the errors V8 reports without a position (JSON is YAML). */
export function jsonErrorPosition(text: string): { line: number; column: number } | undefined {
  const [error] = parseDocument(text).errors;
  return error?.linePos ? { line: error.linePos[0].line, column: error.linePos[0].col } : undefined;
}

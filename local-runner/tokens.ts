/**
 * Reading the parser's template tokens without importing its classes at run time
 * (the package is loaded lazily, see parser-loader.ts): kinds are told apart by
 * templateTokenType, whose numbers are the parser's TokenType.
 */
import type {
  BasicExpressionToken,
  BooleanToken,
  MappingToken,
  NumberToken,
  SequenceToken,
  StringToken,
  TemplateToken,
} from '@actions/workflow-parser/templates/tokens/index';
import { at, type Place } from './errors.ts';

export type { TemplateToken, MappingToken, SequenceToken, StringToken, BasicExpressionToken };

const STRING = 0;
const SEQUENCE = 1;
const MAPPING = 2;
const BASIC_EXPRESSION = 3;
const INSERT_EXPRESSION = 4;
const BOOLEAN = 5;
const NUMBER = 6;
const NULL = 7;

export const isString = (t: TemplateToken): t is StringToken => t.templateTokenType === STRING;
export const isSequence = (t: TemplateToken): t is SequenceToken => t.templateTokenType === SEQUENCE;
export const isMapping = (t: TemplateToken): t is MappingToken => t.templateTokenType === MAPPING;
export const isExpression = (t: TemplateToken): t is BasicExpressionToken => t.templateTokenType === BASIC_EXPRESSION;
export const isInsertExpression = (t: TemplateToken): boolean => t.templateTokenType === INSERT_EXPRESSION;
export const isBoolean = (t: TemplateToken): t is BooleanToken => t.templateTokenType === BOOLEAN;
export const isNumber = (t: TemplateToken): t is NumberToken => t.templateTokenType === NUMBER;
export const isNull = (t: TemplateToken): boolean => t.templateTokenType === NULL;

/** Where a token sits, for messages. */
export function placeOf(file: string, token: TemplateToken | undefined): Place {
  return { file, line: token?.line, col: token?.col };
}

export function tokenError(file: string, token: TemplateToken | undefined, message: string): string {
  return at(placeOf(file, token), message);
}

/** A mapping's entries by their literal keys (workflow keys are never expressions). */
export function entries(token: TemplateToken | undefined): [string, TemplateToken, TemplateToken][] {
  if (!token || !isMapping(token)) return [];
  return [...token].map((pair) => [pair.key.toString(), pair.value, pair.key]);
}

export function find(token: TemplateToken | undefined, key: string): TemplateToken | undefined {
  return token && isMapping(token) ? token.find(key) : undefined;
}

/** The value of a literal scalar; undefined for expressions, mappings and sequences. */
export function literal(token: TemplateToken | undefined): string | number | boolean | null | undefined {
  if (!token) return undefined;
  if (isString(token) || isBoolean(token) || isNumber(token)) return token.value;
  if (isNull(token)) return null;
  return undefined;
}

export function literalString(token: TemplateToken | undefined): string | undefined {
  const value = literal(token);
  return value === undefined || value === null ? undefined : String(value);
}

/** A scalar or a sequence of scalars as strings (`needs: a` and `needs: [a, b]`). */
export function stringList(token: TemplateToken | undefined): string[] {
  if (!token) return [];
  if (isSequence(token)) return [...token].map((item) => literalString(item) ?? '');
  const single = literalString(token);
  return single === undefined ? [] : [single];
}

/** The text a person wrote for a value, expressions included (for messages and heuristics). */
export function sourceText(token: TemplateToken | undefined): string {
  if (!token) return '';
  if (isString(token)) return token.source ?? token.value;
  if (isExpression(token)) return token.source ?? `\${{ ${token.expression} }}`;
  return token.toString();
}

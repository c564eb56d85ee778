/**
 * Evaluates `${{ }}` expressions and `if:` conditions with GitHub's own
 * @actions/expressions. Unlike GitHub, a reference to something that does not
 * exist fails instead of giving '': contexts built with `strictContext` throw
 * when asked for a key they do not have, naming what was asked for.
 */
import { data, Evaluator, Lexer, Parser, type Expr } from '@actions/expressions';
import { Binary, FunctionCall, Grouping, IndexAccess, Logical, Unary } from '@actions/expressions/ast';
import type { FunctionDefinition, FunctionInfo } from '@actions/expressions/funcs/info';
import { TokenType } from '@actions/expressions/lexer';
import { at, WorkflowRuntimeError } from './errors.ts';
import { multiLineTemplate } from './template-strings.ts';
import {
  entries,
  isBoolean,
  isExpression,
  isInsertExpression,
  isMapping,
  isNull,
  isNumber,
  isSequence,
  isString,
  placeOf,
  type TemplateToken,
} from './tokens.ts';

export type ExpressionData = data.ExpressionData;

/** Thrown from inside an evaluation when a strict context lacks the key asked for. */
export class MissingReference extends Error {}

/**
 * A context whose unknown keys are errors. `describe` says what was missing,
 * e.g. "step 'build' has no output 'digst' (its outputs: digest, image-uri)".
 */
export class StrictDictionary extends data.Dictionary {
  private readonly describe: (key: string) => string;

  constructor(describe: (key: string) => string) {
    super();
    this.describe = describe;
  }

  has(key: string): boolean {
    return super.get(key) !== undefined;
  }

  override get(key: string): ExpressionData | undefined {
    const value = super.get(key);
    if (value === undefined) throw new MissingReference(this.describe(key));
    return value;
  }
}

/** Plain JSON-like values as expression data (objects become lenient dictionaries). */
export function toData(value: unknown): ExpressionData {
  if (value === null || value === undefined) return new data.Null();
  if (value instanceof data.Dictionary || value instanceof data.Array) return value;
  if (isExpressionData(value)) return value;
  if (typeof value === 'string') return new data.StringData(value);
  if (typeof value === 'number') return new data.NumberData(value);
  if (typeof value === 'boolean') return new data.BooleanData(value);
  if (Array.isArray(value)) return new data.Array(...value.map(toData));
  const dictionary = new data.Dictionary();
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) dictionary.add(key, toData(item));
  return dictionary;
}

function isExpressionData(value: unknown): value is ExpressionData {
  return (
    value instanceof data.StringData ||
    value instanceof data.NumberData ||
    value instanceof data.BooleanData ||
    value instanceof data.Null
  );
}

/** A context with exactly these keys; anything else is a MissingReference with `describe`'s message. */
export function strictContext(values: Record<string, unknown>, describe: (key: string) => string): StrictDictionary {
  const dictionary = new StrictDictionary(describe);
  for (const [key, value] of Object.entries(values)) dictionary.add(key, toData(value));
  return dictionary;
}

/** Expression data back to plain values. */
export function fromData(value: ExpressionData): unknown {
  switch (value.kind) {
    case data.Kind.String:
    case data.Kind.Number:
    case data.Kind.Boolean:
      return (value as data.StringData | data.NumberData | data.BooleanData).value;
    case data.Kind.Null:
      return null;
    case data.Kind.Array:
      return (value as data.Array).values().map(fromData);
    default: {
      const pairs = (value as data.Dictionary).pairs();
      return Object.fromEntries(pairs.map((pair) => [pair.key, fromData(pair.value)]));
    }
  }
}

/** What the status functions answer where the expression is evaluated. */
export interface StatusFunctions {
  success(args: string[]): boolean;
  failure(args: string[]): boolean;
  cancelled(): boolean;
}

export interface ExpressionScope {
  /** The named contexts available here (github, inputs, steps, …). */
  contexts: Record<string, ExpressionData>;
  status: StatusFunctions;
}

const STATUS_FUNCTIONS = ['success', 'failure', 'cancelled', 'always'];

function functionDefinitions(scope: ExpressionScope): Map<string, FunctionDefinition> {
  const names = (args: ExpressionData[]): string[] => args.map((arg) => arg.coerceString());
  const define = (name: string, maxArgs: number, call: (...args: ExpressionData[]) => ExpressionData) =>
    [name.toLowerCase(), { name, minArgs: 0, maxArgs, call }] as const;
  return new Map<string, FunctionDefinition>([
    define('success', 255, (...args) => new data.BooleanData(scope.status.success(names(args)))),
    define('failure', 255, (...args) => new data.BooleanData(scope.status.failure(names(args)))),
    define('cancelled', 0, () => new data.BooleanData(scope.status.cancelled())),
    define('always', 0, () => new data.BooleanData(true)),
    [
      'hashfiles',
      {
        name: 'hashFiles',
        minArgs: 1,
        maxArgs: 255,
        call: () => {
          throw new MissingReference('hashFiles() is not supported by the local runner');
        },
      },
    ],
  ]);
}

const FUNCTION_INFOS: FunctionInfo[] = [
  { name: 'success', minArgs: 0, maxArgs: 255 },
  { name: 'failure', minArgs: 0, maxArgs: 255 },
  { name: 'cancelled', minArgs: 0, maxArgs: 0 },
  { name: 'always', minArgs: 0, maxArgs: 0 },
  { name: 'hashFiles', minArgs: 1, maxArgs: 255 },
];

/** Parses an expression (without `${{ }}`); throws the parser's message. */
export function parseExpression(expression: string, contextNames: string[]): Expr {
  const tokens = new Lexer(expression).lex().tokens;
  // @actions/expressions 0.3.61 unescapes only the first '' of a string literal; every '' is one quote.
  for (const token of tokens) {
    if (token.type === TokenType.STRING) token.value = token.lexeme.slice(1, -1).replaceAll("''", "'");
  }
  return new Parser(tokens, contextNames, FUNCTION_INFOS).parse();
}

/** Every context name the runner knows, so the parser accepts them wherever the workflow parser already did. */
export const CONTEXT_NAMES = [
  'github',
  'inputs',
  'vars',
  'secrets',
  'env',
  'needs',
  'steps',
  'job',
  'jobs',
  'runner',
  'matrix',
  'strategy',
];

export function evaluateExpression(
  expression: string,
  file: string,
  token: TemplateToken | undefined,
  scope: ExpressionScope,
): ExpressionData {
  try {
    const tree = parseExpression(expression, CONTEXT_NAMES);
    const result = new Evaluator(tree, rootContext(scope), functionDefinitions(scope)).evaluate();
    // A context that is not available here evaluates to undefined rather than failing in the evaluator.
    if (result === undefined) throw new MissingReference(`'${expression}' is not available here`);
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new WorkflowRuntimeError(at(placeOf(file, token), `${message} (in '${expression}')`));
  }
}

function rootContext(scope: ExpressionScope): data.Dictionary {
  const root = new StrictDictionary((name) => `the ${name} context is not available here`);
  for (const [name, value] of Object.entries(scope.contexts)) root.add(name, value);
  return root;
}

/** A workflow value with its expressions evaluated, as plain data. */
export function evaluateToken(token: TemplateToken, file: string, scope: ExpressionScope): unknown {
  if (isExpression(token)) {
    const parts = multiLineTemplate(token);
    if (!parts) return fromData(evaluateExpression(token.expression, file, token, scope));
    // Like format(): each expression's value as a string, between the literal text.
    return parts
      .map((part) =>
        'text' in part ? part.text : evaluateExpression(part.expression, file, token, scope).coerceString(),
      )
      .join('');
  }
  if (isString(token) || isBoolean(token) || isNumber(token)) return token.value;
  if (isNull(token)) return null;
  if (isSequence(token)) return [...token].map((item) => evaluateToken(item, file, scope));
  if (isMapping(token)) {
    return Object.fromEntries(entries(token).map(([key, value]) => [key, evaluateToken(value, file, scope)]));
  }
  if (isInsertExpression(token)) {
    throw new WorkflowRuntimeError(at(placeOf(file, token), '${{ insert }} is not supported by the local runner'));
  }
  throw new WorkflowRuntimeError(at(placeOf(file, token), `unexpected value ${token.toString()}`));
}

/** A value that must be a string (with:, env:, run:), converted the way the runner converts it. */
export function evaluateString(token: TemplateToken, file: string, scope: ExpressionScope): string {
  const value = evaluateToken(token, file, scope);
  return asString(value, file, token);
}

export function asString(value: unknown, file: string, token: TemplateToken | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return toData(value).coerceString();
  throw new WorkflowRuntimeError(
    at(placeOf(file, token), `a ${Array.isArray(value) ? 'sequence' : 'mapping'} was not expected here; use toJSON()`),
  );
}

/** A mapping whose values are strings (env:, with:), evaluated. */
export function evaluateStringMap(
  token: TemplateToken | undefined,
  file: string,
  scope: ExpressionScope,
): Record<string, string> {
  return Object.fromEntries(entries(token).map(([key, value]) => [key, evaluateString(value, file, scope)]));
}

/** The text of an `if:` as the runner reads it: with or without `${{ }}`, empty meaning success(). */
export function conditionText(token: TemplateToken | undefined): string {
  if (!token) return '';
  if (isExpression(token)) return token.expression;
  if (isString(token)) return token.value.trim();
  return token.toString();
}

/**
 * Evaluates an `if:`. Like the runner, a condition without a status function
 * means `success() && (condition)`.
 */
export function evaluateCondition(token: TemplateToken | undefined, file: string, scope: ExpressionScope): boolean {
  const text = conditionText(token);
  const condition = text === '' ? 'success()' : withStatusFunction(text);
  return truthy(evaluateExpression(condition, file, token, scope));
}

export function withStatusFunction(condition: string): string {
  let tree: Expr;
  try {
    tree = parseExpression(condition, CONTEXT_NAMES);
  } catch {
    // Leave it for evaluateExpression to report with its place.
    return condition;
  }
  return callsStatusFunction(tree) ? condition : `success() && (${condition})`;
}

function callsStatusFunction(node: Expr): boolean {
  if (node instanceof FunctionCall) {
    return STATUS_FUNCTIONS.includes(node.functionName.lexeme.toLowerCase()) || node.args.some(callsStatusFunction);
  }
  if (node instanceof Logical) return node.args.some(callsStatusFunction);
  if (node instanceof Binary) return callsStatusFunction(node.left) || callsStatusFunction(node.right);
  if (node instanceof Unary) return callsStatusFunction(node.expr);
  if (node instanceof Grouping) return callsStatusFunction(node.group);
  if (node instanceof IndexAccess) return callsStatusFunction(node.expr) || callsStatusFunction(node.index);
  return false;
}

/** The expression language's truthiness: false, 0, '', null and NaN are false. */
export function truthy(value: ExpressionData): boolean {
  switch (value.kind) {
    case data.Kind.Boolean:
      return (value as data.BooleanData).value;
    case data.Kind.Number: {
      const number = (value as data.NumberData).value;
      return number !== 0 && !Number.isNaN(number);
    }
    case data.Kind.String:
      return (value as data.StringData).value !== '';
    case data.Kind.Null:
      return false;
    default:
      return true;
  }
}

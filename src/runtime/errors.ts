/**
 * Errors the actions raise on purpose. Anything else that escapes an action is
 * reported through describeError, which keeps the step's failure to one line.
 */

/** Where in a user's file a problem is, so the runner can annotate that line. */
export interface FileLocation {
  file: string;
  line: number;
  column?: number;
}

/** One more problem in the same file as an InputError's, annotated on its own line. */
export interface FileProblem {
  problem: string;
  location: FileLocation;
}

const place = (location: FileLocation): string =>
  `${location.file}:${location.line}${location.column ? `:${location.column}` : ''}`;

/** A bad input: raised before any AWS call, so nothing has been changed. */
export class InputError extends Error {
  readonly input: string;
  readonly location?: FileLocation;
  /** Further problems of the same file: the step fails on the first, and each of these gets its own annotation. */
  readonly others: readonly FileProblem[];

  constructor(input: string, problem: string, location?: FileLocation, others: readonly FileProblem[] = []) {
    const more =
      others.length > 0 ? ` (and ${others.length} more problem${others.length > 1 ? 's' : ''}, each annotated)` : '';
    super(`input '${input}': ${location ? `${place(location)}: ` : ''}${problem}${more}`);
    this.name = 'InputError';
    this.input = input;
    if (location) this.location = location;
    this.others = others;
  }
}

/** Fails on every problem of a file at once: the first in the error line, each one annotated at its line. */
export function fileProblemsError(input: string, problems: readonly FileProblem[]): InputError {
  const [first, ...others] = problems;
  if (!first) throw new Error('fileProblemsError needs at least one problem');
  return new InputError(input, first.problem, first.location, others);
}

/** A failure whose message already tells the user what happened and what to do. */
export class ActionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ActionError';
  }
}

interface AwsErrorShape {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  /** The operation, set by the clients createClient makes (aws-client.ts). */
  $operation?: string;
}

function isAwsError(error: unknown): error is Error & AwsErrorShape {
  return error instanceof Error && typeof (error as AwsErrorShape).$metadata === 'object';
}

/**
 * An answer that is not an AWS error document (a load balancer's or proxy's HTML page on a
 * 5xx): the SDK fails to parse it and throws its parser's error ("Unexpected token '<'"),
 * with the HTTP status in $metadata and the raw answer in $response.
 */
export function isUnreadableAnswer(error: unknown): boolean {
  return (
    isAwsError(error) &&
    (error.name === 'SyntaxError' || /Deserialization error/.test(error.message ?? '')) &&
    error.$metadata?.httpStatusCode !== undefined
  );
}

/** The AWS error code (e.g. AccessDenied) when the error came from an AWS service. */
export function awsErrorCode(error: unknown): string | undefined {
  return isAwsError(error) && !isUnreadableAnswer(error) ? error.name : undefined;
}

/**
 * One line that says what went wrong. AWS errors keep their code and request id
 * because that is what AWS support and CloudTrail searches need.
 */
export function describeError(error: unknown): string {
  let text: string;
  if (error instanceof InputError || error instanceof ActionError) {
    text = error.message;
  } else if (isUnreadableAnswer(error)) {
    const { $metadata, $operation } = error as AwsErrorShape;
    const requestId = $metadata?.requestId;
    text =
      `${$operation ?? 'an AWS call'} failed: HTTP ${$metadata?.httpStatusCode} with a body that is not an AWS answer` +
      ` (a proxy or load balancer in the way?)${requestId ? ` (request id ${requestId})` : ''}`;
  } else if (isAwsError(error)) {
    const requestId = error.$metadata?.requestId;
    text = `${error.name}: ${error.message}${requestId ? ` (request id ${requestId})` : ''}`;
  } else if (error instanceof Error) {
    text = error.message || error.name;
  } else {
    text = String(error);
  }
  return oneLine(text);
}

export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** What an AWS refusal says was denied: "User: … is not authorized to perform: <action> on resource: <arn> …". */
export interface DeniedPermission {
  action: string;
  resource: string;
  /** Which side refused, when AWS says: the caller's identity policies, or the resource's own policy. */
  policy: 'identity' | 'resource' | undefined;
}

export function deniedPermission(error: unknown): DeniedPermission | undefined {
  const message = error instanceof Error ? error.message : '';
  const match = /not authorized to perform: (\S+) on resource: "?([^"\s]+)"?(.*)$/s.exec(message);
  if (!match) return undefined;
  const rest = match[3] ?? '';
  const policy = /identity-based policy/.test(rest)
    ? 'identity'
    : /resource-based policy/.test(rest)
      ? 'resource'
      : undefined;
  return { action: match[1] ?? '', resource: match[2] ?? '', policy };
}

/**
 * Judging an endpoint's answer to the smoke request: the container's status, and optionally a
 * JSON path that must hold a value (or a given one) and a regular expression the body must match.
 * Pure, so every rule is table-tested without an endpoint.
 */

export interface Answer {
  /** The container's HTTP status: 200, or the OriginalStatusCode of a ModelError. */
  httpStatus: number;
  body: string;
  contentType?: string;
}

export interface Expectations {
  httpStatus: number;
  /** `$.predictions[0].label`, `predictions[0]`: dotted names and [index] steps. */
  jsonPath?: string;
  /** Compared with the value at jsonPath: as JSON when it parses, else as the string. */
  jsonValue?: string;
  match?: RegExp;
}

export interface Verdict {
  passed: boolean;
  /** One line per expectation that failed. */
  problems: string[];
}

type PathStep = string | number;

/** Parses the path subset we take; undefined when the text is not one. */
export function parseJsonPath(path: string): PathStep[] | undefined {
  const text = path.trim().replace(/^\$\.?/, '');
  if (text === '') return [];
  const steps: PathStep[] = [];
  const token = /\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[(?:'([^']*)'|"([^"]*)")\]/y;
  let at = 0;
  while (at < text.length) {
    token.lastIndex = at;
    const found = token.exec(text);
    if (!found || (at === 0 && found[0].startsWith('.'))) return undefined;
    if (found[1] !== undefined) steps.push(found[1]);
    else if (found[2] !== undefined) steps.push(Number(found[2]));
    else steps.push(found[3] ?? found[4] ?? '');
    at = token.lastIndex;
  }
  return steps;
}

export function valueAt(document: unknown, steps: PathStep[]): { found: boolean; value?: unknown } {
  let current: unknown = document;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(current) || step >= current.length) return { found: false };
      current = current[step];
    } else {
      if (current === null || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, step))
        return { found: false };
      current = (current as Record<string, unknown>)[step];
    }
  }
  return { found: true, value: current };
}

function sameValue(actual: unknown, expected: string): boolean {
  let wanted: unknown;
  try {
    wanted = JSON.parse(expected);
  } catch {
    return typeof actual === 'string' ? actual === expected : JSON.stringify(actual) === expected;
  }
  return JSON.stringify(actual) === JSON.stringify(wanted);
}

export function judge(answer: Answer, expected: Expectations): Verdict {
  const problems: string[] = [];
  if (answer.httpStatus !== expected.httpStatus)
    problems.push(`status ${answer.httpStatus}, expected ${expected.httpStatus}`);
  if (expected.jsonPath !== undefined) {
    let document: unknown;
    let parsed = true;
    try {
      document = JSON.parse(answer.body);
    } catch {
      parsed = false;
      problems.push(`the body is not JSON, so ${expected.jsonPath} cannot be read`);
    }
    if (parsed) {
      const { found, value } = valueAt(document, parseJsonPath(expected.jsonPath) ?? []);
      if (!found || value === null) problems.push(`${expected.jsonPath} is ${found ? 'null' : 'missing'}`);
      else if (expected.jsonValue !== undefined && !sameValue(value, expected.jsonValue))
        problems.push(`${expected.jsonPath} is ${JSON.stringify(value)}, expected ${expected.jsonValue}`);
    }
  }
  if (expected.match && !expected.match.test(answer.body))
    problems.push(`the body does not match /${expected.match.source}/`);
  return { passed: problems.length === 0, problems };
}

/** The first `limit` characters of the body, on one line, for logs, summaries and the failure line. */
export function excerpt(body: string, limit = 500): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > limit ? `${flat.slice(0, limit)}… (${body.length} characters)` : flat;
}

/**
 * Errors the runner reports: one line each, led by the place in the workflow
 * file in the parser's own form, `file (Line: N, Col: M): message`.
 */

/** A problem with the workflow itself (syntax, unsupported feature, a reference to nothing); nothing ran. */
export class WorkflowDefinitionError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.name = 'WorkflowDefinitionError';
    this.problems = problems;
  }
}

/** A problem met while running: an expression that references something that does not exist, a bad input value. */
export class WorkflowRuntimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkflowRuntimeError';
  }
}

export interface Place {
  file: string;
  line?: number | undefined;
  col?: number | undefined;
}

export function at(place: Place, message: string): string {
  return place.line !== undefined
    ? `${place.file} (Line: ${place.line}, Col: ${place.col ?? 1}): ${message}`
    : `${place.file}: ${message}`;
}

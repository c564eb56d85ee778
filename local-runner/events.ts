/**
 * What the caller says about the triggering event beyond its name
 * (RunWorkflowOptions.eventPayload), checked as GitHub's API would check it:
 * a repository_dispatch has an event_type (`action` in the payload) of at
 * most 100 characters and a client_payload of at most 10 top-level properties,
 * and runs on the default branch; a workflow_dispatch may carry its inputs.
 */
import type { RunWorkflowOptions } from './types.ts';

export const DEFAULT_BRANCH = 'main';

export interface EventDetails {
  /** repository_dispatch: the event_type, matched against on.repository_dispatch.types. */
  action: string | undefined;
  /** Fields laid over the payload the runner builds for the event. */
  payload: Record<string, unknown>;
  /** workflow_dispatch: inputs given in the payload (RunWorkflowOptions.inputs win over them). */
  inputs: Record<string, unknown>;
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads the event options; every problem is one line in `problems`. */
export function readEventDetails(options: RunWorkflowOptions, problems: string[]): EventDetails {
  const given = options.eventPayload ?? {};
  if (!isMapping(given)) {
    problems.push('eventPayload must be a mapping (a JSON object)');
    return { action: undefined, payload: {}, inputs: {} };
  }
  if (options.event === 'workflow_dispatch') {
    const { inputs = {}, ...rest } = given;
    if (!isMapping(inputs)) problems.push('eventPayload.inputs of a workflow_dispatch must be a mapping');
    return { action: undefined, payload: rest, inputs: isMapping(inputs) ? inputs : {} };
  }
  if (options.event !== 'repository_dispatch') return { action: undefined, payload: given, inputs: {} };

  const action = given['action'];
  if (typeof action !== 'string' || action === '') {
    problems.push("a repository_dispatch needs eventPayload.action (the dispatch's event_type)");
  } else if (action.length > 100) {
    problems.push(`eventPayload.action is ${action.length} characters; GitHub accepts an event_type of at most 100`);
  }
  const clientPayload = given['client_payload'] ?? {};
  if (!isMapping(clientPayload)) {
    problems.push('eventPayload.client_payload must be a mapping (a JSON object)');
  } else if (Object.keys(clientPayload).length > 10) {
    problems.push(
      `eventPayload.client_payload has ${Object.keys(clientPayload).length} top-level properties; GitHub accepts at most 10`,
    );
  }
  if (options.ref !== undefined && options.ref !== `refs/heads/${DEFAULT_BRANCH}`) {
    problems.push(
      `a repository_dispatch runs on the default branch (refs/heads/${DEFAULT_BRANCH}), not ${options.ref}`,
    );
  }
  return {
    action: typeof action === 'string' ? action : undefined,
    payload: { ...given, branch: DEFAULT_BRANCH, client_payload: clientPayload },
    inputs: {},
  };
}

/** The CLI's command line, read into runWorkflow's options. */
import { parseArgs } from 'node:util';
import type { RunWorkflowOptions } from './types.ts';

export const USAGE = `usage: node scripts/run-workflow.ts <workflow file> --event push|pull_request|workflow_dispatch|repository_dispatch
  --endpoint <AWS_ENDPOINT_URL> [--payload <json>] (event payload fields, e.g. '{"action":"x","client_payload":{}}')
  [--ref refs/heads/main] [--base-ref main] [--sha <sha>] [--actor <login>] [--repository owner/name]
  [--input name=value]... [--secret NAME=value | --secret NAME (from the environment)]... [--var NAME=value]...
  [--env NAME=value]... [--approve <environment>]... [--approve-all] [--ask] [--checkout <dir>]
  [--report <file.html>] (default: a page per run under the temporary directory's local-runner-reports/)`;

export interface CliRequest {
  options: Omit<RunWorkflowOptions, 'approve'>;
  /** Where to write the run's HTML page; undefined: the default place. */
  report: string | undefined;
  approve: { all: boolean; environments: string[]; ask: boolean };
}

/** Throws a one-line message (with the usage) on a bad command line. */
export function parseCliArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): CliRequest {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      event: { type: 'string' },
      endpoint: { type: 'string' },
      ref: { type: 'string' },
      'base-ref': { type: 'string' },
      sha: { type: 'string' },
      actor: { type: 'string' },
      repository: { type: 'string' },
      input: { type: 'string', multiple: true },
      secret: { type: 'string', multiple: true },
      var: { type: 'string', multiple: true },
      env: { type: 'string', multiple: true },
      approve: { type: 'string', multiple: true },
      'approve-all': { type: 'boolean' },
      ask: { type: 'boolean' },
      checkout: { type: 'string' },
      report: { type: 'string' },
      payload: { type: 'string' },
    },
  });
  const [workflow, ...extra] = positionals;
  if (!workflow || extra.length > 0) throw new Error(`give exactly one workflow file\n${USAGE}`);
  if (!values.event) throw new Error(`--event is required\n${USAGE}`);
  if (!values.endpoint) throw new Error(`--endpoint is required\n${USAGE}`);
  return {
    options: {
      workflow,
      event: values.event,
      endpoint: values.endpoint,
      ...(values.ref ? { ref: values.ref } : {}),
      ...(values['base-ref'] ? { baseRef: values['base-ref'] } : {}),
      ...(values.sha ? { sha: values.sha } : {}),
      ...(values.actor ? { actor: values.actor } : {}),
      ...(values.repository ? { repository: values.repository } : {}),
      ...(values.checkout ? { checkout: values.checkout } : {}),
      ...(values.payload !== undefined ? { eventPayload: jsonObject('--payload', values.payload) } : {}),
      inputs: pairs('--input', values.input),
      secrets: pairs('--secret', values.secret, env),
      vars: pairs('--var', values.var),
      env: pairs('--env', values.env),
    },
    approve: { all: values['approve-all'] ?? false, environments: values.approve ?? [], ask: values.ask ?? false },
    report: values.report,
  };
}

function jsonObject(flag: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${flag}: not JSON (${(error as Error).message})`, { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${flag}: expected a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** NAME=value pairs; with `fromEnv`, a bare NAME takes its value from the environment (keeps secrets out of shell history). */
function pairs(flag: string, items: string[] | undefined, fromEnv?: NodeJS.ProcessEnv): Record<string, string> {
  const result: Record<string, string> = {};
  for (const item of items ?? []) {
    const eq = item.indexOf('=');
    if (eq > 0) {
      result[item.slice(0, eq)] = item.slice(eq + 1);
    } else if (fromEnv && eq < 0 && fromEnv[item] !== undefined) {
      result[item] = fromEnv[item]!;
    } else {
      throw new Error(
        `${flag} ${item}: expected NAME=value${fromEnv ? ' or the name of a set environment variable' : ''}`,
      );
    }
  }
  return result;
}

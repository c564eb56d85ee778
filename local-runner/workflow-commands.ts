/**
 * Workflow commands as the runner reads them from a step's output:
 * `::name key=value,key=value::message`. Only the parsing lives here; what a
 * command does is up to whoever renders or records the log.
 */
export interface WorkflowCommand {
  name: string;
  properties: Record<string, string>;
  message: string;
}

const COMMAND = /^\s*::([A-Za-z][\w-]*)(?:\s+([^:]*))?::(.*)$/;

/** The command on a line, or undefined for plain output. */
export function parseWorkflowCommand(line: string): WorkflowCommand | undefined {
  const match = COMMAND.exec(line);
  if (!match) return undefined;
  const properties: Record<string, string> = {};
  for (const pair of (match[2] ?? '').split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0) properties[pair.slice(0, eq).trim()] = unescapeProperty(pair.slice(eq + 1));
  }
  return { name: match[1]!, properties, message: unescapeData(match[3]!) };
}

// @actions/core escapes %, CR and LF in messages, and also : and , in properties.
function unescapeData(text: string): string {
  return text.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}

function unescapeProperty(text: string): string {
  return unescapeData(text).replace(/%3A/gi, ':').replace(/%2C/gi, ',');
}

const ANNOTATIONS: Record<string, string> = { error: 'Error', warning: 'Warning', notice: 'Notice' };

/** Commands that only talk to the runner and never show in the log. */
const SILENT = new Set([
  'debug',
  'endgroup',
  'add-mask',
  'save-state',
  'set-output',
  'set-env',
  'add-path',
  'stop-commands',
  'echo',
  'add-matcher',
  'remove-matcher',
]);

/**
 * How the runner shows a command line in the log: annotations as `Error: …`,
 * groups as their title, nothing for commands that only talk to the runner, and
 * an unknown command as the line it is. Undefined when the line is not shown.
 */
export function displayCommand(command: WorkflowCommand, line: string): string | undefined {
  const annotation = ANNOTATIONS[command.name];
  if (annotation) return `${annotation}: ${command.message}`;
  if (command.name === 'group') return `▸ ${command.message}`;
  return SILENT.has(command.name) ? undefined : line;
}

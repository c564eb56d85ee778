/**
 * What a person sees of a step in the run log: workflow commands interpreted
 * the way the runner does, with masked values shown as ***.
 */
import { Masker } from './masker.ts';
import { displayCommand, parseWorkflowCommand } from './workflow-commands.ts';

/** Renders a whole step's output at once; masks apply to every line, wherever they were added. */
export function renderStepLog(stdout: string): string {
  const masker = new Masker();
  const lines: string[] = [];
  for (const line of stdout.split('\n')) {
    const command = parseWorkflowCommand(line);
    if (command?.name === 'add-mask') {
      masker.add(command.message);
      continue;
    }
    const text = command ? displayCommand(command, line) : line;
    if (text !== undefined) lines.push(text);
  }
  return lines
    .map((line) => masker.mask(line))
    .join('\n')
    .trimEnd();
}

/**
 * Renders a step's output line by line as it arrives, like the live log: a mask
 * applies from the line that adds it on, and `::stop-commands::` is honoured.
 */
export class StepLogRenderer {
  private readonly masker: Masker;
  private stopToken: string | undefined;
  readonly lines: string[] = [];

  constructor(masker: Masker) {
    this.masker = masker;
  }

  /** Takes one raw output line; returns the rendered line, or undefined when the runner would not show it. */
  push(line: string): string | undefined {
    const command = parseWorkflowCommand(line);
    let text: string | undefined = line;
    if (this.stopToken !== undefined) {
      if (command?.name === this.stopToken) {
        this.stopToken = undefined;
        return undefined;
      }
    } else if (command) {
      if (command.name === 'add-mask') this.masker.add(command.message);
      if (command.name === 'stop-commands') this.stopToken = command.message;
      text = displayCommand(command, line);
    }
    if (text === undefined) return undefined;
    const shown = this.masker.mask(text);
    this.lines.push(shown);
    return shown;
  }

  text(): string {
    return this.lines.join('\n').trimEnd();
  }
}

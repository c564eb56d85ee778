/**
 * What a person sees of a step in the run log: workflow commands interpreted
 * the way the runner does, with masked values shown as ***.
 */
export function renderStepLog(stdout: string): string {
  const masks: string[] = [];
  const lines: string[] = [];
  for (const line of stdout.split('\n')) {
    const mask = /^::add-mask::(.*)$/.exec(line);
    if (mask) {
      if (mask[1]) masks.push(mask[1]);
      continue;
    }
    const command = /^::(error|warning|notice|debug)[^:]*::(.*)$/.exec(line);
    const text = command
      ? command[1] === 'debug'
        ? ''
        : `${command[1]!.replace(/^./, (c) => c.toUpperCase())}: ${command[2]}`
      : line;
    if (text === '' && command) continue;
    lines.push(text);
  }
  // Longest first, so a secret containing another is replaced whole.
  masks.sort((a, b) => b.length - a.length);
  return lines
    .map((line) => masks.reduce((shown, secret) => shown.split(secret).join('***'), line))
    .join('\n')
    .trimEnd();
}

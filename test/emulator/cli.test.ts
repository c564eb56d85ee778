/** The emulator as a program: first line, world summary, clean shutdown, one-line errors. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const NODE = new URL('../../node_modules/.bin/node', import.meta.url).pathname;
const CLI = new URL('../../emulator/cli.ts', import.meta.url).pathname;

function run(args: string[]) {
  const child = spawn(NODE, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  return { child, exit, stderr: () => stderr };
}

describe('emulator CLI', () => {
  it('prints AWS_ENDPOINT_URL first, serves, and exits 0 on SIGTERM', async () => {
    const { child, exit } = run(['--port', '0']);
    const lines = createInterface({ input: child.stdout });
    const output: string[] = [];
    for await (const line of lines) {
      output.push(line);
      if (line.startsWith('account 333333333333')) break;
    }
    expect(output[0]).toMatch(/^AWS_ENDPOINT_URL=http:\/\/127\.0\.0\.1:\d+$/);
    expect(output).toContain('account 111111111111 (dev)');
    expect(output.join('\n')).toContain('AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE');
    const endpoint = output[0]!.slice('AWS_ENDPOINT_URL='.length);
    const health = (await (await fetch(`${endpoint}/_emulator/health`)).json()) as { services: string[] };
    expect(health.services).toEqual(expect.arrayContaining(['sts', 'sagemaker', 'logs', 'ecr']));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it.each([
    [['--port', 'abc'], /^emulator: --port must be an integer/],
    [['--bogus'], /^emulator: Unknown option '--bogus'/],
    [['--world', '/nonexistent/world.yaml'], /^emulator: cannot read world file \/nonexistent\/world\.yaml/],
    [['--time-scale', '0'], /^emulator: --time-scale must be a positive number/],
  ])('refuses %j with one line and exit 1', async (args, message) => {
    const { exit, stderr } = run(args);
    expect(await exit).toBe(1);
    expect(stderr().trim().split('\n')).toHaveLength(1);
    expect(stderr()).toMatch(message);
  });
});

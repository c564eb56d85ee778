import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startEmulator } from './server.ts';
import { describeWorld, loadWorld, readWorldFile, WorldError } from './world.ts';

const USAGE = 'usage: node emulator/cli.ts [--port N] [--world path.(json|yaml)] [--time-scale N]';
const DEFAULT_WORLD = join(dirname(fileURLToPath(import.meta.url)), 'worlds', 'demo.yaml');

function die(message: string): never {
  process.stderr.write(`emulator: ${message}\n`);
  process.exit(1);
}

function parseOptions(): { port: number; world: string; timeScale: number } {
  let values: { port?: string; world?: string; 'time-scale'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        world: { type: 'string' },
        'time-scale': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    die(`${(error as Error).message} (${USAGE})`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const port = Number(values.port ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    die(`--port must be an integer from 0 to 65535, got "${values.port}"`);
  const timeScale = Number(values['time-scale'] ?? 1);
  if (!Number.isFinite(timeScale) || timeScale <= 0)
    die(`--time-scale must be a positive number, got "${values['time-scale']}"`);
  return { port, world: values.world ?? DEFAULT_WORLD, timeScale };
}

async function main(): Promise<void> {
  const options = parseOptions();
  let world;
  try {
    world = await readWorldFile(options.world);
    loadWorld(world);
  } catch (error) {
    // Read errors name the file already; validation errors name only the path inside it.
    const message = (error as Error).message;
    die(error instanceof WorldError && !message.includes(options.world) ? `${message} (in ${options.world})` : message);
  }
  let emulator;
  try {
    emulator = await startEmulator({ port: options.port, world, timeScale: options.timeScale });
  } catch (error) {
    die(`cannot start: ${(error as Error).message}`);
  }
  // First line is machine-read by scripts: keep its exact shape.
  const lines = [
    `AWS_ENDPOINT_URL=${emulator.endpoint}`,
    `world: ${options.world}`,
    `time scale: ${options.timeScale}`,
  ];
  for (const account of describeWorld(emulator.state.world).accounts) {
    lines.push(`account ${account.id}${account.alias ? ` (${account.alias})` : ''}`);
    for (const user of account.users) {
      lines.push(
        `  user ${user.name}: AWS_ACCESS_KEY_ID=${user.accessKeyId} AWS_SECRET_ACCESS_KEY=${user.secretAccessKey}`,
      );
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);

  const stop = (signal: string) => {
    process.stderr.write(`emulator: ${signal}, shutting down\n`);
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

await main();

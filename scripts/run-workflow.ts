/**
 * Runs a workflow file locally against the emulator (or another AWS endpoint), the emulator serving
 * the jobs' OIDC tokens as GitHub would. Usage: local-runner/cli-args.ts, or run it without arguments.
 */
import { EmulatorAdmin } from '../emulator/admin-client.ts';
import { runCli } from '../local-runner/cli.ts';

process.exitCode = await runCli(process.argv.slice(2), (endpoint) => new EmulatorAdmin(endpoint));

/**
 * The credential_process of a refreshing profile. The SDK of whatever tool a later step runs
 * (AWS CLI, SDKs for JavaScript and Python, Terraform) starts it when the profile's credentials
 * are missing or near their Expiration: it asks GitHub for a fresh OIDC token, walks the role
 * chain written by the action again and prints the result in the credential_process format.
 *
 * stdout carries that JSON and nothing else (a workflow command there would break the SDK's
 * parse); a failure is one line on stderr and exit code 1, which the SDK shows in its error.
 */
import { assumeChain, type ChainReporter } from './assume.ts';
import { describeError } from '../runtime/errors.ts';
import { requestOidcToken } from './oidc.ts';
import { readRefreshConfig } from './refresh-config.ts';

/** Nothing reaches a log from here: the step's log masking does not apply to this process's output. */
const SILENT: ChainReporter = { mask: () => undefined, info: () => undefined };

export interface ProcessCredentials {
  Version: 1;
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: string;
}

export async function refreshCredentials(configFile: string, env = process.env): Promise<ProcessCredentials> {
  const config = readRefreshConfig(configFile);
  const session = await assumeChain(
    {
      hops: config.hops,
      region: config.region,
      sessionName: config.sessionName,
      durationSeconds: config.durationSeconds,
      tags: config.tags,
      webIdentityToken: () => requestOidcToken(config.audience, env),
    },
    SILENT,
  );
  if (config.allowedAccountIds.length > 0 && !config.allowedAccountIds.includes(session.account)) {
    throw new Error(`the credentials act in account ${session.account}, which is not in allowed-account-ids`);
  }
  return {
    Version: 1,
    AccessKeyId: session.credentials.accessKeyId,
    SecretAccessKey: session.credentials.secretAccessKey,
    SessionToken: session.credentials.sessionToken,
    Expiration: session.credentials.expiration.toISOString(),
  };
}

/** Runs as the process: returns the exit code once stdout or stderr has the answer. */
export async function runRefresher(argv: string[], env = process.env): Promise<number> {
  const configFile = argv[0];
  try {
    if (!configFile || argv.length !== 1) throw new Error('usage: refresh.js <role chain file>');
    const credentials = await refreshCredentials(configFile, env);
    await new Promise<void>((resolve) => process.stdout.write(JSON.stringify(credentials) + '\n', () => resolve()));
    return 0;
  } catch (error) {
    const line = `assume-cross-account-role credential refresh${configFile ? ` (${configFile})` : ''} failed: ${describeError(error)}\n`;
    await new Promise<void>((resolve) => process.stderr.write(line, () => resolve()));
    return 1;
  }
}

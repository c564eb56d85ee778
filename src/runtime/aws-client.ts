/**
 * The one place AWS SDK clients are made, so every action gets the same region
 * rules, retries and user agent. Endpoint overrides are left to the SDK's own
 * AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> support, which is also how the
 * local emulator is reached.
 */
import * as core from '@actions/core';
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { clockScale } from './clock.ts';
import { renewingCredentials } from './credential-refresh.ts';
import { InputError } from './errors.ts';
import { githubContext } from './github-context.ts';
import { VERSION } from './version.ts';

export interface ClientSettings {
  region: string;
  /** Named profile from the shared config/credentials files. */
  profile?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  maxAttempts?: number;
  retryMode?: 'standard' | 'adaptive';
}

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Region from the input when given, else the environment; named in the error when neither. */
export function resolveRegion(inputName: string, inputValue: string | undefined, env = process.env): string {
  const region = inputValue ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'];
  if (!region) {
    throw new InputError(inputName, 'is empty and neither AWS_REGION nor AWS_DEFAULT_REGION is set');
  }
  if (!REGION_PATTERN.test(region)) {
    throw new InputError(inputName, `'${region}' is not an AWS region (such as eu-west-1)`);
  }
  return region;
}

export function userAgentPairs(env = process.env): [string, string][] {
  const context = githubContext(env);
  const pairs: [string, string][] = [['mlops-actions', VERSION]];
  if (context.runId) pairs.push(['gha-run', `${context.runId}-${context.runAttempt}`]);
  return pairs;
}

type ClientConstructor<C, Config> = new (config: Config) => C;

interface CommonClientConfig {
  region?: string;
  profile?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  maxAttempts?: number;
  retryMode?: string;
  customUserAgent?: [string, string][];
  retryStrategy?: ConfiguredRetryStrategy;
}

export function createClient<C, Config extends CommonClientConfig>(
  Client: ClientConstructor<C, Config>,
  settings: ClientSettings,
): C {
  const config: CommonClientConfig = {
    region: settings.region,
    maxAttempts: settings.maxAttempts ?? 5,
    retryMode: settings.retryMode ?? 'standard',
    customUserAgent: userAgentPairs(),
  };
  const scale = clockScale();
  if (scale > 1) {
    // Against the emulator on accelerated time, retry backoff follows its clock like every other wait.
    config.retryStrategy = new ConfiguredRetryStrategy(
      config.maxAttempts!,
      (attempt) => Math.min(20_000, 100 * 2 ** attempt) / scale,
    );
  }
  if (settings.profile) config.profile = settings.profile;
  config.credentials = settings.credentials ?? defaultCredentials(settings.profile, scale);
  return withOperationNames(new Client(config as Config));
}

interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (
        next: (args: unknown) => Promise<unknown>,
        context: { commandName?: string },
      ) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize'; name: string },
    ): void;
  };
}

/** Errors carry the operation's name ($operation), for lines about answers that name nothing themselves. */
function withOperationNames<C>(created: C): C {
  const client = created as unknown as MiddlewareClient;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (error instanceof Error && context.commandName) {
          Object.defineProperty(error, '$operation', {
            value: context.commandName.replace(/Command$/, ''),
            enumerable: false,
          });
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'mlopsOperationName' },
  );
  return created;
}

/**
 * The SDK's own providers, renewed before their Expiration on the clock the actions wait by,
 * with a log line when they are: a wait that outlives one session goes on with the next (see
 * credential-refresh.ts). A named profile (aws-profile) is read as the SDK reads profiles, keys,
 * role_arn, sso or credential_process alike; asked for directly rather than through the whole
 * chain, a failing credential_process reports its own error line instead of "Could not load
 * credentials from any providers".
 */
function defaultCredentials(profile: string | undefined, scale: number): AwsCredentialIdentityProvider {
  return renewingCredentials(profile ? fromIni({ profile }) : fromNodeProviderChain(), {
    scale,
    onRenewed: (identity) =>
      core.info(
        `Renewed the AWS credentials${profile ? ` of profile '${profile}'` : ''}${identity.expiration ? `, valid until ${identity.expiration.toISOString()}` : ''}`,
      ),
  });
}

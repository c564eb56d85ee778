/**
 * The one place AWS SDK clients are made, so every action gets the same region
 * rules, call policy (retries, not found) and user agent. Endpoint overrides are
 * left to the SDK's own AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> support,
 * which is also how the local emulator is reached.
 */
import * as core from '@actions/core';
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  InitializeMiddleware,
  MiddlewareStack,
} from '@aws-sdk/types';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { clockScale } from './clock.ts';
import { renewingCredentials } from './credential-refresh.ts';
import { InputError } from './errors.ts';
import { githubContext } from './github-context.ts';
import { notFoundMiddleware } from './not-found.ts';
import { CALL_RETRY, retryMiddleware, type CallRetryPolicy } from './retry.ts';
import { VERSION } from './version.ts';

export interface ClientSettings {
  region: string;
  /** Named profile from the shared config/credentials files. */
  profile?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Tries per call, the first one included (CALL_RETRY's when not given). */
  maxAttempts?: number;
  /** When a client's calls are tried again otherwise than every other's (STS's role chain). */
  retry?: Partial<Omit<CallRetryPolicy, 'attempts'>>;
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
  customUserAgent?: [string, string][];
  retryStrategy?: ConfiguredRetryStrategy;
}

export function createClient<C, Config extends CommonClientConfig>(
  Client: ClientConstructor<C, Config>,
  settings: ClientSettings,
): C {
  const attempts = settings.maxAttempts ?? CALL_RETRY.attempts;
  const config: CommonClientConfig = {
    region: settings.region,
    maxAttempts: attempts,
    // One try as far as the SDK is concerned: the retry middleware (addCallPolicy) is the one place
    // calls are tried again. Both at once would multiply the tries (5 × 5 under sustained
    // throttling) and space them by two rules; the SDK's alone would not follow the emulator's
    // clock and gives up when its retry quota runs dry, which is what sustained throttling does.
    // Its middleware stays in the stack, for what it does beside retrying: it gives a failed
    // connection the $metadata by which isTransientError knows one.
    retryStrategy: new ConfiguredRetryStrategy(1),
    customUserAgent: userAgentPairs(),
  };
  if (settings.profile) config.profile = settings.profile;
  config.credentials = settings.credentials ?? defaultCredentials(settings.profile, clockScale());
  const created = new Client(config as Config);
  addCallPolicy(created, { ...CALL_RETRY, ...settings.retry, attempts });
  return created;
}

/**
 * What every call of the client gets, outermost first: its error names the operation; it is
 * tried again by the policy (see retry.ts); a "not found" answer is marked as one as it comes
 * out of a try (see not-found.ts).
 */
function addCallPolicy<C>(created: C, retry: CallRetryPolicy): void {
  const stack = (created as unknown as { middlewareStack: MiddlewareStack<object, object> }).middlewareStack;
  stack.add(operationNames, { step: 'initialize', priority: 'high', name: 'mlopsOperationName' });
  stack.add(retryMiddleware(retry), { step: 'initialize', priority: 'normal', name: 'mlopsRetry' });
  stack.add(notFoundMiddleware, { step: 'initialize', priority: 'low', name: 'mlopsNotFound' });
}

/** Errors carry the operation's name ($operation), for lines about answers that name nothing themselves. */
const operationNames: InitializeMiddleware<object, object> = (next, context) => async (args) => {
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
};

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

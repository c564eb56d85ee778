import type { InitializeMiddleware } from '@aws-sdk/types';
import { isClockSkewCorrectedError, isRetryableByTrait } from '@smithy/core/retry';
import { getSmithyContext } from '@smithy/core/transport';
import { abortableSleep, clockScale } from './clock.ts';

export interface RetryOptions {
  /** Total tries, the first one included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  isRetryable: (error: unknown) => boolean;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Ends the retries: no new try starts once it has aborted, and a pause between tries is cut short. */
  signal?: AbortSignal;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Backoff follows the emulator's clock when it runs accelerated (see clock.ts). */
const scaledSleep = (ms: number, signal?: AbortSignal): Promise<void> => abortableSleep(ms / clockScale(), signal);

/**
 * Exponential backoff with full jitter: the delay is drawn uniformly from
 * [0, min(max, base * 2^n)], which spreads out runners retrying after the same
 * throttling burst instead of having them return in lockstep.
 */
export function fullJitterDelay(
  retry: number,
  options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retry);
  return Math.floor((options.random ?? Math.random)() * ceiling);
}

export async function withRetries<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const wait = options.sleep ?? scaledSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= options.attempts || !options.isRetryable(error) || options.signal?.aborted) throw error;
      const delay = fullJitterDelay(attempt - 1, options);
      options.onRetry?.(error, attempt, delay);
      await wait(delay, options.signal);
      if (options.signal?.aborted) throw error;
    }
  }
}

const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'SlowDown',
]);

export function isThrottlingError(error: unknown): boolean {
  return error instanceof Error && THROTTLING_CODES.has(error.name);
}

const TRANSIENT_CODES = new Set([
  'InternalFailure',
  'InternalServerError',
  'InternalServerException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
]);

/** Errors worth another poll: throttling, 5xx, dropped connections. Anything else ends the wait. */
export function isTransientError(error: unknown): boolean {
  if (!(error instanceof Error) || error.name === 'AbortError') return false;
  if (isThrottlingError(error)) return true;
  // The SDK attaches $metadata to network failures too (name "Error", code "ECONNRESET"), so both are read.
  const { code, $metadata } = error as { code?: string; $metadata?: { httpStatusCode?: number } };
  if (TRANSIENT_CODES.has(error.name) || (code !== undefined && TRANSIENT_CODES.has(code))) return true;
  const status = $metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500;
  // An SDK error without an HTTP status never got an answer: the connection failed.
  return $metadata !== undefined;
}

/**
 * What a failed AWS call is tried again on: a transient error, or what the SDK's own strategy
 * (switched off, see aws-client.ts) would have retried beside it — an error its service models
 * as retryable (STS's IDPCommunicationError) and one answered while the SDK corrected its clock.
 */
export function isRetryableCall(error: unknown): boolean {
  if (isTransientError(error)) return true;
  if (!(error instanceof Error)) return false;
  const sdkError = error as Parameters<typeof isRetryableByTrait>[0];
  return isRetryableByTrait(sdkError) || isClockSkewCorrectedError(sdkError) === true;
}

/** How a failed call is tried again: everything of withRetries' options but the signal, which is the call's own. */
export type CallRetryPolicy = Omit<RetryOptions, 'signal'>;

/**
 * Every AWS call's policy: a few spaced-out tries on a transient failure. Spaced out because the
 * failures worth retrying (throttling under a burst of runners, a service's bad minute) outlast
 * quick tries; no retry quota, because sustained throttling, which drains one, is the very case
 * the tries are for.
 */
export const CALL_RETRY: CallRetryPolicy = {
  attempts: 5,
  baseDelayMs: 1000,
  maxDelayMs: 20_000,
  isRetryable: isRetryableCall,
};

/**
 * The policy as SDK middleware, so every call of a client has it and no call site wraps one. It
 * sits in the initialize step: each try is serialized, signed and sent anew. The abort signal
 * the call was sent with (client.send(command, { abortSignal })) ends the retries too: no new
 * try starts once it has aborted, and a pause between tries is cut short.
 */
export function retryMiddleware(policy: CallRetryPolicy): InitializeMiddleware<object, object> {
  return (next, context) => (args) => {
    const signal = getSmithyContext(context)['abortSignal'] as AbortSignal | undefined;
    return withRetries(() => next(args), signal ? { ...policy, signal } : policy);
  };
}

/**
 * When the SDK renews credentials that carry an Expiration. The SDK for JavaScript asks its
 * provider again once less than five minutes are left, judged on the wall clock; against the
 * emulator on accelerated time (MLOPS_ACTIONS_CLOCK_SCALE) five simulated minutes are a fraction
 * of a second, so the same rule is applied on the emulator's clock here, like every other wait.
 * The source is still the SDK's own provider chain (a profile's credential_process, the
 * environment, ...): this only decides when to ask it again, and says so in the log.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';

/** What the SDK for JavaScript keeps in hand before an Expiration (@smithy/core EXPIRATION_MS). */
export const REFRESH_BEFORE_MS = 5 * 60_000;
/** Real time a request may take to reach AWS: on accelerated time five simulated minutes can be less. */
export const MIN_WALL_MARGIN_MS = 2_000;

/** True while the identity may still be used for a request sent now. */
export function stillFresh(identity: AwsCredentialIdentity, scale: number, now = Date.now()): boolean {
  if (!identity.expiration) return true;
  const left = identity.expiration.getTime() - now;
  return left * scale > REFRESH_BEFORE_MS && left > MIN_WALL_MARGIN_MS;
}

export interface RefreshOptions {
  scale: number;
  /** Called when a renewal brought different credentials than the ones held before. */
  onRenewed?: (identity: AwsCredentialIdentity) => void;
}

export function renewingCredentials(
  source: AwsCredentialIdentityProvider,
  options: RefreshOptions,
): AwsCredentialIdentityProvider {
  let current: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  return async (properties) => {
    if (current && stillFresh(current, options.scale)) return current;
    pending ??= source(properties).finally(() => {
      pending = undefined;
    });
    const previous = current;
    current = await pending;
    if (previous && previous.accessKeyId !== current.accessKeyId) options.onRenewed?.(current);
    return current;
  };
}

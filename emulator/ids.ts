import { createHash, randomBytes } from 'node:crypto';

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function pick(bytes: Uint8Array, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[(bytes[i] ?? 0) % alphabet.length];
  return out;
}

/** Same seed, same id: world entities keep their ids (and keys) across restarts. */
export function stableId(prefix: string, seed: string, length: number): string {
  const digest = createHash('sha256').update(seed).digest();
  return prefix + pick(digest, UPPER_ALNUM, length);
}

export function randomId(prefix: string, length: number): string {
  return prefix + pick(randomBytes(length), UPPER_ALNUM, length);
}

export function stableSecret(seed: string): string {
  return pick(createHash('sha512').update(`secret:${seed}`).digest(), SECRET_CHARS, 40);
}

export function randomSecret(): string {
  return pick(randomBytes(40), SECRET_CHARS, 40);
}

/** Real session tokens are long opaque base64 blobs; callers must pass them back verbatim. */
export function randomSessionToken(): string {
  return 'IQoJb3JpZ2luX2VtdWxhdG9y' + randomBytes(240).toString('base64');
}

export function requestId(): string {
  return crypto.randomUUID();
}

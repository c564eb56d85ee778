import type { Call } from './types.ts';

// Credentials and bearer material must never reach a log a test or demo might print.
// Idempotency tokens (ClientRequestToken) and paging tokens (NextToken) stay visible: tests assert on them.
// EventBridge connections carry an API key (ApiKeyValue) and parameters flagged IsValueSecret.
const SECRET_FIELD =
  /^(webidentitytoken|samlassertion|sessiontoken|secretaccesskey|password|authorizationtoken|tokencode|apikeyvalue|.*secret.*)$/i;

export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value !== 'object' || value === null) return value;
  const secretValue = (value as { IsValueSecret?: unknown }).IsValueSecret === true;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value))
    out[key] =
      (key !== 'IsValueSecret' && SECRET_FIELD.test(key)) || (secretValue && key === 'Value') ? '***' : redact(inner);
  return out;
}

/**
 * The calls an emulator answered, oldest first. Bounded, so an emulator left running for days (a
 * demo, a long soak) keeps its memory flat: past `capacity` the oldest calls are dropped, and the
 * count of dropped calls says so.
 */
export class CallLog {
  private entries: Call[] = [];
  private seq = 0;
  private droppedCount = 0;
  readonly capacity: number;

  constructor(capacity = 10_000) {
    if (!(Number.isInteger(capacity) && capacity > 0)) throw new Error(`call log capacity must be a positive integer`);
    this.capacity = capacity;
  }

  record(entry: Omit<Call, 'seq'>): Call {
    const call: Call = { seq: ++this.seq, ...entry, input: redact(entry.input) as Record<string, unknown> };
    this.entries.push(call);
    // Dropping in batches keeps recording O(1) amortised instead of shifting the array every call.
    if (this.entries.length > this.capacity + Math.ceil(this.capacity / 10)) {
      const excess = this.entries.length - this.capacity;
      this.entries.splice(0, excess);
      this.droppedCount += excess;
    }
    return call;
  }

  /** The calls with a seq above `since`, oldest first, at most `limit` of them (the kept ones only). */
  list(since = 0, limit = Infinity): Call[] {
    const kept = this.entries.length > this.capacity ? this.entries.slice(-this.capacity) : this.entries;
    const first = kept.findIndex((call) => call.seq > since);
    return first === -1 ? [] : kept.slice(first, first + limit);
  }

  /** How many calls were dropped to stay within capacity, since the start. */
  get dropped(): number {
    return this.droppedCount + Math.max(0, this.entries.length - this.capacity);
  }

  /** Sequence numbers keep growing across clears so "calls since N" stays meaningful. */
  clear(): void {
    this.entries = [];
  }
}

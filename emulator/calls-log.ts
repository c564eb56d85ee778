import type { Call } from './types.ts';

// Credentials and bearer material must never reach a log a test or demo might print.
// Idempotency tokens (ClientRequestToken) and paging tokens (NextToken) stay visible: tests assert on them.
const SECRET_FIELD =
  /^(webidentitytoken|samlassertion|sessiontoken|secretaccesskey|password|authorizationtoken|tokencode|.*secret.*)$/i;

export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key] = SECRET_FIELD.test(key) ? '***' : redact(inner);
  return out;
}

export class CallLog {
  private entries: Call[] = [];
  private seq = 0;

  record(entry: Omit<Call, 'seq'>): Call {
    const call: Call = { seq: ++this.seq, ...entry, input: redact(entry.input) as Record<string, unknown> };
    this.entries.push(call);
    return call;
  }

  list(): Call[] {
    return [...this.entries];
  }

  /** Sequence numbers keep growing across clears so "calls since N" stays meaningful. */
  clear(): void {
    this.entries = [];
  }
}

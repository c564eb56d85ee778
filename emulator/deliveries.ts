import type { Delivery } from './types.ts';

type Unnumbered<T> = T extends Delivery ? Omit<T, 'seq'> : never;

/**
 * What event-driven services delivered or invoked on their own (SNS deliveries, rule and
 * schedule target invocations), oldest first. Bounded like the calls log: past `capacity` the
 * oldest entries go. Secrets never enter it: whoever records masks them first.
 */
export class DeliveryLog {
  private entries: Delivery[] = [];
  private seq = 0;
  readonly capacity: number;

  constructor(capacity = 10_000) {
    this.capacity = capacity;
  }

  record(entry: Unnumbered<Delivery>): Delivery {
    const delivery = { ...entry, seq: ++this.seq } as Delivery;
    this.entries.push(delivery);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    return delivery;
  }

  /** The entries with a seq above `since`, oldest first. */
  list(since = 0): Delivery[] {
    return this.entries.filter((entry) => entry.seq > since);
  }

  /** Sequence numbers keep growing across clears so "since N" stays meaningful. */
  clear(): void {
    this.entries = [];
  }
}

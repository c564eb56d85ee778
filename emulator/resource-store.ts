/**
 * Resources live per (account, region, service), as on AWS. Each service keeps whatever
 * shape it needs in its bucket; the store only guarantees isolation and a common reset.
 */
export class ResourceStore {
  private readonly buckets = new Map<string, unknown>();

  bucket<T>(account: string, region: string, service: string, init: () => T): T {
    const key = `${account}/${region}/${service}`;
    if (!this.buckets.has(key)) this.buckets.set(key, init());
    return this.buckets.get(key) as T;
  }

  /** Every bucket a service holds, for cross-account lookups (e.g. a registry addressed by ARN). */
  bucketsOf<T>(service: string): { account: string; region: string; bucket: T }[] {
    const found: { account: string; region: string; bucket: T }[] = [];
    for (const [key, bucket] of this.buckets) {
      const [account, region, name] = key.split('/') as [string, string, string];
      if (name === service) found.push({ account, region, bucket: bucket as T });
    }
    return found;
  }

  clear(): void {
    this.buckets.clear();
  }
}

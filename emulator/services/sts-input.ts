import { AwsError } from '../errors.ts';
import type { SessionTag } from '../credentials.ts';
import { queryList } from '../protocols/aws-query.ts';

// STS parameters as the handlers read them. The dispatcher has already checked every request
// against AWS's model of STS (lengths, patterns, ranges, required members), so a reader only
// turns the query strings into the types the model gives them.

export const CHAINED_MAX_DURATION = 3600;

export class StsInput {
  private readonly input: Record<string, unknown>;

  constructor(input: Record<string, unknown>) {
    this.input = input;
  }

  private raw(name: string): string | undefined {
    const value = this.input[name];
    return typeof value === 'string' ? value : undefined;
  }

  roleArn(): string {
    return this.raw('RoleArn') ?? '';
  }

  roleSessionName(): string {
    return this.raw('RoleSessionName') ?? '';
  }

  externalId(): string | undefined {
    return this.raw('ExternalId');
  }

  sourceIdentity(): string | undefined {
    return this.raw('SourceIdentity');
  }

  /** The model bounds (900..43200) are checked; the role's own maximum is checked after authorization. */
  durationSeconds(): number | undefined {
    const value = this.raw('DurationSeconds');
    return value === undefined ? undefined : Number(value);
  }

  tags(): SessionTag[] {
    return queryList(this.input.Tags).map((raw) => {
      const tag = raw as Record<string, unknown>;
      return { Key: String(tag.Key ?? ''), Value: String(tag.Value ?? '') };
    });
  }

  transitiveTagKeys(): string[] {
    return queryList(this.input.TransitiveTagKeys).map(String);
  }

  /** Session policies are accepted and kept but do not narrow permissions in the emulator. */
  policy(): string | undefined {
    return this.raw('Policy');
  }

  webIdentityToken(): string {
    return this.raw('WebIdentityToken') ?? '';
  }
}

/** Cross-parameter rules on session tags, checked after the per-field validation passed. */
export function checkTagRules(tags: SessionTag[], transitiveKeys: string[], inherited: SessionTag[]): void {
  const seen = new Set<string>();
  for (const tag of tags) {
    const key = tag.Key.toLowerCase();
    if (seen.has(key))
      throw new AwsError(
        'InvalidParameterValue',
        'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
      );
    seen.add(key);
  }
  for (const key of transitiveKeys) {
    if (!seen.has(key.toLowerCase())) {
      throw new AwsError(
        'InvalidParameterValue',
        `The transitive tag key ${key} is not among the session tags of this request.`,
      );
    }
  }
  for (const tag of inherited) {
    if (seen.has(tag.Key.toLowerCase())) {
      throw new AwsError(
        'InvalidParameterValue',
        'One or more of the session tags conflict with the transitive session tags passed in from the prior session.',
      );
    }
  }
}

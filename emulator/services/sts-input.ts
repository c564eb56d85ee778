import { AwsError, ValidationCollector } from '../errors.ts';
import type { SessionTag } from '../credentials.ts';
import { queryList } from '../protocols/aws-query.ts';

// STS parameter rules, with the wording STS's validation layer uses.

export const MIN_DURATION = 900;
export const CHAINED_MAX_DURATION = 3600;
const SESSION_NAME = /^[\w+=,.@-]*$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]*$/;
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

function quoted(value: string): string {
  return `'${value}'`;
}

export class StsInput {
  private readonly input: Record<string, unknown>;
  private readonly problems = new ValidationCollector();

  constructor(input: Record<string, unknown>) {
    this.input = input;
  }

  private raw(name: string): string | undefined {
    const value = this.input[name];
    return typeof value === 'string' ? value : undefined;
  }

  /** A string parameter with length bounds and an optional pattern; `member` is the lowerCamel name AWS reports. */
  string(
    name: string,
    member: string,
    rule: { required: boolean; min: number; max: number; pattern?: RegExp; patternText?: string },
  ): string | undefined {
    const value = this.raw(name);
    if (value === undefined) {
      if (rule.required)
        this.problems.add(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
      return undefined;
    }
    if (value.length < rule.min) {
      this.problems.add(
        `Value ${quoted(value)} at '${member}' failed to satisfy constraint: Member must have length greater than or equal to ${rule.min}`,
      );
    } else if (value.length > rule.max) {
      this.problems.add(
        `Value ${quoted(value)} at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${rule.max}`,
      );
    } else if (rule.pattern && !rule.pattern.test(value)) {
      this.problems.add(
        `Value ${quoted(value)} at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${rule.patternText ?? rule.pattern.source}`,
      );
    }
    return value;
  }

  roleArn(): string {
    return this.string('RoleArn', 'roleArn', { required: true, min: 20, max: 2048 }) ?? '';
  }

  roleSessionName(): string {
    return (
      this.string('RoleSessionName', 'roleSessionName', {
        required: true,
        min: 2,
        max: 64,
        pattern: SESSION_NAME,
        patternText: '[\\w+=,.@-]*',
      }) ?? ''
    );
  }

  externalId(): string | undefined {
    return this.string('ExternalId', 'externalId', {
      required: false,
      min: 2,
      max: 1224,
      pattern: EXTERNAL_ID,
      patternText: '[\\w+=,.@:\\/-]*',
    });
  }

  sourceIdentity(): string | undefined {
    return this.string('SourceIdentity', 'sourceIdentity', {
      required: false,
      min: 2,
      max: 64,
      pattern: SESSION_NAME,
      patternText: '[\\w+=,.@-]*',
    });
  }

  /** The model bounds (900..43200); the role's own maximum is checked after authorization. */
  durationSeconds(): number | undefined {
    const value = this.raw('DurationSeconds');
    if (value === undefined) return undefined;
    const seconds = Number(value);
    if (!Number.isInteger(seconds)) {
      this.problems.add(
        `Value ${quoted(value)} at 'durationSeconds' failed to satisfy constraint: Member must be an integer`,
      );
      return undefined;
    }
    if (seconds < MIN_DURATION) {
      this.problems.add(
        `Value '${seconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to ${MIN_DURATION}`,
      );
    } else if (seconds > 43200) {
      this.problems.add(
        `Value '${seconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200`,
      );
    }
    return seconds;
  }

  tags(): SessionTag[] {
    const tags = queryList(this.input.Tags).map((raw) => {
      const tag = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
      return { Key: typeof tag.Key === 'string' ? tag.Key : '', Value: typeof tag.Value === 'string' ? tag.Value : '' };
    });
    if (tags.length > 50) {
      this.problems.add(
        `Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50`,
      );
    }
    tags.forEach((tag, i) => {
      const at = `tags.${i + 1}.member`;
      if (tag.Key.length < 1 || tag.Key.length > 128) {
        this.problems.add(
          `Value ${quoted(tag.Key)} at '${at}.key' failed to satisfy constraint: Member must have length ${tag.Key.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 128'}`,
        );
      } else if (!TAG_KEY.test(tag.Key)) {
        this.problems.add(
          `Value ${quoted(tag.Key)} at '${at}.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+`,
        );
      }
      if (tag.Value.length > 256) {
        this.problems.add(
          `Value ${quoted(tag.Value)} at '${at}.value' failed to satisfy constraint: Member must have length less than or equal to 256`,
        );
      } else if (!TAG_VALUE.test(tag.Value)) {
        this.problems.add(
          `Value ${quoted(tag.Value)} at '${at}.value' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*`,
        );
      }
    });
    return tags;
  }

  transitiveTagKeys(): string[] {
    const keys = queryList(this.input.TransitiveTagKeys).map(String);
    if (keys.length > 50) {
      this.problems.add(
        `Value at 'transitiveTagKeys' failed to satisfy constraint: Member must have length less than or equal to 50`,
      );
    }
    return keys;
  }

  /** Session policies are accepted and kept but do not narrow permissions in the emulator. */
  policy(): string | undefined {
    return this.string('Policy', 'policy', { required: false, min: 1, max: 2048 });
  }

  webIdentityToken(): string {
    return this.string('WebIdentityToken', 'webIdentityToken', { required: true, min: 4, max: 20000 }) ?? '';
  }

  /** STS reports every malformed parameter at once, before looking at anything else. */
  check(): void {
    this.problems.throwIfAny('ValidationError');
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

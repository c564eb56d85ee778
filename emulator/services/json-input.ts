import { frontDoorError, ValidationCollector } from '../errors.ts';

/**
 * Reads an awsJson request the way the services' validation layer does: a value of the wrong
 * JSON type is a SerializationException at once; constraint violations (null, length, range,
 * pattern, enum) are collected and reported together as "N validation errors detected: ...".
 */

interface Presence {
  required?: boolean;
}

interface StringRule extends Presence {
  min?: number;
  max?: number;
  pattern?: RegExp;
  /** How the pattern is printed in the message, when its source differs from the model's text. */
  patternText?: string;
}

interface NumberRule extends Presence {
  min?: number;
  max?: number;
}

/** Members are reported in lowerCamel case, as the services print them. */
const member = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);
const quoted = (value: unknown) => `'${typeof value === 'string' ? value : JSON.stringify(value)}'`;

export class JsonInput {
  private readonly input: Record<string, unknown>;
  private readonly code: string;
  private readonly problems = new ValidationCollector();

  /** `code` is the error code the service uses for constraint violations. */
  constructor(input: Record<string, unknown>, code = 'ValidationException') {
    this.input = input;
    this.code = code;
  }

  private present(name: string, rule: Presence): unknown {
    const value = this.input[name];
    if ((value === undefined || value === null) && rule.required) {
      this.problems.add(`Value null at '${member(name)}' failed to satisfy constraint: Member must not be null`);
    }
    return value ?? undefined;
  }

  private wrongType(name: string, expected: string): never {
    throw frontDoorError('serialization', 'awsJson1_1', `${name}: expected ${expected}`);
  }

  /** Adds a problem in the services' wording, for checks the helpers do not cover. */
  problem(name: string, value: unknown, constraint: string): void {
    this.problems.add(`Value ${quoted(value)} at '${member(name)}' failed to satisfy constraint: ${constraint}`);
  }

  string(name: string, rule: StringRule = {}): string | undefined {
    const value = this.present(name, rule);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') this.wrongType(name, 'a string');
    if (rule.min !== undefined && value.length < rule.min) {
      this.problem(name, value, `Member must have length greater than or equal to ${rule.min}`);
    } else if (rule.max !== undefined && value.length > rule.max) {
      // Long values (pipeline definitions) are not echoed whole.
      this.problem(
        name,
        value.length > 256 ? `${value.slice(0, 64)}...` : value,
        `Member must have length less than or equal to ${rule.max}`,
      );
    } else if (rule.pattern && !rule.pattern.test(value)) {
      this.problem(
        name,
        value,
        `Member must satisfy regular expression pattern: ${rule.patternText ?? rule.pattern.source}`,
      );
    }
    return value;
  }

  enumeration<T extends string>(name: string, allowed: readonly T[], rule: Presence = {}): T | undefined {
    const value = this.present(name, rule);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') this.wrongType(name, 'a string');
    if (!(allowed as readonly string[]).includes(value)) {
      this.problem(name, value, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
    }
    return value as T;
  }

  integer(name: string, rule: NumberRule = {}): number | undefined {
    const value = this.present(name, rule);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) this.wrongType(name, 'an integer');
    if (rule.min !== undefined && value < rule.min) {
      this.problem(name, value, `Member must have value greater than or equal to ${rule.min}`);
    } else if (rule.max !== undefined && value > rule.max) {
      this.problem(name, value, `Member must have value less than or equal to ${rule.max}`);
    }
    return value;
  }

  boolean(name: string, rule: Presence = {}): boolean | undefined {
    const value = this.present(name, rule);
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') this.wrongType(name, 'a boolean');
    return value;
  }

  /** Timestamps travel as epoch seconds in awsJson SageMaker and as epoch milliseconds in Logs. */
  number(name: string, rule: NumberRule = {}): number | undefined {
    const value = this.present(name, rule);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) this.wrongType(name, 'a number');
    if (rule.min !== undefined && value < rule.min) {
      this.problem(name, value, `Member must have value greater than or equal to ${rule.min}`);
    }
    return value;
  }

  object(name: string, rule: Presence = {}): Record<string, unknown> | undefined {
    const value = this.present(name, rule);
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) this.wrongType(name, 'an object');
    return value as Record<string, unknown>;
  }

  list(name: string, rule: NumberRule = {}): unknown[] | undefined {
    const value = this.present(name, rule);
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) this.wrongType(name, 'a list');
    if (rule.min !== undefined && value.length < rule.min) {
      this.problem(name, value.length, `Member must have length greater than or equal to ${rule.min}`);
    } else if (rule.max !== undefined && value.length > rule.max) {
      this.problem(name, value.length, `Member must have length less than or equal to ${rule.max}`);
    }
    return value;
  }

  /** Throws the collected problems, if any, as one error. */
  check(): void {
    this.problems.throwIfAny(this.code);
  }
}

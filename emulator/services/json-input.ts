/**
 * Reads an awsJson request's members by type. The dispatcher has already checked the request
 * against AWS's model of the operation (types, required members, lengths, ranges, patterns,
 * enums), so a reader only narrows: a member is its model type, or absent.
 */
export class JsonInput {
  private readonly input: Record<string, unknown>;

  constructor(input: Record<string, unknown>) {
    this.input = input;
  }

  private value(name: string): unknown {
    return this.input[name] ?? undefined;
  }

  /** A string member; `T` narrows an enum member to the values its model allows. */
  string<T extends string = string>(name: string): T | undefined {
    return this.value(name) as T | undefined;
  }

  /** integer, long, and timestamps (epoch seconds in SageMaker, epoch milliseconds in Logs). */
  number(name: string): number | undefined {
    return this.value(name) as number | undefined;
  }

  boolean(name: string): boolean | undefined {
    return this.value(name) as boolean | undefined;
  }

  object(name: string): Record<string, unknown> | undefined {
    return this.value(name) as Record<string, unknown> | undefined;
  }

  list(name: string): unknown[] | undefined {
    return this.value(name) as unknown[] | undefined;
  }
}

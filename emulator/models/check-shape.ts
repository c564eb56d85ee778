import { modelPattern } from './pattern.ts';
import { shapeOf, type MemberRef, type ServiceModel, type Shape } from './service-model.ts';

/**
 * Checks a decoded request against its input shape, as AWS's validation layer does before
 * any service code runs. A value of the wrong wire type cannot be read at all: that is a
 * serialization failure, raised at once. Constraint violations (null, length, range,
 * pattern, enum) are collected, in the model's member order, and reported together.
 */

/** How scalars arrive: typed JSON (awsJson), or strings (awsQuery parameters, restXml headers). */
export type Encoding = 'json' | 'text';

export interface Violation {
  /** The member as AWS prints it: lower camel case, list items as `tags.1.member.key`. */
  path: string;
  /** The offending value; undefined prints as `Value null`. */
  value: unknown;
  /** Sensitive members (tokens, secrets) are reported without their value. */
  sensitive: boolean;
  /** "Member must …", as AWS words it. */
  constraint: string;
}

/** A value that cannot be read as its shape's type, or a member the shape does not have. */
export class SerializationFailure extends Error {
  /** Where, as a violation's path; '' for the request itself. */
  readonly path: string;
  readonly value: unknown;

  constructor(message: string, path: string, value?: unknown) {
    super(message);
    this.path = path;
    this.value = value;
  }
}

const lowerCamel = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

const JSON_KIND = (value: unknown): string =>
  typeof value === 'string'
    ? 'STRING_VALUE'
    : typeof value === 'number'
      ? 'NUMBER_VALUE'
      : typeof value === 'boolean'
        ? `${String(value).toUpperCase()}_VALUE`
        : Array.isArray(value)
          ? 'START_ARRAY'
          : 'START_OBJECT';

const TYPE_NAME: Record<Shape['type'], string> = {
  structure: 'Structure',
  list: 'List',
  map: 'Map',
  string: 'String',
  integer: 'Integer',
  long: 'Long',
  float: 'Float',
  double: 'Double',
  boolean: 'Boolean',
  timestamp: 'Date',
  blob: 'ByteBuffer',
};

function lengthRules(shape: Shape, length: number): string[] {
  const found: string[] = [];
  if (shape.min !== undefined && length < shape.min)
    found.push(`Member must have length greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && length > shape.max)
    found.push(`Member must have length less than or equal to ${shape.max}`);
  return found;
}

function rangeRules(shape: Shape, value: number): string[] {
  const found: string[] = [];
  if (shape.min !== undefined && value < shape.min)
    found.push(`Member must have value greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && value > shape.max)
    found.push(`Member must have value less than or equal to ${shape.max}`);
  return found;
}

function stringRules(shape: Shape, value: string): string[] {
  const found = lengthRules(shape, value.length);
  if (shape.pattern !== undefined && !modelPattern(shape.pattern).test(value))
    found.push(`Member must satisfy regular expression pattern: ${shape.pattern}`);
  if (shape.enum !== undefined && !shape.enum.includes(value))
    found.push(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
  return found;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export class ShapeChecker {
  private readonly model: ServiceModel;
  private readonly encoding: Encoding;
  readonly violations: Violation[] = [];

  constructor(model: ServiceModel, encoding: Encoding) {
    this.model = model;
    this.encoding = encoding;
  }

  private add(path: string, value: unknown, shape: Shape, constraints: string[]): void {
    for (const constraint of constraints)
      this.violations.push({ path, value, sensitive: shape.sensitive === true, constraint });
  }

  private wrongType(path: string, value: unknown, shape: Shape): never {
    if (this.encoding === 'json')
      throw new SerializationFailure(
        `${JSON_KIND(value)} can not be converted to ${TYPE_NAME[shape.type]}`,
        path,
        value,
      );
    throw new SerializationFailure(
      `Value '${String(value)}' at '${path}' is not a valid ${TYPE_NAME[shape.type]}`,
      path,
      value,
    );
  }

  /** Checks one value (never undefined/null) against its shape. */
  value(path: string, value: unknown, ref: MemberRef): void {
    const shape = shapeOf(this.model, ref.shape);
    if (shape.document) return;
    switch (shape.type) {
      case 'structure':
        if (!isObject(value)) {
          // awsQuery sends an empty structure as `Name=`.
          if (this.encoding === 'text' && value === '') return;
          this.wrongType(path, value, shape);
        }
        this.structure(path, value, shape);
        return;
      case 'list': {
        const items = this.encoding === 'text' && value === '' ? [] : value;
        if (!Array.isArray(items)) this.wrongType(path, value, shape);
        this.add(path, items, shape, lengthRules(shape, items.length));
        const member = shape.member as MemberRef;
        items.forEach((item, i) => {
          const at = `${path}.${i + 1}.member`;
          if (item === null || item === undefined) this.add(at, undefined, shape, ['Member must not be null']);
          else this.value(at, item, member);
        });
        return;
      }
      case 'map': {
        if (!isObject(value)) this.wrongType(path, value, shape);
        const entries = Object.entries(value);
        this.add(path, value, shape, lengthRules(shape, entries.length));
        this.mapEntries(path, entries, shape);
        return;
      }
      case 'string':
        if (typeof value !== 'string') this.wrongType(path, value, shape);
        this.add(path, value, shape, stringRules(shape, value));
        return;
      case 'integer':
      case 'long':
      case 'float':
      case 'double': {
        const number = this.number(path, value, shape);
        this.add(path, number, shape, rangeRules(shape, number));
        return;
      }
      case 'boolean':
        if (typeof value === 'boolean') return;
        if (this.encoding === 'text' && (value === 'true' || value === 'false')) return;
        this.wrongType(path, value, shape);
        return;
      case 'timestamp':
        if (typeof value === 'number' && Number.isFinite(value)) return;
        if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return;
        if (typeof value === 'string' && this.encoding === 'text' && /^\d+(\.\d+)?$/.test(value)) return;
        this.wrongType(path, value, shape);
        return;
      case 'blob':
        if (typeof value !== 'string') this.wrongType(path, value, shape);
        this.add(path, value, shape, lengthRules(shape, Buffer.from(value, 'base64').length));
        return;
    }
  }

  private number(path: string, value: unknown, shape: Shape): number {
    const integral = shape.type === 'integer' || shape.type === 'long';
    const number = this.encoding === 'text' && typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isFinite(number) || (integral && !Number.isInteger(number)))
      this.wrongType(path, value, shape);
    return number;
  }

  /** Map keys and values are reported at the map, each kind of failure once, as AWS does. */
  private mapEntries(path: string, entries: [string, unknown][], shape: Shape): void {
    const keyShape = shapeOf(this.model, (shape.key as MemberRef).shape);
    const valueRef = shape.value as MemberRef;
    const valueShape = shapeOf(this.model, valueRef.shape);
    const keyProblems = new Set<string>();
    const valueProblems = new Set<string>();
    for (const [key, item] of entries) {
      for (const problem of stringRules(keyShape, key)) keyProblems.add(problem);
      if (item === null || item === undefined) valueProblems.add('Member must not be null');
      else if (valueShape.type === 'string') {
        if (typeof item !== 'string') this.wrongType(`${path}.${key}`, item, valueShape);
        for (const problem of stringRules(valueShape, item)) valueProblems.add(problem);
      } else this.value(`${path}.${key}`, item, valueRef);
    }
    const value = Object.fromEntries(entries);
    if (keyProblems.size > 0)
      this.add(path, value, shape, [`Map keys must satisfy constraint: [${[...keyProblems].join(', ')}]`]);
    if (valueProblems.size > 0)
      this.add(path, value, shape, [`Map value must satisfy constraint: [${[...valueProblems].join(', ')}]`]);
  }

  /** Required members first met as null, then each member's own rules, in the model's order. */
  structure(path: string, input: Record<string, unknown>, shape: Shape, skip: (name: string) => boolean = () => false) {
    const members = shape.members ?? {};
    const required = new Set(shape.required ?? []);
    const prefix = path === '' ? '' : `${path}.`;
    for (const [name, ref] of Object.entries(members)) {
      const value = input[name];
      const at = prefix + lowerCamel(name);
      if (value === undefined || value === null) {
        if (required.has(name)) this.add(at, undefined, shapeOf(this.model, ref.shape), ['Member must not be null']);
        continue;
      }
      this.value(at, value, ref);
    }
    for (const name of Object.keys(input)) {
      if (Object.hasOwn(members, name) || skip(name)) continue;
      throw new SerializationFailure(
        this.encoding === 'json'
          ? `Unrecognized field "${name}" (${shapeName(this.model, shape)}), not marked as ignorable`
          : `${prefix}${name} is not a valid parameter`,
        prefix + lowerCamel(name),
      );
    }
  }
}

function shapeName(model: ServiceModel, shape: Shape): string {
  return Object.entries(model.shapes).find(([, s]) => s === shape)?.[0] ?? 'structure';
}

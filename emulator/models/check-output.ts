import { serviceModel, shapeOf, type MemberRef, type ServiceModel, type Shape } from './service-model.ts';

/**
 * Compares what a handler answered with the operation's output shape in AWS's model: required
 * members present, each value of its shape's type, no member the model does not have. What
 * the SDK parses is then shaped as AWS's answers are. Returns the problems, one line each.
 */

function typeProblem(shape: Shape, value: unknown): string | undefined {
  switch (shape.type) {
    case 'structure':
    case 'map':
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? undefined : 'an object';
    case 'list':
      return Array.isArray(value) ? undefined : 'a list';
    case 'string':
      if (typeof value !== 'string') return 'a string';
      return shape.enum && !shape.enum.includes(value) ? `one of ${shape.enum.join(', ')}` : undefined;
    case 'integer':
    case 'long':
      return Number.isInteger(value) ? undefined : 'an integer';
    case 'float':
    case 'double':
      return typeof value === 'number' ? undefined : 'a number';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'a boolean';
    case 'timestamp':
      return value instanceof Date || typeof value === 'number' ? undefined : 'a timestamp';
    case 'blob':
      return typeof value === 'string' || Buffer.isBuffer(value) ? undefined : 'a blob';
  }
}

class OutputChecker {
  private readonly model: ServiceModel;
  readonly problems: string[] = [];

  constructor(model: ServiceModel) {
    this.model = model;
  }

  value(path: string, value: unknown, ref: MemberRef): void {
    const shape = shapeOf(this.model, ref.shape);
    if (shape.document) return;
    const wrong = typeProblem(shape, value);
    if (wrong) {
      this.problems.push(`${path}: expected ${wrong} (${ref.shape}), got ${JSON.stringify(value)}`);
      return;
    }
    if (shape.type === 'structure') this.structure(path, value as Record<string, unknown>, shape);
    else if (shape.type === 'list')
      (value as unknown[]).forEach((item, i) => this.value(`${path}[${i}]`, item, shape.member as MemberRef));
    else if (shape.type === 'map')
      for (const [key, item] of Object.entries(value as Record<string, unknown>))
        this.value(`${path}.${key}`, item, shape.value as MemberRef);
  }

  structure(path: string, value: Record<string, unknown>, shape: Shape): void {
    const members = shape.members ?? {};
    const prefix = path === '' ? '' : `${path}.`;
    for (const name of shape.required ?? []) {
      if (value[name] === undefined || value[name] === null) this.problems.push(`${prefix}${name}: required, missing`);
    }
    for (const [name, item] of Object.entries(value)) {
      if (item === undefined || item === null) continue;
      const ref = members[name];
      if (!ref) this.problems.push(`${prefix}${name}: not a member of the model's shape`);
      else this.value(`${prefix}${name}`, item, ref);
    }
  }
}

/**
 * Headers and the body of a REST answer (S3's XML, SageMaker Runtime's payload), against the
 * output shape's header and payload members.
 */
function restProblems(model: ServiceModel, shape: Shape, output: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const members = Object.entries(shape.members ?? {});
  const headers = (output.headers ?? {}) as Record<string, string>;
  for (const header of Object.keys(headers)) {
    const lower = header.toLowerCase();
    // x-amz-… and x-amzn-…: the headers a REST model places (content-type and the like are HTTP's own).
    if (!lower.startsWith('x-amz')) continue;
    const known = members.some(
      ([, ref]) =>
        (ref.location === 'header' && ref.locationName?.toLowerCase() === lower) ||
        (ref.location === 'headers' && lower.startsWith((ref.locationName ?? '').toLowerCase())),
    );
    if (!known) problems.push(`header ${header}: not a member of the model's shape`);
  }
  if (shape.payload && shape.required?.includes(shape.payload) && output.body === undefined)
    problems.push(`${shape.payload}: required, missing`);
  const body = typeof output.body === 'string' ? output.body : '';
  // A restJson1 document (Scheduler): the members the model does not place in headers.
  if (!shape.payload && model.metadata.protocol === 'rest-json' && body.startsWith('{')) {
    const inBody = Object.fromEntries(members.filter(([, ref]) => ref.location === undefined));
    const checker = new OutputChecker(model);
    checker.structure('', JSON.parse(body) as Record<string, unknown>, {
      ...shape,
      members: inBody,
      required: (shape.required ?? []).filter((name) => name in inBody),
    });
    problems.push(...checker.problems);
  }
  if (!shape.payload && body.startsWith('<?xml')) {
    const elements = [...body.replace(/^<\?xml[^>]*>\s*<[^>]+>/, '').matchAll(/<([A-Za-z]+)>/g)].map((m) => m[1]);
    for (const element of elements) {
      if (!members.some(([name, ref]) => (ref.locationName ?? name) === element))
        problems.push(`<${element}>: not a member of the model's shape`);
    }
  }
  return problems;
}

export function outputProblems(service: string, operation: string, output: Record<string, unknown>): string[] {
  const model = serviceModel(service);
  if (!model) return [`${service}: no model`];
  const op = model.operations[operation];
  if (!op) return [`${service}:${operation}: not in the model`];
  if (!op.output) return Object.keys(output).length === 0 ? [] : ['the model has no output for this operation'];
  const shape = shapeOf(model, op.output.shape);
  if (model.metadata.protocol === 'rest-xml' || model.metadata.protocol === 'rest-json')
    return restProblems(model, shape, output);
  const checker = new OutputChecker(model);
  checker.structure('', output, shape);
  return checker.problems;
}

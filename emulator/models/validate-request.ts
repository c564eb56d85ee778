import { AwsError, frontDoorError } from '../errors.ts';
import { RestXmlError } from '../protocols/rest-xml.ts';
import type { Protocol, ResolvedOperation } from '../registry.ts';
import type { ReceivedRequest } from '../sigv4.ts';
import { SerializationFailure, ShapeChecker, type Violation } from './check-shape.ts';
import { serviceModel, shapeOf, type MemberRef, type ServiceModel } from './service-model.ts';

/**
 * The front door's model check: every request of every operation the emulator serves is
 * checked against AWS's published model of that operation's input before its handler runs,
 * and refused as that service refuses it.
 */

/** How a value is echoed in a message: Java's toString of the decoded value. */
function show(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (typeof value === 'object' && value !== null)
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}=${show(v)}`)
      .join(', ')}}`;
  return String(value);
}

/** "Value 'x' at 'pipelineName' failed to satisfy constraint: Member must …" */
export function describeViolation(violation: Violation): string {
  const value =
    violation.value === undefined ? 'Value null' : violation.sensitive ? 'Value' : `Value '${show(violation.value)}'`;
  return `${value} at '${violation.path}' failed to satisfy constraint: ${violation.constraint}`;
}

/** The Coral wording most services use: "N validation error(s) detected: a; b". */
export function validationMessage(violations: Violation[]): string {
  const n = violations.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${violations.map(describeViolation).join('; ')}`;
}

type Refusal = (violations: Violation[], operation: ResolvedOperation) => AwsError;

const counted =
  (code: string): Refusal =>
  (violations) =>
    new AwsError(code, validationMessage(violations));

/**
 * ECR reports one violation, in words of its own: "Invalid parameter at 'repositoryName'
 * failed to satisfy constraint: 'must satisfy regular expression '…''"; a missing member
 * keeps the counted form.
 */
const ecrRefusal: Refusal = (violations) => {
  const first = violations[0] as Violation;
  if (first.value === undefined) return new AwsError('InvalidParameterException', validationMessage([first]));
  const constraint = first.constraint
    .replace(/^Member /, '')
    .replace(/^must satisfy regular expression pattern: (.*)$/, "must satisfy regular expression '$1'");
  return new AwsError(
    'InvalidParameterException',
    `Invalid parameter at '${first.path}' failed to satisfy constraint: '${constraint}'`,
  );
};

/**
 * S3 names the header or query parameter it could not accept (ArgumentName, ArgumentValue)
 * instead of wording a constraint. A bad storage class has a code of its own.
 */
function s3Member(model: ServiceModel, operation: ResolvedOperation, path: string): [string, MemberRef | undefined] {
  const inputShape = model.operations[operation.operation]?.input?.shape;
  const members = inputShape ? (shapeOf(model, inputShape).members ?? {}) : {};
  const entry = Object.entries(members).find(([name]) => name.toLowerCase() === path.toLowerCase());
  return [entry?.[1]?.locationName ?? entry?.[0] ?? path, entry?.[1]];
}

/** A header or query parameter S3 cannot read as its type (max-keys=ten). */
function s3Unreadable(model: ServiceModel, operation: ResolvedOperation, failure: SerializationFailure): AwsError {
  const [argument, ref] = s3Member(model, operation, failure.path);
  const type = ref ? shapeOf(model, ref.shape).type : 'string';
  const what = type === 'integer' || type === 'long' ? 'an integer or within integer range' : `a valid ${type}`;
  return new RestXmlError('InvalidArgument', `Provided ${argument} not ${what}`, 400, {
    ArgumentName: argument,
    ArgumentValue: String(failure.value),
  });
}

function s3Refusal(model: ServiceModel): Refusal {
  return (violations, operation) => {
    const first = violations[0] as Violation;
    const [argument, ref] = s3Member(model, operation, first.path);
    if (first.value === undefined)
      return new RestXmlError('InvalidRequest', `Missing required header for this request: ${argument}`, 400);
    if (ref?.shape === 'StorageClass')
      return new RestXmlError('InvalidStorageClass', 'The storage class you specified is not valid', 400, {
        StorageClassRequested: String(first.value),
      });
    return new RestXmlError(
      'InvalidArgument',
      // As S3 answers a header outside its set (x-amz-acl: privat): no message, the argument named.
      '',
      400,
      {
        ArgumentName: argument,
        ArgumentValue: show(first.value),
      },
    );
  };
}

function refusalFor(service: string, model: ServiceModel): Refusal {
  switch (service) {
    case 'sts':
      return counted('ValidationError');
    case 'ecr':
      return ecrRefusal;
    case 'logs':
      return counted('InvalidParameterException');
    case 's3':
      return s3Refusal(model);
    case 'sagemaker-runtime':
      // SageMaker Runtime's model names its refusal ValidationError, in the same words.
      return counted('ValidationError');
    default:
      return counted('ValidationException');
  }
}

/**
 * restXml input: the URI members the route decoded, plus the headers and query parameters the
 * model places. The body (an object's bytes, or an XML payload) is the handler's to read.
 */
function restInput(
  model: ServiceModel,
  inputShape: string,
  routed: Record<string, unknown>,
  request: ReceivedRequest,
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(shapeOf(model, inputShape).members ?? {}) as [string, MemberRef][]) {
    if (ref.location === 'uri' && routed[name] !== undefined) input[name] = routed[name];
    else if (ref.location === 'header' && ref.locationName) {
      const raw = request.headers[ref.locationName.toLowerCase()];
      const value = Array.isArray(raw) ? raw[0] : raw;
      if (value !== undefined) input[name] = value;
    } else if (ref.location === 'querystring' && ref.locationName) {
      const value = request.query.get(ref.locationName);
      if (value !== null) input[name] = value;
    }
  }
  return input;
}

/** Query-signed requests carry their signature as X-Amz-* parameters: not members of any shape. */
const isSignatureParameter = (name: string) => name.startsWith('X-Amz-');

/** Throws the service's own error when the request breaks its model; returns when it does not. */
export function validateRequest(
  resolved: ResolvedOperation,
  input: Record<string, unknown>,
  request: ReceivedRequest,
): void {
  const service = resolved.service.name;
  const model = serviceModel(service);
  const operation = model?.operations[resolved.operation];
  if (!model || !operation?.input) return;
  const protocol: Protocol = resolved.service.protocol;
  const checker = new ShapeChecker(model, protocol === 'awsJson1_1' ? 'json' : 'text');
  const shape = shapeOf(model, operation.input.shape);
  try {
    if (protocol === 'restXml') {
      const located = { ...shape, required: (shape.required ?? []).filter((name) => shape.members?.[name]?.location) };
      checker.structure('', restInput(model, operation.input.shape, input, request), located);
    } else {
      checker.structure('', input, shape, protocol === 'awsQuery' ? isSignatureParameter : undefined);
    }
  } catch (error) {
    if (!(error instanceof SerializationFailure)) throw error;
    if (protocol === 'restXml') throw s3Unreadable(model, resolved, error);
    throw frontDoorError('serialization', protocol, error.message);
  }
  if (checker.violations.length > 0) throw refusalFor(service, model)(checker.violations, resolved);
}

import { setTimeout as sleep } from 'node:timers/promises';
import { ANONYMOUS, type Caller } from './credentials.ts';
import { AwsError, frontDoorError } from './errors.ts';
import { faultError, RawFaultAnswer } from './faults.ts';
import { authorizeRequest } from './iam/authorize.ts';
import { serviceModel } from './models/service-model.ts';
import { validateRequest } from './models/validate-request.ts';
import { requestId as newRequestId } from './ids.ts';
import { decodeJson, encodeJsonError, encodeJsonResult } from './protocols/aws-json.ts';
import { decodeQuery, encodeQueryError, encodeQueryResult } from './protocols/aws-query.ts';
import { encodeRestJsonError, encodeRestJsonResult } from './protocols/rest-json.ts';
import { encodeRestXmlError, encodeRestXmlResult, type RestOutput } from './protocols/rest-xml.ts';
import type { WireResponse } from './protocols/wire.ts';
import {
  isMutating,
  isMutatingName,
  type Protocol,
  type ResolvedOperation,
  type ServiceDefinition,
  type ServiceRegistry,
} from './registry.ts';
import { parseAuthorization, verifyRequest, type ParsedAuthorization, type ReceivedRequest } from './sigv4.ts';
import type { EmulatorState } from './state.ts';
import type { FaultKind } from './types.ts';

export type DispatchOutcome = { kind: 'response'; response: WireResponse } | { kind: 'reset' };

const DEFAULT_REGION = 'us-east-1';

/** What is known about a request once its protocol body is decoded. */
interface Decoded {
  protocol: Protocol;
  /** The operation name as sent, even when no service has it. */
  operation: string;
  input: Record<string, unknown>;
  /** The service the request addressed, when one could be told. */
  service: ServiceDefinition | undefined;
  resolved: ResolvedOperation | undefined;
  auth: ParsedAuthorization | null;
}

function headerOf(request: ReceivedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function encodeError(
  decoded: Pick<Decoded, 'protocol' | 'service'> | null,
  error: AwsError,
  requestId: string,
  registry: ServiceRegistry,
): WireResponse {
  if (error instanceof RawFaultAnswer) return error.wire(requestId);
  if (decoded?.protocol === 'awsJson1_1') return encodeJsonError(error, requestId);
  if (decoded?.protocol === 'restXml') return encodeRestXmlError(error, requestId);
  if (decoded?.protocol === 'restJson1') return encodeRestJsonError(error, requestId);
  const xmlns = decoded?.service?.xmlNamespace ?? registry.anyQueryService()?.xmlNamespace;
  return encodeQueryError(error, requestId, xmlns);
}

function encodeResult(resolved: ResolvedOperation, output: Record<string, unknown>, requestId: string): WireResponse {
  if (resolved.service.protocol === 'awsJson1_1') return encodeJsonResult(output, requestId);
  if (resolved.service.protocol === 'restXml') return encodeRestXmlResult(output as RestOutput, requestId);
  if (resolved.service.protocol === 'restJson1') return encodeRestJsonResult(output as RestOutput, requestId);
  const model = serviceModel(resolved.service.name);
  const shape = model?.operations[resolved.operation]?.output?.shape;
  return encodeQueryResult(
    resolved.operation,
    resolved.service.xmlNamespace ?? '',
    output,
    requestId,
    model && shape ? { model, shape } : undefined,
  );
}

/** The signing name in an Authorization header's credential scope, read without checking anything. */
function signingName(authHeader: string | undefined): string | undefined {
  return authHeader ? /Credential=[^/,\s]*\/[^/,\s]*\/[^/,\s]*\/([^/,\s]+)\//.exec(authHeader)?.[1] : undefined;
}

/** Query calls (STS) name an Action, in the query string or a form-encoded body. */
function isQueryCall(request: ReceivedRequest): boolean {
  const contentType = headerOf(request, 'content-type') ?? '';
  return request.query.has('Action') || contentType.startsWith('application/x-www-form-urlencoded');
}

/**
 * The AWS front door: decode, route, authenticate, inject faults, run the handler, encode,
 * and record the call. Every answer is shaped by the protocol the request spoke.
 */
export class Dispatcher {
  private readonly registry: ServiceRegistry;
  private readonly state: EmulatorState;

  constructor(registry: ServiceRegistry, state: EmulatorState) {
    this.registry = registry;
    this.state = state;
  }

  private decode(request: ReceivedRequest): Decoded {
    const authHeader = headerOf(request, 'authorization');
    const target = headerOf(request, 'x-amz-target');
    if (target !== undefined) {
      const auth = authHeader ? parseAuthorization(authHeader, 'awsJson1_1') : null;
      const { service, resolved } = this.registry.byTarget(target);
      const operation = target.slice(target.lastIndexOf('.') + 1);
      return {
        protocol: 'awsJson1_1',
        operation,
        input: decodeJson(request.body.toString('utf8')),
        service,
        resolved,
        auth,
      };
    }
    const rest = this.restService(request);
    if (rest?.route) {
      const auth = authHeader ? parseAuthorization(authHeader, rest.protocol) : null;
      const { operation, input } = rest.route(request);
      return {
        protocol: rest.protocol,
        operation,
        input,
        service: rest,
        resolved: this.registry.byRestOperation(rest, operation),
        auth,
      };
    }
    const params = request.method === 'GET' ? request.query : new URLSearchParams(request.body.toString('utf8'));
    const { action, input } = decodeQuery(params);
    const auth = authHeader ? parseAuthorization(authHeader, 'awsQuery') : null;
    const resolved = auth
      ? this.registry.byQueryAction(auth.service, action)
      : this.registry.unsignedQueryAction(action);
    const service = resolved?.service ?? (auth ? this.registry.service(auth.service) : undefined);
    return { protocol: 'awsQuery', operation: action, input, service, resolved, auth };
  }

  /**
   * Without X-Amz-Target: a REST service (S3, SageMaker Runtime) when signed for one, or when
   * unsigned and not a query call.
   */
  private restService(request: ReceivedRequest): ServiceDefinition | undefined {
    if (headerOf(request, 'x-amz-target') !== undefined) return undefined;
    const name = signingName(headerOf(request, 'authorization'));
    if (name !== undefined) return this.registry.restService(request, name);
    return isQueryCall(request) ? undefined : this.registry.restService(request);
  }

  private async authenticate(request: ReceivedRequest, decoded: Decoded): Promise<Caller> {
    if (decoded.resolved?.definition.unsigned) return ANONYMOUS;
    if (!decoded.auth) {
      const message =
        decoded.protocol === 'awsQuery'
          ? 'Request is missing Authentication Token'
          : decoded.protocol === 'restXml'
            ? 'Access Denied'
            : 'Missing Authentication Token';
      throw frontDoorError('missingAuth', decoded.protocol, message);
    }
    return verifyRequest(request, decoded.auth, this.state.credentials, decoded.protocol);
  }

  async handle(request: ReceivedRequest): Promise<DispatchOutcome> {
    const requestId = newRequestId();
    const time = new Date().toISOString();
    let decoded: Decoded;
    try {
      decoded = this.decode(request);
    } catch (error) {
      const protocol: Protocol =
        headerOf(request, 'x-amz-target') !== undefined
          ? 'awsJson1_1'
          : (this.restService(request)?.protocol ?? 'awsQuery');
      return {
        kind: 'response',
        response: encodeError({ protocol, service: undefined }, toAwsError(error), requestId, this.registry),
      };
    }

    let caller: Caller = ANONYMOUS;
    let fault: FaultKind | null = null;
    let errorCode: string | null = null;
    let response: WireResponse;
    try {
      caller = await this.authenticate(request, decoded);
      const resolved = decoded.resolved;
      if (!resolved) {
        const message =
          decoded.protocol === 'awsQuery'
            ? `Could not find operation ${decoded.operation} for version ${decoded.service?.version ?? 'unknown'}`
            : `Unknown operation ${headerOf(request, 'x-amz-target') ?? decoded.operation}`;
        throw frontDoorError('unknownOperation', decoded.protocol, message);
      }
      // Faults stand for the way in (throttling, 5xx, dropped connections): they come after routing
      // and authentication, so they hit only calls that name a real operation, and before the service looks.
      const decision = this.state.faults.decide(resolved.service.name, resolved.operation);
      if (decision.latencyMs > 0) await sleep(decision.latencyMs, undefined, { ref: false });
      const losesResponse = decision.fault?.kind === 'lost-response';
      if (decision.fault && !losesResponse) {
        fault = decision.fault.kind;
        const injected = faultError(decision.fault, decoded.protocol);
        if (!injected) {
          this.record(decoded, caller, time, { status: 0, errorCode: 'ConnectionReset', fault });
          return { kind: 'reset' };
        }
        throw injected;
      }
      // AWS checks the request against its published model before the service looks at it, IAM
      // included: the resource an operation is authorised on is read from a well-formed input.
      validateRequest(resolved, decoded.input, request);
      // IAM: the request is authorised as IAM would, before the handler acts on it.
      authorizeRequest({
        state: this.state,
        caller,
        service: resolved.service.name,
        operation: resolved.operation,
        input: decoded.input,
        region: decoded.auth?.region ?? DEFAULT_REGION,
        protocol: decoded.protocol,
      });
      const region = decoded.auth?.region ?? DEFAULT_REGION;
      // Time passed since the last call acts first (executions, schedules, events), so the
      // handler sees a world whose simulated processes are up to the simulated now.
      this.registry.settle(this.state);
      const output = await resolved.definition.handler({
        input: decoded.input,
        caller,
        region,
        requestId,
        service: resolved.service,
        operation: resolved.operation,
        state: this.state,
        store: (init) =>
          this.state.resources.bucket(caller.accountId ?? 'anonymous', region, resolved.service.name, init),
        request,
      });
      if (losesResponse) {
        this.record(decoded, caller, time, { status: 0, errorCode: 'ResponseLost', fault: 'lost-response' });
        return { kind: 'reset' };
      }
      response = encodeResult(resolved, output, requestId);
    } catch (error) {
      const awsError = toAwsError(error);
      errorCode = awsError.code;
      response = encodeError(decoded, awsError, requestId, this.registry);
    }
    this.record(decoded, caller, time, { status: response.status, errorCode, fault });
    return { kind: 'response', response };
  }

  private record(
    decoded: Decoded,
    caller: Caller,
    time: string,
    result: { status: number; errorCode: string | null; fault: FaultKind | null },
  ): void {
    const resolved = decoded.resolved;
    this.state.calls.record({
      time,
      service: resolved?.service.name ?? decoded.service?.name ?? decoded.auth?.service ?? 'unknown',
      operation: decoded.operation,
      region: decoded.auth?.region ?? DEFAULT_REGION,
      account: caller.accountId,
      principalArn: caller.arn,
      // A rejected signature still tells which key was tried.
      accessKeyId: caller.accessKeyId ?? decoded.auth?.accessKeyId ?? null,
      mutating: resolved ? isMutating(resolved) : isMutatingName(decoded.operation),
      status: result.status,
      errorCode: result.errorCode,
      fault: result.fault,
      input: decoded.input,
    });
  }
}

function toAwsError(error: unknown): AwsError {
  if (error instanceof AwsError) return error;
  console.error('emulator: handler failed:', error);
  return new AwsError(
    'InternalFailure',
    'The request processing has failed because of an unknown error, exception or failure.',
    500,
  );
}

/**
 * SageMaker Runtime's InvokeEndpoint (restJson1, POST /endpoints/<name>/invocations, signed as
 * sagemaker). It answers from the endpoint's live deployment, as the scenario says that endpoint
 * (or the config it serves) behaves: an echo by default, a fixed body, a container error (ModelError
 * 424 with the container's status and body, as AWS reports it), a service error, latency.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { RestJsonError } from '../protocols/rest-json.ts';
import type { RestOutput } from '../protocols/rest-xml.ts';
import type { OperationContext, RestRoute, ServiceDefinition } from '../registry.ts';
import type { ReceivedRequest } from '../sigv4.ts';
import type { InvocationBehaviour } from '../types.ts';
import { scopeOf } from './sagemaker/common.ts';
import { hostingOf, settleStore } from './sagemaker/hosting-store.ts';

const INVOCATIONS = /^\/endpoints\/([^/]+)\/invocations$/;
const ENDPOINTS_PATH = /^\/endpoints\//;
// The endpoint serves (the old config while an update is in progress).
const SERVING = new Set(['InService', 'Updating', 'SystemUpdating', 'RollingBack']);
const MAX_BODY = 6 * 1024 * 1024;

const header = (request: ReceivedRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

function route(request: ReceivedRequest): RestRoute {
  const match = INVOCATIONS.exec(request.path);
  if (request.method !== 'POST' || !match) return { operation: `${request.method} ${request.path}`, input: {} };
  const optional = (name: string, headerName: string) => {
    const value = header(request, headerName);
    return value === undefined ? {} : { [name]: value };
  };
  return {
    operation: 'InvokeEndpoint',
    input: {
      EndpointName: decodeURIComponent(match[1]!),
      Body: request.body.toString('utf8'),
      ...optional('ContentType', 'content-type'),
      ...optional('Accept', 'accept'),
      ...optional('CustomAttributes', 'x-amzn-sagemaker-custom-attributes'),
      ...optional('TargetVariant', 'x-amzn-sagemaker-target-variant'),
      ...optional('InferenceId', 'x-amzn-sagemaker-inference-id'),
    },
  };
}

const validationError = (message: string) => new RestJsonError('ValidationError', message, 400);

const SERVICE_ERRORS: Record<NonNullable<InvocationBehaviour['error']>, [number, string]> = {
  ModelNotReadyException: [429, 'Model is not ready to serve requests yet.'],
  ServiceUnavailable: [503, 'Service is unavailable, try again later.'],
  InternalFailure: [500, 'An internal failure occurred.'],
  ValidationError: [400, 'Received client error (400) from primary.'],
};

async function invokeEndpoint(context: OperationContext): Promise<Record<string, unknown>> {
  const name = String(context.input['EndpointName'] ?? '');
  const body = context.request.body;
  if (body.length > MAX_BODY) throw validationError('Request body exceeds the 6 MB limit.');
  const scope = scopeOf(context);
  const store = hostingOf(context.state, scope);
  settleStore(store, context.state.clock.now());
  const endpoint = store.endpoints.get(name.toLowerCase());
  if (!endpoint) throw validationError(`Endpoint ${name} of account ${scope.account} not found.`);
  if (!SERVING.has(endpoint.status) || endpoint.live.resolutionTime === undefined)
    throw validationError(`Endpoint ${name} of account ${scope.account} is ${endpoint.status}; it cannot be invoked.`);

  const variant = endpoint.live.variants[0]?.name ?? 'AllTraffic';
  const scenario = context.state.scenario.endpoint(name);
  const behaviour: InvocationBehaviour = {
    ...scenario.invocation,
    ...scenario.invocationsByConfig?.['*'],
    ...scenario.invocationsByConfig?.[endpoint.live.configName],
  };
  if (behaviour.latencyMs) await sleep(behaviour.latencyMs, undefined, { ref: false });
  if (behaviour.error) {
    const [status, message] = SERVICE_ERRORS[behaviour.error];
    throw new RestJsonError(behaviour.error, message, status);
  }
  const fixed = behaviour.response === 'fixed';
  const answer = fixed ? Buffer.from(behaviour.body ?? '') : body;
  const contentType = fixed
    ? (behaviour.contentType ?? 'application/json')
    : (header(context.request, 'content-type') ?? 'application/octet-stream');
  const status = behaviour.containerStatus ?? 200;
  if (status !== 200) {
    const original = answer.toString('utf8');
    throw new RestJsonError(
      'ModelError',
      `Received server error (${status}) from primary with message "${original}". See https://${scope.region}.console.aws.amazon.com/cloudwatch/home?region=${scope.region}#logEventViewer:group=/aws/sagemaker/Endpoints/${name} in account ${scope.account} for more information.`,
      424,
      {
        OriginalStatusCode: status,
        OriginalMessage: original,
        LogStreamArn: `arn:aws:logs:${scope.region}:${scope.account}:log-group:/aws/sagemaker/Endpoints/${name}`,
      },
    );
  }
  const output: RestOutput = {
    status: 200,
    headers: { 'content-type': contentType, 'x-amzn-invoked-production-variant': variant },
    body: answer,
  };
  return output;
}

export function createSageMakerRuntimeService(): ServiceDefinition {
  return {
    name: 'sagemaker-runtime',
    signingName: 'sagemaker',
    protocol: 'restJson1',
    operations: { InvokeEndpoint: { handler: invokeEndpoint, mutating: false } },
    route,
    claims: (request) => ENDPOINTS_PATH.test(request.path),
  };
}

import type { Caller } from './credentials.ts';
import type { ReceivedRequest } from './sigv4.ts';
import type { EmulatorState } from './state.ts';

export type Protocol = 'awsJson1_1' | 'awsQuery' | 'restXml' | 'restJson1';

const REST: readonly Protocol[] = ['restXml', 'restJson1'];

export const isRestProtocol = (protocol: Protocol): boolean => REST.includes(protocol);

export interface OperationContext {
  /** Decoded request: the JSON body, or the query parameters with lists and maps rebuilt. */
  input: Record<string, unknown>;
  caller: Caller;
  /** From the credential scope; us-east-1 for unsigned calls. */
  region: string;
  requestId: string;
  service: ServiceDefinition;
  operation: string;
  state: EmulatorState;
  /** This service's resources in the caller's account and the request's region. */
  store<T>(init: () => T): T;
  /** The request as received: REST services (S3) read their body and headers from it. */
  request: ReceivedRequest;
}

/**
 * Returns the output shape. awsJson services return JSON-ready values (Date becomes epoch
 * seconds); awsQuery services return the content of the <OperationResult> element; restXml
 * services return a RestOutput (status, headers, body).
 */
export type Handler = (context: OperationContext) => Record<string, unknown> | Promise<Record<string, unknown>>;

export interface OperationDefinition {
  handler: Handler;
  /** Accepted without a signature (AssumeRoleWithWebIdentity, AssumeRoleWithSAML). */
  unsigned?: boolean;
  /** Overrides the service's rule for the calls log. */
  mutating?: boolean;
}

export interface ServiceDefinition {
  /** The service's name in calls and faults: sts, sagemaker, ecr, logs, sagemaker-runtime, s3, scheduler, events, sns. */
  name: string;
  /** The SigV4 signing name when it is not the name (SageMaker Runtime signs as sagemaker). */
  signingName?: string;
  protocol: Protocol;
  /** awsJson1_1: the X-Amz-Target prefix before the dot, e.g. "SageMaker". */
  targetPrefix?: string;
  /** awsQuery: API version and response namespace. */
  version?: string;
  xmlNamespace?: string;
  operations: Record<string, Handler | OperationDefinition>;
  /** restXml, restJson1: the operation a request is, told from its method, path, query and headers. */
  route?: (request: ReceivedRequest) => RestRoute;
  /**
   * A REST service sharing its signing name with another service (SageMaker Runtime with SageMaker)
   * or serving unsigned requests beside S3 claims the requests that are its own by their path.
   */
  claims?: (request: ReceivedRequest) => boolean;
  /** Default: anything that is not Describe/List/Get/Search/BatchGet changes something. */
  isMutating?: (operation: string) => boolean;
  /**
   * Brings what the service simulates up to the simulated now (executions progressing,
   * schedules coming due, queued events delivered). Run before every call to any service.
   */
  settle?: (state: EmulatorState) => void;
}

/** A REST request (S3) named: which operation it is, and its input as the calls log shows it. */
export interface RestRoute {
  operation: string;
  input: Record<string, unknown>;
}

export interface ResolvedOperation {
  service: ServiceDefinition;
  operation: string;
  definition: OperationDefinition;
}

/** Rounds of settling per call at most: a rule that restarts its own pipeline at once would never end. */
const MAX_SETTLE_ROUNDS = 50;

const READ_ONLY_PREFIX = /^(Describe|List|Get|Search|BatchGet)/;

export function isMutatingName(operation: string): boolean {
  return !READ_ONLY_PREFIX.test(operation);
}

export function isMutating(resolved: ResolvedOperation): boolean {
  if (resolved.definition.mutating !== undefined) return resolved.definition.mutating;
  if (resolved.service.isMutating) return resolved.service.isMutating(resolved.operation);
  return isMutatingName(resolved.operation);
}

function definitionOf(entry: Handler | OperationDefinition): OperationDefinition {
  return typeof entry === 'function' ? { handler: entry } : entry;
}

function lookup(service: ServiceDefinition, operation: string): ResolvedOperation | undefined {
  if (!Object.hasOwn(service.operations, operation)) return undefined;
  return {
    service,
    operation,
    definition: definitionOf(service.operations[operation] as Handler | OperationDefinition),
  };
}

/** The one place services plug in: later services register a definition and nothing else changes. */
export class ServiceRegistry {
  private readonly byName = new Map<string, ServiceDefinition>();
  private readonly byTargetPrefix = new Map<string, ServiceDefinition>();

  register(service: ServiceDefinition): this {
    if (this.byName.has(service.name)) throw new Error(`service ${service.name} is already registered`);
    if (service.protocol === 'awsJson1_1') {
      if (!service.targetPrefix) throw new Error(`awsJson1_1 service ${service.name} needs a targetPrefix`);
      this.byTargetPrefix.set(service.targetPrefix, service);
    } else if (isRestProtocol(service.protocol)) {
      if (!service.route) throw new Error(`${service.protocol} service ${service.name} needs a route`);
    } else if (!service.version || !service.xmlNamespace) {
      throw new Error(`awsQuery service ${service.name} needs a version and an xmlNamespace`);
    }
    this.byName.set(service.name, service);
    return this;
  }

  /**
   * Every service catches up with simulated time, in registration order, as often as it takes
   * for nothing new to happen: a schedule starting an execution, the execution's status change
   * matching a rule, the rule starting another pipeline. Whatever a caller then reads (any
   * service, any account) reflects all time passed, with each effect at its simulated time.
   */
  settle(state: EmulatorState): void {
    const settling = [...this.byName.values()].filter((service) => service.settle);
    for (let round = 0; round < MAX_SETTLE_ROUNDS; round++) {
      const before = state.serviceEvents.emitted;
      for (const service of settling) service.settle?.(state);
      if (state.serviceEvents.emitted === before) return;
    }
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  service(name: string): ServiceDefinition | undefined {
    return this.byName.get(name);
  }

  /** "SageMaker.CreatePipeline" → the SageMaker service and operation. */
  byTarget(target: string): { service: ServiceDefinition | undefined; resolved: ResolvedOperation | undefined } {
    const dot = target.lastIndexOf('.');
    const service = this.byTargetPrefix.get(target.slice(0, Math.max(dot, 0)));
    return { service, resolved: service ? lookup(service, target.slice(dot + 1)) : undefined };
  }

  byQueryAction(serviceName: string, action: string): ResolvedOperation | undefined {
    const service = this.byName.get(serviceName);
    if (!service || service.protocol !== 'awsQuery') return undefined;
    return lookup(service, action);
  }

  /** Unsigned query calls carry no credential scope; only an unsigned operation's name can route them. */
  unsignedQueryAction(action: string): ResolvedOperation | undefined {
    for (const service of this.byName.values()) {
      if (service.protocol !== 'awsQuery') continue;
      const resolved = lookup(service, action);
      if (resolved?.definition.unsigned) return resolved;
    }
    return undefined;
  }

  /**
   * REST services carry neither an X-Amz-Target nor an Action: a signed request names its
   * service in the credential scope (SageMaker Runtime signs as sagemaker, so a service that
   * shares its signing name claims its requests by path); an unsigned one goes to the REST
   * service that claims it, else to the one that claims nothing (S3).
   */
  restService(request: ReceivedRequest, signingName?: string): ServiceDefinition | undefined {
    const rest = [...this.byName.values()].filter(
      (s) => isRestProtocol(s.protocol) && (signingName === undefined || (s.signingName ?? s.name) === signingName),
    );
    return rest.find((s) => s.claims?.(request)) ?? rest.find((s) => !s.claims);
  }

  byRestOperation(service: ServiceDefinition, operation: string): ResolvedOperation | undefined {
    return lookup(service, operation);
  }

  /** Any query service, to shape errors for requests that could not be routed. */
  anyQueryService(): ServiceDefinition | undefined {
    return [...this.byName.values()].find((s) => s.protocol === 'awsQuery');
  }
}

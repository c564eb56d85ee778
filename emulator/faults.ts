import { AwsError, frontDoorError } from './errors.ts';
import type { WireResponse } from './protocols/wire.ts';
import type { Protocol } from './registry.ts';
import type { Fault, FaultKind, FaultSettings } from './types.ts';

const KINDS: readonly FaultKind[] = ['throttle', 'server-error', 'reset', 'latency', 'error', 'lost-response'];

/** mulberry32: tiny, seedable, good enough to make "rate" faults repeatable across runs. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultError extends Error {}

/** A fault answered with a body of its own (a proxy's HTML page), not the protocol's error document. */
export class RawFaultAnswer extends AwsError {
  readonly body: string;

  constructor(code: string, message: string, status: number, body: string) {
    super(code, message, status);
    this.body = body;
  }

  wire(requestId: string): WireResponse {
    return {
      status: this.status,
      headers: { 'content-type': 'text/html', 'x-amzn-requestid': requestId },
      body: this.body,
    };
  }
}

/** Checks an admin-supplied fault list; accepts a bare array or { faults, seed }. */
export function parseFaultSettings(raw: unknown): FaultSettings {
  const settings = (Array.isArray(raw) ? { faults: raw } : raw) as Partial<FaultSettings> | null;
  if (!settings || !Array.isArray(settings.faults))
    throw new FaultError('faults: expected a list or { faults: [...], seed }');
  if (settings.seed !== undefined && !Number.isInteger(settings.seed))
    throw new FaultError('faults: seed must be an integer');
  settings.faults.forEach((fault, i) => {
    const where = `faults[${i}]`;
    if (!fault || !KINDS.includes(fault.kind)) throw new FaultError(`${where}.kind must be one of ${KINDS.join(', ')}`);
    if (fault.rate !== undefined && !(typeof fault.rate === 'number' && fault.rate >= 0 && fault.rate <= 1)) {
      throw new FaultError(`${where}.rate must be a number from 0 to 1`);
    }
    if (fault.count !== undefined && !(Number.isInteger(fault.count) && fault.count >= 0)) {
      throw new FaultError(`${where}.count must be a non-negative integer`);
    }
    if (fault.kind === 'latency' && !(typeof fault.ms === 'number' && fault.ms >= 0))
      throw new FaultError(`${where}.ms is required for latency`);
    if (fault.kind === 'error' && !fault.code) throw new FaultError(`${where}.code is required for error`);
    if (fault.kind === 'server-error' && fault.status !== undefined && fault.status !== 500 && fault.status !== 503) {
      throw new FaultError(`${where}.status must be 500 or 503 for server-error`);
    }
    if (fault.body !== undefined && (fault.kind !== 'server-error' || typeof fault.body !== 'string'))
      throw new FaultError(`${where}.body is a string, for server-error only`);
  });
  return { faults: settings.faults, seed: settings.seed ?? 1 };
}

export interface FaultDecision {
  /** Sum of every latency fault that fired. */
  latencyMs: number;
  /** The first non-latency fault that fired, if any. */
  fault: Fault | null;
}

export class FaultInjector {
  private faults: Fault[] = [];
  private remaining: (number | null)[] = [];
  private random = seededRandom(1);

  set(settings: FaultSettings): void {
    this.faults = settings.faults.map((f) => ({ ...f }));
    this.remaining = this.faults.map((f) => f.count ?? null);
    this.random = seededRandom(settings.seed ?? 1);
  }

  clear(): void {
    this.set({ faults: [] });
  }

  list(): Fault[] {
    return this.faults.map((f, i) => ({ ...f, ...(this.remaining[i] !== null ? { count: this.remaining[i] } : {}) }));
  }

  decide(service: string, operation: string): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, fault: null };
    for (const [i, fault] of this.faults.entries()) {
      if (fault.service !== undefined && fault.service !== '*' && fault.service !== service) continue;
      if (fault.operation !== undefined && fault.operation !== '*' && fault.operation !== operation) continue;
      if (fault.kind !== 'latency' && decision.fault) continue;
      const left = this.remaining[i] ?? null;
      if (left !== null && left <= 0) continue;
      if (fault.rate !== undefined && this.random() >= fault.rate) continue;
      if (left !== null) this.remaining[i] = left - 1;
      if (fault.kind === 'latency') decision.latencyMs += fault.ms ?? 0;
      else decision.fault = fault;
    }
    return decision;
  }
}

/** The AWS error a fault answers with; `reset`, `latency` and `lost-response` have none. */
export function faultError(fault: Fault, protocol: Protocol): AwsError | null {
  switch (fault.kind) {
    case 'throttle':
      return frontDoorError('throttle', protocol, fault.message ?? 'Rate exceeded');
    case 'server-error':
      if (fault.body !== undefined)
        return new RawFaultAnswer('ServiceUnavailable', fault.message ?? '', fault.status ?? 503, fault.body);
      return fault.status === 503
        ? new AwsError('ServiceUnavailable', fault.message ?? 'Service is unavailable. Please try again later.', 503)
        : new AwsError(
            'InternalFailure',
            fault.message ?? 'The request processing has failed because of an unknown error, exception or failure.',
            500,
          );
    case 'error':
      return new AwsError(fault.code ?? 'InternalFailure', fault.message ?? fault.code ?? '', fault.status ?? 400);
    default:
      return null;
  }
}

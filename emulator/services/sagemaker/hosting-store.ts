import type { EmulatorState } from '../../state.ts';
import { logStoreOf } from '../log-store.ts';
import { areaStore, areaStores, type Scope } from './common.ts';

/**
 * Models, endpoint configurations and endpoints, per account and region. Endpoints change on
 * the simulated clock: each operation plans timed transitions, and whoever looks next applies
 * those that are due (settleHosting), so there are no timers and time jumps are exact.
 */

export interface Model {
  name: string;
  arn: string;
  /** DescribeModel fields as given (PrimaryContainer, Containers, ExecutionRoleArn, VpcConfig...). */
  fields: Record<string, unknown>;
  /** Image of each container, resolved through model packages where the container names one. */
  images: string[];
  creationTime: number;
}

export interface EndpointConfig {
  name: string;
  arn: string;
  fields: Record<string, unknown>;
  variants: VariantSpec[];
  creationTime: number;
}

export interface VariantSpec {
  name: string;
  modelName: string;
  instanceType: string | undefined;
  instanceCount: number;
  weight: number;
}

/** What a deployment runs: the config as it was when deployed (it may be deleted later). */
export interface Deployment {
  configName: string;
  variants: (VariantSpec & { images: string[]; instanceIds: string[] })[];
  startTime: number;
  /** When images were resolved to digests (the deployment went live). */
  resolutionTime: number | undefined;
}

export type EndpointStatus =
  | 'OutOfService'
  | 'Creating'
  | 'Updating'
  | 'SystemUpdating'
  | 'RollingBack'
  | 'InService'
  | 'Deleting'
  | 'Failed'
  | 'UpdateRollbackFailed';

export interface Transition {
  at: number;
  apply: () => void;
}

export interface Endpoint {
  name: string;
  arn: string;
  creationTime: number;
  lastModifiedTime: number;
  status: EndpointStatus;
  failureReason: string | undefined;
  /** The deployment serving (or being created, before the first InService). */
  live: Deployment;
  /** An update in progress. */
  pending: Deployment | undefined;
  /** Instances are coming up (Creating) or being replaced; reported as VariantStatus. */
  variantActivity: { status: 'Creating' | 'Updating' | 'Deleting'; since: number } | undefined;
  instancesUp: boolean;
  lastDeploymentConfig: Record<string, unknown> | undefined;
  /** Planned changes, in time order; those not yet due are dropped when a new operation starts. */
  timeline: Transition[];
  deleted: boolean;
}

export interface HostingStore {
  scope: Scope;
  models: Map<string, Model>;
  configs: Map<string, EndpointConfig>;
  endpoints: Map<string, Endpoint>;
}

const AREA = 'hosting';

/** Applies every transition due by `now`, in order; deleted endpoints leave the store. */
export function settleStore(store: HostingStore, now: number): void {
  for (const endpoint of store.endpoints.values()) {
    while (endpoint.timeline.length > 0 && (endpoint.timeline[0] as Transition).at <= now) {
      (endpoint.timeline.shift() as Transition).apply();
    }
    if (endpoint.deleted) store.endpoints.delete(endpoint.name.toLowerCase());
  }
}

/** The store of one account and region; reading its endpoint logs settles it first. */
export function hostingOf(state: EmulatorState, scope: Scope): HostingStore {
  return areaStore<HostingStore>(state, scope, AREA, () => {
    const store: HostingStore = { scope, models: new Map(), configs: new Map(), endpoints: new Map() };
    logStoreOf(state.resources, scope.account, scope.region).addSource((now) => settleStore(store, now));
    return store;
  });
}

export function settleHosting(state: EmulatorState): void {
  const now = state.clock.now();
  for (const { bucket } of areaStores<HostingStore>(state, AREA)) settleStore(bucket, now);
}

/** Adds a transition keeping the timeline in time order (stable for equal times). */
export function schedule(endpoint: Endpoint, at: number, apply: () => void): void {
  let i = endpoint.timeline.length;
  while (i > 0 && (endpoint.timeline[i - 1] as Transition).at > at) i--;
  endpoint.timeline.splice(i, 0, { at, apply });
}

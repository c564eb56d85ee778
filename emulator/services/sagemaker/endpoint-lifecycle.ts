import { randomBytes } from 'node:crypto';
import type { EmulatorState } from '../../state.ts';
import type { EndpointBehaviour } from '../../types.ts';
import { logStoreOf } from '../log-store.ts';
import type { Scope } from './common.ts';
import { schedule, type Deployment, type Endpoint, type EndpointConfig } from './hosting-store.ts';
import { findModel } from './models.ts';
import { dropTagsIn } from './tags.ts';

/**
 * How an endpoint moves through its statuses after CreateEndpoint, UpdateEndpoint and
 * DeleteEndpoint, as the scenario's `endpoints` entry says: each operation plans its timed
 * transitions and the log events its instances write to /aws/sagemaker/Endpoints/<name>.
 */

export const ENDPOINT_DEFAULTS = { createSeconds: 180, updateSeconds: 180, rollbackSeconds: 60, deleteSeconds: 30 };

const healthCheckFailure = (variant: string) =>
  `The primary container for production variant ${variant} did not pass the ping health check. Please check CloudWatch logs for this endpoint.`;

export interface Env {
  state: EmulatorState;
  scope: Scope;
}

const instanceId = () => `i-${randomBytes(9).toString('hex').slice(0, 17)}`;

/** The config as it is now, with its models' images, on fresh instances. */
export function deploymentOf(env: Env, config: EndpointConfig, now: number): Deployment {
  return {
    configName: config.name,
    variants: config.variants.map((variant) => ({
      ...variant,
      images: findModel(env.state, env.scope, variant.modelName)?.images ?? [],
      instanceIds: Array.from({ length: variant.instanceCount }, instanceId),
    })),
    startTime: now,
    resolutionTime: undefined,
  };
}

/** Each instance of the deployment logs its start-up over [start, end], ending healthy or with the reason. */
function planInstanceLogs(
  env: Env,
  endpoint: Endpoint,
  deployment: Deployment,
  behaviour: EndpointBehaviour,
  start: number,
  end: number,
  failure: string | undefined,
): void {
  const logs = logStoreOf(env.state.resources, env.scope.account, env.scope.region);
  const group = `/aws/sagemaker/Endpoints/${endpoint.name}`;
  for (const variant of deployment.variants) {
    const lines = [
      `Starting the inference server for ${variant.images[0] ?? 'the model'} with 2 workers.`,
      'Loading model from /opt/ml/model',
      ...(behaviour.logLines ?? []),
      failure === undefined ? 'Ping health check passed; the container is ready to serve.' : `ERROR: ${failure}`,
    ];
    for (const id of variant.instanceIds) {
      const stream = `${variant.name}/${id}`;
      lines.forEach((message, i) => {
        const at = start + Math.round(((end - start) * (i + 1)) / (lines.length + 1));
        schedule(endpoint, at, () => logs.put(logs.ensureStream(group, stream, at), [{ timestamp: at, message }], at));
      });
    }
  }
}

/** Once InService: an optional SystemUpdating window and an optional fall to OutOfService. */
function planWhileInService(endpoint: Endpoint, behaviour: EndpointBehaviour, inServiceAt: number): void {
  const window = behaviour.systemUpdating;
  if (window) {
    const from = inServiceAt + window.afterSeconds * 1000;
    schedule(endpoint, from, () => {
      endpoint.status = 'SystemUpdating';
      endpoint.lastModifiedTime = from;
    });
    schedule(endpoint, from + window.durationSeconds * 1000, () => {
      endpoint.status = 'InService';
      endpoint.lastModifiedTime = from + window.durationSeconds * 1000;
    });
  }
  if (behaviour.outOfServiceAfterSeconds !== undefined) {
    const at = inServiceAt + behaviour.outOfServiceAfterSeconds * 1000;
    schedule(endpoint, at, () => {
      endpoint.status = 'OutOfService';
      endpoint.instancesUp = false;
      endpoint.lastModifiedTime = at;
    });
  }
}

export function planCreate(env: Env, endpoint: Endpoint, now: number): void {
  const behaviour = env.state.scenario.endpoint(endpoint.name);
  const end = now + (behaviour.createSeconds ?? ENDPOINT_DEFAULTS.createSeconds) * 1000;
  const failure =
    behaviour.createOutcome === 'Failed'
      ? (behaviour.createFailureReason ?? healthCheckFailure(endpoint.live.variants[0]?.name ?? 'AllTraffic'))
      : undefined;
  endpoint.status = 'Creating';
  endpoint.variantActivity = { status: 'Creating', since: now };
  planInstanceLogs(env, endpoint, endpoint.live, behaviour, now, end, failure);
  schedule(endpoint, end, () => {
    endpoint.variantActivity = undefined;
    endpoint.lastModifiedTime = end;
    if (failure !== undefined) {
      endpoint.status = 'Failed';
      endpoint.failureReason = failure;
      return;
    }
    endpoint.status = 'InService';
    endpoint.instancesUp = true;
    endpoint.live.resolutionTime = end;
    planWhileInService(endpoint, behaviour, end);
  });
}

/**
 * Updating, then: InService on the new config; or RollingBack and InService again on the OLD
 * config with FailureReason set; or RollingBack and UpdateRollbackFailed.
 */
export function planUpdate(env: Env, endpoint: Endpoint, next: Deployment, now: number): void {
  const behaviour = env.state.scenario.endpoint(endpoint.name);
  const outcome = behaviour.updateOutcome ?? 'InService';
  const updated = now + (behaviour.updateSeconds ?? ENDPOINT_DEFAULTS.updateSeconds) * 1000;
  const settled = updated + (behaviour.rollbackSeconds ?? ENDPOINT_DEFAULTS.rollbackSeconds) * 1000;
  const failure =
    outcome === 'InService'
      ? undefined
      : (behaviour.updateFailureReason ?? healthCheckFailure(next.variants[0]?.name ?? 'AllTraffic'));
  endpoint.status = 'Updating';
  endpoint.failureReason = undefined;
  endpoint.pending = next;
  endpoint.variantActivity = { status: 'Creating', since: now };
  endpoint.lastModifiedTime = now;
  planInstanceLogs(env, endpoint, next, behaviour, now, updated, failure);

  if (failure === undefined) {
    schedule(endpoint, updated, () => {
      next.resolutionTime = updated;
      endpoint.live = next;
      endpoint.pending = undefined;
      endpoint.variantActivity = undefined;
      endpoint.status = 'InService';
      endpoint.instancesUp = true;
      endpoint.lastModifiedTime = updated;
      planWhileInService(endpoint, behaviour, updated);
    });
    return;
  }
  schedule(endpoint, updated, () => {
    endpoint.status = 'RollingBack';
    endpoint.failureReason = failure;
    endpoint.variantActivity = { status: 'Deleting', since: updated };
    endpoint.lastModifiedTime = updated;
  });
  schedule(endpoint, settled, () => {
    endpoint.pending = undefined;
    endpoint.variantActivity = undefined;
    endpoint.lastModifiedTime = settled;
    // The old config never stopped serving; FailureReason stays to say the update did not happen.
    endpoint.status = outcome === 'RolledBack' ? 'InService' : 'UpdateRollbackFailed';
    if (outcome === 'RolledBack') planWhileInService(endpoint, behaviour, settled);
  });
}

export function planDelete(env: Env, endpoint: Endpoint, now: number): void {
  const behaviour = env.state.scenario.endpoint(endpoint.name);
  const gone = now + (behaviour.deleteSeconds ?? ENDPOINT_DEFAULTS.deleteSeconds) * 1000;
  endpoint.status = 'Deleting';
  endpoint.variantActivity = { status: 'Deleting', since: now };
  endpoint.lastModifiedTime = now;
  schedule(endpoint, gone, () => {
    endpoint.deleted = true;
    dropTagsIn(env.state, env.scope, endpoint.arn);
  });
}

/** Drops planned transitions not yet due: a new operation replaces whatever was still to come. */
export function cancelPlans(endpoint: Endpoint): void {
  endpoint.timeline = [];
}

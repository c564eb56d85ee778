/**
 * The endpoint around the smoke test: it must be InService on the config under test before the
 * request means anything, and a rollback puts the previous config back and waits until it serves.
 */
import * as core from '@actions/core';
import {
  DescribeEndpointCommand,
  UpdateEndpointCommand,
  type DescribeEndpointCommandOutput,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { formatElapsed, systemClock } from '../runtime/clock.ts';
import { ActionError } from '../runtime/errors.ts';
import { progressLine, timedOutText, waitingLine } from '../runtime/log-lines.ts';
import { WaitTimeoutError, waitUntil } from '../runtime/poll.ts';
import { ENDPOINT_CHANGING } from '../sagemaker/endpoint-status.ts';

export async function describeEndpoint(client: SageMakerClient, name: string): Promise<DescribeEndpointCommandOutput> {
  return client.send(new DescribeEndpointCommand({ EndpointName: name }));
}

/** Refuses to test an endpoint that is not serving the config the deployment made. */
export function checkServing(endpoint: DescribeEndpointCommandOutput, expectedConfig: string | undefined): void {
  const name = endpoint.EndpointName ?? '';
  if (endpoint.EndpointStatus !== 'InService')
    throw new ActionError(
      `endpoint ${name} is ${endpoint.EndpointStatus}; test it once it is InService (wait-for-endpoint)`,
    );
  if (expectedConfig && endpoint.EndpointConfigName !== expectedConfig) {
    throw new ActionError(
      `endpoint ${name} serves ${endpoint.EndpointConfigName}, not ${expectedConfig} (expected-config): a rolled-back or other deployment is live`,
    );
  }
}

/** UpdateEndpoint back to `config`, then waits until the endpoint is InService on it. */
export async function rollBack(
  client: SageMakerClient,
  name: string,
  config: string,
  timeoutMinutes: number,
): Promise<void> {
  await client.send(new UpdateEndpointCommand({ EndpointName: name, EndpointConfigName: config }));
  core.info(`Rolling ${name} back to ${config} (UpdateEndpoint)`);
  const bound = { input: 'rollback-timeout-minutes', minutes: timeoutMinutes };
  core.info(waitingLine(`endpoint ${name}`, `be InService on ${config}`, bound));
  let last = '';
  try {
    const { value, elapsedMs } = await waitUntil({
      clock: systemClock(),
      timeoutMs: timeoutMinutes * 60_000,
      pollImmediately: false,
      poll: () => client.send(new DescribeEndpointCommand({ EndpointName: name })),
      isDone: (endpoint) => !ENDPOINT_CHANGING.has(endpoint.EndpointStatus ?? ''),
      onPoll: (endpoint, elapsedMs) => {
        const line = `${endpoint.EndpointStatus} on ${endpoint.EndpointConfigName}`;
        if (line !== last) core.info(progressLine(elapsedMs, name, line));
        last = line;
      },
    });
    if (value.EndpointStatus !== 'InService' || value.EndpointConfigName !== config) {
      throw new ActionError(
        `the rollback of ${name} to ${config} ended ${value.EndpointStatus} on ${value.EndpointConfigName}${value.FailureReason ? `: ${value.FailureReason}` : ''}`,
      );
    }
    core.info(`Rolled back: ${name} is InService on ${config} after ${formatElapsed(elapsedMs)}`);
  } catch (error) {
    if (error instanceof WaitTimeoutError)
      throw new ActionError(`the rollback of ${name} to ${config} ${timedOutText(error.elapsedMs, bound)}`);
    throw error;
  }
}

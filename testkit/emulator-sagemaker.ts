/** Shared setup for the SageMaker and CloudWatch Logs emulator tests. */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterAll } from 'vitest';
import { ALICE, ROLE, keysOf, sts, type Keys } from './emulator-world.ts';

export const PIPELINE_ROLE = 'arn:aws:iam::111111111111:role/sagemaker-pipeline';

const clients: { destroy(): void }[] = [];

afterAll(() => {
  for (const client of clients.splice(0)) client.destroy();
});

export function sagemaker(endpoint: string, credentials: Keys = ALICE, region = 'us-east-1'): SageMakerClient {
  const client = new SageMakerClient({ region, endpoint, credentials, maxAttempts: 1 });
  clients.push(client);
  return client;
}

export function logs(endpoint: string, credentials: Keys = ALICE, region = 'us-east-1'): CloudWatchLogsClient {
  const client = new CloudWatchLogsClient({ region, endpoint, credentials, maxAttempts: 1 });
  clients.push(client);
  return client;
}

/** Credentials in account 222222222222 through the test world's hub → deployer chain. */
export async function prodKeys(endpoint: string): Promise<Keys> {
  const hub = keysOf(
    (await sts(endpoint, ALICE).send(new AssumeRoleCommand({ RoleArn: ROLE.hub, RoleSessionName: 'hub' }))).Credentials,
  );
  return keysOf(
    (
      await sts(endpoint, hub).send(
        new AssumeRoleCommand({ RoleArn: ROLE.deployer, RoleSessionName: 'deploy', ExternalId: 'mlops-prod' }),
      )
    ).Credentials,
  );
}

export interface StepSpec {
  Name: string;
  Type: string;
  DependsOn?: string[];
  Arguments?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A definition as the SageMaker Python SDK writes it. */
export function definition(
  steps: StepSpec[],
  parameters: { Name: string; Type: string; DefaultValue?: unknown }[] = [],
): string {
  return JSON.stringify({ Version: '2020-12-01', Metadata: {}, Parameters: parameters, Steps: steps });
}

export const training = (name: string, extra: Partial<StepSpec> = {}): StepSpec => ({
  Name: name,
  Type: 'Training',
  Arguments: { AlgorithmSpecification: { TrainingImage: 'image', TrainingInputMode: 'File' } },
  ...extra,
});

export const processing = (name: string, extra: Partial<StepSpec> = {}): StepSpec => ({
  Name: name,
  Type: 'Processing',
  Arguments: { AppSpecification: { ImageUri: 'image' } },
  ...extra,
});

/** A 32-character idempotency token derived from a label. */
export const token = (label: string) => label.padEnd(32, '0');

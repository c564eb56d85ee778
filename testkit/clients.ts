/**
 * The SDK clients tests talk to the emulator with, one factory per service and all alike: the
 * test names who acts; the region is us-east-1 unless it names another; no client retries unless
 * the test asks (`maxAttempts`), so what a test sees is the emulator's first answer. Every client
 * is destroyed when its test file ends.
 */
import { CloudWatchLogsClient, type CloudWatchLogsClientConfig } from '@aws-sdk/client-cloudwatch-logs';
import { ECRClient, type ECRClientConfig } from '@aws-sdk/client-ecr';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { SageMakerClient, type SageMakerClientConfig } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient, type SageMakerRuntimeClientConfig } from '@aws-sdk/client-sagemaker-runtime';
import { STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { afterAll } from 'vitest';
import type { Keys } from './worlds/accounts.ts';

const open: { destroy(): void }[] = [];

afterAll(() => {
  for (const client of open.splice(0)) client.destroy();
});

function factory<Config extends object, Client extends { destroy(): void }>(Service: new (config: Config) => Client) {
  return (endpoint: string, credentials?: Keys, options: Partial<Config> = {}): Client => {
    const client = new Service({
      region: 'us-east-1',
      endpoint,
      maxAttempts: 1,
      ...(credentials ? { credentials } : {}),
      ...options,
    } as Config);
    open.push(client);
    return client;
  };
}

/** Without credentials for the unsigned calls (AssumeRoleWithWebIdentity). */
export const sts = factory<STSClientConfig, STSClient>(STSClient);
export const sagemaker = factory<SageMakerClientConfig, SageMakerClient>(SageMakerClient);
export const sagemakerRuntime = factory<SageMakerRuntimeClientConfig, SageMakerRuntimeClient>(SageMakerRuntimeClient);
export const logs = factory<CloudWatchLogsClientConfig, CloudWatchLogsClient>(CloudWatchLogsClient);
export const ecr = factory<ECRClientConfig, ECRClient>(ECRClient);
export const s3 = factory<S3ClientConfig, S3Client>(S3Client);

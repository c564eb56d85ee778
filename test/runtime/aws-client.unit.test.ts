import { STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { createClient, resolveRegion, userAgentPairs } from '../../src/runtime/aws-client.ts';

describe('AWS client factory', () => {
  it('takes the region from the input first, then the environment, and names the input otherwise', () => {
    expect(resolveRegion('aws-region', 'eu-west-1', { AWS_REGION: 'us-east-1' })).toBe('eu-west-1');
    expect(resolveRegion('aws-region', undefined, { AWS_DEFAULT_REGION: 'ap-south-1' })).toBe('ap-south-1');
    expect(() => resolveRegion('aws-region', undefined, {})).toThrow(
      "input 'aws-region': is empty and neither AWS_REGION nor AWS_DEFAULT_REGION is set",
    );
    expect(() => resolveRegion('aws-region', 'Frankfurt', {})).toThrow("'Frankfurt' is not an AWS region");
  });

  it('carries the project version and the run in the user agent', () => {
    expect(userAgentPairs({ GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '3' })).toEqual([
      ['mlops-actions', '0.0.0-dev'],
      ['gha-run', '42-3'],
    ]);
    expect(userAgentPairs({})).toEqual([['mlops-actions', '0.0.0-dev']]);
  });

  it('applies region, retries and profile to the client', async () => {
    const client = createClient(STSClient, { region: 'eu-central-1', maxAttempts: 7, profile: 'prod' });
    expect(await client.config.region()).toBe('eu-central-1');
    expect(await client.config.maxAttempts()).toBe(7);
    expect(client.config.profile).toBe('prod');
    client.destroy();
  });
});

import { describe, expect, it } from 'vitest';
import type { Inputs } from '../../src/deploy-endpoint/inputs.ts';
import { configName, modelName } from '../../src/deploy-endpoint/resources.ts';

const base = {
  packageArn: 'arn:aws:sagemaker:eu-west-1:333333333333:model-package/abalone-models/7',
  endpointName: 'abalone',
  executionRoleArn: 'arn:aws:iam::222222222222:role/sagemaker-execution',
  instanceType: 'ml.m5.large',
  instanceCount: 1,
  variantName: 'AllTraffic',
} as Inputs;

describe('deploy-endpoint resource names', () => {
  it('are the same for the same deployment, whatever the run', () => {
    expect(modelName({ ...base })).toBe(modelName(base));
    expect(configName({ ...base })).toBe(configName(base));
    expect(modelName(base)).toMatch(/^abalone-v7-[0-9a-f]{8}$/);
  });

  const changes: [string, Partial<Inputs>, { model: boolean; config: boolean }][] = [
    ['another package', { packageArn: base.packageArn.replace(/7$/, '8') }, { model: true, config: true }],
    ['another execution role', { executionRoleArn: `${base.executionRoleArn}-2` }, { model: true, config: true }],
    ['another instance type', { instanceType: 'ml.c5.xlarge' }, { model: false, config: true }],
    ['another instance count', { instanceCount: 2 }, { model: false, config: true }],
    ['another variant', { variantName: 'Blue' }, { model: false, config: true }],
    ['another strategy only', { strategy: 'blue-green' }, { model: false, config: false }],
    ['other tags only', { tags: { team: 'forecasting' } }, { model: false, config: false }],
  ];
  for (const [what, change, expected] of changes) {
    it(`${what}: ${expected.model ? 'new model' : 'same model'}, ${expected.config ? 'new config' : 'same config'}`, () => {
      const changed = { ...base, ...change };
      expect(modelName(changed) !== modelName(base)).toBe(expected.model);
      expect(configName(changed) !== configName(base)).toBe(expected.config);
    });
  }

  it('stay within 63 characters for the longest endpoint name', () => {
    const long = { ...base, endpointName: 'e'.repeat(63), packageArn: base.packageArn.replace(/7$/, '123456') };
    expect(configName(long)).toHaveLength(63);
    expect(configName(long)).toMatch(/^e+-v123456-[0-9a-f]{8}$/);
  });
});

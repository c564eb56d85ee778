import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Inputs } from '../../src/deploy-endpoint/inputs.ts';
import { configName, containerDefinition, modelName } from '../../src/deploy-endpoint/resources.ts';

const PACKAGE = 'arn:aws:sagemaker:eu-west-1:333333333333:model-package/abalone-models/7';
const base = {
  modelPackageArn: PACKAGE,
  environment: {},
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
    ['another package', { modelPackageArn: PACKAGE.replace(/7$/, '8') }, { model: true, config: true }],
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
    const long = { ...base, endpointName: 'e'.repeat(63), modelPackageArn: PACKAGE.replace(/7$/, '123456') };
    expect(configName(long)).toHaveLength(63);
    expect(configName(long)).toMatch(/^e+-v123456-[0-9a-f]{8}$/);
  });

  it('keep the name a package deployed without environment always had', () => {
    // The hash of ['model', <package>, <role>] — what names were before images and environments existed.
    const before = createHash('sha256')
      .update(JSON.stringify(['model', PACKAGE, base.executionRoleArn]))
      .digest('hex')
      .slice(0, 8);
    expect(modelName(base)).toBe(`abalone-v7-${before}`);
    expect(modelName({ ...base, environment: {} })).toBe(modelName(base));
  });
});

const IMAGE = `111111111111.dkr.ecr.eu-west-1.amazonaws.com/ml/abalone-serve@sha256:${'ab'.repeat(32)}`;
const direct = {
  ...base,
  modelPackageArn: undefined,
  image: IMAGE,
  modelDataUrl: 's3://ml-prod-artifacts/abalone/model.tar.gz',
  environment: { SAGEMAKER_PROGRAM: 'serve.py' },
} as Inputs;

describe('deploy-endpoint resource names for an image', () => {
  it('name the image digest and are stable', () => {
    expect(modelName(direct)).toMatch(/^abalone-dabababab-[0-9a-f]{8}$/);
    expect(modelName({ ...direct })).toBe(modelName(direct));
  });

  const changes: [string, Partial<Inputs>][] = [
    ['another image', { image: IMAGE.replace(/ab$/, 'cd') }],
    ['other model data', { modelDataUrl: 's3://ml-prod-artifacts/abalone/model-2.tar.gz' }],
    ['no model data', { modelDataUrl: undefined }],
    ['another environment value', { environment: { SAGEMAKER_PROGRAM: 'serve2.py' } }],
    ['another environment variable', { environment: { SAGEMAKER_PROGRAM: 'serve.py', LOG_LEVEL: 'debug' } }],
    ['no environment', { environment: {} }],
  ];
  for (const [what, change] of changes) {
    it(`${what}: new model and new config`, () => {
      const changed = { ...direct, ...change } as Inputs;
      expect(modelName(changed)).not.toBe(modelName(direct));
      expect(configName(changed)).not.toBe(configName(direct));
    });
  }

  it('environment key order is not a change', () => {
    const a = { ...direct, environment: { A: '1', B: '2' } } as Inputs;
    const b = { ...direct, environment: { B: '2', A: '1' } } as Inputs;
    expect(modelName(a)).toBe(modelName(b));
  });

  it('a package with an environment is another model than without', () => {
    expect(modelName({ ...base, environment: { LOG_LEVEL: 'debug' } })).not.toBe(modelName(base));
  });

  it('the container is the image with its data and environment, or the package', () => {
    expect(containerDefinition(direct)).toEqual({
      Image: IMAGE,
      ModelDataUrl: 's3://ml-prod-artifacts/abalone/model.tar.gz',
      Environment: { SAGEMAKER_PROGRAM: 'serve.py' },
    });
    expect(containerDefinition(base)).toEqual({ ModelPackageName: PACKAGE });
  });
});

/** How deploy-endpoint asks SageMaker to move traffic, and what counts as "already there". */
import { describe, expect, it } from 'vitest';
import type { Inputs } from '../../src/deploy-endpoint/inputs.ts';
import { deploymentConfig, isAlreadyExists } from '../../src/deploy-endpoint/resources.ts';

const base = {
  strategy: 'blue-green',
  trafficRouting: 'all-at-once',
  stepPercent: 10,
  waitIntervalSeconds: 300,
  rollbackAlarms: [],
} as Partial<Inputs> as Inputs;

describe('deploymentConfig', () => {
  it("none for a direct update: SageMaker's own replacement", () => {
    expect(deploymentConfig({ ...base, strategy: 'direct' })).toBeUndefined();
  });

  it.each([
    ['all-at-once', { Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 300 }],
    ['canary', { Type: 'CANARY', CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 }, WaitIntervalInSeconds: 300 }],
    ['linear', { Type: 'LINEAR', LinearStepSize: { Type: 'CAPACITY_PERCENT', Value: 10 }, WaitIntervalInSeconds: 300 }],
  ] as const)('blue/green, %s', (routing, expected) => {
    expect(deploymentConfig({ ...base, trafficRouting: routing })).toEqual({
      BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: expected, TerminationWaitInSeconds: 600 },
    });
  });

  it('rolls back on the alarms given', () => {
    expect(deploymentConfig({ ...base, rollbackAlarms: ['abalone-5xx', 'abalone-latency'] })).toMatchObject({
      AutoRollbackConfiguration: { Alarms: [{ AlarmName: 'abalone-5xx' }, { AlarmName: 'abalone-latency' }] },
    });
  });
});

describe('isAlreadyExists', () => {
  const aws = (name: string, message: string) => Object.assign(new Error(message), { name, $metadata: {} });
  it.each([
    [aws('ValidationException', 'Cannot create already existing model "abalone-v7-0123abcd".'), true],
    [aws('ValidationException', 'Cannot create already existing endpoint configuration "c".'), true],
    [aws('ValidationException', 'Could not find model package'), false],
    [aws('ResourceInUse', 'already exists'), false],
    [new Error('already exists'), false],
  ])('%s: %s', (error, exists) => expect(isAlreadyExists(error)).toBe(exists));
});

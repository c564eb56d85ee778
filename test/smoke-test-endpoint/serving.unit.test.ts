/** A smoke test means something only on an endpoint serving the config under test; values read by path. */
import type { DescribeEndpointCommandOutput } from '@aws-sdk/client-sagemaker';
import { describe, expect, it } from 'vitest';
import { valueAt } from '../../src/smoke-test-endpoint/check.ts';
import { checkServing } from '../../src/smoke-test-endpoint/endpoint.ts';

const endpoint = (fields: Partial<DescribeEndpointCommandOutput>) =>
  ({
    EndpointName: 'abalone',
    EndpointStatus: 'InService',
    EndpointConfigName: 'abalone-c2',
    ...fields,
  }) as DescribeEndpointCommandOutput;

describe('checkServing', () => {
  it.each([
    ['InService on the config under test', endpoint({}), 'abalone-c2'],
    ['InService, no config named', endpoint({ EndpointConfigName: 'abalone-c1' }), undefined],
  ])('tests an endpoint %s', (_, described, expected) => {
    expect(() => checkServing(described, expected)).not.toThrow();
  });

  it.each([
    [
      'still updating',
      endpoint({ EndpointStatus: 'Updating' }),
      'abalone-c2',
      'endpoint abalone is Updating; test it once it is InService (wait-for-endpoint)',
    ],
    [
      'serving another config',
      endpoint({ EndpointConfigName: 'abalone-c1' }),
      'abalone-c2',
      'endpoint abalone serves abalone-c1, not abalone-c2 (expected-config): a rolled-back or other deployment is live',
    ],
  ])('refuses one %s', (_, described, expected, message) => {
    expect(() => checkServing(described, expected)).toThrow(message);
  });
});

describe('valueAt', () => {
  const document = { predictions: [{ label: 'benign', score: 0.91, extra: null }], 'odd key': [1, 2] };
  it.each([
    [[], { found: true, value: document }],
    [['predictions', 0, 'label'], { found: true, value: 'benign' }],
    [['predictions', 0, 'extra'], { found: true, value: null }],
    [['odd key', 1], { found: true, value: 2 }],
    [['predictions', 1], { found: false }],
    [['predictions', 'length'], { found: false }],
    [['predictions', 0, 'toString'], { found: false }],
    [['missing'], { found: false }],
    [[0], { found: false }],
  ] as [(string | number)[], unknown][])('%j', (steps, result) => expect(valueAt(document, steps)).toEqual(result));
});

/** Whether an endpoint reached what was asked of it; InService alone is not success. */
import type { DescribeEndpointCommandOutput } from '@aws-sdk/client-sagemaker';
import { describe, expect, it } from 'vitest';
import { judge, endpointStatusLine, type Verdict, type VerdictOptions } from '../../src/wait-for-endpoint/verdict.ts';

const endpoint = (fields: Partial<DescribeEndpointCommandOutput>) =>
  ({ EndpointName: 'abalone', EndpointConfigName: 'abalone-c2', ...fields }) as DescribeEndpointCommandOutput;
const onC2: VerdictOptions = { expectedConfig: 'abalone-c2', allowOutOfService: false };
const anyConfig: VerdictOptions = { allowOutOfService: false };

describe('judge', () => {
  const cases: [string, DescribeEndpointCommandOutput | undefined, VerdictOptions, Verdict][] = [
    ['not there yet', undefined, onC2, { kind: 'waiting' }],
    ['creating', endpoint({ EndpointStatus: 'Creating' }), onC2, { kind: 'waiting' }],
    ['updating', endpoint({ EndpointStatus: 'Updating', EndpointConfigName: 'abalone-c1' }), onC2, { kind: 'waiting' }],
    ['rolling back', endpoint({ EndpointStatus: 'RollingBack' }), onC2, { kind: 'waiting' }],
    ['InService on the expected config', endpoint({ EndpointStatus: 'InService' }), onC2, { kind: 'success' }],
    ['InService, no config asked for', endpoint({ EndpointStatus: 'InService' }), anyConfig, { kind: 'success' }],
    [
      'InService on the old config after a failed update',
      endpoint({ EndpointStatus: 'InService', EndpointConfigName: 'abalone-c1', FailureReason: 'health check failed' }),
      onC2,
      {
        kind: 'failure',
        reason:
          'the update to abalone-c2 failed and was rolled back; the endpoint is InService on abalone-c1: health check failed',
      },
    ],
    [
      'InService on another config, nothing in progress',
      endpoint({ EndpointStatus: 'InService', EndpointConfigName: 'abalone-c1' }),
      onC2,
      {
        kind: 'failure',
        reason: 'the endpoint is InService on abalone-c1, not on abalone-c2, and no update is in progress',
      },
    ],
    [
      'failed',
      endpoint({ EndpointStatus: 'Failed', FailureReason: 'image not found' }),
      onC2,
      { kind: 'failure', reason: 'the endpoint is Failed: image not found' },
    ],
    [
      'the update and its rollback failed',
      endpoint({ EndpointStatus: 'UpdateRollbackFailed' }),
      onC2,
      {
        kind: 'failure',
        reason: 'the update failed and so did its rollback (UpdateRollbackFailed); the endpoint needs attention',
      },
    ],
    [
      'out of service',
      endpoint({ EndpointStatus: 'OutOfService' }),
      onC2,
      { kind: 'failure', reason: 'the endpoint is OutOfService' },
    ],
    [
      'out of service, allowed',
      endpoint({ EndpointStatus: 'OutOfService' }),
      { ...onC2, allowOutOfService: true },
      { kind: 'waiting' },
    ],
    [
      'being deleted',
      endpoint({ EndpointStatus: 'Deleting' }),
      onC2,
      { kind: 'failure', reason: 'the endpoint is being deleted' },
    ],
    [
      'a status SageMaker may add later',
      endpoint({ EndpointStatus: 'Hibernating' as never }),
      onC2,
      { kind: 'failure', reason: "the endpoint has an unexpected status 'Hibernating'" },
    ],
  ];
  it.each(cases)('%s', (_, described, options, verdict) => expect(judge(described, options)).toEqual(verdict));
});

describe('endpointStatusLine', () => {
  it.each([
    ['no variants yet', endpoint({ EndpointStatus: 'Creating' }), 'Creating on abalone-c2'],
    [
      'a variant scaling up',
      endpoint({
        EndpointStatus: 'Updating',
        ProductionVariants: [
          {
            VariantName: 'AllTraffic',
            CurrentInstanceCount: 1,
            DesiredInstanceCount: 2,
            VariantStatus: [{ Status: 'Updating', StartTime: new Date(0) }],
          },
        ],
      }),
      'Updating on abalone-c2 (AllTraffic: 1/2 instances Updating)',
    ],
    [
      'two variants, one without counts',
      endpoint({
        EndpointStatus: 'InService',
        ProductionVariants: [
          { VariantName: 'Blue', CurrentInstanceCount: 2 },
          {
            VariantName: 'Green',
            VariantStatus: [
              { Status: 'Creating', StartTime: new Date(0) },
              { Status: 'Baking', StartTime: new Date(0) },
            ],
          },
        ],
      }),
      'InService on abalone-c2 (Blue: 2/? instances; Green: Creating/Baking)',
    ],
  ])('%s', (_, described, line) => expect(endpointStatusLine(described)).toBe(line));
});

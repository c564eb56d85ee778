/** What a step's metadata says: its kind of work, its job, the packages it registered. */
import type { PipelineExecutionStep } from '@aws-sdk/client-sagemaker';
import { describe, expect, it } from 'vitest';
import { modelPackageArns, stepJob, stepType } from '../../src/start-execution/step-metadata.ts';

const JOB = 'arn:aws:sagemaker:eu-west-1:111111111111';
const step = (Metadata: PipelineExecutionStep['Metadata']): PipelineExecutionStep => ({ StepName: 's', Metadata });

describe('stepJob', () => {
  it.each([
    [
      'a training step',
      { TrainingJob: { Arn: `${JOB}:training-job/pipelines-abc123-train-x1` } },
      { kind: 'Training', nameFromArn: 'pipelines-abc123-train-x1' },
    ],
    [
      'a processing step',
      { ProcessingJob: { Arn: `${JOB}:processing-job/pipelines-abc123-prep` } },
      { kind: 'Processing', nameFromArn: 'pipelines-abc123-prep' },
    ],
    [
      'a transform step',
      { TransformJob: { Arn: `${JOB}:transform-job/batch-1` } },
      { kind: 'Transform', nameFromArn: 'batch-1' },
    ],
    ['a step that has not started its job yet', { TrainingJob: {} }, undefined],
    ['a condition', { Condition: { Outcome: 'True' } }, undefined],
    ['no metadata', undefined, undefined],
  ] as [string, PipelineExecutionStep['Metadata'], unknown][])('%s', (_, metadata, job) => {
    expect(stepJob(step(metadata))).toEqual(job);
  });
});

describe('stepType', () => {
  it.each([
    [{ TrainingJob: {} }, 'Training'],
    [{ TuningJob: {} }, 'Tuning'],
    [{ RegisterModel: {} }, 'RegisterModel'],
    [{ AutoMLJob: {} }, 'AutoML'],
    [{ Fail: { ErrorMessage: 'x' } }, 'Fail'],
    [{}, ''],
    [undefined, ''],
  ] as [PipelineExecutionStep['Metadata'], string][])('%j is a %s step', (metadata, type) => {
    expect(stepType(step(metadata))).toBe(type);
  });
});

describe('modelPackageArns', () => {
  it('lists what RegisterModel steps registered, in step order, and nothing else', () => {
    const registered = (n: number) => `${JOB}:model-package/abalone/${n}`;
    expect(
      modelPackageArns([
        step({ TrainingJob: { Arn: `${JOB}:training-job/t` } }),
        step({ RegisterModel: { Arn: registered(3) } }),
        step({ RegisterModel: {} }),
        step({ RegisterModel: { Arn: registered(4) } }),
      ]),
    ).toEqual([registered(3), registered(4)]);
    expect(modelPackageArns([])).toEqual([]);
  });
});

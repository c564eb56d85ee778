/** Parameter values against the types the pipeline declares, checked before anything starts. */
import { DescribePipelineCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { checkParameters } from '../../src/start-execution/start.ts';

const DEFINITION = JSON.stringify({
  Version: '2020-12-01',
  Parameters: [
    { Name: 'Epochs', Type: 'Integer' },
    { Name: 'LearningRate', Type: 'Float' },
    { Name: 'Shuffle', Type: 'Boolean' },
    { Name: 'InputData', Type: 'String' },
  ],
  Steps: [],
});

const sagemaker = mockClient(SageMakerClient);
afterEach(() => sagemaker.reset());

function check(parameters: Record<string, string>): Promise<string> {
  sagemaker.on(DescribePipelineCommand).resolves({
    PipelineArn: 'arn:aws:sagemaker:eu-west-1:111111111111:pipeline/abalone',
    PipelineName: 'abalone',
    PipelineDefinition: DEFINITION,
  });
  return checkParameters(new SageMakerClient({ region: 'eu-west-1' }), 'abalone', parameters);
}

describe('start-execution parameters', () => {
  it.each([
    [{ Epochs: '10', LearningRate: '0.05', Shuffle: 'true', InputData: 's3://b/k' }],
    [{ Epochs: '-1', LearningRate: '1e-3', Shuffle: 'FALSE' }],
    [{ LearningRate: '.5', InputData: '' }],
    [{ LearningRate: '-2.' }],
  ])('accepts %o', async (parameters) => {
    await expect(check(parameters)).resolves.toBe('abalone');
  });

  it.each([
    [{ Epochs: '2.5' }, "'Epochs' is a Integer parameter; '2.5' is not"],
    [{ LearningRate: 'fast' }, "'LearningRate' is a Float parameter; 'fast' is not"],
    [{ Shuffle: 'yes' }, "'Shuffle' is a Boolean parameter; 'yes' is not"],
    [{ LearningRate: '' }, "'LearningRate' is a Float parameter; '' is not"],
    [{ LearningRate: 'Infinity' }, "'LearningRate' is a Float parameter; 'Infinity' is not"],
    [{ LearningRate: '0x10' }, "'LearningRate' is a Float parameter; '0x10' is not"],
    [
      { Batch: '32' },
      "'Batch' is not a parameter of pipeline abalone (it has: Epochs, LearningRate, Shuffle, InputData)",
    ],
  ])('refuses %o', async (parameters, message) => {
    await expect(check(parameters)).rejects.toThrow(`input 'parameters': ${message}`);
  });

  it('checks a pinned version, and names a version the pipeline never had', async () => {
    sagemaker.on(DescribePipelineCommand, { PipelineVersionId: 3 }).resolves({
      PipelineName: 'abalone',
      PipelineDefinition: JSON.stringify({ Version: '2020-12-01', Parameters: [{ Name: 'Old', Type: 'String' }] }),
    });
    const missing = Object.assign(new Error("Pipeline version 99 of pipeline 'abalone' does not exist."), {
      name: 'ResourceNotFound',
      $metadata: { httpStatusCode: 400 },
    });
    sagemaker.on(DescribePipelineCommand, { PipelineVersionId: 99 }).rejects(missing);
    const client = new SageMakerClient({ region: 'eu-west-1' });
    await expect(checkParameters(client, 'abalone', { Old: 'x' }, 3)).resolves.toBe('abalone');
    await expect(checkParameters(client, 'abalone', { Epochs: '1' }, 3)).rejects.toThrow(
      "'Epochs' is not a parameter of pipeline abalone (it has: Old)",
    );
    await expect(checkParameters(client, 'abalone', {}, 99)).rejects.toThrow(
      "input 'pipeline-version-id': pipeline abalone has no version 99",
    );
  });
});

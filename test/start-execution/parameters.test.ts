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
  ])('accepts %o', async (parameters) => {
    await expect(check(parameters)).resolves.toBe('abalone');
  });

  it.each([
    [{ Epochs: '2.5' }, "'Epochs' is a Integer parameter; '2.5' is not"],
    [{ LearningRate: 'fast' }, "'LearningRate' is a Float parameter; 'fast' is not"],
    [{ Shuffle: 'yes' }, "'Shuffle' is a Boolean parameter; 'yes' is not"],
    [
      { Batch: '32' },
      "'Batch' is not a parameter of pipeline abalone (it has: Epochs, LearningRate, Shuffle, InputData)",
    ],
  ])('refuses %o', async (parameters, message) => {
    await expect(check(parameters)).rejects.toThrow(`input 'parameters': ${message}`);
  });
});

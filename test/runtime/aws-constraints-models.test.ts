/** The AWS constraints the actions check come from the service models the emulator reads. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedModule, OUTPUT } from '../../scripts/generate-constraints.ts';
import { serviceModel } from '../../emulator/models/service-model.ts';
import { AWS_CONSTRAINTS } from '../../src/runtime/aws-constraints.generated.ts';

describe('AWS constraints for the actions', () => {
  it('the committed module is what the models give (npm run lint checks the same)', async () => {
    expect(readFileSync(OUTPUT, 'utf8')).toBe(await generatedModule());
  });

  it('carries the model’s own numbers', () => {
    const shapes = serviceModel('sagemaker')!.shapes;
    expect(AWS_CONSTRAINTS.pipelineName).toMatchObject({ min: 1, max: 256, pattern: shapes.PipelineName!.pattern });
    expect(AWS_CONSTRAINTS.instanceType.enum).toEqual(shapes.ProductionVariantInstanceType!.enum);
    expect(AWS_CONSTRAINTS.ecrRepositoryName).toMatchObject({ min: 2, max: 256 });
  });
});

/** SageMaker resource names (endpoints, endpoint configs, models): 1-63 letters, digits and hyphens. */
import { InputError } from './errors.ts';

export const SAGEMAKER_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

export function readName(input: string, value: string): string {
  if (!SAGEMAKER_NAME_PATTERN.test(value)) {
    throw new InputError(
      input,
      `'${value}' must be 1-63 letters, digits and hyphens, starting and ending with a letter or digit`,
    );
  }
  return value;
}

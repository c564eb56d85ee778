import { awsInputs, type AwsInputs } from '../runtime/aws-inputs.ts';
import { checkAwsValue } from '../runtime/aws-constraints.ts';
import { booleanInput, integerInput, optionalInput, requiredInput } from '../runtime/inputs.ts';

export interface Inputs extends AwsInputs {
  endpointName: string;
  expectedConfig?: string;
  timeoutMinutes: number;
  waitForCreation: boolean;
  allowOutOfService: boolean;
  logLines: number;
}

export function readInputs(): Inputs {
  const endpointName = checkAwsValue('endpoint-name', 'endpointName', requiredInput('endpoint-name'));
  const expected = optionalInput('expected-config');
  return {
    ...awsInputs(),
    endpointName,
    ...(expected ? { expectedConfig: checkAwsValue('expected-config', 'endpointConfigName', expected) } : {}),
    timeoutMinutes: integerInput('timeout-minutes', { min: 1, max: 1440, default: 60 }),
    waitForCreation: booleanInput('wait-for-creation', false),
    allowOutOfService: booleanInput('allow-out-of-service', false),
    logLines: integerInput('log-lines', { min: 0, max: 200, default: 25 }),
  };
}

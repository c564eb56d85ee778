import * as core from '@actions/core';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { createClient } from '../runtime/aws-client.ts';
import { ActionError, describeError } from '../runtime/errors.ts';
import { SummaryBuilder } from '../runtime/summary.ts';
import { excerpt, judge } from './check.ts';
import { checkServing, describeEndpoint, rollBack } from './endpoint.ts';
import { readInputs, type Inputs } from './inputs.ts';
import { invoke, INVOKE_ATTEMPTS } from './invoke.ts';

export const ACTION_NAME = 'smoke-test-endpoint';

function describeExpectations(inputs: Inputs): string {
  const { expectations } = inputs;
  return [
    `status ${expectations.httpStatus}`,
    expectations.jsonPath
      ? `${expectations.jsonPath} ${expectations.jsonValue !== undefined ? `= ${expectations.jsonValue}` : 'present'}`
      : '',
    expectations.match ? `body matches /${expectations.match.source}/` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/** What to do after a failed test: roll back when asked and possible; returns the config rolled back to. */
async function afterFailure(client: SageMakerClient, inputs: Inputs, tested: string): Promise<string | undefined> {
  if (inputs.onFailure !== 'rollback') return undefined;
  if (!inputs.rollbackConfig) {
    core.warning('on-failure is rollback but rollback-config is empty (a first deployment): nothing to roll back to');
    return undefined;
  }
  if (inputs.rollbackConfig === tested) {
    core.warning(`rollback-config ${inputs.rollbackConfig} is the config under test: nothing to roll back to`);
    return undefined;
  }
  await rollBack(client, inputs.endpointName, inputs.rollbackConfig, inputs.rollbackTimeoutMinutes);
  return inputs.rollbackConfig;
}

export async function run(): Promise<void> {
  const inputs = readInputs();
  const client = createClient(SageMakerClient, inputs);
  const runtime = createClient(SageMakerRuntimeClient, { ...inputs, maxAttempts: INVOKE_ATTEMPTS });
  try {
    const endpoint = await describeEndpoint(client, inputs.endpointName);
    checkServing(endpoint, inputs.expectedConfig);
    const tested = endpoint.EndpointConfigName ?? '';
    core.info(
      `Invoking ${inputs.endpointName} (${tested}) with ${inputs.body.length} bytes of ${inputs.contentType} from ${inputs.bodySource}; expecting ${describeExpectations(inputs)}`,
    );
    const answer = await invoke(runtime, inputs);
    const verdict = judge(answer, inputs.expectations);
    const shown = excerpt(answer.body);
    core.info(
      `Answer: status ${answer.httpStatus}${answer.variant ? ` from ${answer.variant}` : ''} in ${answer.elapsedMs} ms: ${shown}`,
    );
    core.setOutput('http-status', String(answer.httpStatus));
    core.setOutput('response', excerpt(answer.body, 1000));
    core.setOutput('passed', String(verdict.passed));

    let rolledBackTo: string | undefined;
    let rollbackError: unknown;
    if (!verdict.passed) {
      try {
        rolledBackTo = await afterFailure(client, inputs, tested);
      } catch (error) {
        rollbackError = error;
      }
    }
    core.setOutput('rolled-back', String(rolledBackTo !== undefined));

    await new SummaryBuilder()
      .heading(`Smoke test of ${inputs.endpointName}: ${verdict.passed ? 'passed' : 'failed'}`)
      .keyValues([
        ['Endpoint config', { code: tested }],
        ['Request', `${inputs.body.length} bytes of ${inputs.contentType} (${inputs.bodySource})`],
        ['Expected', describeExpectations(inputs)],
        ['HTTP status', String(answer.httpStatus)],
        ['Answered in', `${answer.elapsedMs} ms${answer.variant ? ` by variant ${answer.variant}` : ''}`],
        ['Problems', verdict.problems.join('; ') || undefined],
        ['Rolled back to', rolledBackTo ? { code: rolledBackTo } : undefined],
        ['Rollback failed', rollbackError ? describeError(rollbackError) : undefined],
      ])
      .paragraph('Response:')
      .codeBlock(excerpt(answer.body, 2000))
      .write();

    if (verdict.passed) {
      core.info(`Smoke test passed: ${describeExpectations(inputs)}`);
      return;
    }
    const rollback = rolledBackTo
      ? `; rolled back to ${rolledBackTo}`
      : rollbackError
        ? `; the rollback failed: ${describeError(rollbackError)}`
        : '';
    throw new ActionError(
      `smoke test failed: ${verdict.problems.join('; ')}${rollback}; response: ${excerpt(answer.body, 300)}`,
    );
  } finally {
    client.destroy();
    runtime.destroy();
  }
}

/** Inputs of smoke-test-endpoint, all checked before any AWS call. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { awsInputs, type AwsInputs } from '../runtime/aws-inputs.ts';
import { InputError } from '../runtime/errors.ts';
import { choiceInput, integerInput, optionalInput, requiredInput } from '../runtime/inputs.ts';
import { checkAwsValue } from '../runtime/aws-constraints.ts';
import { parseJsonPath, type Expectations } from './check.ts';

/** InvokeEndpoint takes a body of at most 6 MB. */
const MAX_BODY_BYTES = 6 * 1024 * 1024;

export interface Inputs extends AwsInputs {
  endpointName: string;
  /** The config the endpoint must be InService on before it is tested (deploy-endpoint's output). */
  expectedConfig?: string;
  body: Buffer;
  /** Where the body came from, for the log. */
  bodySource: string;
  contentType: string;
  accept?: string;
  targetVariant?: string;
  expectations: Expectations;
  requestTimeoutSeconds: number;
  onFailure: 'fail' | 'rollback';
  rollbackConfig?: string;
  rollbackTimeoutMinutes: number;
}

function readBody(): { body: Buffer; bodySource: string } {
  const inline = optionalInput('request-body');
  const file = optionalInput('request-file');
  if (inline !== undefined && file !== undefined)
    throw new InputError('request-body', "cannot be given with input 'request-file': give the request one way");
  if (inline === undefined && file === undefined)
    throw new InputError('request-body', "is required (or give input 'request-file')");
  let body: Buffer;
  let bodySource: string;
  if (file !== undefined) {
    const workspace = process.env['GITHUB_WORKSPACE'] ?? process.cwd();
    const path = isAbsolute(file) ? file : resolve(workspace, file);
    if (!existsSync(path) || !statSync(path).isFile())
      throw new InputError('request-file', `file '${file}' does not exist (paths are relative to the workspace)`);
    body = readFileSync(path);
    bodySource = file;
  } else {
    body = Buffer.from(inline!, 'utf8');
    bodySource = 'request-body';
  }
  if (body.length > MAX_BODY_BYTES)
    throw new InputError(file !== undefined ? 'request-file' : 'request-body', "is over InvokeEndpoint's 6 MB");
  return { body, bodySource };
}

function readExpectations(): Expectations {
  const httpStatus = integerInput('expect-http-status', { min: 100, max: 599, default: 200 });
  const jsonPath = optionalInput('expect-json-path');
  if (jsonPath !== undefined && parseJsonPath(jsonPath) === undefined) {
    throw new InputError(
      'expect-json-path',
      `'${jsonPath}' is not a path we read ($.name.other[0], names and [index] steps)`,
    );
  }
  const jsonValue = optionalInput('expect-json-value');
  if (jsonValue !== undefined && jsonPath === undefined)
    throw new InputError('expect-json-value', "needs input 'expect-json-path' (the value is compared at that path)");
  const pattern = optionalInput('expect-match');
  let match: RegExp | undefined;
  if (pattern !== undefined) {
    try {
      match = new RegExp(pattern);
    } catch (error) {
      throw new InputError('expect-match', `'${pattern}' is not a regular expression: ${(error as Error).message}`);
    }
  }
  return {
    httpStatus,
    ...(jsonPath !== undefined ? { jsonPath } : {}),
    ...(jsonValue !== undefined ? { jsonValue } : {}),
    ...(match ? { match } : {}),
  };
}

export function readInputs(): Inputs {
  const endpointName = checkAwsValue('endpoint-name', 'endpointName', requiredInput('endpoint-name'));
  const expected = optionalInput('expected-config');
  const rollback = optionalInput('rollback-config');
  const onFailure = choiceInput('on-failure', ['fail', 'rollback'] as const, 'fail');
  if (rollback !== undefined && onFailure !== 'rollback')
    throw new InputError('rollback-config', 'is only used with on-failure: rollback');
  const contentType = optionalInput('content-type') ?? 'application/json';
  if (contentType.length > 1024 || /[\r\n]/.test(contentType))
    throw new InputError('content-type', 'must be one line of at most 1024 characters');
  const accept = optionalInput('accept');
  const targetVariant = optionalInput('target-variant');
  return {
    ...awsInputs(),
    endpointName,
    ...(expected ? { expectedConfig: checkAwsValue('expected-config', 'endpointConfigName', expected) } : {}),
    ...readBody(),
    contentType,
    ...(accept ? { accept } : {}),
    ...(targetVariant ? { targetVariant: checkAwsValue('target-variant', 'variantName', targetVariant) } : {}),
    expectations: readExpectations(),
    requestTimeoutSeconds: integerInput('request-timeout-seconds', { min: 1, max: 3600, default: 60 }),
    onFailure,
    ...(rollback ? { rollbackConfig: checkAwsValue('rollback-config', 'endpointConfigName', rollback) } : {}),
    rollbackTimeoutMinutes: integerInput('rollback-timeout-minutes', { min: 1, max: 1440, default: 60 }),
  };
}

/** Inputs of cleanup, all checked before any AWS call. */
import { awsInputs, type AwsInputs } from '../runtime/aws-inputs.ts';
import { InputError } from '../runtime/errors.ts';
import { githubContext } from '../runtime/github-context.ts';
import { choiceInput, integerInput, listInput, optionalInput } from '../runtime/inputs.ts';
import { checkAwsValue } from '../runtime/aws-constraints.ts';

export interface Inputs extends AwsInputs {
  mode: 'apply' | 'plan';
  githubRepository: string;
  pullRequest?: string;
  keepLast?: number;
  endpointNames?: string[];
  stopTimeoutMinutes: number;
}

const REPOSITORY = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/;

export function readInputs(): Inputs {
  const pullRequest = optionalInput('pull-request');
  if (pullRequest !== undefined && !/^[1-9]\d{0,9}$/.test(pullRequest))
    throw new InputError('pull-request', `'${pullRequest}' is not a pull request number`);
  const keepLast = integerInput('keep-last', { min: 0, max: 1000 });
  if (pullRequest === undefined && keepLast === undefined)
    throw new InputError('pull-request', "or input 'keep-last' is required: say what to clean up");
  const endpointNames = listInput('endpoint-names').map((name) =>
    checkAwsValue('endpoint-names', 'endpointName', name),
  );
  if (endpointNames.length > 0 && keepLast === undefined)
    throw new InputError('endpoint-names', "limits pruning: it needs input 'keep-last'");
  const githubRepository = optionalInput('github-repository') ?? githubContext().repository;
  if (!REPOSITORY.test(githubRepository))
    throw new InputError(
      'github-repository',
      `'${githubRepository}' is not <owner>/<repository> (and GITHUB_REPOSITORY is unset)`,
    );
  return {
    ...awsInputs(),
    mode: choiceInput('mode', ['apply', 'plan'] as const, 'apply'),
    githubRepository,
    ...(pullRequest ? { pullRequest } : {}),
    ...(keepLast !== undefined ? { keepLast } : {}),
    ...(endpointNames.length ? { endpointNames } : {}),
    stopTimeoutMinutes: integerInput('stop-timeout-minutes', { min: 1, max: 120, default: 10 }),
  };
}

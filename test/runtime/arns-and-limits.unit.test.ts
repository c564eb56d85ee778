/** ARNs read apart, AWS's limits on lists, throttling told apart, errors kept to one line. */
import { describe, expect, it } from 'vitest';
import { parseArn, parseRoleArn } from '../../src/runtime/arn.ts';
import { awsCountProblem, checkAwsCount, type AwsValue } from '../../src/runtime/aws-constraints.ts';
import { fileProblemsError, InputError, oneLine } from '../../src/runtime/errors.ts';
import { isThrottlingError } from '../../src/runtime/retry.ts';

describe('parseArn', () => {
  it.each([
    [
      'arn:aws:sagemaker:eu-west-1:111111111111:pipeline/abalone',
      {
        partition: 'aws',
        service: 'sagemaker',
        region: 'eu-west-1',
        account: '111111111111',
        resource: 'pipeline/abalone',
      },
    ],
    [
      'arn:aws-cn:iam::222222222222:role/path/deployer',
      { partition: 'aws-cn', service: 'iam', region: '', account: '222222222222', resource: 'role/path/deployer' },
    ],
    [
      'arn:aws:iam::aws:policy/AdministratorAccess',
      { partition: 'aws', service: 'iam', region: '', account: 'aws', resource: 'policy/AdministratorAccess' },
    ],
    [
      'arn:aws:s3:::bucket/key:with:colons',
      { partition: 'aws', service: 's3', region: '', account: '', resource: 'bucket/key:with:colons' },
    ],
    ['arn:azure:iam::111111111111:role/x', undefined],
    ['arn:aws:iam::12345:role/x', undefined],
    ['role/x', undefined],
  ])('%s', (value, arn) => expect(parseArn(value)).toEqual(arn));
});

describe('parseRoleArn', () => {
  it.each([
    'arn:aws:iam::111111111111:role/github-runner',
    'arn:aws:iam::111111111111:role/ci/hub/deployer',
    'arn:aws-us-gov:iam::111111111111:role/name+=,.@-_',
  ])('accepts %s', (value) => expect(parseRoleArn('role-to-assume', value).service).toBe('iam'));

  it.each([
    'arn:aws:iam::111111111111:user/alice',
    'arn:aws:sts::111111111111:assumed-role/ci/session',
    'arn:aws:iam::aws:role/x',
    `arn:aws:iam::111111111111:role/${'r'.repeat(65)}`,
    'arn:aws:iam::111111111111:role/bad name',
    'github-runner',
  ])('refuses %s, naming the input', (value) => {
    expect(() => parseRoleArn('role-to-assume', value)).toThrow(
      `input 'role-to-assume': '${value}' is not an IAM role ARN (expected arn:aws:iam::<12-digit account>:role/<name>)`,
    );
  });
});

describe('AWS limits on lists', () => {
  it.each([
    ['sagemakerTags', 50, undefined],
    ['sagemakerTags', 51, 'has 51 entries; SageMaker AddTags Tags takes at most 50'],
    ['parameters', 200, undefined],
    ['parameters', 201, 'has 201 entries; SageMaker StartPipelineExecution PipelineParameters takes at most 200'],
    [
      'rollbackAlarms',
      0,
      'has 0 entries; SageMaker CreateEndpoint DeploymentConfig.AutoRollbackConfiguration.Alarms takes at least 1',
    ],
    [
      'rollbackAlarms',
      11,
      'has 11 entries; SageMaker CreateEndpoint DeploymentConfig.AutoRollbackConfiguration.Alarms takes at most 10',
    ],
    ['containerEnvironment', 100, undefined],
  ] as [AwsValue, number, string | undefined][])('%s with %i entries', (kind, count, problem) => {
    expect(awsCountProblem(kind, count)).toBe(problem);
    if (problem) expect(() => checkAwsCount('the-input', kind, count)).toThrow(`input 'the-input': ${problem}`);
    else expect(() => checkAwsCount('the-input', kind, count)).not.toThrow();
  });
});

describe('isThrottlingError', () => {
  const named = (name: string) => Object.assign(new Error('x'), { name });
  it.each([
    [named('ThrottlingException'), true],
    [named('TooManyRequestsException'), true],
    [named('SlowDown'), true],
    [named('ValidationException'), false],
    [named('InternalServerError'), false],
    [{ name: 'ThrottlingException' }, false],
  ])('%s: %s', (error, throttled) => expect(isThrottlingError(error)).toBe(throttled));
});

describe('errors in one line', () => {
  it.each([
    ['a\nb', 'a b'],
    ['  first line  \r\n\r\n   second\n', 'first line second'],
    ['already one line', 'already one line'],
  ])('%j → %j', (text, line) => expect(oneLine(text)).toBe(line));

  it('fails on every problem of a file: the first in the line, the others annotated', () => {
    const error = fileProblemsError('definition-file', [
      { problem: 'has no Version', location: { file: 'pipeline.json', line: 1 } },
      { problem: "step 'A' has unknown type", location: { file: 'pipeline.json', line: 9, column: 5 } },
      { problem: "step 'B' has unknown type", location: { file: 'pipeline.json', line: 14 } },
    ]);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      "input 'definition-file': pipeline.json:1: has no Version (and 2 more problems, each annotated)",
    );
    expect(error.others.map((other) => other.location.line)).toEqual([9, 14]);
    expect(fileProblemsError('f', [{ problem: 'p', location: { file: 'x', line: 2, column: 3 } }]).message).toBe(
      "input 'f': x:2:3: p",
    );
    expect(() => fileProblemsError('f', [])).toThrow('needs at least one problem');
  });
});

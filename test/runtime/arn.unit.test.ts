import { describe, expect, it } from 'vitest';
import { checkArnForJob, partitionOf } from '../../src/runtime/arn.ts';

describe('partitionOf', () => {
  it.each([
    ['eu-west-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
  ])('%s is in %s', (region, partition) => expect(partitionOf(region)).toBe(partition));
});

describe('checkArnForJob', () => {
  const accepted: [string, string][] = [
    ['a role in the partition', 'arn:aws:iam::222222222222:role/sagemaker-execution'],
    ['a package in the region, another account', 'arn:aws:sagemaker:eu-west-1:333333333333:model-package/abalone/3'],
  ];
  it.each(accepted)('accepts %s', (_, value) => {
    expect(checkArnForJob('x', value, 'eu-west-1').resource).toBe(value.split(':').slice(5).join(':'));
  });

  const refused: [string, string, string][] = [
    [
      'another partition',
      'arn:aws-cn:iam::222222222222:role/r',
      "input 'role-arn': 'arn:aws-cn:iam::222222222222:role/r' is in partition aws-cn, but aws-region eu-west-1 is in aws",
    ],
    [
      'another region',
      'arn:aws:sagemaker:us-east-1:333333333333:model-package/abalone/3',
      'is in region us-east-1, but aws-region is eu-west-1: sagemaker resources are used from their own region',
    ],
    ['an IAM ARN with a region', 'arn:aws:iam:eu-west-1:222222222222:role/r', 'iam ARNs have no region'],
    ['an account id of 11 digits', 'arn:aws:iam::22222222222:role/r', 'is not an ARN'],
    ['not an ARN', 'sagemaker-execution', 'is not an ARN'],
  ];
  it.each(refused)('refuses %s', (_, value, message) => {
    expect(() => checkArnForJob('role-arn', value, 'eu-west-1')).toThrow(message);
  });
});

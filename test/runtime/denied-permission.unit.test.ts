import { describe, expect, it } from 'vitest';
import { deniedPermission } from '../../src/runtime/errors.ts';

const refusal = (message: string) => Object.assign(new Error(message), { name: 'AccessDeniedException' });
const ROLE = 'arn:aws:sts::222222222222:assumed-role/github-deploy/s';

describe('deniedPermission', () => {
  it.each([
    [
      `User: ${ROLE} is not authorized to perform: sagemaker:DescribeModelPackage on resource: arn:aws:sagemaker:eu-west-1:333333333333:model-package/abalone/1 because no identity-based policy allows the sagemaker:DescribeModelPackage action`,
      {
        action: 'sagemaker:DescribeModelPackage',
        resource: 'arn:aws:sagemaker:eu-west-1:333333333333:model-package/abalone/1',
        policy: 'identity',
      },
    ],
    [
      `User: ${ROLE} is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::b/k" because no resource-based policy allows the s3:PutObject action`,
      { action: 's3:PutObject', resource: 'arn:aws:s3:::b/k', policy: 'resource' },
    ],
    [
      `User: ${ROLE} is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::333333333333:role/reader`,
      { action: 'sts:AssumeRole', resource: 'arn:aws:iam::333333333333:role/reader', policy: undefined },
    ],
    [
      `User: ${ROLE} is not authorized to perform: iam:PassRole on resource: arn:aws:iam::222222222222:role/x with an explicit deny in an identity-based policy`,
      { action: 'iam:PassRole', resource: 'arn:aws:iam::222222222222:role/x', policy: 'identity' },
    ],
  ])('reads what was denied from %s', (message, expected) => {
    expect(deniedPermission(refusal(message))).toEqual(expected);
  });

  it('is undefined for anything else', () => {
    expect(deniedPermission(refusal('Not authorized to perform sts:AssumeRoleWithWebIdentity'))).toBeUndefined();
    expect(deniedPermission('nope')).toBeUndefined();
  });
});

/**
 * What a platform team sets up once, outside the workflows, in the demo world
 * (emulator/worlds/demo.yaml): the model package groups, and the central
 * registry's policy that lets prod register, read and deploy its packages.
 */
import {
  CreateModelPackageGroupCommand,
  PutModelPackageGroupPolicyCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';

export const REGION = 'eu-west-1';
export const ACCOUNTS = { dev: '111111111111', prod: '222222222222', registry: '333333333333' };

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

export async function platformSetup(endpoint: string): Promise<void> {
  // Each account's platform user holds just the permissions this setup uses (emulator/worlds/demo.yaml).
  const bootstrap: Credentials = {
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  };
  const registryCredentials: Credentials = {
    accessKeyId: 'AKIAI44QH8DHBEXAMPLE',
    secretAccessKey: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
  };

  const dev = new SageMakerClient({ region: REGION, endpoint, credentials: bootstrap });
  await dev.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'abalone-dev' }));
  dev.destroy();

  const registry = new SageMakerClient({ region: REGION, endpoint, credentials: registryCredentials });
  await registry.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'abalone' }));
  await registry.send(
    new PutModelPackageGroupPolicyCommand({
      ModelPackageGroupName: 'abalone',
      ResourcePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ProdRegistersReadsAndDeploys',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${ACCOUNTS.prod}:root` },
            Action: [
              'sagemaker:CreateModelPackage',
              'sagemaker:DescribeModelPackage',
              'sagemaker:ListModelPackages',
              'sagemaker:DescribeModelPackageGroup',
              'sagemaker:CreateModel',
            ],
            Resource: [
              `arn:aws:sagemaker:${REGION}:${ACCOUNTS.registry}:model-package-group/abalone`,
              `arn:aws:sagemaker:${REGION}:${ACCOUNTS.registry}:model-package/abalone/*`,
            ],
          },
        ],
      }),
    }),
  );
  registry.destroy();
}

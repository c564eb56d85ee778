/** Finding and reading model packages, also in a registry account other than the caller's. */
import {
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  type DescribeModelPackageCommandOutput,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { ActionError, awsErrorCode, describeError } from './errors.ts';
import { retryTransient } from './retry.ts';

export type ModelPackage = DescribeModelPackageCommandOutput;

/** Explains the usual reason a registry in another account refuses: its group's resource policy. */
function explainAccess(error: unknown, what: string): never {
  const code = awsErrorCode(error) ?? '';
  if (/AccessDenied/i.test(code)) {
    throw new ActionError(
      `${describeError(error)} — reading ${what} was refused; for a registry in another account, the model package group's resource policy must allow this account (sagemaker:DescribeModelPackage, sagemaker:ListModelPackages, sagemaker:UpdateModelPackage)`,
      { cause: error },
    );
  }
  throw error;
}

export async function describePackage(client: SageMakerClient, arn: string): Promise<ModelPackage> {
  try {
    return await retryTransient(() => client.send(new DescribeModelPackageCommand({ ModelPackageName: arn })));
  } catch (error) {
    return explainAccess(error, arn);
  }
}

/**
 * The newest package of a group by creation time. ListModelPackages sorts
 * ascending by default, which would pick the oldest; the order is always given.
 */
export async function newestPackageArn(client: SageMakerClient, group: string): Promise<string> {
  let listed;
  try {
    listed = await retryTransient(() =>
      client.send(
        new ListModelPackagesCommand({
          ModelPackageGroupName: group,
          ModelPackageType: 'Versioned',
          SortBy: 'CreationTime',
          SortOrder: 'Descending',
          MaxResults: 1,
        }),
      ),
    );
  } catch (error) {
    return explainAccess(error, `model package group ${group}`);
  }
  const arn = listed.ModelPackageSummaryList?.[0]?.ModelPackageArn;
  if (!arn) throw new ActionError(`model package group ${group} has no packages yet`);
  return arn;
}

export function isApprovedAndReady(pkg: ModelPackage): boolean {
  return pkg.ModelApprovalStatus === 'Approved' && pkg.ModelPackageStatus === 'Completed';
}

export function inferenceImages(pkg: ModelPackage): string[] {
  return (pkg.InferenceSpecification?.Containers ?? []).map((container) => container.Image ?? '').filter(Boolean);
}

export function modelDataUrl(pkg: ModelPackage): string {
  return pkg.InferenceSpecification?.Containers?.find((container) => container.ModelDataUrl)?.ModelDataUrl ?? '';
}

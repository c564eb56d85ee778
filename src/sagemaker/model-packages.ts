/** Finding and reading model packages, also in a registry account other than the caller's. */
import {
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  type DescribeModelPackageCommandOutput,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { ActionError, awsErrorCode, deniedPermission, describeError } from '../runtime/errors.ts';

export type ModelPackage = DescribeModelPackageCommandOutput;

/**
 * Says which policy to change: AWS names the denied action and whether the caller's identity
 * policies or the group's resource policy (a registry in another account) refused it.
 */
function explainAccess(error: unknown, what: string): never {
  const code = awsErrorCode(error) ?? '';
  if (/AccessDenied/i.test(code)) {
    const denied = deniedPermission(error);
    const action = denied?.action ?? 'the sagemaker action';
    const hint =
      denied?.policy === 'identity'
        ? `the role's permission policy must allow ${action} on ${denied.resource}`
        : `for a registry in another account, the model package group's resource policy must allow this account ${action}`;
    throw new ActionError(`${describeError(error)} — reading ${what} was refused; ${hint}`, { cause: error });
  }
  throw error;
}

export async function describePackage(client: SageMakerClient, arn: string): Promise<ModelPackage> {
  try {
    return await client.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
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
    listed = await client.send(
      new ListModelPackagesCommand({
        ModelPackageGroupName: group,
        ModelPackageType: 'Versioned',
        SortBy: 'CreationTime',
        SortOrder: 'Descending',
        MaxResults: 1,
      }),
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

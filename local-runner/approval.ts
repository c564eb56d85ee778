/** Whether a deployment to an environment is approved, under the caller's policy. */
import type { ApprovalPolicy, ApprovalRequest } from './types.ts';

export async function isApproved(policy: ApprovalPolicy | undefined, request: ApprovalRequest): Promise<boolean> {
  if (policy === undefined) return false;
  if (policy === 'all') return true;
  if (typeof policy === 'function') return await policy(request);
  return [...policy].includes(request.environment);
}

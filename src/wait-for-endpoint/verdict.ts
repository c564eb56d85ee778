/**
 * Whether an endpoint reached what was asked of it. The case other tools get
 * wrong: a failed update rolls back to InService on the OLD config, with
 * FailureReason set — InService alone is not success; InService on the
 * expected config is.
 */
import type { DescribeEndpointCommandOutput } from '@aws-sdk/client-sagemaker';
import { ENDPOINT_CHANGING } from '../sagemaker/endpoint-status.ts';

export type Verdict = { kind: 'waiting' } | { kind: 'success' } | { kind: 'failure'; reason: string };

export interface VerdictOptions {
  expectedConfig?: string;
  allowOutOfService: boolean;
}

export function judge(endpoint: DescribeEndpointCommandOutput | undefined, options: VerdictOptions): Verdict {
  if (!endpoint) return { kind: 'waiting' };
  const status = endpoint.EndpointStatus ?? '';
  const live = endpoint.EndpointConfigName ?? '';
  const reason = endpoint.FailureReason ? `: ${endpoint.FailureReason}` : '';
  if (ENDPOINT_CHANGING.has(status)) return { kind: 'waiting' };
  switch (status) {
    case 'InService':
      if (!options.expectedConfig || live === options.expectedConfig) return { kind: 'success' };
      if (endpoint.FailureReason) {
        return {
          kind: 'failure',
          reason: `the update to ${options.expectedConfig} failed and was rolled back; the endpoint is InService on ${live}${reason}`,
        };
      }
      return {
        kind: 'failure',
        reason: `the endpoint is InService on ${live}, not on ${options.expectedConfig}, and no update is in progress`,
      };
    case 'Failed':
      return { kind: 'failure', reason: `the endpoint is Failed${reason}` };
    case 'UpdateRollbackFailed':
      return {
        kind: 'failure',
        reason: `the update failed and so did its rollback (UpdateRollbackFailed); the endpoint needs attention${reason}`,
      };
    case 'OutOfService':
      return options.allowOutOfService
        ? { kind: 'waiting' }
        : { kind: 'failure', reason: `the endpoint is OutOfService${reason}` };
    case 'Deleting':
      return { kind: 'failure', reason: 'the endpoint is being deleted' };
    default:
      return { kind: 'failure', reason: `the endpoint has an unexpected status '${status}'` };
  }
}

/** One line per change worth telling: endpoint status, and each variant's instances and status. */
export function endpointStatusLine(endpoint: DescribeEndpointCommandOutput): string {
  const variants = (endpoint.ProductionVariants ?? []).map((variant) => {
    const statuses = (variant.VariantStatus ?? [])
      .map((s) => s.Status)
      .filter(Boolean)
      .join('/');
    const instances =
      variant.CurrentInstanceCount !== undefined
        ? ` ${variant.CurrentInstanceCount}/${variant.DesiredInstanceCount ?? '?'} instances`
        : '';
    return `${variant.VariantName}:${instances}${statuses ? ` ${statuses}` : ''}`;
  });
  return `${endpoint.EndpointStatus} on ${endpoint.EndpointConfigName}${variants.length ? ` (${variants.join('; ')})` : ''}`;
}

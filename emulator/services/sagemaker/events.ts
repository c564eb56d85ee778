import type { EmulatorState } from '../../state.ts';
import type { Scope } from './common.ts';
import type { ModelPackage } from './model-registry.ts';
import type { Execution, ExecutionStatus } from './pipeline-store.ts';

/**
 * The events SageMaker puts on its account's default event bus (source aws.sagemaker), shaped
 * as AWS documents them in "Events that Amazon SageMaker AI sends to Amazon EventBridge". They
 * go through the emulator's service-event queue; SageMaker knows nothing of who listens.
 */

export const SAGEMAKER_SOURCE = 'aws.sagemaker';
export const EXECUTION_STATUS_CHANGE = 'SageMaker Model Building Pipeline Execution Status Change';
export const MODEL_PACKAGE_STATE_CHANGE = 'SageMaker Model Package State Change';

/** Event times are second-precision ISO 8601, as in AWS's examples ("2021-03-15T16:10:11Z"). */
export const eventTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function scopeOfArn(arn: string): Scope {
  const [, , , region = '', account = ''] = arn.split(':');
  return { account, region };
}

/** An execution went from `previous` (none when it starts) to its current status at `time`. */
export function executionStatusChanged(
  state: EmulatorState,
  execution: Execution,
  previous: ExecutionStatus | undefined,
  time: number,
): void {
  const scope = scopeOfArn(execution.pipelineArn);
  state.serviceEvents.emit({
    source: SAGEMAKER_SOURCE,
    detailType: EXECUTION_STATUS_CHANGE,
    account: scope.account,
    region: scope.region,
    time,
    resources: [execution.pipelineArn, execution.arn],
    detail: {
      pipelineExecutionDisplayName: execution.displayName,
      currentPipelineExecutionStatus: execution.status,
      ...(previous !== undefined ? { previousPipelineExecutionStatus: previous } : {}),
      executionStartTime: eventTime(execution.creationTime),
      ...(execution.endTime !== undefined ? { executionEndTime: eventTime(execution.endTime) } : {}),
      ...(execution.description !== undefined ? { pipelineExecutionDescription: execution.description } : {}),
      pipelineArn: execution.pipelineArn,
      pipelineExecutionArn: execution.arn,
    },
  });
}

/**
 * A package was created (no `updated`) or changed by UpdateModelPackage (`updated` names the
 * fields, as UpdatedModelPackageFields does: ModelApprovalStatus, ApprovalDescription, ...).
 */
export function modelPackageChanged(
  state: EmulatorState,
  pkg: ModelPackage,
  status: string,
  time: number,
  updated?: string[],
): void {
  const scope = scopeOfArn(pkg.arn);
  const fields = pkg.fields;
  const kept = (name: string) => (fields[name] !== undefined ? { [name]: fields[name] } : {});
  state.serviceEvents.emit({
    source: SAGEMAKER_SOURCE,
    detailType: MODEL_PACKAGE_STATE_CHANGE,
    account: scope.account,
    region: scope.region,
    time,
    resources: [pkg.arn],
    detail: {
      ModelPackageGroupName: pkg.group,
      ModelPackageVersion: pkg.version,
      ModelPackageArn: pkg.arn,
      ...(pkg.description !== undefined ? { ModelPackageDescription: pkg.description } : {}),
      CreationTime: eventTime(pkg.creationTime),
      ...kept('InferenceSpecification'),
      ModelPackageStatus: status,
      ModelPackageStatusDetails: { ValidationStatuses: [], ImageScanStatuses: [] },
      CertifyForMarketplace: false,
      ModelApprovalStatus: pkg.approvalStatus,
      ...(pkg.approvalDescription !== undefined ? { ApprovalDescription: pkg.approvalDescription } : {}),
      ...kept('MetadataProperties'),
      ...kept('ModelMetrics'),
      ...(Object.keys(pkg.customerMetadata).length > 0 ? { CustomerMetadataProperties: pkg.customerMetadata } : {}),
      ...(updated ? { UpdatedModelPackageFields: updated } : {}),
      LastModifiedTime: eventTime(pkg.lastModifiedTime ?? pkg.creationTime),
    },
  });
}

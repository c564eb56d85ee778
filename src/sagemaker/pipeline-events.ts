/**
 * What SageMaker tells EventBridge when a pipeline execution changes status, and the ARNs it names
 * pipelines by. Rules match on these fields; a rule written with another spelling (the API's
 * PipelineExecutionStatus member, a pipeline name in capitals) silently matches nothing.
 */
import { partitionOf } from '../runtime/arn.ts';

export const PIPELINE_EVENT_SOURCE = 'aws.sagemaker';
export const PIPELINE_STATUS_CHANGE = 'SageMaker Model Building Pipeline Execution Status Change';

/** The values of detail.currentPipelineExecutionStatus (SageMaker's PipelineExecutionStatus). */
export const PIPELINE_EXECUTION_STATUSES = ['Executing', 'Stopping', 'Stopped', 'Failed', 'Succeeded'] as const;
export type PipelineExecutionStatus = (typeof PIPELINE_EXECUTION_STATUSES)[number];

/** SageMaker ARNs lower-case the pipeline name, and the events carry the ARN as SageMaker writes it. */
export function pipelineArnOf(region: string, account: string, pipelineName: string): string {
  return `arn:${partitionOf(region)}:sagemaker:${region}:${account}:pipeline/${pipelineName.toLowerCase()}`;
}

/** Events of executions of `pipelineArn` that reach one of `statuses`. */
export function pipelineStatusPattern(
  pipelineArn: string,
  statuses: readonly PipelineExecutionStatus[],
): Record<string, unknown> {
  return {
    source: [PIPELINE_EVENT_SOURCE],
    'detail-type': [PIPELINE_STATUS_CHANGE],
    detail: { pipelineArn: [pipelineArn], currentPipelineExecutionStatus: [...statuses] },
  };
}

/** The event fields an InputTransformer can quote, by the placeholder name it is given. */
export const PIPELINE_EVENT_PATHS = {
  status: '$.detail.currentPipelineExecutionStatus',
  execution: '$.detail.pipelineExecutionArn',
  displayName: '$.detail.pipelineExecutionDisplayName',
  time: '$.time',
} as const;

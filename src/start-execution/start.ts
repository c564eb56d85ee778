/**
 * Starting an execution exactly once per attempt, and deciding what a re-run
 * does. A re-run (attempt 2, 3…) first looks for the execution an earlier
 * attempt of the same run and step started: while it is still running the
 * step attaches to it (a lost runner should not cost a second training run);
 * when it succeeded, its result is reused unless on-rerun is start-new; when
 * it failed or was stopped, a new execution starts.
 */
import * as core from '@actions/core';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import {
  DescribePipelineCommand,
  paginateListPipelineExecutions,
  StartPipelineExecutionCommand,
  type PipelineExecutionSummary,
} from '@aws-sdk/client-sagemaker';
import { InputError } from '../runtime/errors.ts';
import { isNotFound } from '../runtime/not-found.ts';
import { declaredParameters } from '../sagemaker/pipeline-definition.ts';
import { executionDescription, parseRunMarker, requestToken, stepKey, type StepIdentity } from './naming.ts';

export interface Started {
  executionArn: string;
  /** True when an earlier attempt's execution is used instead of a new one. */
  reused: boolean;
  displayName?: string;
}

/**
 * Checks the parameters against the ones the pipeline declares; throws before anything is
 * started. Returns the pipeline's name: every later call takes a name, while an ARN is only
 * allowed where the model's member is "name or ARN" (and some AWS-compatible services take
 * names only), so a pipeline given by ARN is addressed by name from here on.
 */
export async function checkParameters(
  client: SageMakerClient,
  pipeline: string,
  parameters: Record<string, string>,
  versionId?: number,
): Promise<string> {
  // The version that will run declares the parameters: a pinned one is described, not the newest.
  const described = await client
    .send(new DescribePipelineCommand({ PipelineName: pipeline, PipelineVersionId: versionId }))
    .catch((error: unknown) => {
      if (versionId !== undefined && isNotFound(error) && /version/i.test((error as Error).message))
        throw new InputError('pipeline-version-id', `pipeline ${pipeline} has no version ${versionId}`);
      throw error;
    });
  const declared = declaredParameters(described.PipelineDefinition ?? '');
  for (const [name, value] of Object.entries(parameters)) {
    const parameter = declared.get(name);
    if (!parameter) {
      const known = [...declared.keys()];
      throw new InputError(
        'parameters',
        `'${name}' is not a parameter of pipeline ${pipeline}${known.length ? ` (it has: ${known.join(', ')})` : ' (it declares none)'}`,
      );
    }
    if (!fitsParameterType(parameter.Type, value))
      throw new InputError('parameters', `'${name}' is a ${parameter.Type} parameter; '${value}' is not`);
  }
  return described.PipelineName ?? pipeline;
}

const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Whether a value is one SageMaker reads as a parameter of that type (an empty Float is not 0). */
export function fitsParameterType(type: string, value: string): boolean {
  if (type === 'Integer') return /^-?\d+$/.test(value);
  if (type === 'Float') return FLOAT.test(value);
  if (type === 'Boolean') return /^(true|false)$/i.test(value);
  return true;
}

/** The newest execution an earlier attempt of this run started for this step, if any. */
async function earlierAttempt(
  client: SageMakerClient,
  identity: StepIdentity,
): Promise<PipelineExecutionSummary | undefined> {
  const key = stepKey(identity);
  const pages = paginateListPipelineExecutions(
    { client, pageSize: 50 },
    { PipelineName: identity.pipeline, SortBy: 'CreationTime', SortOrder: 'Descending' },
  );
  // Executions of one run are recent: a few pages of the newest are enough.
  let read = 0;
  for await (const listed of pages) {
    for (const summary of listed.PipelineExecutionSummaries ?? []) {
      const marker = parseRunMarker(summary.PipelineExecutionDescription);
      if (marker && marker.key === key && marker.attempt < Number(identity.context.runAttempt)) return summary;
    }
    if (++read === 5) break;
  }
  return undefined;
}

export interface StartRequest {
  identity: StepIdentity;
  displayName: string;
  description?: string;
  pipelineVersionId?: number;
  parallelism?: number;
  onRerun: 'reuse' | 'start-new';
}

export async function startOnce(client: SageMakerClient, request: StartRequest): Promise<Started> {
  const { identity } = request;
  if (Number(identity.context.runAttempt) > 1) {
    const earlier = await earlierAttempt(client, identity);
    const status = earlier?.PipelineExecutionStatus;
    if (
      earlier?.PipelineExecutionArn &&
      (status === 'Executing' || (status === 'Succeeded' && request.onRerun === 'reuse'))
    ) {
      core.info(
        `Re-run: ${status === 'Executing' ? 'attaching to' : 'reusing'} ${earlier.PipelineExecutionArn}, started by an earlier attempt of this run (${status})`,
      );
      return {
        executionArn: earlier.PipelineExecutionArn,
        reused: true,
        displayName: earlier.PipelineExecutionDisplayName,
      };
    }
    if (earlier) core.info(`Re-run: the earlier attempt's execution ended ${status}; starting a new one.`);
  }
  const description = executionDescription(request.description, identity);
  const started = await client.send(
    new StartPipelineExecutionCommand({
      PipelineName: identity.pipeline,
      PipelineExecutionDisplayName: request.displayName,
      PipelineExecutionDescription: description,
      PipelineParameters: Object.entries(identity.parameters).map(([Name, Value]) => ({ Name, Value })),
      ClientRequestToken: requestToken(identity),
      ...(request.pipelineVersionId ? { PipelineVersionId: request.pipelineVersionId } : {}),
      ...(request.parallelism ? { ParallelismConfiguration: { MaxParallelExecutionSteps: request.parallelism } } : {}),
    }),
  );
  return { executionArn: started.PipelineExecutionArn ?? '', reused: false, displayName: request.displayName };
}

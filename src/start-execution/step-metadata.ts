/** What a pipeline step's metadata says about it: its kind of work, its job, what it registered. */
import type { PipelineExecutionStep } from '@aws-sdk/client-sagemaker';
import type { JobKind } from '../sagemaker/executions.ts';

export interface StepJob {
  kind: JobKind;
  /** As the job ARN spells it: SageMaker lower-cases names in ARNs. */
  nameFromArn: string;
}

export function stepJob(step: PipelineExecutionStep): StepJob | undefined {
  const metadata = step.Metadata;
  const candidates: [JobKind, string | undefined][] = [
    ['Training', metadata?.TrainingJob?.Arn],
    ['Processing', metadata?.ProcessingJob?.Arn],
    ['Transform', metadata?.TransformJob?.Arn],
  ];
  for (const [kind, arn] of candidates) if (arn) return { kind, nameFromArn: arn.split('/').pop() ?? '' };
  return undefined;
}

const METADATA_TYPES: Record<string, string> = {
  TrainingJob: 'Training',
  ProcessingJob: 'Processing',
  TransformJob: 'Transform',
  TuningJob: 'Tuning',
  Model: 'Model',
  RegisterModel: 'RegisterModel',
  Condition: 'Condition',
  Callback: 'Callback',
  Lambda: 'Lambda',
  EMR: 'EMR',
  QualityCheck: 'QualityCheck',
  ClarifyCheck: 'ClarifyCheck',
  Fail: 'Fail',
  AutoMLJob: 'AutoML',
};

/** SageMaker does not list a step's type; its metadata names the kind of work it did. */
export function stepType(step: PipelineExecutionStep): string {
  for (const key of Object.keys(step.Metadata ?? {})) if (METADATA_TYPES[key]) return METADATA_TYPES[key];
  return '';
}

/** Why a step failed: its FailureReason, or for a Fail step the message it was written with. */
export function stepFailureReason(step: PipelineExecutionStep): string | undefined {
  return step.FailureReason ?? step.Metadata?.Fail?.ErrorMessage;
}

export function modelPackageArns(steps: PipelineExecutionStep[]): string[] {
  return steps.map((step) => step.Metadata?.RegisterModel?.Arn).filter((arn): arn is string => Boolean(arn));
}

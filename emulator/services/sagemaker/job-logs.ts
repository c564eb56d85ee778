import type { LogStore } from '../log-store.ts';
import type { JobLog } from './pipeline-store.ts';

/**
 * The CloudWatch side of a pipeline's jobs: where they log, what they write by default, and
 * writing those events as simulated time reaches them.
 */

export type JobKind = 'Training' | 'Processing' | 'Transform';

const GROUPS: Record<JobKind, string> = {
  Training: '/aws/sagemaker/TrainingJobs',
  Processing: '/aws/sagemaker/ProcessingJobs',
  Transform: '/aws/sagemaker/TransformJobs',
};

/** SageMaker names a job's stream after the job and the host: "<job>/algo-1-<epoch seconds>". */
export function jobLogLocation(kind: JobKind, jobName: string, startTime: number): { group: string; stream: string } {
  return { group: GROUPS[kind], stream: `${jobName}/algo-1-${Math.floor(startTime / 1000)}` };
}

const BODY: Record<JobKind, string[]> = {
  Training: [
    'Invoking script with the following command: /opt/conda/bin/python3 train.py',
    '[0]#011train-rmse:0.41312#011validation-rmse:0.43018',
    '[1]#011train-rmse:0.35907#011validation-rmse:0.38122',
    '[2]#011train-rmse:0.32011#011validation-rmse:0.35480',
  ],
  Processing: [
    'Reading input data from /opt/ml/processing/input',
    'Splitting rows into train, validation and test sets',
    'Writing outputs to /opt/ml/processing/output',
  ],
  Transform: [
    'Starting the inference server with 2 workers.',
    'Model loaded from /opt/ml/model',
    'Processed batch 1 of 2',
    'Processed batch 2 of 2',
  ],
};

const SUCCESS: Record<JobKind, string> = {
  Training: 'Training complete. Model artifacts saved to /opt/ml/model. Reporting training SUCCESS',
  Processing: 'Processing complete.',
  Transform: 'Transform complete.',
};

/** A few plausible lines; a failed job ends with a traceback carrying its failure reason. */
export function defaultJobLines(kind: JobKind, failureReason: string | undefined): string[] {
  if (failureReason === undefined) return [...BODY[kind], SUCCESS[kind]];
  return [
    ...BODY[kind].slice(0, 2),
    'Traceback (most recent call last):',
    '  File "/opt/ml/code/entrypoint.py", line 42, in <module>',
    `ERROR: ${failureReason}`,
    kind === 'Training' ? 'Reporting training FAILURE' : `${kind} job failed.`,
  ];
}

/** Spreads the lines over the run: the first as the job starts, the last as it ends. */
export function scheduleLines(lines: string[], start: number, end: number): JobLog['lines'] {
  const span = Math.max(0, end - start);
  return lines.map((message, i) => ({
    timestamp: lines.length === 1 ? start : start + Math.round((span * i) / (lines.length - 1)),
    message,
  }));
}

/** Writes the events due by `upTo` that are not written yet. */
export function flushJobLog(logs: LogStore, log: JobLog, upTo: number): void {
  const due: JobLog['lines'] = [];
  while (log.written < log.lines.length && (log.lines[log.written] as JobLog['lines'][number]).timestamp <= upTo) {
    due.push(log.lines[log.written] as JobLog['lines'][number]);
    log.written++;
  }
  if (due.length === 0) return;
  const stream = logs.ensureStream(log.group, log.stream, due[0]?.timestamp ?? upTo);
  // Ingested a moment after they were written, as the CloudWatch agent ships them.
  logs.put(stream, due, (due.at(-1)?.timestamp ?? upTo) + 200);
}

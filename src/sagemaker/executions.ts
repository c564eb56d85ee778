/** Pipeline executions, their steps and the jobs the steps run, as SageMaker reports them. */

/** An execution (or a step) in one of these is over: its result is known, nothing more happens to it. */
export const EXECUTION_ENDED: ReadonlySet<string> = new Set(['Succeeded', 'Failed', 'Stopped']);

/** An execution in one of these still runs (stopping included): SageMaker deletes no pipeline while one does. */
export const EXECUTION_RUNNING: ReadonlySet<string> = new Set(['Executing', 'Stopping']);

/** A step in one of these has not ended yet. */
export const STEP_RUNNING: ReadonlySet<string> = new Set(['Starting', 'Executing', 'Stopping']);

/** The kinds of job a step runs that write logs and have a console page. */
export type JobKind = 'Training' | 'Processing' | 'Transform';

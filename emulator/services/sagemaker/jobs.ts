import { onlyOutputMembers } from '../../models/output-members.ts';
import type { Handler, OperationContext } from '../../registry.ts';
import { inputOf, notFound, scopeOf } from './common.ts';
import { resolve } from './expressions.ts';
import type { Execution, StepRun } from './pipeline-store.ts';
import { envOf, pipelinesOf } from './simulation.ts';
import { expressionScope, startingMs } from './step-kinds.ts';

/**
 * DescribeTrainingJob / DescribeProcessingJob / DescribeTransformJob for the jobs pipeline
 * steps start. They matter because an ARN lower-cases the job name while log streams keep
 * its case: the real name (for /aws/sagemaker/*Jobs streams) comes from these calls.
 */

type Kind = 'Training' | 'Processing' | 'Transform';

const JOB_STATUS: Record<StepRun['status'], string> = {
  Executing: 'InProgress',
  Stopping: 'Stopping',
  Stopped: 'Stopped',
  Failed: 'Failed',
  Succeeded: 'Completed',
};

function findJob(context: OperationContext, kind: Kind, name: string): { execution: Execution; run: StepRun } {
  const wanted = name.toLowerCase();
  for (const execution of pipelinesOf(context.state, scopeOf(context)).executions.values()) {
    for (const run of execution.runs.values()) {
      if (run.node.type === kind && run.job?.name.toLowerCase() === wanted) return { execution, run };
    }
  }
  const label = kind === 'Training' ? 'Training job' : kind === 'Processing' ? 'Processing job' : 'Transform job';
  throw notFound(`${label} ${name} does not exist.`);
}

function describeJob(kind: Kind): Handler {
  return (context) => {
    const input = inputOf(context);
    const name = input.string(`${kind}JobName`) ?? '';
    const { execution, run } = findJob(context, kind, name);
    const job = run.job as NonNullable<StepRun['job']>;
    const now = context.state.clock.now();
    const args = resolve(
      run.node.raw.Arguments ?? {},
      expressionScope(execution, envOf(context.state, scopeOf(context)), now),
    );
    const start = new Date(run.startTime);
    const end = run.endTime !== undefined ? new Date(run.endTime) : undefined;
    const common = {
      ...(args as Record<string, unknown>),
      [`${kind}JobName`]: job.name,
      [`${kind}JobArn`]: job.arn,
      [`${kind}JobStatus`]: JOB_STATUS[run.status],
      ...(run.status === 'Failed' && run.failureReason ? { FailureReason: run.failureReason } : {}),
      CreationTime: start,
      LastModifiedTime: end ?? start,
      ...(kind !== 'Training' ? { RoleArn: execution.roleArn } : {}),
    };
    const answer = (output: Record<string, unknown>) => onlyOutputMembers('sagemaker', `Describe${kind}Job`, output);
    if (kind === 'Training') {
      const scope = scopeOf(context);
      const starting = run.status === 'Executing' && now < run.startTime + startingMs(run);
      return answer({
        ...common,
        RoleArn: execution.roleArn,
        SecondaryStatus: starting ? 'Starting' : run.status === 'Executing' ? 'Training' : JOB_STATUS[run.status],
        TrainingStartTime: start,
        ...(end
          ? { TrainingEndTime: end, TrainingTimeInSeconds: Math.round((run.endTime! - run.startTime) / 1000) }
          : {}),
        ModelArtifacts: {
          S3ModelArtifacts: `s3://sagemaker-${scope.region}-${scope.account}/${job.name}/output/model.tar.gz`,
        },
      });
    }
    return answer({
      ...common,
      [`${kind}StartTime`]: start,
      ...(end ? { [`${kind}EndTime`]: end } : {}),
    });
  };
}

export const jobOperations: Record<string, Handler> = {
  DescribeTrainingJob: describeJob('Training'),
  DescribeProcessingJob: describeJob('Processing'),
  DescribeTransformJob: describeJob('Transform'),
};

/** Inputs of notify-failure, checked before any AWS call. */
import { checkArnForJob } from '../runtime/arn.ts';
import { awsInputs, type AwsInputs } from '../runtime/aws-inputs.ts';
import { InputError } from '../runtime/errors.ts';
import { optionalInput } from '../runtime/inputs.ts';
import { topicNameOfArn, topicNameProblem } from '../runtime/sns-topic.ts';

export interface Inputs extends AwsInputs {
  /** The topic by ARN, or by name in the account the job acts in. */
  topic: { arn: string } | { name: string };
  failedJob?: string;
  reason?: string;
}

function readTopic(region: string): Inputs['topic'] {
  const arn = optionalInput('topic-arn');
  const name = optionalInput('topic-name');
  if (arn !== undefined && name !== undefined)
    throw new InputError('topic-name', "and input 'topic-arn' name the same topic: give one");
  if (arn !== undefined) {
    const parsed = checkArnForJob('topic-arn', arn, region);
    if (parsed.service !== 'sns' || !topicNameOfArn(arn))
      throw new InputError('topic-arn', `'${arn}' is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)`);
    return { arn };
  }
  if (name === undefined) throw new InputError('topic-arn', "or input 'topic-name' is required: say where to notify");
  const problem = topicNameProblem(name);
  if (problem) throw new InputError('topic-name', problem);
  return { name };
}

export function readInputs(): Inputs {
  const aws = awsInputs();
  const failedJob = optionalInput('failed-job');
  const reason = optionalInput('reason');
  return {
    ...aws,
    topic: readTopic(aws.region),
    ...(failedJob ? { failedJob } : {}),
    ...(reason ? { reason } : {}),
  };
}

import type { EmulatorState } from '../state.ts';
import { s3StoreOf } from '../services/s3/store.ts';
import { findGroup } from '../services/sagemaker/model-registry.ts';
import { tagsAt } from '../services/sagemaker/tags.ts';
import { findTopic, topicPolicy } from '../services/sns/store.ts';
import type { PolicyDocument } from '../types.ts';
import type { ConditionContext } from './conditions.ts';

/** What the authorizer needs to know about the resource a request acts on. */
export interface ResourceFacts {
  /** The account that owns it: the ARN's, an S3 bucket's owner, or the caller's for "*". */
  account: string;
  /** Its resource-based policy (a role's trust policy, a model package group's or SNS topic's policy), if it has one. */
  policy: PolicyDocument | undefined;
  /**
   * The service evaluates this policy itself, with keys and wording of its own (STS and trust
   * policies): the authorizer then checks only the caller's side.
   */
  policyCheckedByService: boolean;
  /** aws:ResourceTag/<key> of an existing tagged resource. */
  tags: ConditionContext;
}

const ARN = /^arn:aws[a-z-]*:([a-z0-9-]+):([a-z0-9-]*):(\d{12})?:(.+)$/;

function groupPolicy(state: EmulatorState, region: string, account: string, path: string): PolicyDocument | undefined {
  const match = /^(model-package-group|model-package)\/([^/]+)/.exec(path);
  if (!match) return undefined;
  const group = findGroup(state, { scope: { account, region }, name: match[2] ?? '' });
  if (!group?.policy) return undefined;
  try {
    return JSON.parse(group.policy) as PolicyDocument;
  } catch {
    return undefined;
  }
}

export function resourceFacts(
  state: EmulatorState,
  callerAccount: string,
  action: string,
  resource: string,
): ResourceFacts {
  const none = { policy: undefined, policyCheckedByService: false, tags: {} };
  if (resource.startsWith('arn:aws:s3:::')) {
    const bucket = s3StoreOf(state).buckets.get(resource.slice('arn:aws:s3:::'.length).split('/')[0] ?? '');
    return { account: bucket?.owner ?? callerAccount, ...none };
  }
  const arn = ARN.exec(resource);
  if (!arn) return { account: callerAccount, ...none };
  const [, service, region = '', account = callerAccount, path = ''] = arn;
  // A role's trust policy is the resource policy of assuming it, not of passing it (iam:PassRole).
  if (service === 'iam' && path.startsWith('role/') && action.startsWith('sts:')) {
    const role = state.world.roles.get(resource);
    return { account, policy: role?.trustPolicy, policyCheckedByService: true, tags: {} };
  }
  if (service === 'sagemaker') {
    const tags: ConditionContext = {};
    for (const [key, value] of tagsAt(state, { account, region }, resource) ?? [])
      tags[`aws:ResourceTag/${key}`] = value;
    return { account, policy: groupPolicy(state, region, account, path), policyCheckedByService: false, tags };
  }
  // An SNS topic's policy governs who else may act on it (and EventBridge publishing to it).
  if (service === 'sns' && action.toLowerCase().startsWith('sns:')) {
    const topic = findTopic(state, resource);
    return { account, policy: topic ? topicPolicy(topic) : undefined, policyCheckedByService: false, tags: {} };
  }
  return { account, ...none };
}

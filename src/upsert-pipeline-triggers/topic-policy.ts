/**
 * The topic policy that lets EventBridge deliver to a topic. Without a statement allowing
 * events.amazonaws.com to sns:Publish, EventBridge drops every delivery without a word (the rule
 * shows only FailedInvocations in CloudWatch). The action keeps one statement of its own, scoped by
 * aws:SourceArn to the notification rules of the pipelines using the topic, and never changes the
 * policy's other statements.
 */
import { POLICY_SID } from './ownership.ts';

const EVENTS_PRINCIPAL = 'events.amazonaws.com';

interface Statement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement?: Statement | Statement[];
}

function parsePolicy(text: string | undefined): PolicyDocument {
  if (!text) return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed !== null && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

const statementsOf = (policy: PolicyDocument): Statement[] =>
  policy.Statement === undefined ? [] : [policy.Statement].flat();

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : [value].flat());

/** The rule ARNs our statement lets publish. */
export function policySources(text: string | undefined): string[] {
  const ours = statementsOf(parsePolicy(text)).find((statement) => statement.Sid === POLICY_SID);
  return list(ours?.Condition?.['ArnEquals']?.['aws:SourceArn']).sort();
}

function ourStatement(topicArn: string, sources: string[]): Statement {
  return {
    Sid: POLICY_SID,
    Effect: 'Allow',
    Principal: { Service: EVENTS_PRINCIPAL },
    Action: 'sns:Publish',
    Resource: topicArn,
    Condition: { ArnEquals: { 'aws:SourceArn': [...sources].sort() } },
  };
}

/** The policy with our statement for `sources` (left out when there are none), the others as they were. */
export function policyWithSources(text: string | undefined, topicArn: string, sources: string[]): string {
  const policy = parsePolicy(text);
  const others = statementsOf(policy).filter((statement) => statement.Sid !== POLICY_SID);
  const statements = sources.length > 0 ? [...others, ourStatement(topicArn, sources)] : others;
  return JSON.stringify({ ...policy, Version: policy.Version ?? '2012-10-17', Statement: statements });
}

const globMatches = (pattern: string, value: string): boolean =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(value);

/**
 * Whether some statement of a policy we do not manage lets EventBridge publish from `ruleArn`:
 * a plain reading (Allow, the events service or anyone, sns:Publish, a SourceArn condition naming
 * the rule or a pattern matching it), enough to warn about deliveries that would be dropped.
 */
export function letsRulePublish(text: string | undefined, ruleArn: string): boolean {
  return statementsOf(parsePolicy(text)).some((statement) => {
    if (statement.Effect !== 'Allow') return false;
    const principal = statement.Principal as { Service?: string | string[] } | string | undefined;
    const principalOk =
      principal === '*' ||
      (typeof principal === 'object' && list(principal.Service).includes(EVENTS_PRINCIPAL)) ||
      (typeof principal === 'object' && (principal as { AWS?: unknown }).AWS === '*');
    const actionOk = list(statement.Action).some((action) => ['sns:Publish', 'sns:*', '*'].includes(action));
    if (!principalOk || !actionOk) return false;
    const sources = Object.values(statement.Condition ?? {}).flatMap((test) => list(test['aws:SourceArn']));
    return sources.length === 0 || sources.some((source) => globMatches(source, ruleArn));
  });
}

/** The planner: desired triggers against what AWS holds → the steps, as a table of cases. */
import { describe, expect, it } from 'vitest';
import { desiredState, type DesiredState } from '../../src/upsert-pipeline-triggers/desired.ts';
import {
  ACTION_NAME,
  encodeHashes,
  PIPELINE_TAG,
  subscriptionHash,
} from '../../src/upsert-pipeline-triggers/ownership.ts';
import {
  isChange,
  planTriggers,
  type Current,
  type CurrentTopic,
  type Plan,
} from '../../src/upsert-pipeline-triggers/planner.ts';
import { policySources, policyWithSources } from '../../src/upsert-pipeline-triggers/topic-policy.ts';
import { readTriggersFile } from '../../src/upsert-pipeline-triggers/triggers-file.ts';

const REPOSITORY = 'example-org/ml-pipelines';
const PIPELINE = 'abalone-batch';
const ACCOUNT = '222222222222';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/pipeline-triggers`;
const OWNER = { pipeline: PIPELINE, repository: REPOSITORY };
const BASE_TAGS = { 'mlops-actions:created-by': ACTION_NAME, 'mlops-actions:repository': REPOSITORY };
const OPTIONS = { owner: OWNER, resourceTags: { ...BASE_TAGS, [PIPELINE_TAG]: PIPELINE }, topicTags: BASE_TAGS };
const TOPIC_ARN = (name: string) => `arn:aws:sns:eu-west-1:${ACCOUNT}:${name}`;

const FILE = `
schedules:
  - name: daily
    expression: cron(0 6 * * ? *)
    parameters: { InputDate: latest }
rules:
  - name: retrain
    when: { pipeline: abalone-inference, status: Failed }
notifications:
  topic: failures
  subscriptions:
    - { protocol: email, endpoint: team@example.com }
`;

function desired(text: string, pipeline = PIPELINE): DesiredState {
  const context = { region: 'eu-west-1', account: ACCOUNT, prefix: pipeline };
  return desiredState(readTriggersFile(text, 'triggers.yml', context), {
    ...context,
    pipeline,
    targetRoleArn: ROLE,
  });
}

const NOTHING: Current = { schedules: [], rules: [], topics: [] };

/** What AWS holds once `state` was applied: the mirror of apply. */
function applied(state: DesiredState): Current {
  const tags = OPTIONS.resourceTags;
  const topic: CurrentTopic[] = state.topic
    ? [
        {
          name: state.topic.name,
          arn: state.topic.arn,
          tags: {
            ...BASE_TAGS,
            ...(state.topic.subscriptions.length
              ? {
                  [`mlops-actions:subscriptions:${state.prefix}`]: encodeHashes(
                    state.topic.subscriptions.map((s) => subscriptionHash(s.protocol, s.endpoint)),
                  ),
                }
              : {}),
          },
          policy: policyWithSources(undefined, state.topic.arn, [state.notificationRuleArn]),
          subscriptions: state.topic.subscriptions.map((s, i) => ({ ...s, arn: `${state.topic!.arn}:sub-${i}` })),
        },
      ]
    : [];
  return {
    ...(state.schedules.length
      ? {
          group: {
            name: state.prefix,
            arn: `arn:aws:scheduler:::schedule-group/${state.prefix}`,
            state: 'ACTIVE',
            tags,
          },
        }
      : {}),
    schedules: state.schedules.map((s) => ({
      name: s.name,
      expression: s.expression,
      // Scheduler answers UTC, or nothing, for a schedule made without a time zone.
      ...(s.timezone === 'UTC' ? {} : { timezone: s.timezone }),
      ...(s.description ? { description: s.description } : {}),
      state: s.state,
      flexibleWindow: 'OFF',
      targetArn: s.target.arn,
      roleArn: s.target.roleArn,
      parameters: s.target.parameters,
    })),
    rules: state.rules.map((r) => ({
      name: r.name,
      arn: r.arn,
      // EventBridge keeps the text it was given; another key order is no change.
      pattern: JSON.stringify(Object.fromEntries(Object.entries(r.pattern).reverse())),
      state: r.state,
      ...(r.description ? { description: r.description } : {}),
      tags,
      targets: [{ ...r.target }],
    })),
    topics: topic,
  };
}

const lines = (plan: Plan): string[] => plan.steps.map((s) => `${s.change} ${s.kind} ${s.name}`);
const changes = (plan: Plan): string[] => plan.steps.filter(isChange).map((s) => `${s.change} ${s.kind} ${s.name}`);

describe('planning the triggers of a pipeline', () => {
  it('creates everything in dependency order when nothing exists', () => {
    const plan = planTriggers(desired(FILE), NOTHING, OPTIONS);
    expect(plan.conflicts).toEqual([]);
    expect(lines(plan)).toEqual([
      'create schedule-group abalone-batch',
      'create schedule daily',
      'create topic failures',
      'create subscription email:team@example.com',
      'create rule abalone-batch.retrain',
      'create rule abalone-batch.notifications',
    ]);
    const topic = plan.steps.find((s) => s.kind === 'topic')!.operation!;
    expect(topic.type === 'create-topic' && policySources(topic.policy)).toEqual([
      `arn:aws:events:eu-west-1:${ACCOUNT}:rule/abalone-batch.notifications`,
    ]);
  });

  it('changes nothing when prod matches the file', () => {
    const state = desired(FILE);
    const plan = planTriggers(state, applied(state), OPTIONS);
    expect(changes(plan)).toEqual([]);
    expect(lines(plan)).toEqual([
      'unchanged schedule daily',
      'unchanged topic failures',
      'unchanged subscription email:team@example.com',
      'unchanged rule abalone-batch.retrain',
      'unchanged rule abalone-batch.notifications',
    ]);
  });

  const cases: [string, string, (current: Current) => Current, string[], RegExp?][] = [
    [
      'a changed expression updates the schedule, saying how',
      FILE.replace('cron(0 6 * * ? *)', 'cron(30 5 * * ? *)'),
      (c) => c,
      ['update schedule daily'],
      /expression: cron\(0 6 \* \* \? \*\) → cron\(30 5 \* \* \? \*\)/,
    ],
    [
      'a changed parameter updates the schedule',
      FILE.replace('InputDate: latest', 'InputDate: yesterday'),
      (c) => c,
      ['update schedule daily'],
      /parameters: \{"InputDate":"latest"\} → \{"InputDate":"yesterday"\}/,
    ],
    [
      'a schedule gone from the file is deleted, the group stays',
      FILE.replace(/schedules:[\s\S]*?rules:/, 'rules:'),
      (c) => c,
      ['delete schedule daily'],
    ],
    [
      'a schedule someone edited in the console is put back',
      FILE,
      (c) => ({ ...c, schedules: c.schedules.map((s) => ({ ...s, state: 'DISABLED' })) }),
      ['update schedule daily'],
      /state: DISABLED → ENABLED/,
    ],
    [
      'a rule gone from the file is deleted with its target',
      FILE.replace(/rules:[\s\S]*?notifications:/, 'notifications:'),
      (c) => c,
      ['delete rule abalone-batch.retrain'],
    ],
    [
      'a watched status added updates only the rule, not its target',
      FILE.replace('status: Failed', 'status: [Failed, Stopped]'),
      (c) => c,
      ['update rule abalone-batch.retrain'],
      /event pattern:/,
    ],
    [
      'a rule someone disabled is enabled again',
      FILE,
      (c) => ({
        ...c,
        rules: c.rules.map((r) => (r.name.endsWith('.retrain') ? { ...r, state: 'DISABLED' } : r)),
      }),
      ['update rule abalone-batch.retrain'],
    ],
    [
      'a rule under the prefix that is not ours is never touched',
      FILE,
      (c) => ({
        ...c,
        rules: [...c.rules, { name: 'abalone-batch.by-hand', arn: 'arn:x', tags: {}, targets: [] }],
      }),
      [],
    ],
    [
      'a new subscription is added and recorded',
      FILE.replace(
        '    - { protocol: email, endpoint: team@example.com }',
        '    - { protocol: email, endpoint: team@example.com }\n    - { protocol: https, endpoint: https://hooks.example.com/x }',
      ),
      (c) => c,
      ['create subscription https:https://hooks.example.com/x', 'update topic failures'],
    ],
    [
      'a subscription gone from the file is removed and forgotten',
      FILE.replace('  subscriptions:\n    - { protocol: email, endpoint: team@example.com }\n', ''),
      (c) => c,
      ['delete subscription email:team@example.com', 'update topic failures'],
    ],
    [
      'a subscription someone made by hand is left alone',
      FILE,
      (c) => ({
        ...c,
        topics: c.topics.map((t) => ({
          ...t,
          subscriptions: [...t.subscriptions, { protocol: 'sms', endpoint: '+441234567', arn: `${t.arn}:by-hand` }],
        })),
      }),
      [],
    ],
    [
      'a topic made before this rule existed gets the rule in its policy',
      FILE,
      (c) => ({ ...c, topics: c.topics.map((t) => ({ ...t, policy: policyWithSources(undefined, t.arn, []) })) }),
      ['update topic failures'],
    ],
    [
      'without notifications, the rule goes and so does the topic nobody else uses',
      FILE.replace(/notifications:[\s\S]*$/, ''),
      (c) => c,
      ['delete rule abalone-batch.notifications', 'delete topic failures'],
    ],
    [
      'a renamed topic is created, the rule retargeted, the old one deleted',
      FILE.replace('topic: failures', 'topic: batch-failures'),
      (c) => c,
      [
        'create topic batch-failures',
        'create subscription email:team@example.com',
        'update rule abalone-batch.notifications',
        'delete topic failures',
      ],
    ],
    [
      'a topic another pipeline still uses is kept; only this pipeline leaves its policy',
      FILE.replace(/notifications:[\s\S]*$/, ''),
      (c) => ({
        ...c,
        topics: c.topics.map((t) => ({
          ...t,
          policy: policyWithSources(undefined, t.arn, [
            ...policySources(t.policy),
            `arn:aws:events:eu-west-1:${ACCOUNT}:rule/abalone-train.notifications`,
          ]),
        })),
      }),
      [
        'delete rule abalone-batch.notifications',
        'delete subscription email:team@example.com',
        'update topic failures',
        'update topic failures',
      ],
    ],
    [
      'a subscription another pipeline declares too stays',
      FILE.replace(/notifications:[\s\S]*$/, ''),
      (c) => ({
        ...c,
        topics: c.topics.map((t) => ({
          ...t,
          tags: {
            ...t.tags,
            'mlops-actions:subscriptions:abalone-train': subscriptionHash('email', 'team@example.com'),
          },
        })),
      }),
      ['delete rule abalone-batch.notifications', 'update topic failures', 'update topic failures'],
    ],
  ];

  it.each(cases)('%s', (_what, text, edit, expected, detail) => {
    const before = desired(FILE);
    const plan = planTriggers(desired(text), edit(applied(before)), OPTIONS);
    expect(plan.conflicts).toEqual([]);
    expect(changes(plan)).toEqual(expected);
    if (detail) expect(plan.steps.flatMap((s) => s.details).join('\n')).toMatch(detail);
  });

  it('keeps a subscription it cannot remove yet, and a rule others added targets to', () => {
    const state = desired(FILE);
    const current = applied(state);
    current.topics[0]!.subscriptions[0]!.arn = 'PendingConfirmation';
    current.rules[0]!.targets.push({ id: 'by-hand', arn: 'arn:aws:lambda:eu-west-1:222222222222:function:f' });
    const plan = planTriggers(desired('notifications: { topic: failures }'), current, OPTIONS);
    expect(lines(plan)).toEqual([
      'unchanged topic failures',
      'unchanged rule abalone-batch.notifications',
      'delete schedule daily',
      'keep rule abalone-batch.retrain',
      'keep subscription email:team@example.com',
      'update topic failures',
    ]);
  });

  it('refuses names held by what it did not make, and changes nothing', () => {
    const foreign = { name: 'abalone-batch.retrain', arn: 'arn:r', tags: { team: 'ops' }, targets: [] };
    const otherPipeline = { ...OPTIONS.resourceTags, [PIPELINE_TAG]: 'abalone-train' };
    const plan = planTriggers(
      desired(FILE),
      {
        group: { name: PIPELINE, arn: 'arn:g', state: 'ACTIVE', tags: otherPipeline },
        schedules: [],
        rules: [foreign],
        topics: [],
      },
      OPTIONS,
    );
    expect(plan.conflicts).toEqual([
      'schedule group abalone-batch exists and was not made by upsert-pipeline-triggers for pipeline abalone-batch; give name-prefix another value',
      'rule abalone-batch.retrain exists and was not made by upsert-pipeline-triggers for pipeline abalone-batch; rename it in the triggers file or remove that rule',
    ]);
    expect(changes(plan)).not.toContain('create rule abalone-batch.retrain');
  });

  it('does not count a repository other than its own as its own', () => {
    const state = desired(FILE);
    const plan = planTriggers(state, applied(state), { ...OPTIONS, owner: { ...OWNER, repository: 'someone/else' } });
    expect(plan.conflicts.map((c) => c.split(' ').slice(0, 2).join(' '))).toEqual([
      'schedule group',
      'topic failures',
      'rule abalone-batch.retrain',
      'rule abalone-batch.notifications',
    ]);
  });

  it('uses a topic it did not make as it is: no subscriptions of its own, a warning when EventBridge may not publish', () => {
    const withoutSubscriptions = FILE.replace(/ {2}subscriptions:[\s\S]*$/, '');
    const foreign: CurrentTopic = {
      name: 'failures',
      arn: TOPIC_ARN('failures'),
      tags: {},
      policy: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
      subscriptions: [],
    };
    const plan = planTriggers(desired(withoutSubscriptions), { ...NOTHING, topics: [foreign] }, OPTIONS);
    expect(plan.conflicts).toEqual([]);
    expect(plan.warnings[0]).toMatch(/does not let EventBridge \(events\.amazonaws\.com\) publish/);
    expect(changes(plan).filter((line) => line.includes('topic'))).toEqual([]);

    const granted = {
      ...foreign,
      policy: JSON.stringify({
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: foreign.arn,
            Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:events:eu-west-1:${ACCOUNT}:rule/*` } },
          },
        ],
      }),
    };
    expect(planTriggers(desired(withoutSubscriptions), { ...NOTHING, topics: [granted] }, OPTIONS).warnings).toEqual(
      [],
    );
    expect(planTriggers(desired(FILE), { ...NOTHING, topics: [foreign] }, OPTIONS).conflicts[0]).toMatch(
      /topic failures was not made by upsert-pipeline-triggers; its subscriptions are its owner's/,
    );
  });

  it('keeps the other statements of a topic policy as they are', () => {
    const arn = TOPIC_ARN('failures');
    const owner = { Sid: 'owner', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sns:Subscribe', Resource: arn };
    const text = policyWithSources(JSON.stringify({ Version: '2012-10-17', Statement: owner }), arn, ['arn:r1']);
    expect(JSON.parse(text).Statement[0]).toEqual(owner);
    expect(policySources(text)).toEqual(['arn:r1']);
    expect(JSON.parse(policyWithSources(text, arn, [])).Statement).toEqual([owner]);
  });
});

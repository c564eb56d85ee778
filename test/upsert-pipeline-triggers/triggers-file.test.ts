/** The triggers file: what a good one becomes, and one line naming the file and line for each kind of mistake. */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/runtime/errors.ts';
import { desiredState, planSha256 } from '../../src/upsert-pipeline-triggers/desired.ts';
import { scheduleExpressionProblem, timezoneProblem } from '../../src/upsert-pipeline-triggers/schedule-expressions.ts';
import { readTriggersFile, type TriggersFile } from '../../src/upsert-pipeline-triggers/triggers-file.ts';

const CONTEXT = { region: 'eu-west-1', account: '222222222222', prefix: 'abalone-batch' };
const ROLE = 'arn:aws:iam::222222222222:role/pipeline-triggers';

const read = (text: string, prefix = CONTEXT.prefix): TriggersFile =>
  readTriggersFile(text, 'pipelines/abalone-batch.triggers.yml', { ...CONTEXT, prefix });

function problemOf(text: string): InputError {
  try {
    read(text);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

const EXAMPLE = `
schedules:
  - name: daily
    expression: cron(0 6 * * ? *)
    timezone: Europe/Paris
    parameters:
      InputDate: latest
      BatchSize: 500
    description: Daily batch inference
  - name: hourly-check
    expression: rate(1 hour)
    state: DISABLED
rules:
  - name: retrain-on-failure
    when:
      pipeline: Abalone-Batch
      status: [Failed, Stopped]
    parameters: { Reason: batch-failed }
  - name: custom
    event-pattern:
      source: [aws.sagemaker]
      detail-type: [SageMaker Model Package State Change]
notifications:
  topic: ml-pipeline-failures
  on: [Failed]
  subscriptions:
    - protocol: email
      endpoint: ml-team@example.com
`;

describe('a triggers file', () => {
  it('becomes schedules, rules and notifications with their defaults', () => {
    const file = read(EXAMPLE);
    expect(file.schedules).toEqual([
      {
        name: 'daily',
        expression: 'cron(0 6 * * ? *)',
        timezone: 'Europe/Paris',
        parameters: { InputDate: 'latest', BatchSize: '500' },
        state: 'ENABLED',
        description: 'Daily batch inference',
      },
      {
        name: 'hourly-check',
        expression: 'rate(1 hour)',
        timezone: 'UTC',
        parameters: {},
        state: 'DISABLED',
        description: '',
      },
    ]);
    expect(file.rules[0]).toEqual({
      name: 'retrain-on-failure',
      pattern: {
        source: ['aws.sagemaker'],
        'detail-type': ['SageMaker Model Building Pipeline Execution Status Change'],
        // SageMaker's events name the pipeline by its ARN, lower-cased.
        detail: {
          pipelineArn: ['arn:aws:sagemaker:eu-west-1:222222222222:pipeline/abalone-batch'],
          currentPipelineExecutionStatus: ['Failed', 'Stopped'],
        },
      },
      parameters: { Reason: 'batch-failed' },
      state: 'ENABLED',
      description: '',
    });
    expect(file.notifications).toEqual({
      topic: 'ml-pipeline-failures',
      on: ['Failed'],
      subscriptions: [{ protocol: 'email', endpoint: 'ml-team@example.com' }],
    });
  });

  it('an empty file declares nothing', () => {
    expect(read('')).toEqual({ schedules: [], rules: [] });
    expect(read('# nothing yet\n')).toEqual({ schedules: [], rules: [] });
  });

  it('the desired state names every resource, targets the pipeline and hashes alike however the file is written', () => {
    const context = { ...CONTEXT, pipeline: 'abalone-batch', targetRoleArn: ROLE };
    const desired = desiredState(read(EXAMPLE), context);
    expect(desired.schedules.map((s) => s.target)).toEqual([
      {
        arn: 'arn:aws:sagemaker:eu-west-1:222222222222:pipeline/abalone-batch',
        roleArn: ROLE,
        parameters: { InputDate: 'latest', BatchSize: '500' },
      },
      { arn: 'arn:aws:sagemaker:eu-west-1:222222222222:pipeline/abalone-batch', roleArn: ROLE, parameters: {} },
    ]);
    expect(desired.rules.map((r) => r.name)).toEqual([
      'abalone-batch.retrain-on-failure',
      'abalone-batch.custom',
      'abalone-batch.notifications',
    ]);
    const notification = desired.rules[2]!;
    expect(notification.target.arn).toBe('arn:aws:sns:eu-west-1:222222222222:ml-pipeline-failures');
    expect(notification.target.roleArn).toBeUndefined();
    expect(notification.target.inputTransformer!.template).toBe(
      'SageMaker pipeline abalone-batch: execution <displayName> <status> at <time>. Execution: <execution>',
    );
    expect(desired.notificationRuleArn).toBe('arn:aws:events:eu-west-1:222222222222:rule/abalone-batch.notifications');

    const reordered = EXAMPLE.replace(
      '      InputDate: latest\n      BatchSize: 500',
      '      BatchSize: 500\n      InputDate: latest',
    );
    expect(reordered).not.toBe(EXAMPLE);
    expect(planSha256(desiredState(read(reordered), context))).toBe(planSha256(desired));
    const changed = EXAMPLE.replace('cron(0 6 * * ? *)', 'cron(0 7 * * ? *)');
    expect(planSha256(desiredState(read(changed), context))).not.toBe(planSha256(desired));
    expect(planSha256(desiredState(read(EXAMPLE), { ...context, targetRoleArn: `${ROLE}-2` }))).not.toBe(
      planSha256(desired),
    );
  });

  it.each([
    [
      'unknown key',
      'schedules:\n  - name: a\n    expresion: rate(1 day)\n',
      3,
      /schedules\[0\]\.expresion is not a key of schedules\[0\]/,
    ],
    [
      'unknown top-level key',
      'schedule:\n  - name: a\n',
      1,
      /schedule is not a key of the file \(schedules, rules, notifications\)/,
    ],
    ['missing expression', 'schedules:\n  - name: a\n', 2, /schedules\[0\]\.expression is required/],
    ['bad cron', 'schedules:\n  - name: a\n    expression: cron(0 6 * * *)\n', 3, /has 5 fields; cron takes 6/],
    [
      'cron without ?',
      'schedules:\n  - name: a\n    expression: cron(0 6 * * MON *)\n',
      3,
      /needs '\?' in exactly one of day-of-month and day-of-week/,
    ],
    [
      'bad rate unit',
      'schedules:\n  - name: a\n    expression: rate(5 weeks)\n',
      3,
      /has unit 'weeks'; rate takes minutes, hours or days/,
    ],
    ['plural for 1', 'schedules:\n  - name: a\n    expression: rate(1 hours)\n', 3, /must say 'rate\(1 hour\)'/],
    [
      'no such date',
      'schedules:\n  - name: a\n    expression: at(2026-02-30T06:00:00)\n',
      3,
      /names a date or time that does not exist/,
    ],
    [
      'unknown timezone',
      'schedules:\n  - name: a\n    expression: rate(1 day)\n    timezone: Europe/Pariss\n',
      4,
      /'Europe\/Pariss' is not a time zone of the IANA database/,
    ],
    [
      'duplicate schedule',
      'schedules:\n  - name: a\n    expression: rate(1 day)\n  - name: a\n    expression: rate(2 days)\n',
      4,
      /schedules\[1\]\.name 'a' is declared twice/,
    ],
    [
      'parameters not a mapping',
      'schedules:\n  - name: a\n    expression: rate(1 day)\n    parameters: [x]\n',
      4,
      /parameters must be a mapping of pipeline parameter names to values/,
    ],
    [
      'parameter value a mapping',
      'schedules:\n  - name: a\n    expression: rate(1 day)\n    parameters:\n      X: { y: 1 }\n',
      5,
      /parameters\.X must be text, a number or a boolean/,
    ],
    [
      'schedule name over the limit',
      `schedules:\n  - name: ${'n'.repeat(65)}\n    expression: rate(1 day)\n`,
      2,
      /is 65 characters; Scheduler CreateSchedule Name takes 1-64/,
    ],
    [
      'bad state',
      'schedules:\n  - name: a\n    expression: rate(1 day)\n    state: enabled\n',
      4,
      /"enabled" is not ENABLED or DISABLED/,
    ],
    [
      'rule with both',
      'rules:\n  - name: r\n    when: { pipeline: p, status: Failed }\n    event-pattern: { source: [x] }\n',
      2,
      /needs either when: or event-pattern:, not both nor neither/,
    ],
    [
      'unknown status',
      'rules:\n  - name: r\n    when: { pipeline: p, status: [Failing] }\n',
      3,
      /'Failing' is not one of Executing, Stopping, Stopped, Failed, Succeeded/,
    ],
    [
      'pattern leaf not a list',
      'rules:\n  - name: r\n    event-pattern: { source: aws.sagemaker }\n',
      3,
      /'source' must be a mapping or a list of values/,
    ],
    [
      'rule name with a dot',
      'rules:\n  - name: a.b\n    event-pattern: { source: [x] }\n',
      2,
      /'a\.b' may hold only letters, digits/,
    ],
    [
      'reserved rule name',
      'rules:\n  - name: notifications\n    event-pattern: { source: [x] }\n',
      2,
      /is the name of the rule notifications: makes/,
    ],
    [
      'EventBridge parameter name',
      'rules:\n  - name: r\n    event-pattern: { source: [x] }\n    parameters: { input_date: x }\n',
      4,
      /name 'input_date' does not match EventBridge PutTargets/,
    ],
    ['topic name', 'notifications:\n  topic: ml failures\n', 2, /is not an SNS topic name/],
    [
      'subscription endpoint',
      'notifications:\n  topic: t\n  subscriptions:\n    - { protocol: email, endpoint: nobody }\n',
      4,
      /endpoint must be an email address for email/,
    ],
    [
      'subscription protocol',
      'notifications:\n  topic: t\n  subscriptions:\n    - { protocol: pager, endpoint: x }\n',
      4,
      /'pager' is not one of email, email-json/,
    ],
    ['key written twice', 'schedules: []\nschedules: []\n', 2, /is not valid YAML: Map keys must be unique/],
  ])('refuses %s, naming the file and line', (_what, text, line, says) => {
    const error = problemOf(text);
    expect(error.input).toBe('triggers-file');
    expect(error.location).toMatchObject({ file: 'pipelines/abalone-batch.triggers.yml', line });
    expect(error.message).toMatch(says);
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('reports every problem of the file at once', () => {
    const error = problemOf(
      'schedules:\n  - name: a\n    expression: rate(0 days)\n  - name: b\n    expression: cron(x)\n',
    );
    expect(error.message).toMatch(/\(and 1 more problem, each annotated\)$/);
    expect(error.others[0]?.location.line).toBe(5);
  });

  it('refuses a prefix that leaves the notification rule over EventBridge limit', () => {
    expect(() => read('notifications:\n  topic: t\n', 'p'.repeat(51))).toThrow(
      /need rule 'p{51}\.notifications', which is 65 characters; EventBridge PutRule Name takes 1-64/,
    );
  });
});

describe('schedule expressions', () => {
  it.each([
    'cron(0 6 * * ? *)',
    'cron(15 10 ? * 6L 2026-2030)',
    'cron(0/15 * * * ? *)',
    'cron(0 8 1,15 * ? *)',
    'cron(0 18 ? * MON-FRI *)',
    'cron(0 9 L * ? *)',
    'cron(0 9 ? JAN-MAR 2#1 *)',
    'rate(1 minute)',
    'rate(90 minutes)',
    'rate(7 days)',
    'at(2026-03-01T06:00:00)',
  ])('takes %s', (expression) => {
    expect(scheduleExpressionProblem(expression)).toBeUndefined();
  });

  it.each([
    ['0 6 * * ? *', /is not cron\(\.\.\.\), rate\(\.\.\.\) or at\(\.\.\.\)/],
    ['cron(60 6 * * ? *)', /minutes '60' is not a value of 0-59/],
    ['cron(0 24 * * ? *)', /hours '24' is not a value of 0-23/],
    ['cron(0 6 ? * ? *)', /needs '\?' in exactly one/],
    ['cron(0 6 * 13 ? *)', /month '13' is not a value of 1-12 or JAN-DEC/],
    ['cron(0 6 ? * 8 *)', /day-of-week '8'/],
    ['cron(? 6 * * ? *)', /minutes cannot be '\?'/],
    ['cron(0/0 6 * * ? *)', /step that is not a positive whole number/],
    ['rate(0 minutes)', /at least 1/],
    ['rate(5 minute)', /must say 'rate\(5 minutes\)'/],
    ['at(2026-03-01 06:00:00)', /is not at\(yyyy-mm-ddThh:mm:ss\)/],
  ])('refuses %s', (expression, says) => {
    expect(scheduleExpressionProblem(expression)).toMatch(says);
  });

  it('knows time zones by their IANA names only', () => {
    expect(timezoneProblem('America/New_York')).toBeUndefined();
    expect(timezoneProblem('UTC')).toBeUndefined();
    expect(timezoneProblem('Mars/Olympus')).toMatch(/is not a time zone/);
    expect(timezoneProblem('+01:00')).toMatch(/is an offset/);
  });
});

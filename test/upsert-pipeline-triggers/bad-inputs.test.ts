/**
 * Bad inputs through the bundles, as the runner runs them: one line naming the input, exit code 1,
 * and not a single request to AWS (an endpoint that counts what reaches it stands in for AWS).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedJob } from '../../local-runner/job.ts';

let requests = 0;
let server: Server;
let endpoint: string;
beforeAll(async () => {
  server = createServer((request, response) => {
    requests++;
    response.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const jobs: SimulatedJob[] = [];
afterEach(() => {
  for (const job of jobs.splice(0)) job.dispose();
});

function job(): SimulatedJob {
  const created = new SimulatedJob({
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE00',
      AWS_SECRET_ACCESS_KEY: 'example/secret/for/tests/only',
    },
  });
  jobs.push(created);
  return created;
}

const ROLE = 'arn:aws:iam::222222222222:role/pipeline-triggers';
const GOOD = 'schedules:\n  - name: daily\n    expression: cron(0 6 * * ? *)\n';

const triggers = (file: string, inputs: Record<string, string> = {}) => ({
  action: 'upsert-pipeline-triggers',
  file,
  inputs: { 'pipeline-name': 'abalone-batch', 'triggers-file': 'triggers.yml', 'target-role-arn': ROLE, ...inputs },
});

interface Case {
  what: string;
  action: string;
  file?: string;
  inputs: Record<string, string>;
  says: RegExp;
  /** Error annotations: one per problem of the file, the step's failure line first. */
  annotations?: number;
}

const CASES: Case[] = [
  {
    what: 'an unknown key in the file',
    ...triggers('schedules:\n  - name: daily\n    expresion: rate(1 day)\n'),
    // The misspelt key is one problem, the expression it leaves missing the other.
    says: /input 'triggers-file': triggers\.yml:3:5: schedules\[0\]\.expresion is not a key.*\(and 1 more problem, each annotated\)$/,
    annotations: 2,
  },
  {
    what: 'a cron expression with five fields',
    ...triggers('schedules:\n  - name: daily\n    expression: cron(0 6 * * *)\n'),
    says: /input 'triggers-file': triggers\.yml:3:17: .*has 5 fields; cron takes 6/,
  },
  {
    what: 'an unknown time zone',
    ...triggers(`${GOOD}    timezone: Europe/Pariss\n`),
    says: /input 'triggers-file': .*'Europe\/Pariss' is not a time zone/,
  },
  {
    what: 'a triggers file outside the workspace',
    ...triggers(GOOD, { 'triggers-file': '/etc/hostname' }),
    says: /input 'triggers-file': '\/etc\/hostname' is outside the workspace/,
  },
  {
    what: 'a target role of another partition',
    ...triggers(GOOD, { 'target-role-arn': 'arn:aws-cn:iam::222222222222:role/x' }),
    says: /input 'target-role-arn': /,
  },
  {
    what: 'a pipeline name too long to name the group by',
    ...triggers(GOOD, { 'pipeline-name': `p${'-q'.repeat(40)}` }),
    says: /input 'name-prefix': is empty, and the pipeline name \(81 characters\) is too long/,
  },
  {
    what: "Scheduler's own group as the prefix",
    ...triggers(GOOD, { 'name-prefix': 'default' }),
    says: /input 'name-prefix': 'default' is Scheduler's own schedule group/,
  },
  {
    what: 'an expected plan that is not a sha256',
    ...triggers(GOOD, { 'expected-plan-sha256': 'abc' }),
    says: /input 'expected-plan-sha256': 'abc' is not a sha256/,
  },
  {
    what: 'an expected plan with plan mode',
    ...triggers(GOOD, { mode: 'plan', 'expected-plan-sha256': 'a'.repeat(64) }),
    says: /input 'expected-plan-sha256': only applies with mode: apply/,
  },
  {
    what: 'an apply of something else than the plan showed',
    ...triggers(GOOD, { 'expected-plan-sha256': 'a'.repeat(64) }),
    says: /input 'expected-plan-sha256': the plan showed aaaaaaaaaaaa…, but what this step would apply is [0-9a-f]{12}…/,
  },
  {
    what: 'no topic',
    action: 'notify-failure',
    inputs: {},
    says: /input 'topic-arn': or input 'topic-name' is required/,
  },
  {
    what: 'a topic ARN of another region',
    action: 'notify-failure',
    inputs: { 'topic-arn': 'arn:aws:sns:us-east-1:222222222222:failures' },
    says: /input 'topic-arn': .* is in region us-east-1, but aws-region is eu-west-1/,
  },
];

describe('bad inputs of upsert-pipeline-triggers and notify-failure', () => {
  it.each(CASES)('$action: $what', async ({ action, file, inputs, says, annotations = 1 }) => {
    const target = job();
    if (file !== undefined) target.writeFile('triggers.yml', file);
    requests = 0;
    const step = await target.step(action, { inputs });
    expect(step.exitCode).toBe(1);
    expect(step.errors).toHaveLength(annotations);
    expect(step.errors[0]).toMatch(new RegExp(`^${action}: `));
    expect(step.errors[0]).toMatch(says);
    expect(requests).toBe(0);
  });
});

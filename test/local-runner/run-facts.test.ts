/**
 * One run's facts, three views of them: the `github` context, the GITHUB_* variables and the OIDC
 * claims. A step run alone (SimulatedJob, the bundle tests) and a step of a workflow run see the same.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { eventPayload, githubContext, githubEnv } from '../../local-runner/github-context.ts';
import { SimulatedJob } from '../../local-runner/job.ts';
import { defaultAudience, oidcClaims } from '../../local-runner/oidc-claims.ts';
import type { OidcTokenIssuer } from '../../local-runner/oidc-issuer.ts';
import { runFacts, type RunFacts } from '../../local-runner/run-facts.ts';
import { runWorkflow } from '../../local-runner/workflow-runner.ts';
import { githubContext as actionGitHubContext } from '../../src/runtime/github-context.ts';
import { useWorkflowFolder } from '../../testkit/workflow-folder.ts';

const REPO = 'example-org/ml-pipelines';
const JOB_PLACE = { workspace: '/home/runner/work', eventPath: '/home/runner/event.json' };

// [case, given facts, sub, GITHUB_REF, GITHUB_REF_NAME, GITHUB_REF_TYPE]
const SUBJECTS: [string, Partial<RunFacts>, string, string, string, 'branch' | 'tag'][] = [
  ['a push to main', {}, `repo:${REPO}:ref:refs/heads/main`, 'refs/heads/main', 'main', 'branch'],
  [
    'a push to a feature branch',
    { ref: 'refs/heads/feature/x' },
    `repo:${REPO}:ref:refs/heads/feature/x`,
    'refs/heads/feature/x',
    'feature/x',
    'branch',
  ],
  [
    'a pushed tag',
    { ref: 'refs/tags/v1.2.0' },
    `repo:${REPO}:ref:refs/tags/v1.2.0`,
    'refs/tags/v1.2.0',
    'v1.2.0',
    'tag',
  ],
  [
    'a pull request',
    { eventName: 'pull_request', pullRequestNumber: 7, headRef: 'feature/x' },
    `repo:${REPO}:pull_request`,
    'refs/pull/7/merge',
    '7/merge',
    'branch',
  ],
  [
    'a job with an environment',
    { environment: 'production' },
    `repo:${REPO}:environment:production`,
    'refs/heads/main',
    'main',
    'branch',
  ],
  [
    "a pull request's job with an environment",
    { eventName: 'pull_request', environment: 'dev' },
    `repo:${REPO}:environment:dev`,
    'refs/pull/1/merge',
    '1/merge',
    'branch',
  ],
  [
    'a dispatch in another repository',
    { repository: 'o/r', eventName: 'workflow_dispatch', ref: 'refs/heads/release' },
    'repo:o/r:ref:refs/heads/release',
    'refs/heads/release',
    'release',
    'branch',
  ],
];

describe('what a run shows, derived from its facts', () => {
  it.each(SUBJECTS)('%s: sub, ref and ref name', (_case, given, sub, ref, refName, refType) => {
    const facts = runFacts(given);
    const claims = oidcClaims(facts);
    const env = githubEnv(facts, JOB_PLACE);
    expect(claims['sub']).toBe(sub);
    expect([env['GITHUB_REF'], env['GITHUB_REF_NAME'], env['GITHUB_REF_TYPE']]).toEqual([ref, refName, refType]);
    expect([claims['ref'], claims['ref_type']]).toEqual([ref, refType]);
  });

  it.each(SUBJECTS)('%s: the github context, the variables and the claims agree', (_case, given) => {
    const facts = runFacts(given);
    const context = githubContext(facts, { workspace: JOB_PLACE.workspace, event: eventPayload(facts) });
    const env = githubEnv(facts, JOB_PLACE);
    const claims = oidcClaims(facts);
    const views: [string, string, string | undefined][] = [
      ['repository', 'GITHUB_REPOSITORY', 'repository'],
      ['repository_owner', 'GITHUB_REPOSITORY_OWNER', 'repository_owner'],
      ['repository_id', 'GITHUB_REPOSITORY_ID', 'repository_id'],
      ['ref', 'GITHUB_REF', 'ref'],
      ['ref_type', 'GITHUB_REF_TYPE', 'ref_type'],
      ['ref_name', 'GITHUB_REF_NAME', undefined],
      ['head_ref', 'GITHUB_HEAD_REF', undefined],
      ['base_ref', 'GITHUB_BASE_REF', undefined],
      ['sha', 'GITHUB_SHA', 'sha'],
      ['actor', 'GITHUB_ACTOR', 'actor'],
      ['actor_id', 'GITHUB_ACTOR_ID', 'actor_id'],
      ['event_name', 'GITHUB_EVENT_NAME', 'event_name'],
      ['workflow', 'GITHUB_WORKFLOW', 'workflow'],
      ['workflow_ref', 'GITHUB_WORKFLOW_REF', 'workflow_ref'],
      ['run_id', 'GITHUB_RUN_ID', 'run_id'],
      ['run_number', 'GITHUB_RUN_NUMBER', 'run_number'],
      ['run_attempt', 'GITHUB_RUN_ATTEMPT', 'run_attempt'],
      ['job', 'GITHUB_JOB', undefined],
    ];
    for (const [key, variable, claim] of views) {
      expect(String(context[key]), `github.${key} and ${variable}`).toBe(env[variable]);
      if (claim) expect(claims[claim], `claim ${claim} and ${variable}`).toBe(env[variable]);
    }
    if (facts.headRef) expect([claims['head_ref'], claims['base_ref']]).toEqual([facts.headRef, facts.baseRef]);
    else expect(claims).not.toHaveProperty('head_ref');
  });

  it('names the workflow file of the job in job_workflow_ref, the top workflow in workflow_ref', () => {
    const top = runFacts({ workflow: 'promote' });
    expect(oidcClaims(top)['job_workflow_ref']).toBe(`${REPO}/.github/workflows/promote.yml@refs/heads/main`);
    const called = runFacts({ jobWorkflowRef: `${REPO}/.github/workflows/deploy.yml@refs/heads/main` });
    expect(oidcClaims(called)['workflow_ref']).toBe(`${REPO}/.github/workflows/promote.yml@refs/heads/main`);
    expect(oidcClaims(called)['job_workflow_ref']).toBe(`${REPO}/.github/workflows/deploy.yml@refs/heads/main`);
  });

  it("takes the owner's URL as the default audience", () => {
    expect(defaultAudience(runFacts())).toBe('https://github.com/example-org');
    expect(oidcClaims(runFacts({ repository: 'o/r' }))['aud']).toBe('https://github.com/o');
  });

  it.each(SUBJECTS)('%s: the actions read back what the runner writes', (_case, given) => {
    const facts = runFacts({ ...given, job: 'deploy', runId: '4242', runAttempt: '3' });
    const written = githubEnv(facts, JOB_PLACE);
    const read = new Set<string>();
    const env = new Proxy(written, {
      get: (target, name) => {
        if (typeof name === 'string') read.add(name);
        return Reflect.get(target, name);
      },
    });
    expect(actionGitHubContext(env)).toEqual({
      repository: facts.repository,
      workflow: facts.workflow,
      ref: facts.ref,
      sha: facts.sha,
      actor: facts.actor,
      runId: '4242',
      runAttempt: '3',
      serverUrl: 'https://github.com',
      job: 'deploy',
    });
    expect([...read].filter((name) => !(name in written))).toEqual([]);
  });
});

/** An issuer that records the claims it is asked to serve. */
function recordingIssuer(): OidcTokenIssuer & { claims: Record<string, unknown>[] } {
  const claims: Record<string, unknown>[] = [];
  return {
    claims,
    issueOidcRequest: (given) => {
      claims.push(given);
      return Promise.resolve({ requestUrl: 'http://127.0.0.1:9/token?api-version=2.0', requestToken: 'request' });
    },
  };
}

const SHOW_GITHUB_VARIABLES = `env | grep -E '^GITHUB_' | grep -vE '^GITHUB_(ENV|OUTPUT|STATE|PATH|STEP_SUMMARY|EVENT_PATH|WORKSPACE|ACTION)=' | sort`;
const SHOW_EVENT = 'cat "$GITHUB_EVENT_PATH"';

describe('a step run alone and a step of a workflow run see one run', () => {
  const folder = useWorkflowFolder();
  const jobs: SimulatedJob[] = [];
  afterAll(() => {
    for (const job of jobs) job.dispose();
  });

  it('gives the same GITHUB_* variables, event payload and OIDC claims', async () => {
    const workflow = folder.write(
      'agree.yml',
      `
name: agree
on: pull_request
permissions:
  id-token: write
jobs:
  show:
    runs-on: ubuntu-latest
    environment: review
    steps:
      - run: ${SHOW_GITHUB_VARIABLES}
      - run: ${SHOW_EVENT}
`,
    );
    const inWorkflow = recordingIssuer();
    const result = await runWorkflow({
      workflow,
      event: 'pull_request',
      ref: 'refs/heads/feature/x',
      pullRequestNumber: 7,
      repository: 'o/r',
      runId: '42',
      endpoint: 'http://127.0.0.1:9',
      oidcIssuer: inWorkflow,
      approve: 'all',
    });
    expect(result.conclusion).toBe('success');
    const [variables, event] = result.jobs['show']!.steps;

    const alone = recordingIssuer();
    const job = new SimulatedJob({
      context: {
        repository: 'o/r',
        eventName: 'pull_request',
        pullRequestNumber: 7,
        headRef: 'feature/x',
        runId: '42',
        workflow: 'agree',
        workflowRef: 'o/r/.github/workflows/agree.yml@refs/pull/7/merge',
        job: 'show',
        environment: 'review',
      },
      oidcIssuer: alone,
    });
    jobs.push(job);
    const aloneVariables = await job.run(SHOW_GITHUB_VARIABLES);
    const aloneEvent = await job.run(SHOW_EVENT);

    expect(variables!.log.trim().split('\n')).toEqual(aloneVariables.stdout.trim().split('\n'));
    expect(variables!.log).toContain('GITHUB_REF=refs/pull/7/merge');
    expect(JSON.parse(event!.log)).toEqual(JSON.parse(aloneEvent.stdout));
    expect(inWorkflow.claims[0]).toEqual(alone.claims[0]);
    expect(alone.claims[0]).toMatchObject({ sub: 'repo:o/r:environment:review', head_ref: 'feature/x' });
  });
});

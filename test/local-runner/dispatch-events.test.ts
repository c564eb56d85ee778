/** Runs started by an event: repository_dispatch (types, action, client_payload) and workflow_dispatch inputs. */
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../local-runner/cli-args.ts';
import type { RunWorkflowOptions } from '../../local-runner/types.ts';
import { runWorkflow } from '../../local-runner/workflow-runner.ts';
import { useWorkflowFolder } from '../../testkit/workflow-folder.ts';

// No step here calls AWS, so the endpoint is never contacted.
const endpoint = 'http://127.0.0.1:9';
const folder = useWorkflowFolder();

const approved = folder.write(
  'deploy-approved.yml',
  `
on:
  repository_dispatch:
    types: [model-approved]
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ github.event_name }} \${{ github.event.action }} \${{ github.ref }} \${{ github.event.client_payload.package.arn }}"
      - run: echo '\${{ toJSON(github.event.client_payload) }}'
      - run: cat "$GITHUB_EVENT_PATH"
`,
);

const dispatch = (eventPayload: unknown, extra: Partial<RunWorkflowOptions> = {}) =>
  runWorkflow({
    workflow: approved,
    event: 'repository_dispatch',
    endpoint,
    eventPayload: eventPayload as Record<string, unknown>,
    ...extra,
  });

describe('local runner: dispatched events', () => {
  it('runs a repository_dispatch of a listed type with its action and client_payload in github.event', async () => {
    const payload = {
      package: { arn: 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/churn/3' },
      stage: 'prod',
    };
    const result = await dispatch({ action: 'model-approved', client_payload: payload });
    expect(result.errors).toEqual([]);
    const steps = result.jobs['deploy']!.steps;
    expect(steps[0]!.log).toBe(
      'repository_dispatch model-approved refs/heads/main arn:aws:sagemaker:eu-west-1:111111111111:model-package/churn/3',
    );
    expect(JSON.parse(steps[1]!.log)).toEqual(payload);
    const event = JSON.parse(steps[2]!.log) as Record<string, unknown>;
    expect(event).toMatchObject({ action: 'model-approved', branch: 'main', client_payload: payload });
    expect(event['repository']).toMatchObject({ full_name: 'example-org/ml-pipelines' });
  });

  it('refuses what GitHub would not run or not accept, each as one line', async () => {
    await expect(dispatch({ action: 'model-rejected' })).rejects.toThrow(
      /: a repository_dispatch of type 'model-rejected' does not match on.repository_dispatch.types \(model-approved\)$/,
    );
    await expect(dispatch({ client_payload: {} })).rejects.toThrow(
      /: a repository_dispatch needs eventPayload.action \(the dispatch's event_type\)$/,
    );
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, index) => [`key${index}`, index]));
    await expect(dispatch({ action: 'model-approved', client_payload: eleven })).rejects.toThrow(
      /client_payload has 11 top-level properties; GitHub accepts at most 10$/,
    );
    await expect(dispatch({ action: 'model-approved' }, { ref: 'refs/heads/feature/x' })).rejects.toThrow(
      /a repository_dispatch runs on the default branch \(refs\/heads\/main\), not refs\/heads\/feature\/x$/,
    );
  });

  it('runs a repository_dispatch of any type when on lists the event without types', async () => {
    const workflow = folder.write(
      'any-dispatch.yml',
      `
on: [push, repository_dispatch]
jobs:
  show:
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ github.event.action }} '\${{ toJSON(github.event.client_payload) }}'"
`,
    );
    const result = await runWorkflow({
      workflow,
      event: 'repository_dispatch',
      endpoint,
      eventPayload: { action: 'anything' },
    });
    expect(result.jobs['show']!.steps[0]!.log).toBe("anything '{}'");
  });

  it('types workflow_dispatch inputs by their declarations in inputs, and gives strings in github.event.inputs', async () => {
    const workflow = folder.write(
      'dispatch-inputs.yml',
      `
on:
  workflow_dispatch:
    inputs:
      environment:
        type: choice
        options: [staging, production]
        required: true
      dry-run:
        type: boolean
        default: true
      replicas:
        type: number
        default: 1
      note:
        type: string
jobs:
  show:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo "\${{ inputs.environment }} \${{ inputs.dry-run == false }} \${{ inputs.replicas == 3 }} '\${{ inputs.note }}'"
          echo "\${{ github.event.inputs.dry-run == 'false' }} \${{ github.event.inputs.replicas == '3' }}"
          echo '\${{ toJSON(inputs) }}' | tr -d ' \\n'; echo
`,
    );
    const result = await runWorkflow({
      workflow,
      event: 'workflow_dispatch',
      endpoint,
      // As the dispatch API receives them: strings; given inputs win over the payload's.
      eventPayload: { inputs: { environment: 'staging', 'dry-run': 'false', replicas: '3' } },
      inputs: { environment: 'production' },
    });
    expect(result.errors).toEqual([]);
    expect(result.jobs['show']!.steps[0]!.log.split('\n')).toEqual([
      "production true true ''",
      'true true',
      '{"environment":"production","dry-run":false,"replicas":3,"note":""}',
    ]);
    await expect(
      runWorkflow({ workflow, event: 'workflow_dispatch', endpoint, eventPayload: { inputs: { replicas: 'three' } } }),
    ).rejects.toThrow(/input 'replicas' is a number; 'three' is not/);
  });

  it('reads the event payload from --payload on the command line', () => {
    const { options } = parseCliArgs([
      'deploy.yml',
      '--event',
      'repository_dispatch',
      '--endpoint',
      endpoint,
      '--payload',
      '{"action":"model-approved","client_payload":{"stage":"prod"}}',
    ]);
    expect(options.eventPayload).toEqual({ action: 'model-approved', client_payload: { stage: 'prod' } });
    const bad = ['deploy.yml', '--event', 'repository_dispatch', '--endpoint', endpoint];
    expect(() => parseCliArgs([...bad, '--payload', '{action}'])).toThrow(/^--payload: not JSON/);
    expect(() => parseCliArgs([...bad, '--payload', '[1]'])).toThrow('--payload: expected a JSON object');
  });
});

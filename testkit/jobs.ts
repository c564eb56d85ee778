/**
 * Jobs of the local runner that tests run the bundles in, and the steps tests set up with: each
 * job's folder is removed when its test ends. `testJob` is a job as given; `devJob` acts in the dev
 * account with long-lived keys, as after a configure-credentials step; `keysJob` acts with the keys
 * it is handed; `upsertPipeline` runs upsert-pipeline on the sample pipeline.
 */
import { afterEach } from 'vitest';
import { EmulatorAdmin } from '../emulator/admin-client.ts';
import { SimulatedJob, type JobOptions, type StepResult } from '../local-runner/job.ts';
import { ABALONE, DEV_VALUES, EXECUTION_ROLE } from './sagemaker.ts';
import { keysEnv } from './credentials.ts';
import { REGION, type Keys } from './worlds/accounts.ts';
import { BOOTSTRAP_KEYS } from './worlds/actions.ts';

const running: SimulatedJob[] = [];

afterEach(() => {
  for (const job of running.splice(0)) job.dispose();
});

export type TestJobOptions = Omit<JobOptions, 'emulator'>;

/** The emulator's own issuer gives the job its OIDC token, as GitHub's would. */
export function testJob(endpoint: string, options: TestJobOptions = {}): SimulatedJob {
  const created = new SimulatedJob({ emulator: endpoint, oidcIssuer: new EmulatorAdmin(endpoint), ...options });
  running.push(created);
  return created;
}

/** A job without an OIDC token whose steps act with `keys` in the actions' region. */
export function keysJob(endpoint: string, keys: Keys, options: TestJobOptions = {}): SimulatedJob {
  return testJob(endpoint, {
    idToken: false,
    ...options,
    env: { ...keysEnv(keys, REGION), ...options.env },
  });
}

export function devJob(endpoint: string, options: TestJobOptions = {}): SimulatedJob {
  return keysJob(endpoint, BOOTSTRAP_KEYS, options);
}

/** upsert-pipeline in `target` with `definition` (the sample pipeline by default) and its dev values. */
export function upsertPipeline(
  target: SimulatedJob,
  definition = ABALONE,
  inputs: Record<string, string> = {},
): Promise<StepResult> {
  target.writeFile('pipelines/abalone.json', definition);
  target.writeFile('config/dev.json', DEV_VALUES);
  return target.step('upsert-pipeline', {
    inputs: {
      'pipeline-name': 'abalone',
      'definition-file': 'pipelines/abalone.json',
      'substitutions-file': 'config/dev.json',
      'execution-role-arn': EXECUTION_ROLE,
      ...inputs,
    },
  });
}

/**
 * assume-cross-account-role run as the runner runs it (node dist/…/index.js,
 * then post.js) against the emulator.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import type { SimulatedJob } from '../../local-runner/job.ts';
import { type JobOptions } from '../../local-runner/job.ts';
import { oidcClaims } from '../../local-runner/oidc-claims.ts';
import { runFacts } from '../../local-runner/run-facts.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { testJob } from '../../testkit/jobs.ts';
import { DEV, PROD, REGISTRY } from '../../testkit/worlds/accounts.ts';
import { accountsWorld, BOOTSTRAP_KEYS, ROLES } from '../../testkit/worlds/actions.ts';
import { REPO_ROOT } from '../../local-runner/action-metadata.ts';

const ACTION = 'assume-cross-account-role';
const emulator = useEmulator(accountsWorld);

function job(options: Omit<JobOptions, 'emulator'> = {}): SimulatedJob {
  return testJob(emulator.endpoint, options);
}
async function callerAccount(settings: {
  env?: Record<string, string>;
  profile?: string;
}): Promise<string | undefined> {
  const saved = { ...process.env };
  Object.assign(process.env, settings.env);
  try {
    const client = new STSClient({ region: 'us-east-1', endpoint: emulator.endpoint, profile: settings.profile });
    const identity = await client.send(new GetCallerIdentityCommand({}));
    client.destroy();
    return identity.Account;
  } finally {
    process.env = saved;
  }
}

function runProcess(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { env, encoding: 'utf8' }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** What the runner gives every step of a job with id-token: write; the refresher reads it at refresh time. */
async function oidcEnv(): Promise<Record<string, string>> {
  const request = await emulator.admin.issueOidcRequest(oidcClaims(runFacts()));
  return {
    AWS_ENDPOINT_URL: emulator.endpoint,
    ACTIONS_ID_TOKEN_REQUEST_URL: request.requestUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: request.requestToken,
  };
}

function envCredentials(env: Record<string, string>): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: env['AWS_ACCESS_KEY_ID']!,
    AWS_SECRET_ACCESS_KEY: env['AWS_SECRET_ACCESS_KEY']!,
    AWS_SESSION_TOKEN: env['AWS_SESSION_TOKEN']!,
  };
}

describe('assume-cross-account-role bundle', () => {
  it('exchanges the GitHub OIDC token for role credentials that act in the role account', async () => {
    const step = await job().step(ACTION, { inputs: { 'role-to-assume': ROLES.devRunner, 'aws-region': 'eu-west-1' } });
    expect(step.errors).toEqual([]);
    expect(step.exitCode).toBe(0);
    expect(step.outputs['aws-account-id']).toBe(DEV);
    expect(step.outputs['assumed-role-arn']).toBe(
      `arn:aws:sts::${DEV}:assumed-role/github-runner/gha-example-org.ml-pipelines-9876543210-1`,
    );
    expect(step.outputs['aws-secret-access-key']).toBeUndefined();
    expect(step.exportedEnv['AWS_REGION']).toBe('eu-west-1');
    expect(await callerAccount({ env: envCredentials(step.exportedEnv) })).toBe(DEV);

    const [call] = (await emulator.admin.calls()).filter((c) => c.operation === 'AssumeRoleWithWebIdentity');
    expect(call?.status).toBe(200);
    expect(step.summary).toContain('github-runner');
  });

  it('walks a two-hop chain and ends in the final account, tagging the AssumeRole hops', async () => {
    const step = await job().step(ACTION, {
      inputs: {
        'role-to-assume': ROLES.devRunner,
        'role-chain': `${ROLES.hub}\n${ROLES.prodDeployer} external-id=mlops-prod`,
        'aws-region': 'us-east-1',
        'allowed-account-ids': PROD,
      },
    });
    expect(step.errors).toEqual([]);
    expect(step.outputs['aws-account-id']).toBe(PROD);
    expect(await callerAccount({ env: envCredentials(step.exportedEnv) })).toBe(PROD);

    const assumeRoles = (await emulator.admin.calls()).filter((c) => c.operation === 'AssumeRole');
    expect(assumeRoles.map((c) => c.account)).toEqual([DEV, DEV]);
    expect(JSON.stringify(assumeRoles[1]?.input)).toContain('example-org/ml-pipelines');
    expect(JSON.stringify(assumeRoles[1]?.input)).toContain('mlops-prod');
    // The hop in between only leads on: the shortest session AWS gives; the last one lasts the hour asked.
    expect(assumeRoles.map((c) => String(c.input['DurationSeconds']))).toEqual(['900', '3600']);
  });

  it('starts from credentials already in the environment when the job has no OIDC token', async () => {
    const step = await job({
      idToken: false,
      env: { AWS_ACCESS_KEY_ID: BOOTSTRAP_KEYS.accessKeyId, AWS_SECRET_ACCESS_KEY: BOOTSTRAP_KEYS.secretAccessKey },
    }).step(ACTION, { inputs: { 'role-to-assume': ROLES.hub, 'aws-region': 'us-east-1' } });
    expect(step.errors).toEqual([]);
    expect(step.outputs['aws-account-id']).toBe(DEV);
    expect(step.outputs['assumed-role-arn']).toContain(':assumed-role/ci-hub/');
  });

  it('holds two accounts in one job as refreshing profiles that hold no keys, and the post steps remove them', async () => {
    const promote = job();
    const dev = await promote.step(ACTION, {
      inputs: { 'role-to-assume': ROLES.devRunner, 'aws-region': 'eu-west-1', 'aws-profile': 'dev' },
    });
    const registry = await promote.step(ACTION, {
      inputs: {
        'role-to-assume': ROLES.devRunner,
        'role-chain': `${ROLES.hub}\n${ROLES.registryReader}`,
        'aws-region': 'us-east-1',
        'aws-profile': 'registry',
      },
    });
    expect([dev.exitCode, registry.exitCode]).toEqual([0, 0]);
    expect(dev.exportedEnv['AWS_ACCESS_KEY_ID']).toBeUndefined();
    expect(registry.stdout).toContain("in profile 'registry', renewed");

    // Only a config file: each profile's credential_process runs the refresher with its (non-secret) chain.
    const config = promote.jobEnv['AWS_CONFIG_FILE']!;
    expect(config.startsWith(promote.runnerTemp)).toBe(true);
    expect(promote.jobEnv['AWS_SHARED_CREDENTIALS_FILE']).toBeUndefined();
    expect(statSync(config).mode & 0o777).toBe(0o600);
    const chainFile = join(promote.runnerTemp, 'mlops-actions-aws', 'refresh-registry.json');
    const refresher = join(REPO_ROOT, 'dist', ACTION, 'refresh.js');
    expect(readFileSync(config, 'utf8')).toContain(
      `[profile registry]\nregion = us-east-1\ncredential_process = "${process.execPath}" "${refresher}" "${chainFile}"`,
    );
    // Nothing secret on disk: no keys, no session token, no OIDC request token.
    const written = readdirSync(join(promote.runnerTemp, 'mlops-actions-aws'))
      .map((name) => readFileSync(join(promote.runnerTemp, 'mlops-actions-aws', name), 'utf8'))
      .join('\n');
    expect(written).not.toMatch(/ASIA|aws_secret_access_key|aws_session_token|SessionToken/);
    expect(JSON.parse(readFileSync(chainFile, 'utf8')).hops.map((hop: { roleArn: string }) => hop.roleArn)).toEqual([
      ROLES.devRunner,
      ROLES.hub,
      ROLES.registryReader,
    ]);

    // Any later tool's SDK gets credentials from the refresher, with the step's own OIDC variables.
    const before = (await emulator.admin.calls()).length;
    const stepEnv = { AWS_CONFIG_FILE: config, ...(await oidcEnv()) };
    expect(await callerAccount({ env: stepEnv, profile: 'dev' })).toBe(DEV);
    expect(await callerAccount({ env: stepEnv, profile: 'registry' })).toBe(REGISTRY);
    const walked = (await emulator.admin.calls()).slice(before).map((c) => `${c.operation}:${c.status}`);
    expect(walked).toEqual([
      'AssumeRoleWithWebIdentity:200',
      'GetCallerIdentity:200',
      'AssumeRoleWithWebIdentity:200',
      'AssumeRole:200',
      'AssumeRole:200',
      'GetCallerIdentity:200',
    ]);

    const posts = await promote.finish();
    expect(posts.map((post) => post.exitCode)).toEqual([0, 0]);
    expect(existsSync(config)).toBe(false);
    expect(existsSync(chainFile)).toBe(false);
  });

  it('the refresher prints nothing but the credential_process JSON, and one line on stderr when it fails', async () => {
    const promote = job();
    await promote.step(ACTION, {
      inputs: {
        'role-to-assume': ROLES.devRunner,
        'role-chain': ROLES.hub,
        'aws-region': 'eu-west-1',
        'aws-profile': 'hub',
      },
    });
    const chainFile = join(promote.runnerTemp, 'mlops-actions-aws', 'refresh-hub.json');
    const refresher = join(REPO_ROOT, 'dist', ACTION, 'refresh.js');
    const base = { PATH: process.env['PATH'] ?? '', AWS_ENDPOINT_URL: emulator.endpoint };

    const ok = await runProcess(refresher, [chainFile], { ...base, ...(await oidcEnv()) });
    expect(ok.code).toBe(0);
    expect(ok.stderr).toBe('');
    const printed = JSON.parse(ok.stdout) as Record<string, unknown>;
    expect(Object.keys(printed)).toEqual(['Version', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration']);
    expect(printed['Version']).toBe(1);
    expect(ok.stdout.trim().split('\n')).toHaveLength(1);
    expect(new Date(String(printed['Expiration'])).getTime()).toBeGreaterThan(Date.now());

    // A step without id-token: write has no OIDC variables: one clear line, nothing on stdout.
    const failed = await runProcess(refresher, [chainFile], base);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr.trim().split('\n')).toHaveLength(1);
    expect(failed.stderr).toMatch(/credential refresh .* failed: .*ACTIONS_ID_TOKEN_REQUEST_URL .* id-token: write/);
  });

  it("lets the SDK's own provider chain renew a profile across the session's end, on the simulated clock", async () => {
    await emulator.admin.holdClock();
    await emulator.admin.setClockScale(600);
    try {
      const promote = job();
      await promote.step(ACTION, {
        inputs: {
          'role-to-assume': ROLES.devRunner,
          'role-chain': ROLES.hub,
          'aws-region': 'eu-west-1',
          'aws-profile': 'hub',
        },
      });
      const saved = { ...process.env };
      Object.assign(process.env, { AWS_CONFIG_FILE: promote.jobEnv['AWS_CONFIG_FILE']!, ...(await oidcEnv()) });
      // One client for the whole test: its memoized credentials are what must be renewed.
      const client = new STSClient({ region: 'eu-west-1', endpoint: emulator.endpoint, profile: 'hub' });
      const identity = async () => {
        await client.send(new GetCallerIdentityCommand({}));
        const calls = await emulator.admin.calls();
        return calls.filter((c) => c.operation === 'GetCallerIdentity').at(-1)!;
      };
      const refreshes = async () =>
        (await emulator.admin.calls()).filter((c) => c.operation === 'AssumeRole' && c.status === 200).length;
      try {
        const first = await identity();
        // 100 simulated seconds before the chained session ends: the SDK finds it near expiry, uses it
        // once more and runs the profile's credential_process in the background.
        await emulator.admin.advanceClock(3500_000);
        const refreshed = (await refreshes()) + 1;
        const second = await identity();
        expect(second.accessKeyId).toBe(first.accessKeyId);
        // Until the background renewal has landed in the client (bounded; simulated time stands still).
        const held = async () => (await client.config.credentials()).accessKeyId;
        for (
          let tries = 0;
          ((await refreshes()) < refreshed || (await held()) === first.accessKeyId) && tries < 200;
          tries++
        ) {
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        // Past the first session's end: the next call signs with the renewed credentials.
        await emulator.admin.advanceClock(200_000);
        const third = await identity();
        expect(third.status).toBe(200);
        expect(third.accessKeyId).not.toBe(first.accessKeyId);
        expect(third.principalArn).toBe(first.principalArn);
      } finally {
        client.destroy();
        process.env = saved;
      }
    } finally {
      await emulator.admin.holdClock(false);
      await emulator.admin.setClockScale(1);
    }
  });

  it("a later step without the job's OIDC variables fails with the refresher's own line", async () => {
    const promote = job();
    await promote.step(ACTION, {
      inputs: { 'role-to-assume': ROLES.devRunner, 'aws-region': 'eu-west-1', 'aws-profile': 'dev' },
    });
    const wait = await promote.step('wait-for-endpoint', {
      inputs: { 'endpoint-name': 'abalone', 'aws-profile': 'dev', 'aws-region': 'eu-west-1' },
      env: { ACTIONS_ID_TOKEN_REQUEST_URL: '', ACTIONS_ID_TOKEN_REQUEST_TOKEN: '' },
    });
    expect(wait.exitCode).toBe(1);
    expect(wait.errors).toHaveLength(1);
    expect(wait.errors[0]).toMatch(/credential refresh .* failed: .*ACTIONS_ID_TOKEN_REQUEST_URL .* id-token: write/);
  });

  it('writes fixed keys with refresh-credentials: false, and the post steps remove them', async () => {
    const promote = job();
    const dev = await promote.step(ACTION, {
      inputs: {
        'role-to-assume': ROLES.devRunner,
        'aws-region': 'eu-west-1',
        'aws-profile': 'dev',
        'refresh-credentials': 'false',
      },
    });
    expect(dev.exitCode).toBe(0);
    expect(dev.stdout).toContain("in profile 'dev' (not renewed)");
    const files = {
      AWS_SHARED_CREDENTIALS_FILE: promote.jobEnv['AWS_SHARED_CREDENTIALS_FILE']!,
      AWS_CONFIG_FILE: promote.jobEnv['AWS_CONFIG_FILE']!,
    };
    expect(files.AWS_SHARED_CREDENTIALS_FILE.startsWith(promote.runnerTemp)).toBe(true);
    expect(statSync(files.AWS_SHARED_CREDENTIALS_FILE).mode & 0o777).toBe(0o600);
    expect(statSync(files.AWS_CONFIG_FILE).mode & 0o777).toBe(0o600);
    expect(readFileSync(files.AWS_CONFIG_FILE, 'utf8')).not.toContain('credential_process');
    expect(await callerAccount({ env: files, profile: 'dev' })).toBe(DEV);

    const posts = await promote.finish();
    expect(posts.map((post) => post.exitCode)).toEqual([0]);
    expect(existsSync(files.AWS_SHARED_CREDENTIALS_FILE)).toBe(false);
    expect(existsSync(files.AWS_CONFIG_FILE)).toBe(false);
  });

  it("never overwrites or deletes the user's own credentials and config files", async () => {
    const promote = job();
    const home = mkdtempSync(join(tmpdir(), 'user-aws-'));
    const userFiles = { AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'), AWS_CONFIG_FILE: join(home, 'config') };
    const credentials =
      '# my keys\n[default]\naws_access_key_id = AKIAUSEROWNKEY\naws_secret_access_key = mine\n[prod]\naws_access_key_id = AKIAUSERPRODKEY\naws_secret_access_key = mine-too';
    const config = '[default]\nregion = us-west-2\n\n\n[profile tools]\nregion = eu-central-1\n';
    writeFileSync(userFiles.AWS_SHARED_CREDENTIALS_FILE, credentials);
    writeFileSync(userFiles.AWS_CONFIG_FILE, config);
    const inputs = { 'role-to-assume': ROLES.devRunner, 'aws-region': 'eu-west-1' };

    // A profile the user already has is refused before anything is assumed.
    const clash = await promote.step(ACTION, { inputs: { ...inputs, 'aws-profile': 'prod' }, env: userFiles });
    expect(clash.exitCode).toBe(1);
    expect(clash.errors).toEqual([
      expect.stringMatching(
        /input 'aws-profile': 'prod' already exists in .*credentials, which this action did not write/,
      ),
    ]);
    expect((await emulator.admin.calls()).filter((c) => c.service === 'sts')).toEqual([]);

    for (const refresh of ['true', 'false']) {
      const step = await promote.step(ACTION, {
        inputs: { ...inputs, 'aws-profile': `ci-${refresh}`, 'refresh-credentials': refresh },
        env: userFiles,
      });
      expect(step.exitCode).toBe(0);
    }
    expect(readFileSync(userFiles.AWS_CONFIG_FILE, 'utf8').startsWith(config)).toBe(true);
    expect(readFileSync(userFiles.AWS_SHARED_CREDENTIALS_FILE, 'utf8').startsWith(credentials)).toBe(true);
    expect(await callerAccount({ env: userFiles, profile: 'ci-false' })).toBe(DEV);

    const posts = await promote.finish();
    expect(posts.map((post) => post.exitCode)).toEqual([0, 0, 0]);
    expect(readFileSync(userFiles.AWS_SHARED_CREDENTIALS_FILE, 'utf8')).toBe(credentials);
    expect(readFileSync(userFiles.AWS_CONFIG_FILE, 'utf8')).toBe(config);
  });

  it('post step clears exported environment credentials unless cleanup is off', async () => {
    const cleaned = job();
    await cleaned.step(ACTION, { inputs: { 'role-to-assume': ROLES.devRunner, 'aws-region': 'eu-west-1' } });
    expect(cleaned.jobEnv['AWS_SECRET_ACCESS_KEY']).not.toBe('');
    await cleaned.finish();
    expect(cleaned.jobEnv['AWS_ACCESS_KEY_ID']).toBe('');
    expect(cleaned.jobEnv['AWS_SECRET_ACCESS_KEY']).toBe('');
    expect(cleaned.jobEnv['AWS_SESSION_TOKEN']).toBe('');

    const kept = job();
    await kept.step(ACTION, {
      inputs: { 'role-to-assume': ROLES.devRunner, 'aws-region': 'eu-west-1', cleanup: 'false' },
    });
    const key = kept.jobEnv['AWS_ACCESS_KEY_ID'];
    await kept.finish();
    expect(kept.jobEnv['AWS_ACCESS_KEY_ID']).toBe(key);
  });

  it('explains a refusal when the token names a branch the prod role does not trust', async () => {
    const step = await job({ context: { ref: 'refs/heads/feature-x' } }).step(ACTION, {
      inputs: { 'role-to-assume': ROLES.prodDeploy, 'aws-region': 'us-east-1' },
    });
    expect(step.exitCode).toBe(1);
    expect(step.errors).toHaveLength(1);
    expect(step.errors[0]).toContain('AccessDenied');
    expect(step.errors[0]).toContain("sub 'repo:example-org/ml-pipelines:ref:refs/heads/feature-x'");
    expect(step.exportedEnv).toEqual({});

    const fromMain = await job({ context: { ref: 'refs/heads/main' } }).step(ACTION, {
      inputs: { 'role-to-assume': ROLES.prodDeploy, 'aws-region': 'us-east-1' },
    });
    expect(fromMain.outputs['aws-account-id']).toBe(PROD);
  });

  it('says how to fix a role that does not allow sts:TagSession', async () => {
    const step = await job().step(ACTION, {
      inputs: {
        'role-to-assume': ROLES.devRunner,
        'role-chain': `${ROLES.hub}\n${ROLES.untaggable}`,
        'aws-region': 'us-east-1',
      },
    });
    expect(step.exitCode).toBe(1);
    expect(step.errors[0]).toContain('skip-session-tags');
    const skipped = await job().step(ACTION, {
      inputs: {
        'role-to-assume': ROLES.devRunner,
        'role-chain': `${ROLES.hub}\n${ROLES.untaggable}`,
        'aws-region': 'us-east-1',
        'skip-session-tags': 'true',
      },
    });
    expect(skipped.outputs['aws-account-id']).toBe(PROD);
  });

  it('rides out a failed OIDC token request, throttling and a failed IdP call', async () => {
    await emulator.admin.setFaults([
      { kind: 'reset', service: 'oidc', operation: 'GetIdToken', count: 1 },
      { kind: 'throttle', operation: 'AssumeRoleWithWebIdentity', count: 2 },
      { kind: 'error', operation: 'AssumeRoleWithWebIdentity', code: 'IDPCommunicationError', status: 400, count: 1 },
    ]);
    const step = await job().step(ACTION, { inputs: { 'role-to-assume': ROLES.devRunner, 'aws-region': 'eu-west-1' } });
    expect(step.errors).toEqual([]);
    expect(step.outputs['aws-account-id']).toBe(DEV);
    const attempts = (await emulator.admin.calls()).filter((c) => c.operation === 'AssumeRoleWithWebIdentity');
    expect(attempts.map((c) => c.fault)).toEqual(expect.arrayContaining(['throttle', 'throttle', 'error', null]));
    expect(step.stdout).toContain('Fetching the GitHub OIDC token failed (try 1)');
  });

  it('exports nothing when the credentials land outside allowed-account-ids', async () => {
    const step = await job().step(ACTION, {
      inputs: {
        'role-to-assume': ROLES.devRunner,
        'role-chain': ROLES.hub,
        'aws-region': 'us-east-1',
        'allowed-account-ids': `${PROD}, ${REGISTRY}`,
      },
    });
    expect(step.exitCode).toBe(1);
    expect(step.errors[0]).toContain(`account ${DEV}, which is not in the list`);
    expect(step.exportedEnv).toEqual({});
    expect(step.outputs).toEqual({});
    expect(await emulator.admin.calls()).toEqual([]);
  });

  it('masks every secret before it could appear anywhere, debug logging included', async () => {
    const step = await job({ env: { RUNNER_DEBUG: '1' } }).step(ACTION, {
      inputs: {
        'role-to-assume': ROLES.devRunner,
        'role-chain': ROLES.hub,
        'aws-region': 'us-east-1',
        'output-credentials': 'true',
      },
    });
    expect(step.exitCode).toBe(0);
    const secrets = [
      step.outputs['aws-access-key-id']!,
      step.outputs['aws-secret-access-key']!,
      step.outputs['aws-session-token']!,
    ];
    const masks = [...step.stdout.matchAll(/^::add-mask::(.+)$/gm)].map((m) => m[1]!);
    const tokens = masks.filter((value) => /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/.test(value));
    expect(tokens).toHaveLength(1);
    // two hops: each set of credentials is masked
    expect(masks.length).toBe(1 + 2 * 3);
    for (const secret of [...secrets, ...tokens]) {
      expect(secret.length).toBeGreaterThan(10);
      const first = step.stdout.indexOf(secret);
      expect(step.stdout.slice(first - '::add-mask::'.length, first)).toBe('::add-mask::');
      expect(step.stderr).not.toContain(secret);
      expect(step.summary).not.toContain(secret);
      expect(step.files['GITHUB_STATE']).not.toContain(secret);
    }
    for (const mask of masks) {
      const first = step.stdout.indexOf(mask);
      expect(step.stdout.slice(first - '::add-mask::'.length, first)).toBe('::add-mask::');
    }
  });
});

describe('assume-cross-account-role bad inputs', () => {
  const cases: [string, Record<string, string>, string, JobOptions?][] = [
    ['malformed role ARN', { 'role-to-assume': 'arn:aws:iam::1234:role/x' }, "input 'role-to-assume'"],
    ['malformed chain ARN', { 'role-to-assume': ROLES.devRunner, 'role-chain': 'role/hub' }, "input 'role-chain'"],
    [
      'duration out of range',
      { 'role-to-assume': ROLES.devRunner, 'role-duration-seconds': '60' },
      "input 'role-duration-seconds': 60s is out of range",
    ],
    [
      'chained hop over one hour',
      { 'role-to-assume': ROLES.devRunner, 'role-chain': ROLES.hub, 'role-duration-seconds': '2h' },
      "input 'role-duration-seconds': 7200s is over one hour",
    ],
    ['empty audience', { 'role-to-assume': ROLES.devRunner, audience: '' }, "input 'audience': is required"],
    ['bad profile name', { 'role-to-assume': ROLES.devRunner, 'aws-profile': 'prod account' }, "input 'aws-profile'"],
    [
      'account ids not 12 digits',
      { 'role-to-assume': ROLES.devRunner, 'allowed-account-ids': '1111' },
      "input 'allowed-account-ids': '1111' is not a 12-digit",
    ],
    ['bad external id', { 'role-to-assume': ROLES.hub, 'role-external-id': 'x' }, "input 'role-external-id'"],
    [
      'unknown credential source',
      { 'role-to-assume': ROLES.hub, 'credential-source': 'magic' },
      "input 'credential-source'",
    ],
    [
      'no OIDC variables and no credentials',
      { 'role-to-assume': ROLES.devRunner },
      'id-token: write',
      { idToken: false },
    ],
    ['bad region', { 'role-to-assume': ROLES.devRunner, 'aws-region': 'Europe' }, "input 'aws-region'"],
  ];

  it.each(cases)(
    '%s: one line naming the input, exit 1, nothing exported, no AWS call',
    async (_, inputs, message, options) => {
      const step = await job({ env: { AWS_REGION: 'eu-west-1' }, ...options }).step(ACTION, { inputs });
      expect(step.exitCode).toBe(1);
      expect(step.errors).toHaveLength(1);
      expect(step.errors[0]).toMatch(/^assume-cross-account-role: /);
      expect(step.errors[0]).toContain(message);
      expect(step.exportedEnv).toEqual({});
      expect(step.outputs).toEqual({});
      expect(step.state).toEqual({});
      expect(await emulator.admin.calls()).toEqual([]);
    },
  );
});

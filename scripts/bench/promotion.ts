/**
 * Promotion by digest: build-push-image (operation: promote, the built bundle run as a step the way
 * the runner runs it) against `skopeo copy --all --preserve-digests`, on the same images in the
 * same run, between real docker-registry processes on loopback (the emulator's ECR points the
 * dev and prod accounts at them).
 *
 * The images are SageMaker-sized rather than toy-sized (a 200 MB single-platform image and a
 * two-platform index of 240 MB sharing its base layer), and the same for both tools. Each run
 * gives each tool a fresh prod registry, so neither finds blobs an earlier copy left (skopeo
 * would otherwise mount them, remembering where it put them). First copies go straight to the
 * prod registry; repeats go through a counting proxy in front of it.
 *
 * Both sides do the same job, from two AWS profiles to the image in prod:
 *   ours    the whole step: node start, GetAuthorizationToken for both accounts, the repository
 *           and tag checks (CreateRepository on the first run), the copy, outputs and summary;
 *   skopeo  the least a workflow needs around it: the two ECR tokens (GetAuthorizationToken with
 *           the same SDK, bundled the way our actions are, written to an auth file), then the copy.
 * The copy alone (`skopeo copy`, credentials ready) is shown too, with its ratio, for reference.
 *
 * Bar: ours / skopeo ≤ 1.0 for each image (the median over runs of each run's ratio), and 0 blob
 * bytes on our repeat.
 *
 *   npm run bench [-- --runs 7]      (at most 10 promotion runs, whatever --runs says)
 *   node scripts/bench/promotion.ts [--runs 7]
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { EmulatorAdmin } from '../../emulator/admin-client.ts';
import { startEmulator } from '../../emulator/server.ts';
import { startLocalRegistry, type LocalRegistry } from '../../emulator/services/ecr/local-registry.ts';
import { pushImage, pushIndex, registryClient, type TestImage } from '../../testkit/images.ts';
import { eventPayload, githubEnv } from '../../local-runner/github-context.ts';
import { runFacts } from '../../local-runner/run-facts.ts';
import { parseKeyValueFile } from '../../local-runner/runner-files.ts';
import { ROOT } from '../actions.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Math.min(Number(values.runs), 10);
if (!Number.isInteger(runs) || runs < 1) {
  console.error('bench: --runs must be a whole number of at least 1');
  process.exit(1);
}

const MAX_RATIO = 1.0;
const MB = 1_000_000;
const BUNDLE = join(ROOT, 'dist', 'build-push-image', 'index.js');
const DEV = '111111111111';
const PROD = '222222222222';
const KEYS = {
  dev: { accessKeyId: 'AKIABENCHDEV00000001', secretAccessKey: 'bench/dev/secret/key/promotion/00000001' },
  prod: { accessKeyId: 'AKIABENCHPROD0000001', secretAccessKey: 'bench/prod/secret/key/promotion/0000001' },
};
const SHA = 'b3f1c2e9a7b6d5c4e3f2a1b0c9d8e7f6a5b4c3d2';

for (const tool of ['docker-registry', 'skopeo', 'htpasswd']) {
  if (spawnSync('sh', ['-c', 'command -v "$1"', 'sh', tool]).status !== 0) {
    console.error(`bench: ${tool} is not installed; run bash scripts/setup-system.sh`);
    process.exit(1);
  }
}
if (!existsSync(BUNDLE)) {
  console.error('bench: dist/build-push-image is missing; run npm run build first');
  process.exit(1);
}

/**
 * What a workflow runs before skopeo: an ECR token per account, written to a docker auth file
 * for the registries given (`node ecr-login.cjs FILE PROFILE=HOST[,HOST] …`). Bundled like our
 * actions (esbuild, the SDK's ES modules), so both sides start the same SDK the same way.
 */
const LOGIN_SOURCE = `
import { writeFileSync } from 'node:fs';
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
const [file, ...pairs] = process.argv.slice(2);
const auths = {};
Promise.all(
  pairs.map(async (pair) => {
    const [profile, hosts] = pair.split('=');
    const client = new ECRClient({ profile });
    const { authorizationData } = await client.send(new GetAuthorizationTokenCommand({}));
    for (const host of hosts.split(',')) auths[host] = { auth: authorizationData[0].authorizationToken };
  }),
).then(() => {
  writeFileSync(file, JSON.stringify({ auths }), { mode: 0o600 });
  process.exit(0);
});
`;

/** Registry storage in memory when the machine has a tmpfs, so disk write-back does not decide the race. */
function storageRoot(): string {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

interface Counters {
  /** Request body bytes of blob uploads (PATCH/PUT under /blobs/uploads/). */
  blob: number;
  /** Request body bytes of every request. */
  total: number;
}

interface Proxied {
  registry: LocalRegistry;
  endpoint: string;
  host: string;
  counters: Counters;
  stop(): Promise<void>;
}

/** A registry with a reverse proxy in front that counts what clients send it. */
async function proxiedRegistry(dir: string, password: string): Promise<Proxied> {
  const storageDir = mkdtempSync(join(dir, 'prod-'));
  const registry = await startLocalRegistry({ dir: storageDir, password });
  const counters: Counters = { blob: 0, total: 0 };
  const upstream = new URL(registry.endpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const server: Server = createServer((incoming, outgoing) => {
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        // The Host header stays the proxy's, so the registry's upload Locations point back here.
        headers: incoming.headers,
        agent,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forward.on('error', () => outgoing.destroy());
    const isBlobUpload = (incoming.url ?? '').includes('/blobs/uploads/');
    incoming.on('data', (chunk: Buffer) => {
      counters.total += chunk.length;
      if (isBlobUpload) counters.blob += chunk.length;
    });
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    registry,
    endpoint,
    host: new URL(endpoint).host,
    counters,
    stop: async () => {
      server.closeAllConnections();
      server.close();
      agent.destroy();
      await registry.stop();
      // Registries live in memory (/dev/shm): each run's go as soon as the run is over.
      rmSync(storageDir, { recursive: true, force: true });
    },
  };
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ ms: number; code: number | null; output: string }> {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ ms: Number(process.hrtime.bigint() - start) / 1e6, code, output }));
  });
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const mb = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;
const ms = (value: number): string => `${value.toFixed(0)} ms`;

const storage = mkdtempSync(join(storageRoot(), 'bench-promotion-'));
const work = mkdtempSync(join(tmpdir(), 'bench-promotion-work-'));
const source = await startLocalRegistry({ dir: mkdtempSync(join(storage, 'dev-')) });
const emulator = await startEmulator({
  port: 0,
  world: {
    authorization: 'allow-all',
    accounts: [
      { id: DEV, alias: 'dev', users: [{ name: 'ci', ...KEYS.dev }] },
      { id: PROD, alias: 'prod', users: [{ name: 'ci', ...KEYS.prod }] },
    ],
  },
});
const admin = new EmulatorAdmin(emulator.endpoint);
const targets: Proxied[] = [];
let cleaning: Promise<void> | undefined;
const cleanUp = (): Promise<void> =>
  (cleaning ??= (async () => {
    for (const target of targets.splice(0)) await target.stop();
    await Promise.all([emulator.close(), source.stop()]);
    rmSync(storage, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  })());
// An interrupted run must not leave gigabytes in /dev/shm.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void cleanUp().finally(() => process.exit(130));
  });
}

try {
  await admin.setEcrRegistry({ account: DEV, endpoint: source.endpoint, password: source.password });

  // Named profiles for both: our step reads them, and so does the login before skopeo.
  const profile = (name: string, keys: { accessKeyId: string; secretAccessKey: string }): string =>
    `[${name}]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`;
  writeFileSync(join(work, 'credentials'), `${profile('dev', KEYS.dev)}\n${profile('prod', KEYS.prod)}`, {
    mode: 0o600,
  });
  writeFileSync(join(work, 'config'), '', { mode: 0o600 });
  // The images, made once and copied by both tools.
  const client = registryClient(source);
  const images: { name: string; image: TestImage; manifests: number; bytes: number; sagemakerSafe: boolean }[] = [
    {
      name: 'image',
      image: await pushImage(client, 'ml/image', { layers: [120 * MB, 60 * MB, 20 * MB, 200_000] }),
      manifests: 1,
      bytes: 200.2 * MB,
      sagemakerSafe: true,
    },
    {
      name: 'index',
      image: await pushIndex(client, 'ml/index', {
        architectures: ['amd64', 'arm64'],
        shared: [randomBytes(120 * MB)],
        ownLayers: [50 * MB, 10 * MB],
      }),
      manifests: 3,
      bytes: 240 * MB,
      sagemakerSafe: false,
    },
  ];

  const ours = async (name: string, image: TestImage, sagemakerSafe: boolean, repository: string): Promise<number> => {
    const step = mkdtempSync(join(work, 'step-'));
    const files = {
      GITHUB_OUTPUT: join(step, 'output'),
      GITHUB_ENV: join(step, 'env'),
      GITHUB_STATE: join(step, 'state'),
      GITHUB_STEP_SUMMARY: join(step, 'summary.md'),
    };
    for (const file of Object.values(files)) writeFileSync(file, '');
    mkdirSync(join(step, 'temp'));
    const facts = runFacts({ sha: SHA });
    const eventPath = join(step, 'event.json');
    writeFileSync(eventPath, JSON.stringify(eventPayload(facts)));
    const result = await run(process.execPath, [BUNDLE], {
      PATH: process.env['PATH'] ?? '',
      HOME: step,
      RUNNER_TEMP: join(step, 'temp'),
      ...githubEnv(facts, { workspace: step, eventPath }),
      AWS_ENDPOINT_URL: emulator.endpoint,
      AWS_REGION: 'eu-west-1',
      AWS_SHARED_CREDENTIALS_FILE: join(work, 'credentials'),
      AWS_CONFIG_FILE: join(work, 'config'),
      INPUT_OPERATION: 'promote',
      'INPUT_SOURCE-IMAGE': `${source.host}/ml/${name}@${image.digest}`,
      'INPUT_SOURCE-AWS-PROFILE': 'dev',
      'INPUT_AWS-PROFILE': 'prod',
      INPUT_REPOSITORY: repository,
      'INPUT_SAGEMAKER-SAFE': String(sagemakerSafe),
      ...files,
    });
    const outputs = parseKeyValueFile(readFileSync(files.GITHUB_OUTPUT, 'utf8'));
    rmSync(step, { recursive: true, force: true });
    if (result.code !== 0 || outputs['digest'] !== image.digest) {
      const errors = result.output.split('\n').filter((line) => line.startsWith('::error'));
      throw new Error(
        `build-push-image failed (exit ${result.code}): ${errors.join(' ') || result.output.slice(-2000)}`,
      );
    }
    return result.ms;
  };

  // skopeo's side: the login helper, bundled now, and the copy.
  const loginBundle = join(work, 'ecr-login.cjs');
  await build({
    stdin: { contents: LOGIN_SOURCE, resolveDir: ROOT, loader: 'ts', sourcefile: 'ecr-login.ts' },
    outfile: loginBundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    mainFields: ['module', 'main'],
    minify: true,
    logLevel: 'warning',
  });
  const awsEnv = {
    PATH: process.env['PATH'] ?? '',
    HOME: work,
    AWS_ENDPOINT_URL: emulator.endpoint,
    AWS_REGION: 'eu-west-1',
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'credentials'),
    AWS_CONFIG_FILE: join(work, 'config'),
  };

  /** skopeo copy alone, with an auth file made beforehand. */
  const skopeoCopy = async (name: string, image: TestImage, host: string, authfile: string, repository: string) => {
    const result = await run(
      'skopeo',
      [
        'copy',
        '--all',
        '--preserve-digests',
        '--quiet',
        '--authfile',
        authfile,
        '--src-tls-verify=false',
        '--dest-tls-verify=false',
        `docker://${source.host}/ml/${name}@${image.digest}`,
        `docker://${host}/${repository}:${SHA}`,
      ],
      { PATH: process.env['PATH'] ?? '', HOME: work },
    );
    if (result.code !== 0) throw new Error(`skopeo failed (exit ${result.code}): ${result.output.slice(-2000)}`);
    return result.ms;
  };

  /** The same promotion done with skopeo: the two ECR logins, then the copy. */
  const skopeoPromotion = async (
    name: string,
    image: TestImage,
    host: string,
    repository: string,
  ): Promise<{ total: number; copy: number }> => {
    const authfile = join(work, `auth-${host.replace(/\W/g, '_')}.json`);
    const login = await run(process.execPath, [loginBundle, authfile, `dev=${source.host}`, `prod=${host}`], awsEnv);
    if (login.code !== 0) throw new Error(`ECR login failed (exit ${login.code}): ${login.output.slice(-2000)}`);
    const copy = await skopeoCopy(name, image, host, authfile, repository);
    return { total: login.ms + copy, copy };
  };

  /** What went through a target's counting proxy during a call. */
  const counted = async <T>(
    target: Proxied,
    call: () => Promise<T>,
  ): Promise<{ value: T; blob: number; total: number }> => {
    target.counters.blob = 0;
    target.counters.total = 0;
    const value = await call();
    return { value, blob: target.counters.blob, total: target.counters.total };
  };

  interface Sample {
    first: number;
    /** skopeo: the copy alone, without the logins. */
    copy: number;
    repeat: number;
    repeatBlob: number;
    repeatTotal: number;
  }
  const samples = new Map(images.map((i) => [i.name, { ours: [] as Sample[], skopeo: [] as Sample[] }]));

  // Run 0 warms up (page cache, skopeo's first start) and is not counted. Both prod registries of a
  // run share one password, so the prod account's token is good for both, as on ECR.
  for (let r = 0; r <= runs; r++) {
    const password = randomBytes(18).toString('base64url');
    const oursTarget = await proxiedRegistry(storage, password);
    const skopeoTarget = await proxiedRegistry(storage, password);
    targets.push(oursTarget, skopeoTarget);
    const pointProd = (target: Proxied, through: 'direct' | 'proxy') =>
      admin.setEcrRegistry({
        account: PROD,
        endpoint: through === 'direct' ? target.registry.endpoint : target.endpoint,
        password,
      });
    for (const { name, image, sagemakerSafe } of images) {
      const repository = `bench/${name}`;
      const tools = [
        async (): Promise<void> => {
          await pointProd(oursTarget, 'direct');
          const first = await ours(name, image, sagemakerSafe, repository);
          await pointProd(oursTarget, 'proxy');
          const repeat = await counted(oursTarget, () => ours(name, image, sagemakerSafe, repository));
          if (r > 0) {
            samples.get(name)!.ours.push({
              first,
              copy: first,
              repeat: repeat.value,
              repeatBlob: repeat.blob,
              repeatTotal: repeat.total,
            });
          }
        },
        async (): Promise<void> => {
          await pointProd(skopeoTarget, 'direct');
          const first = await skopeoPromotion(name, image, skopeoTarget.registry.host, repository);
          const repeat = await counted(skopeoTarget, () => skopeoPromotion(name, image, skopeoTarget.host, repository));
          const copied = await registryClient(skopeoTarget.registry).headManifest(repository, SHA);
          if (copied !== image.digest) throw new Error(`skopeo's copy has digest ${copied}, not ${image.digest}`);
          if (r > 0) {
            samples.get(name)!.skopeo.push({
              first: first.total,
              copy: first.copy,
              repeat: repeat.value.total,
              repeatBlob: repeat.blob,
              repeatTotal: repeat.total,
            });
          }
        },
      ];
      if (r % 2 === 1) tools.reverse();
      for (const tool of tools) await tool();
    }
    for (const target of targets.splice(0)) await target.stop();
  }

  const skopeoVersion = spawnSync('skopeo', ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(
    `node ${process.version}, ${skopeoVersion}, ${runs} run(s) after a warm-up; medians, ratios are medians of per-run ratios; registries on ${storageRoot()}\n`,
  );
  console.log(
    [
      'image'.padEnd(38),
      'ours'.padStart(8),
      'skopeo'.padStart(8),
      'ratio'.padStart(6),
      '  copy alone'.padStart(12),
      'ratio'.padStart(6),
      '  repeat ours'.padStart(13),
      'skopeo'.padStart(8),
      '  blob bytes on repeat ours'.padStart(27),
      'skopeo'.padStart(7),
      ' bar',
    ].join(' '),
  );
  let failures = 0;
  for (const { name, manifests, bytes } of images) {
    const { ours: o, skopeo: s } = samples.get(name)!;
    // Each run times both tools back to back, so ratios are taken per run (paired), then their
    // median: load from anything else on the machine drifts slowly and falls on both alike.
    const ratio = median(o.map((x, i) => x.first / s[i]!.first));
    const copyRatio = median(o.map((x, i) => x.first / s[i]!.copy));
    const oursRepeatBlob = Math.max(...o.map((x) => x.repeatBlob));
    const skopeoRepeatBlob = Math.max(...s.map((x) => x.repeatBlob));
    const ok = ratio <= MAX_RATIO && oursRepeatBlob === 0;
    if (!ok) failures++;
    const label = `${name} (${manifests} manifest${manifests > 1 ? 's' : ''}, ${mb(bytes)} of blobs)`;
    console.log(
      [
        label.padEnd(38),
        ms(median(o.map((x) => x.first))).padStart(8),
        ms(median(s.map((x) => x.first))).padStart(8),
        `${ratio.toFixed(2)}×`.padStart(6),
        ms(median(s.map((x) => x.copy))).padStart(12),
        `${copyRatio.toFixed(2)}×`.padStart(6),
        ms(median(o.map((x) => x.repeat))).padStart(13),
        ms(median(s.map((x) => x.repeat))).padStart(8),
        `${oursRepeatBlob} B`.padStart(27),
        `${skopeoRepeatBlob} B`.padStart(7),
        ` ${ok ? 'ok' : 'OVER'}`,
      ].join(' '),
    );
    console.log(
      `${''.padEnd(38)} every byte sent on a repeat (manifests, tags): ours ${Math.max(...o.map((x) => x.repeatTotal))} B, skopeo ${Math.max(...s.map((x) => x.repeatTotal))} B`,
    );
  }
  console.log(
    `\nbar: ours / skopeo ≤ ${MAX_RATIO.toFixed(1)} and 0 blob bytes on a repeat, per image; ${failures === 0 ? 'all within' : `${failures} over`}`,
  );
} finally {
  await cleanUp();
}

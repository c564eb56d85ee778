/**
 * Promotion by digest: build-push-image (mode: promote, the built bundle run as a step) against
 * `skopeo copy --all --preserve-digests` on the same images in the same run, between two real
 * docker-registry processes on loopback (the emulator's ECR points the dev and prod accounts at them).
 *
 * Our time is the whole step: node start, two GetAuthorizationToken calls, the repository and tag
 * checks, the copy, the read-back and the summary. skopeo's is the copy alone, its credentials
 * written beforehand. A counting proxy in front of the prod registry measures what each sends;
 * a repeat of each promotion must send no blob bytes.
 *
 * Bar: median time ours / skopeo ≤ 1.0 for every image, and 0 blob bytes on our repeat.
 *
 *   npm run bench [-- --runs 5]
 *   node scripts/bench/promotion.ts [--runs 5]
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EmulatorAdmin } from '../../emulator/admin-client.ts';
import { startEmulator } from '../../emulator/server.ts';
import { startLocalRegistry, type LocalRegistry } from '../../emulator/services/ecr/local-registry.ts';
import { pushImage, pushIndex, registryClient, type TestImage } from '../../test/build-push-image/images.ts';
import { parseKeyValueFile } from '../../test/harness/runner-files.ts';
import { ROOT } from '../actions.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Math.min(Number(values.runs), 20);
if (!Number.isInteger(runs) || runs < 1) {
  console.error('bench: --runs must be a whole number of at least 1');
  process.exit(1);
}

const MAX_RATIO = 1.0;
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

interface Counters {
  /** Request body bytes of blob uploads (POST/PATCH/PUT under /blobs/uploads/). */
  blob: number;
  /** Request body bytes of every request. */
  total: number;
}

/** A reverse proxy in front of a registry that counts what clients send it. */
async function countingProxy(target: LocalRegistry, counters: Counters): Promise<{ endpoint: string; server: Server }> {
  const upstream = new URL(target.endpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const server = createServer((incoming, outgoing) => {
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
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
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

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

const work = mkdtempSync(join(tmpdir(), 'bench-promotion-'));
const counters: Counters = { blob: 0, total: 0 };
const [source, target] = await Promise.all([startLocalRegistry(), startLocalRegistry()]);
const proxy = await countingProxy(target, counters);
const emulator = await startEmulator({
  port: 0,
  world: {
    accounts: [
      { id: DEV, alias: 'dev', users: [{ name: 'ci', ...KEYS.dev }] },
      { id: PROD, alias: 'prod', users: [{ name: 'ci', ...KEYS.prod }] },
    ],
  },
});

try {
  const admin = new EmulatorAdmin(emulator.endpoint);
  await admin.setEcrRegistry({ account: DEV, endpoint: source.endpoint, password: source.password });
  await admin.setEcrRegistry({ account: PROD, endpoint: proxy.endpoint, password: target.password });

  // Credentials: named profiles for the action, docker auth files for skopeo (written before timing).
  const profile = (name: string, keys: { accessKeyId: string; secretAccessKey: string }): string =>
    `[${name}]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`;
  writeFileSync(join(work, 'credentials'), `${profile('dev', KEYS.dev)}\n${profile('prod', KEYS.prod)}`, {
    mode: 0o600,
  });
  writeFileSync(join(work, 'config'), '', { mode: 0o600 });
  const authFile = (registry: LocalRegistry, host: string): string => {
    const file = join(work, `auth-${host.replace(/\W/g, '_')}.json`);
    const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
    writeFileSync(file, JSON.stringify({ auths: { [host]: { auth } } }), { mode: 0o600 });
    return file;
  };
  const proxyHost = new URL(proxy.endpoint).host;
  const sourceAuth = authFile(source, source.host);
  const targetAuth = authFile(target, proxyHost);

  // The images: a SageMaker-style single image, and a two-platform index sharing a base layer. Each
  // run gets new ones (fresh random layers), so neither tool finds blobs from an earlier run in the
  // target registry (skopeo would otherwise mount them from its blob cache's memory of earlier copies).
  const client = registryClient(source);
  const makeImages = async (): Promise<
    { name: string; image: TestImage; manifests: number; sagemakerSafe: boolean }[]
  > => {
    const base = randomBytes(24_000_000);
    return [
      {
        name: 'image',
        image: await pushImage(client, 'ml/image', { layers: [base, 12_000_000, 4_000_000, 200_000] }),
        manifests: 1,
        sagemakerSafe: true,
      },
      {
        name: 'index',
        image: await pushIndex(client, 'ml/index', {
          architectures: ['amd64', 'arm64'],
          shared: [randomBytes(24_000_000)],
          ownLayers: [8_000_000, 2_000_000],
        }),
        manifests: 3,
        sagemakerSafe: false,
      },
    ];
  };

  const ours = async (name: string, image: TestImage, sagemakerSafe: boolean, repository: string) => {
    const step = mkdtempSync(join(work, 'step-'));
    const files = {
      GITHUB_OUTPUT: join(step, 'output'),
      GITHUB_ENV: join(step, 'env'),
      GITHUB_STATE: join(step, 'state'),
      GITHUB_STEP_SUMMARY: join(step, 'summary.md'),
    };
    for (const file of Object.values(files)) writeFileSync(file, '');
    mkdirSync(join(step, 'temp'));
    const result = await run(process.execPath, [BUNDLE], {
      PATH: process.env['PATH'] ?? '',
      HOME: step,
      RUNNER_TEMP: join(step, 'temp'),
      GITHUB_WORKSPACE: step,
      GITHUB_SHA: SHA,
      GITHUB_REPOSITORY: 'example-org/ml-pipelines',
      AWS_ENDPOINT_URL: emulator.endpoint,
      AWS_REGION: 'eu-west-1',
      AWS_SHARED_CREDENTIALS_FILE: join(work, 'credentials'),
      AWS_CONFIG_FILE: join(work, 'config'),
      INPUT_MODE: 'promote',
      'INPUT_SOURCE-IMAGE': `${source.host}/ml/${name}@${image.digest}`,
      'INPUT_SOURCE-PROFILE': 'dev',
      INPUT_PROFILE: 'prod',
      INPUT_REPOSITORY: repository,
      'INPUT_SAGEMAKER-SAFE': String(sagemakerSafe),
      ...files,
    });
    const outputs = parseKeyValueFile(readFileSync(files.GITHUB_OUTPUT, 'utf8'));
    if (result.code !== 0 || outputs['digest'] !== image.digest) {
      throw new Error(
        `build-push-image failed (exit ${result.code}): ${
          result.output
            .split('\n')
            .filter((l) => l.startsWith('::error'))
            .join(' ') || result.output.slice(-2000)
        }`,
      );
    }
    return result.ms;
  };

  const skopeo = async (name: string, image: TestImage, repository: string) => {
    const result = await run(
      'skopeo',
      [
        'copy',
        '--all',
        '--preserve-digests',
        '--quiet',
        '--src-authfile',
        sourceAuth,
        '--dest-authfile',
        targetAuth,
        '--src-tls-verify=false',
        '--dest-tls-verify=false',
        `docker://${source.host}/ml/${name}@${image.digest}`,
        `docker://${proxyHost}/${repository}:${SHA}`,
      ],
      { PATH: process.env['PATH'] ?? '', HOME: work },
    );
    if (result.code !== 0) throw new Error(`skopeo failed (exit ${result.code}): ${result.output.slice(-2000)}`);
    const copied = await registryClient({ ...target, endpoint: proxy.endpoint }).headManifest(repository, SHA);
    if (copied !== image.digest) throw new Error(`skopeo's copy has digest ${copied}, not ${image.digest}`);
    return result.ms;
  };

  const measure = async <T>(call: () => Promise<T>): Promise<{ value: T; blob: number; total: number }> => {
    counters.blob = 0;
    counters.total = 0;
    const value = await call();
    return { value, blob: counters.blob, total: counters.total };
  };

  type Sample = { first: number; repeat: number; firstBlob: number; repeatBlob: number; repeatTotal: number };
  const samples = new Map<string, { ours: Sample[]; skopeo: Sample[] }>([
    ['image', { ours: [], skopeo: [] }],
    ['index', { ours: [], skopeo: [] }],
  ]);
  const described = new Map<string, { manifests: number; bytes: number }>();

  // One warm-up of each (disk caches, the compile cache), then measured runs in alternating order.
  for (const { name, image, sagemakerSafe } of await makeImages()) {
    await ours(name, image, sagemakerSafe, `warm/ours-${name}`);
    await skopeo(name, image, `warm/skopeo-${name}`);
  }
  for (let r = 0; r < runs; r++) {
    const oursImages = await makeImages();
    const skopeoImages = await makeImages();
    for (const [i, { name, manifests, sagemakerSafe }] of oursImages.entries()) {
      const image = oursImages[i]!.image;
      const other = skopeoImages[i]!.image;
      described.set(name, { manifests, bytes: image.blobs.length });
      const tools = [
        async (): Promise<void> => {
          const repository = `bench/ours-${name}-${r}`;
          const first = await measure(() => ours(name, image, sagemakerSafe, repository));
          const repeat = await measure(() => ours(name, image, sagemakerSafe, repository));
          samples
            .get(name)!
            .ours.push({
              first: first.value,
              repeat: repeat.value,
              firstBlob: first.blob,
              repeatBlob: repeat.blob,
              repeatTotal: repeat.total,
            });
        },
        async (): Promise<void> => {
          const repository = `bench/skopeo-${name}-${r}`;
          const first = await measure(() => skopeo(name, other, repository));
          const repeat = await measure(() => skopeo(name, other, repository));
          samples
            .get(name)!
            .skopeo.push({
              first: first.value,
              repeat: repeat.value,
              firstBlob: first.blob,
              repeatBlob: repeat.blob,
              repeatTotal: repeat.total,
            });
        },
      ];
      if (r % 2 === 1) tools.reverse();
      for (const tool of tools) await tool();
    }
  }

  const skopeoVersion = spawnSync('skopeo', ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(
    `node ${process.version}, ${skopeoVersion}, ${runs} run(s) each, median times; bytes through a counting proxy\n`,
  );
  console.log(
    `${'image'.padEnd(34)} ${'ours'.padStart(9)} ${'skopeo'.padStart(9)} ${'ratio'.padStart(6)}   ${'repeat: ours'.padStart(12)} ${'skopeo'.padStart(9)}   ${'blob bytes on repeat: ours'.padStart(26)} ${'skopeo'.padStart(7)}  bar`,
  );
  let failures = 0;
  for (const [name, { manifests }] of described) {
    const { ours: o, skopeo: s } = samples.get(name)!;
    const ratio = median(o.map((x) => x.first)) / median(s.map((x) => x.first));
    const oursRepeatBlob = Math.max(...o.map((x) => x.repeatBlob));
    const skopeoRepeatBlob = Math.max(...s.map((x) => x.repeatBlob));
    const ok = ratio <= MAX_RATIO && oursRepeatBlob === 0;
    if (!ok) failures++;
    const label = `${name} (${manifests} manifest${manifests > 1 ? 's' : ''}, ${mb(median(o.map((x) => x.firstBlob)))} of blobs)`;
    const skopeoSent = median(s.map((x) => x.firstBlob));
    if (Math.abs(skopeoSent - median(o.map((x) => x.firstBlob))) > 1_000_000) {
      console.log(`  note: skopeo sent ${mb(skopeoSent)} of blobs on its first copies`);
    }
    console.log(
      `${label.padEnd(34)} ${median(o.map((x) => x.first))
        .toFixed(0)
        .padStart(6)} ms ${median(s.map((x) => x.first))
        .toFixed(0)
        .padStart(6)} ms ${ratio.toFixed(2).padStart(5)}×   ${median(o.map((x) => x.repeat))
        .toFixed(0)
        .padStart(9)} ms ${median(s.map((x) => x.repeat))
        .toFixed(0)
        .padStart(
          6,
        )} ms   ${String(oursRepeatBlob).padStart(24)} B ${String(skopeoRepeatBlob).padStart(5)} B  ${ok ? 'ok' : 'OVER'}`,
    );
    console.log(
      `${''.padEnd(34)} all bytes sent on a repeat: ours ${Math.max(...o.map((x) => x.repeatTotal))} B, skopeo ${Math.max(...s.map((x) => x.repeatTotal))} B`,
    );
  }
  console.log(
    `\nbar: ours / skopeo ≤ ${MAX_RATIO.toFixed(1)} and 0 blob bytes on a repeat, per image; ${failures === 0 ? 'all within' : `${failures} over`}`,
  );
} finally {
  proxy.server.closeAllConnections();
  proxy.server.close();
  await Promise.all([emulator.close(), source.stop(), target.stop()]);
  rmSync(work, { recursive: true, force: true });
}

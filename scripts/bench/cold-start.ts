/**
 * Bundle size and cold start, measured the way a step starts: a fresh
 * `node dist/<name>/index.js` that fails fast on its missing required input.
 * Runs are interleaved with `node -e 0` so machine noise hits both alike, and
 * the ratio to `node -e 0` is what the bar is set on (≤ 3.0×, ≤ 1 MB).
 *
 * "cold" empties the compile cache before every run (a job's first step);
 * "cached" keeps it (later steps of the same job). The bar applies to cold.
 *
 *   npm run bench [-- --runs 30]   (all benchmarks)
 *   node scripts/bench/cold-start.ts [--runs 30]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { listActions, ROOT } from '../actions.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 10) {
  console.error('bench: --runs must be a whole number of at least 10');
  process.exit(1);
}

const MAX_RATIO = 3.0;
const MAX_BYTES = 1_000_000;

const coldTemp = mkdtempSync(join(tmpdir(), 'bench-cold-'));
const cachedTemp = mkdtempSync(join(tmpdir(), 'bench-cached-'));

function timeOnce(args: string[], runnerTemp = coldTemp): number {
  if (runnerTemp === coldTemp) rmSync(join(coldTemp, 'mlops-actions-compile-cache'), { recursive: true, force: true });
  const start = process.hrtime.bigint();
  // A bare environment: no INPUT_* variables, so each action stops at its first required input.
  spawnSync(process.execPath, args, {
    env: { PATH: process.env['PATH'] ?? '', RUNNER_TEMP: runnerTemp },
    stdio: 'ignore',
  });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const bundles = listActions().flatMap((action) =>
  ['index.js', 'post.js'].map((file) => join('dist', action.name, file)).filter((file) => existsSync(join(ROOT, file))),
);
if (bundles.length === 0) {
  console.error('bench: no bundles in dist/; run npm run build first');
  process.exit(1);
}

const baseline: number[] = [];
const cold = new Map<string, number[]>(bundles.map((bundle) => [bundle, []]));
const cached = new Map<string, number[]>(bundles.map((bundle) => [bundle, []]));
// One warm-up of each (also fills the compile cache) so no measured run pays for a cold disk cache.
timeOnce(['-e', '0']);
for (const bundle of bundles) timeOnce([join(ROOT, bundle)], cachedTemp);
for (let run = 0; run < runs; run++) {
  baseline.push(timeOnce(['-e', '0']));
  for (const bundle of bundles) {
    cold.get(bundle)!.push(timeOnce([join(ROOT, bundle)]));
    cached.get(bundle)!.push(timeOnce([join(ROOT, bundle)], cachedTemp));
  }
}
rmSync(coldTemp, { recursive: true, force: true });
rmSync(cachedTemp, { recursive: true, force: true });

/** The loader plus the bundle it loads. */
function bundleBytes(loader: string): number {
  const bundle = loader.replace(/index\.js$/, 'main.cjs').replace(/post\.js$/, 'post-main.cjs');
  return statSync(join(ROOT, loader)).size + (existsSync(join(ROOT, bundle)) ? statSync(join(ROOT, bundle)).size : 0);
}

const base = median(baseline);
console.log(`node ${process.version}, ${runs} runs each, median of \`node -e 0\`: ${base.toFixed(1)} ms\n`);
console.log(
  `${'bundle'.padEnd(40)} ${'size'.padStart(9)} ${'cold'.padStart(9)} ${'ratio'.padStart(6)} ${'cached'.padStart(9)} ${'ratio'.padStart(6)}  bar`,
);
let failures = 0;
for (const bundle of bundles) {
  const bytes = bundleBytes(bundle);
  const coldMs = median(cold.get(bundle)!);
  const cachedMs = median(cached.get(bundle)!);
  const ok = coldMs / base <= MAX_RATIO && bytes <= MAX_BYTES;
  if (!ok) failures++;
  console.log(
    `${bundle.padEnd(40)} ${(bytes / 1e6).toFixed(2).padStart(6)} MB ${coldMs.toFixed(1).padStart(6)} ms ${(coldMs / base).toFixed(2).padStart(5)}× ${cachedMs.toFixed(1).padStart(6)} ms ${(cachedMs / base).toFixed(2).padStart(5)}×  ${ok ? 'ok' : 'OVER'}`,
  );
}
console.log(
  `\nbar: ≤ ${MAX_RATIO.toFixed(1)}× and ≤ ${MAX_BYTES / 1e6} MB per bundle; ${failures === 0 ? 'all within' : `${failures} over`}`,
);

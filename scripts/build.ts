/**
 * Writes one bundle per action to dist/<name>/index.js (and post.js).
 *
 * esbuild reads the AWS SDK's ES module build (mainFields module,main) so that
 * tree-shaking keeps only the commands an action sends; the CommonJS build
 * would load every command of a client on every step.
 *
 * The output is CommonJS (dist/package.json says so): importing node:http from
 * an ES module makes Node evaluate every lazy export of it, which loads Node's
 * internal undici and cost ~15 ms per step start, measured with --cpu-prof.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { listActions, ROOT } from './actions.ts';

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

const undiciStub: Plugin = {
  name: 'undici-stub',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^undici$/ }, () => ({ path: join(ROOT, 'scripts/stubs/undici.js') }));
  },
};

const dist = join(ROOT, 'dist');
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist);
writeFileSync(join(dist, 'package.json'), JSON.stringify({ type: 'commonjs' }, null, 2) + '\n');

for (const action of listActions()) {
  const entryPoints = [{ in: action.main, out: 'index' }];
  if (action.post) entryPoints.push({ in: action.post, out: 'post' });
  for (const entry of entryPoints) {
    await build({
      entryPoints: [entry],
      outdir: join(dist, action.name),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node24',
      mainFields: ['module', 'main'],
      minify: true,
      legalComments: 'none',
      define: { MLOPS_ACTIONS_VERSION: JSON.stringify(version) },
      plugins: [undiciStub],
      logLevel: 'warning',
    });
  }
  console.log(`built dist/${action.name}/${action.post ? '{index,post}.js' : 'index.js'}`);
}

/**
 * Runs every benchmark in turn; each prints its own figures and bar. Options
 * after `--` go to each of them (e.g. `npm run bench -- --runs 30`).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
const benchmarks = readdirSync(here)
  .filter((file) => file.endsWith('.ts') && file !== 'index.ts')
  .sort();
let failed = 0;
for (const file of benchmarks) {
  console.log(`\n══ ${file.replace(/\.ts$/, '')} ══`);
  const result = spawnSync(process.execPath, [join(here, file), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exitCode = failed === 0 ? 0 : 1;

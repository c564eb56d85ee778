/**
 * The local promotion demo: the embedded AWS emulator with a dev, a prod and a central registry account, and
 * the example ML pipelines repository's workflows run by the local workflow runner over the real action
 * bundles. Each run prints its log and writes its run report (an HTML page, path printed).
 *
 *   npm run demo              validate on a pull request, promote on the merge, a reviewer's approval
 *   npm run demo -- failure   a training step failing in dev, a blue/green update rolling back in prod
 */
import { failureScenario } from './failure.ts';
import { promotionScenario } from './promotion.ts';
import { startSession, type DemoSession } from './session.ts';

const SCENARIOS: Record<string, (session: DemoSession) => Promise<boolean>> = {
  promotion: promotionScenario,
  failure: failureScenario,
};

async function main(name: string): Promise<boolean> {
  const scenario = SCENARIOS[name];
  if (!scenario) {
    console.error(`demo: unknown scenario '${name}' (scenarios: ${Object.keys(SCENARIOS).join(', ')})`);
    return false;
  }
  const started = Date.now();
  const session = await startSession();
  try {
    const ok = (await scenario(session)) && session.summaryProblems.length === 0;
    console.log(`\n  run reports:\n${session.reports.map((page) => `    ${page}`).join('\n')}`);
    console.log(`  took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return ok;
  } finally {
    await session.emulator.close();
  }
}

process.exitCode = (await main(process.argv[2] ?? 'promotion')) ? 0 : 1;

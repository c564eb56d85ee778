/**
 * The run report: one self-contained HTML page per run, showing what GitHub's
 * run page shows — the jobs as a graph (columns in the order `needs` allows,
 * a called workflow's jobs inside its calling job) with status and duration,
 * each job's steps with their logs (collapsed, as the runner masked them; a
 * failed step open, as GitHub opens it), and each job summary rendered from its
 * markdown as GitHub renders it. No file beside it, nothing fetched.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { renderSummaryHtml } from './summary-markdown.ts';
import type { JobResult, JobStatus, StepRunResult, WorkflowRunResult } from './types.ts';

export interface RunReportFacts {
  /** What started the run, as shown in the title (e.g. `push to refs/heads/main`). */
  trigger?: string;
  runId?: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const ICONS: Record<JobStatus, string> = { success: '✓', failure: '✗', cancelled: '⊘', skipped: '–' };

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

const anchor = (path: string): string => `job-${path.replace(/[^\w-]+/g, '-')}`;

/** Columns of the graph: a job stands one column right of the furthest job it needs. */
export function graphColumns(jobs: JobResult[]): JobResult[][] {
  const byId = new Map(jobs.map((job) => [job.id, job]));
  const depth = new Map<string, number>();
  const depthOf = (job: JobResult, seen: Set<string>): number => {
    const known = depth.get(job.id);
    if (known !== undefined) return known;
    if (seen.has(job.id)) return 0;
    seen.add(job.id);
    const needed = job.needs.map((id) => byId.get(id)).filter((need): need is JobResult => need !== undefined);
    const value = needed.length === 0 ? 0 : 1 + Math.max(...needed.map((need) => depthOf(need, seen)));
    depth.set(job.id, value);
    return value;
  };
  const columns: JobResult[][] = [];
  for (const job of jobs) (columns[depthOf(job, new Set())] ??= []).push(job);
  return columns.filter((column) => column !== undefined);
}

function jobNode(job: JobResult): string {
  const inner = job.legs
    ? `<div class="legs">${job.legs.map(jobNode).join('')}</div>`
    : job.workflow
      ? `<div class="called">${escapeHtml(job.workflow.name)}</div>${graph(Object.values(job.workflow.jobs))}`
      : '';
  return `<div class="node ${job.result}" data-job="${escapeHtml(job.id)}" data-needs="${escapeHtml(job.needs.join(' '))}">
<a href="#${anchor(job.path)}"><span class="icon">${ICONS[job.result]}</span> <span class="name">${escapeHtml(job.name)}</span>
<span class="duration">${job.result === 'skipped' ? 'skipped' : formatDuration(job.durationMs)}</span></a>${inner}</div>`;
}

function graph(jobs: JobResult[]): string {
  const columns = graphColumns(jobs)
    .map((column) => `<div class="column">${column.map(jobNode).join('')}</div>`)
    .join('');
  return `<div class="graph">${columns}<svg class="edges" aria-hidden="true"></svg></div>`;
}

function stepBlock(step: StepRunResult): string {
  const open = step.conclusion === 'failure' ? ' open' : '';
  const status = step.conclusion === step.outcome ? step.outcome : `${step.outcome}, continue-on-error`;
  const log = step.log ? `<pre class="log">${escapeHtml(step.log)}</pre>` : '<p class="empty">no output</p>';
  return `<details class="step ${step.conclusion}"${open}>
<summary><span class="icon">${ICONS[step.conclusion]}</span> <span class="name">${escapeHtml(step.name)}</span>
<span class="status">${escapeHtml(status)}</span><span class="duration">${step.outcome === 'skipped' ? '' : formatDuration(step.durationMs)}</span></summary>
${log}</details>`;
}

/** Every job that ran steps, the called workflows' jobs included, in graph order. */
function stepJobs(result: WorkflowRunResult): JobResult[] {
  return graphColumns(Object.values(result.jobs))
    .flat()
    .flatMap(withLegs)
    .flatMap((job) => (job.workflow ? stepJobs(job.workflow) : [job]));
}

/** A matrix job stands for its legs. */
const withLegs = (job: JobResult): JobResult[] => job.legs ?? [job];

function jobSection(job: JobResult): string {
  const parts = [
    `<section class="job ${job.result}" id="${anchor(job.path)}">`,
    `<h2><span class="icon">${ICONS[job.result]}</span> ${escapeHtml(job.path)} <span class="status">${job.result}</span>` +
      `<span class="duration">${job.result === 'skipped' ? '' : formatDuration(job.durationMs)}</span></h2>`,
  ];
  if (job.environment) {
    const url = job.environment.url ? ` — ${escapeHtml(job.environment.url)}` : '';
    parts.push(`<p class="environment">environment <strong>${escapeHtml(job.environment.name)}</strong>${url}</p>`);
  }
  if (job.error) parts.push(`<pre class="error">${escapeHtml(job.error)}</pre>`);
  if (job.steps.length > 0) parts.push(`<div class="steps">${job.steps.map(stepBlock).join('\n')}</div>`);
  const outputs = Object.entries(job.outputs).filter(([, value]) => value !== '');
  if (outputs.length > 0) {
    const rows = outputs.map(([name, value]) => `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`);
    parts.push(`<table class="outputs"><caption>outputs</caption>${rows.join('')}</table>`);
  }
  if (job.summary.trim() !== '') {
    parts.push(
      `<div class="summary"><h3>${escapeHtml(job.path)} summary</h3><div class="markdown-body">${renderSummaryHtml(job.summary)}</div></div>`,
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}

const STYLE = `
body{font:14px/1.5 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
header{background:#fff;border-bottom:1px solid #d0d7de;padding:16px 24px}
header h1{margin:0;font-size:20px} header p{margin:4px 0 0;color:#59636e}
main{padding:16px 24px;max-width:1200px}
.graph{position:relative;display:flex;gap:48px;align-items:flex-start;padding:16px;background:#fff;border:1px solid #d0d7de;border-radius:6px;margin-bottom:16px}
.graph .graph{border:none;padding:8px 0 0;margin:0;background:transparent}
.column{display:flex;flex-direction:column;gap:16px;position:relative;z-index:1}
.node{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:6px 10px;min-width:180px}
.node>a{display:flex;gap:6px;align-items:baseline;color:inherit;text-decoration:none}
.node .duration{margin-left:auto;color:#59636e;font-size:12px}
.called{color:#59636e;font-size:12px;margin-top:4px}
.legs{display:flex;flex-direction:column;gap:4px;margin-top:6px}
.edges{position:absolute;inset:0;width:100%;height:100%;pointer-events:none;z-index:0}
.edges path{fill:none;stroke:#8c959f;stroke-width:1.5}
.success>a .icon,.success>h2 .icon,.step.success .icon{color:#1a7f37}
.failure>a .icon,.failure>h2 .icon,.step.failure .icon{color:#d1242f}
.cancelled .icon,.skipped .icon{color:#59636e}
.node.failure{border-color:#d1242f}
.job{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:12px 16px;margin-bottom:16px}
.job h2{font-size:16px;margin:0 0 8px;display:flex;gap:8px;align-items:baseline}
.status{color:#59636e;font-weight:normal;font-size:12px}
.duration{color:#59636e;font-size:12px;margin-left:auto}
.step{border-top:1px solid #eaeef2}
.step summary{cursor:pointer;padding:4px 0;display:flex;gap:8px;align-items:baseline}
.log,.error{background:#1f2328;color:#e6edf3;padding:8px 12px;border-radius:6px;overflow-x:auto;font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace;white-space:pre-wrap}
.error{background:#ffebe9;color:#82071e}
.empty{color:#59636e;margin:4px 0 8px}
.outputs{border-collapse:collapse;margin:8px 0;font-size:12px} .outputs caption{text-align:left;color:#59636e}
.outputs th,.outputs td{border:1px solid #d0d7de;padding:2px 8px;text-align:left;font-family:ui-monospace,monospace}
.summary{margin-top:12px;border-top:1px solid #d0d7de}
.summary>h3{font-size:12px;color:#59636e;font-weight:normal}
.markdown-body table{border-collapse:collapse;display:block;overflow:auto;margin:8px 0}
.markdown-body th,.markdown-body td{border:1px solid #d0d7de;padding:6px 13px}
.markdown-body tr:nth-child(2n){background:#f6f8fa}
.markdown-body code{background:#eff1f3;padding:.2em .4em;border-radius:6px;font-size:85%}
.markdown-body pre{background:#f6f8fa;padding:16px;border-radius:6px;overflow:auto}
.markdown-body pre code{background:none;padding:0}
ul.problems{background:#ffebe9;border:1px solid #d1242f;border-radius:6px;padding:8px 8px 8px 28px}
`;

// Edges from each job to the jobs it needs, drawn once the page is laid out (and again on resize). An edge that
// skips columns runs level with the job it starts from and bends in the gap before its target, so it does not
// disappear behind the jobs in between.
const SCRIPT = `
function drawEdges(){document.querySelectorAll('.graph').forEach(function(g){
var svg=g.querySelector(':scope>svg.edges');if(!svg)return;var box=g.getBoundingClientRect();var paths='';
g.querySelectorAll(':scope>.column>.node').forEach(function(node){(node.dataset.needs||'').split(' ').filter(Boolean).forEach(function(id){
var from=g.querySelector(':scope>.column>.node[data-job="'+CSS.escape(id)+'"]');if(!from)return;
var a=from.getBoundingClientRect(),b=node.getBoundingClientRect();
var x1=a.right-box.left,y1=a.top+Math.min(a.height/2,16)-box.top,x2=b.left-box.left,y2=b.top+Math.min(b.height/2,16)-box.top;
var bend=Math.max(x1,x2-48),mid=(bend+x2)/2;
paths+='<path d="M'+x1+' '+y1+' H'+bend+' C'+mid+' '+y1+' '+mid+' '+y2+' '+x2+' '+y2+'"/>';});});svg.innerHTML=paths;});}
window.addEventListener('load',drawEdges);window.addEventListener('resize',drawEdges);
`;

/** The page for one run. */
export function renderRunReport(result: WorkflowRunResult, facts: RunReportFacts = {}): string {
  const jobs = Object.values(result.jobs);
  const started = Math.min(...jobs.map((job) => job.startedAt));
  const ended = Math.max(...jobs.map((job) => job.startedAt + job.durationMs));
  const took = jobs.length > 0 ? formatDuration(ended - started) : '';
  const subtitle = [
    facts.trigger,
    facts.runId ? `run ${facts.runId}` : undefined,
    jobs.length > 0 ? `started ${new Date(started).toISOString()}` : undefined,
    took ? `took ${took}` : undefined,
  ]
    .filter(Boolean)
    .map((part) => escapeHtml(part!))
    .join(' · ');
  const problems = [...result.errors.map((e) => `error: ${e}`), ...result.notes.map((n) => `note: ${n}`)];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(result.name)}: ${result.conclusion}</title><style>${STYLE}</style></head>
<body><header><h1 class="${result.conclusion}"><span class="icon">${ICONS[result.conclusion]}</span> ${escapeHtml(result.name)} — ${result.conclusion}</h1>
<p>${subtitle}</p></header>
<main>
${graph(jobs)}
${problems.length > 0 ? `<ul class="problems">${problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>` : ''}
${stepJobs(result).map(jobSection).join('\n')}
</main><script>${SCRIPT}</script></body></html>
`;
}

/** Where a run's page goes unless told: a folder of the machine's temporary directory, one file per run. */
export function defaultReportPath(result: WorkflowRunResult, runId: string | undefined): string {
  const name = result.name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'run';
  return join(tmpdir(), 'local-runner-reports', `${name}-${runId ?? Date.now()}.html`);
}

/** Writes the page and returns its path. */
export function writeRunReport(result: WorkflowRunResult, file: string, facts: RunReportFacts = {}): string {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, renderRunReport(result, facts));
  return file;
}

/**
 * Where a `uses:` points locally. This repository's actions and reusable
 * workflows are taken from this checkout however they are written (`$/x`,
 * `./x`, `<owner>/mlops-actions/x@ref`); actions/checkout is emulated; anything
 * else cannot run here and is an error naming it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { actionDir, actionFile, actionMetadata, REPO_ROOT, type ActionMetadata } from './action-metadata.ts';

/** The repository whose actions this checkout holds, whatever the owner. */
const THIS_REPOSITORY = /^[\w.-]+\/mlops-actions$/i;

export type ResolvedStepUses =
  { kind: 'action'; dir: string; metadata: ActionMetadata } | { kind: 'checkout'; ref: string };

export interface StepUsesOptions {
  /** The folder the runner's actions/checkout copies into the workspace; `./x` is looked up there first. */
  checkout?: string | undefined;
}

/** Resolves a step's `uses:`; throws a one-line reason when it cannot run locally. */
export function resolveStepUses(uses: string, options: StepUsesOptions = {}): ResolvedStepUses {
  if (uses.startsWith('docker://'))
    throw new Error(`uses: ${uses} — docker actions are not supported by the local runner`);
  const checkout = /^actions\/checkout@(.+)$/.exec(uses);
  if (checkout) return { kind: 'checkout', ref: checkout[1]! };

  let dir: string | undefined;
  if (uses.startsWith('$/')) dir = actionDir(uses.slice(2));
  else if (uses.startsWith('./')) {
    const inCheckout = options.checkout ? join(options.checkout, uses) : undefined;
    dir = inCheckout && actionFile(inCheckout) ? inCheckout : actionDir(uses.slice(2));
  } else {
    const remote = /^([^/@]+\/[^/@]+)(?:\/([^@]+))?@(.+)$/.exec(uses);
    if (!remote || !THIS_REPOSITORY.test(remote[1]!)) {
      throw new Error(
        `uses: ${uses} is not available to the local runner (it runs this repository's actions — $/x, ./x, <owner>/mlops-actions/x@ref — and actions/checkout)`,
      );
    }
    dir = actionDir(remote[2] ?? '.');
  }
  if (!actionFile(dir)) throw new Error(`uses: ${uses} — no action.yml in ${dir}`);
  const metadata = actionMetadata(dir);
  const using = metadata.runs.using;
  if (!/^node\d+$/.test(using)) {
    const kind =
      using === 'composite' ? 'composite actions' : using === 'docker' ? 'docker actions' : `runs.using '${using}'`;
    throw new Error(`uses: ${uses} — ${kind} are not supported by the local runner`);
  }
  if (metadata.runs.pre) throw new Error(`uses: ${uses} — pre steps (runs.pre) are not supported by the local runner`);
  if (!metadata.runs.main) throw new Error(`uses: ${uses} — action.yml has no runs.main`);
  return { kind: 'action', dir, metadata };
}

/** A workflow's identity as GitHub writes it in job_workflow_ref: `owner/repo/path@ref`. */
export interface WorkflowIdentity {
  repository: string;
  path: string;
  ref: string;
  /** Where `./.github/workflows/x.yml` calls from this workflow are looked up. */
  root: string;
}

export function workflowRef(identity: WorkflowIdentity): string {
  return `${identity.repository}/${identity.path}@${identity.ref}`;
}

/** Resolves a job's `uses:` to the called workflow's file and identity; throws when it cannot run locally. */
export function resolveWorkflowUses(
  uses: string,
  caller: WorkflowIdentity,
): { file: string; identity: WorkflowIdentity } {
  if (uses.startsWith('./')) {
    const path = uses.slice(2);
    return { file: join(caller.root, path), identity: { ...caller, path } };
  }
  const remote = /^([^/@]+\/[^/@]+)\/(\.github\/workflows\/[^@]+)@(.+)$/.exec(uses);
  if (!remote || !THIS_REPOSITORY.test(remote[1]!)) {
    throw new Error(
      `uses: ${uses} is not available to the local runner (it runs ./.github/workflows/x.yml and <owner>/mlops-actions/.github/workflows/x.yml@ref)`,
    );
  }
  const file = join(REPO_ROOT, remote[2]!);
  return { file, identity: { repository: remote[1]!, path: remote[2]!, ref: fullRef(remote[3]!), root: REPO_ROOT } };
}

/**
 * GitHub writes the ref a workflow was called at in full (refs/tags/v1). Without
 * the remote we cannot ask whether a name is a tag or a branch, so version-like
 * names are taken as tags and others as branches; a commit SHA stays as it is.
 */
export function fullRef(ref: string): string {
  if (ref.startsWith('refs/') || /^[0-9a-f]{40}$/.test(ref)) return ref;
  return /^v?\d+(\.\d+)*$/.test(ref) ? `refs/tags/${ref}` : `refs/heads/${ref}`;
}

export function workflowExists(file: string): boolean {
  return existsSync(file);
}

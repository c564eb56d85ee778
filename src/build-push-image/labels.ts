import type { GitHubContext } from '../runtime/github-context.ts';

/**
 * OCI annotation labels that tie an image to the commit and run that built it; labels
 * given in the `labels` input win over these.
 */
export function ociLabels(context: GitHubContext, now: Date): [string, string][] {
  const labels: [string, string][] = [['org.opencontainers.image.created', now.toISOString()]];
  if (context.repository) {
    const url = `${context.serverUrl}/${context.repository}`;
    labels.push(['org.opencontainers.image.source', url], ['org.opencontainers.image.url', url]);
    labels.push(['org.opencontainers.image.title', context.repository.split('/')[1] ?? context.repository]);
  }
  if (context.sha) labels.push(['org.opencontainers.image.revision', context.sha]);
  const refName = context.ref.replace(/^refs\/(heads|tags)\//, '');
  if (refName && !refName.startsWith('refs/')) labels.push(['org.opencontainers.image.version', refName]);
  return labels;
}

export function mergeLabels(defaults: [string, string][], given: [string, string][]): [string, string][] {
  const merged = new Map(defaults);
  for (const [key, value] of given) merged.set(key, value);
  return [...merged];
}

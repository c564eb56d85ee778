/** The workflow run an action is part of, read from the runner's GITHUB_* variables. */
export interface GitHubContext {
  repository: string;
  workflow: string;
  ref: string;
  sha: string;
  actor: string;
  runId: string;
  runAttempt: string;
  serverUrl: string;
  job: string;
}

export function githubContext(env: NodeJS.ProcessEnv = process.env): GitHubContext {
  return {
    repository: env['GITHUB_REPOSITORY'] ?? '',
    workflow: env['GITHUB_WORKFLOW'] ?? '',
    ref: env['GITHUB_REF'] ?? '',
    sha: env['GITHUB_SHA'] ?? '',
    actor: env['GITHUB_ACTOR'] ?? '',
    runId: env['GITHUB_RUN_ID'] ?? '',
    runAttempt: env['GITHUB_RUN_ATTEMPT'] ?? '1',
    serverUrl: env['GITHUB_SERVER_URL'] ?? 'https://github.com',
    job: env['GITHUB_JOB'] ?? '',
  };
}

export function runUrl(context: GitHubContext): string | undefined {
  if (!context.repository || !context.runId) return undefined;
  return `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}/attempts/${context.runAttempt}`;
}

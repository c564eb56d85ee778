/**
 * What the credential_process refresher needs to walk the role chain again: nothing secret.
 * The OIDC request token it also needs is read from the environment of the step that runs
 * it (every step of a job with `id-token: write` has it), never from disk.
 */
import { readFileSync } from 'node:fs';
import type { Tag } from '@aws-sdk/client-sts';

export interface RefreshConfig {
  version: 1;
  profile: string;
  region: string;
  audience: string;
  sessionName: string;
  durationSeconds: number;
  tags: Tag[];
  hops: { roleArn: string; externalId?: string }[];
  allowedAccountIds: string[];
}

export function parseRefreshConfig(text: string, path: string): RefreshConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not JSON`, { cause: error });
  }
  const config = parsed as Partial<RefreshConfig>;
  if (
    config?.version !== 1 ||
    typeof config.profile !== 'string' ||
    typeof config.region !== 'string' ||
    typeof config.audience !== 'string' ||
    typeof config.sessionName !== 'string' ||
    typeof config.durationSeconds !== 'number' ||
    !Array.isArray(config.tags) ||
    !Array.isArray(config.hops) ||
    config.hops.length === 0 ||
    !config.hops.every((hop) => typeof hop?.roleArn === 'string') ||
    !Array.isArray(config.allowedAccountIds)
  ) {
    throw new Error(`${path} is not a role chain written by assume-cross-account-role`);
  }
  return config as RefreshConfig;
}

export function readRefreshConfig(path: string): RefreshConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      cause: error,
    });
  }
  return parseRefreshConfig(text, path);
}

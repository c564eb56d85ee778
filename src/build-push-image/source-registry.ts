/**
 * Where a promotion reads from when the source is not ECR: any registry that speaks the
 * distribution API (Docker Hub, GHCR, Quay, a self-hosted one), anonymously or with a user and
 * password given as inputs or found in a docker config.json (as `docker login` and
 * docker/login-action write it). Pure functions: the file is read by the inputs, not here.
 */
import { InputError } from '../runtime/errors.ts';
import type { BasicCredentials } from './registry-client.ts';

const DOCKER_HUB_NAMES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** Docker Hub's references say docker.io; its registry API answers at registry-1.docker.io. */
export function registryApiHost(host: string): string {
  return DOCKER_HUB_NAMES.has(host) ? 'registry-1.docker.io' : host;
}

/** Docker Hub's official images live under library/: docker.io/python is library/python. */
export function apiRepository(host: string, repository: string): string {
  return DOCKER_HUB_NAMES.has(host) && !repository.includes('/') ? `library/${repository}` : repository;
}

interface DockerConfigEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

interface DockerConfig {
  auths?: Record<string, DockerConfigEntry>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/** The keys a registry is found under in config.json: the host, as a URL, and Docker Hub's legacy one. */
function keysFor(host: string): string[] {
  const keys = [host, `https://${host}`, `https://${host}/`, `https://${host}/v1/`, `https://${host}/v2/`];
  if (DOCKER_HUB_NAMES.has(host)) keys.push('https://index.docker.io/v1/', 'index.docker.io', 'docker.io');
  return keys;
}

/**
 * The basic credentials config.json holds for a registry. Credential helpers and identity
 * tokens are refused with what to do instead: they need programs or flows this action does not run.
 */
export function dockerConfigCredentials(text: string, host: string, file: string): BasicCredentials {
  const input = 'source-docker-config';
  let config: DockerConfig;
  try {
    config = JSON.parse(text) as DockerConfig;
  } catch (error) {
    throw new InputError(input, `'${file}' is not JSON: ${(error as Error).message}`);
  }
  const entry = keysFor(host)
    .map((key) => config.auths?.[key])
    .find((found) => found !== undefined);
  if (entry?.identitytoken)
    throw new InputError(
      input,
      `'${file}' holds an identity token for ${host}; give source-username and source-password`,
    );
  if (entry?.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw new InputError(input, `'${file}': the auth of ${host} is not base64 of user:password`);
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (entry?.username && entry.password) return { username: entry.username, password: entry.password };
  const helper = config.credHelpers?.[host] ?? config.credsStore;
  if (helper)
    throw new InputError(
      input,
      `'${file}' keeps the credentials of ${host} in the credential helper '${helper}', which this action does not run; give source-username and source-password`,
    );
  throw new InputError(input, `'${file}' has no credentials for ${host}`);
}

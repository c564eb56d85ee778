/**
 * Registry credentials for the builders, in a private docker config folder under
 * RUNNER_TEMP (mode 0700, config.json 0600) that only our own commands see through
 * DOCKER_CONFIG (docker, buildx) and --authfile (buildah). No `docker login`: the password
 * never passes through a command line and nothing lands in ~/.docker.
 *
 * The folder starts from the user's own docker config, so logins of earlier steps (a base
 * image registry, say) keep working, and links the user's buildx builders, CLI plugins and
 * contexts, so a builder set up by docker/setup-buildx-action is still the one used.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/** The state key under which the main step leaves the folder's path for the post step. */
export const REGISTRY_AUTH_FOLDER_STATE = 'registry-auth-folder';

export interface RegistryCredential {
  host: string;
  /** base64("user:password"), docker's "auth" field. */
  auth: string;
}

export interface AuthFolder {
  dir: string;
  /** config.json in the folder: DOCKER_CONFIG=dir, buildah --authfile file. */
  file: string;
  /** The user's config had a credsStore, which would shadow "auths"; it is left out while we build. */
  droppedCredsStore: boolean;
}

const LINKED = ['buildx', 'cli-plugins', 'contexts'];

export function userDockerConfigDir(env = process.env): string {
  return env['DOCKER_CONFIG'] || join(env['HOME'] || homedir(), '.docker');
}

function readUserConfig(dir: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** Makes the folder (empty, private) first, so its path can be saved for the post step before any secret is written. */
export function makeAuthFolder(env = process.env): string {
  const parent = join(env['RUNNER_TEMP'] || tmpdir(), 'mlops-actions-registry-auth');
  mkdirSync(parent, { recursive: true, mode: 0o700 });
  const dir = mkdtempSync(join(parent, 'docker-'));
  chmodSync(dir, 0o700);
  return dir;
}

export function writeAuthFolder(dir: string, credentials: RegistryCredential[], env = process.env): AuthFolder {
  const userDir = userDockerConfigDir(env);
  const config = readUserConfig(userDir);
  const auths = { ...((config['auths'] as Record<string, unknown> | undefined) ?? {}) };
  for (const credential of credentials) auths[credential.host] = { auth: credential.auth };
  // A helper (such as ecr-login) for one of these hosts would be asked instead of our entry.
  const hosts = new Set(credentials.map((credential) => credential.host));
  const helpers = Object.fromEntries(
    Object.entries((config['credHelpers'] as Record<string, unknown> | undefined) ?? {}).filter(
      ([host]) => !hosts.has(host),
    ),
  );
  const droppedCredsStore = typeof config['credsStore'] === 'string' && config['credsStore'] !== '';
  const { credsStore: _ignored, ...rest } = config;
  void _ignored;
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ ...rest, auths, credHelpers: helpers }, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  for (const name of LINKED) {
    const source = join(userDir, name);
    if (existsSync(source) && !existsSync(join(dir, name))) symlinkSync(source, join(dir, name));
  }
  return { dir, file, droppedCredsStore };
}

/** Removes the folder; links are removed, never what they point at. */
export function removeAuthFolder(dir: string): boolean {
  if (!existsSync(dir)) return false;
  rmSync(dir, { recursive: true, force: true });
  return true;
}

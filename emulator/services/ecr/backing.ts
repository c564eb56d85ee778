/**
 * Which real registry backs which account's ECR, and the few registry HTTP API
 * calls the control plane needs to answer from what that registry holds.
 *
 * The backing list lives beside the emulator state (not in it): like the world, it
 * survives reset; unlike the world it points at processes a test or the demo started.
 */
import { createHash } from 'node:crypto';
import type { EmulatorState } from '../../state.ts';
import type { EcrRegistryBacking } from '../../types.ts';

export interface Backing {
  account: string;
  region: string | null;
  endpoint: string;
  host: string;
  username: string;
  password: string;
}

export class BackingError extends Error {}

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

const backings = new WeakMap<EmulatorState, Backing[]>();

export function parseBacking(input: unknown): Backing {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new BackingError('the body must be a JSON object {account, endpoint, password, username?, region?}');
  }
  const raw = input as Record<string, unknown>;
  const account = typeof raw.account === 'number' ? String(raw.account) : raw.account;
  if (typeof account !== 'string' || !ACCOUNT_ID.test(account)) throw new BackingError('account must be 12 digits');
  if (raw.region !== undefined && (typeof raw.region !== 'string' || !REGION.test(raw.region))) {
    throw new BackingError('region must be an AWS region such as eu-west-1');
  }
  let url: URL;
  try {
    url = new URL(String(raw.endpoint));
  } catch {
    throw new BackingError('endpoint must be a URL such as http://127.0.0.1:5000');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/') {
    throw new BackingError('endpoint must be http(s)://HOST[:PORT] with no path');
  }
  if (typeof raw.password !== 'string' || raw.password === '') throw new BackingError('password must be a string');
  if (raw.username !== undefined && (typeof raw.username !== 'string' || raw.username === '')) {
    throw new BackingError('username must be a non-empty string');
  }
  return {
    account,
    region: (raw.region as string | undefined) ?? null,
    endpoint: `${url.protocol}//${url.host}`,
    host: url.host,
    username: (raw.username as string | undefined) ?? 'AWS',
    password: raw.password,
  };
}

/** Adds a backing registry, replacing one for the same account and region. */
export function setBacking(state: EmulatorState, backing: Backing): void {
  const list = (backings.get(state) ?? []).filter(
    (b) => !(b.account === backing.account && b.region === backing.region),
  );
  list.push(backing);
  backings.set(state, list);
}

export function listBackings(state: EmulatorState): EcrRegistryBacking[] {
  return (backings.get(state) ?? []).map((b) => ({
    account: b.account,
    ...(b.region ? { region: b.region } : {}),
    endpoint: b.endpoint,
    username: b.username,
    password: '***',
  }));
}

/** The registry of an account in a region: a region-specific one first, else the account's catch-all. */
export function backingFor(state: EmulatorState, account: string, region: string): Backing | undefined {
  const list = backings.get(state) ?? [];
  return (
    list.find((b) => b.account === account && b.region === region) ??
    list.find((b) => b.account === account && b.region === null)
  );
}

export const MEDIA_TYPES = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerV1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
} as const;

export const ALL_MANIFEST_TYPES: string[] = [
  MEDIA_TYPES.dockerManifest,
  MEDIA_TYPES.dockerList,
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.ociIndex,
];

export function isIndexType(mediaType: string): boolean {
  return mediaType === MEDIA_TYPES.dockerList || mediaType === MEDIA_TYPES.ociIndex;
}

export function sha256Digest(body: string | Buffer): string {
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}

/** A registry error answer: {errors: [{code, message, detail}]}. */
export interface RegistryFailure {
  status: number;
  codes: string[];
  details: unknown[];
  text: string;
}

export class RegistryUnavailable extends Error {}

export interface ManifestRecord {
  digest: string;
  mediaType: string;
  body: string;
}

/** The registry HTTP API as the control plane uses it, with the backing's basic auth. */
export class BackingRegistry {
  private readonly backing: Backing;

  constructor(backing: Backing) {
    this.backing = backing;
  }

  private async call(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set(
      'authorization',
      `Basic ${Buffer.from(`${this.backing.username}:${this.backing.password}`).toString('base64')}`,
    );
    let response: Response;
    try {
      response = await fetch(`${this.backing.endpoint}${path}`, { ...init, headers });
    } catch (error) {
      throw new RegistryUnavailable(
        `the registry backing account ${this.backing.account} at ${this.backing.endpoint} is not reachable: ${(error as Error).message}`,
      );
    }
    if (response.status === 401) {
      await response.arrayBuffer();
      throw new RegistryUnavailable(
        `the registry backing account ${this.backing.account} at ${this.backing.endpoint} refused the emulator's credentials`,
      );
    }
    return response;
  }

  private static async failure(response: Response): Promise<RegistryFailure> {
    const text = await response.text();
    let errors: { code?: string; detail?: unknown }[] = [];
    try {
      errors = (JSON.parse(text) as { errors?: { code?: string; detail?: unknown }[] }).errors ?? [];
    } catch {
      // not JSON
    }
    return {
      status: response.status,
      codes: errors.map((e) => e.code ?? ''),
      details: errors.map((e) => e.detail),
      text,
    };
  }

  /** The manifest a tag or digest names, or undefined when the registry has none. */
  async manifest(
    repository: string,
    reference: string,
    accept = ALL_MANIFEST_TYPES,
  ): Promise<ManifestRecord | undefined> {
    const response = await this.call(`/v2/${repository}/manifests/${reference}`, {
      headers: { accept: accept.join(', ') },
    });
    if (response.status === 404) {
      await response.arrayBuffer();
      return undefined;
    }
    if (!response.ok) {
      const failure = await BackingRegistry.failure(response);
      throw new RegistryUnavailable(`registry GET manifest answered ${failure.status}: ${failure.text.slice(0, 200)}`);
    }
    const body = await response.text();
    const digest = sha256Digest(body);
    let mediaType = response.headers.get('content-type') ?? '';
    try {
      mediaType = (JSON.parse(body) as { mediaType?: string }).mediaType ?? mediaType;
    } catch {
      // keep the header's type
    }
    return { digest, mediaType, body };
  }

  async tags(repository: string): Promise<string[]> {
    const response = await this.call(`/v2/${repository}/tags/list?n=10000`);
    if (response.status === 404) {
      await response.arrayBuffer();
      return [];
    }
    if (!response.ok) {
      const failure = await BackingRegistry.failure(response);
      throw new RegistryUnavailable(`registry tags/list answered ${failure.status}: ${failure.text.slice(0, 200)}`);
    }
    return ((await response.json()) as { tags?: string[] | null }).tags ?? [];
  }

  /** The digest each tag points at (HEAD per tag, as a registry has no bulk call). */
  async tagDigests(repository: string): Promise<Map<string, string>> {
    const tags = await this.tags(repository);
    const result = new Map<string, string>();
    await Promise.all(
      tags.map(async (tag) => {
        const response = await this.call(`/v2/${repository}/manifests/${tag}`, {
          method: 'HEAD',
          headers: { accept: ALL_MANIFEST_TYPES.join(', ') },
        });
        await response.arrayBuffer();
        const digest = response.headers.get('docker-content-digest');
        if (response.ok && digest) result.set(tag, digest);
      }),
    );
    return result;
  }

  async putManifest(
    repository: string,
    reference: string,
    mediaType: string,
    body: string,
  ): Promise<{ ok: true } | { ok: false; failure: RegistryFailure }> {
    const response = await this.call(`/v2/${repository}/manifests/${reference}`, {
      method: 'PUT',
      headers: { 'content-type': mediaType },
      body,
    });
    if (response.ok) {
      await response.arrayBuffer();
      return { ok: true };
    }
    return { ok: false, failure: await BackingRegistry.failure(response) };
  }
}

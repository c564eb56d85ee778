/**
 * A small client for the registry HTTP API (OCI distribution / Docker Registry v2) as ECR
 * serves it: basic auth with the user and password from GetAuthorizationToken, sent on
 * every request (ECR's challenge is Basic, so no token dance is needed).
 *
 * It speaks node:http(s) directly, with keep-alive connections, and moves blobs as plain
 * streams from the source's response into the target's request: no buffering and no
 * per-chunk work in JavaScript. The target registry checks every blob against its digest
 * when the upload is committed (PUT ?digest=), as ECR and Distribution both do; manifests
 * are hashed here.
 *
 * Blob downloads follow redirects by hand: ECR answers blob GETs with a redirect to S3,
 * which must not receive the registry's Authorization header.
 */
import { createHash } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { MANIFEST_TYPES } from './media-types.ts';

export interface RegistryEndpoint {
  /** http: for a registry on loopback (the local emulator), https: everywhere else. */
  scheme: 'http:' | 'https:';
  /** host[:port], as in image references. */
  host: string;
}

export interface BasicCredentials {
  username: string;
  password: string;
}

/**
 * The ECR action a registry API call is authorised as: HEAD blob BatchCheckLayerAvailability,
 * GET blob GetDownloadUrlForLayer, upload POST/PATCH/PUT InitiateLayerUpload/UploadLayerPart/
 * CompleteLayerUpload, manifest reads BatchGetImage, manifest PUT PutImage.
 */
export function ecrActionOf(method: string, path: string): string | undefined {
  const kind = /^\/v2\/.+\/(blobs\/uploads|blobs|manifests|tags)(?:\/|\?|$)/.exec(path)?.[1];
  const read = method === 'GET' || method === 'HEAD';
  if (kind === 'manifests') return read ? 'ecr:BatchGetImage' : method === 'PUT' ? 'ecr:PutImage' : undefined;
  if (kind === 'blobs') return method === 'HEAD' ? 'ecr:BatchCheckLayerAvailability' : 'ecr:GetDownloadUrlForLayer';
  if (kind === 'blobs/uploads')
    return method === 'POST'
      ? 'ecr:InitiateLayerUpload'
      : method === 'PATCH'
        ? 'ecr:UploadLayerPart'
        : 'ecr:CompleteLayerUpload';
  if (kind === 'tags') return 'ecr:ListImages';
  return undefined;
}

export class RegistryError extends Error {
  readonly status: number;
  readonly codes: string[];

  constructor(message: string, status: number, codes: string[] = []) {
    super(message);
    this.name = 'RegistryError';
    this.status = status;
    this.codes = codes;
  }
}

/** The registry refused the credentials (401) or their permissions (403). */
export class RegistryAuthError extends RegistryError {
  constructor(message: string, status: number) {
    super(message, status);
    this.name = 'RegistryAuthError';
  }
}

export interface ManifestResponse {
  digest: string;
  mediaType: string;
  body: Buffer;
}

export interface BlobStream {
  body: Readable;
  /** From Content-Length; -1 when the registry did not say. */
  size: number;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/;
// A registry that sends nothing for this long on a connection has stalled.
const IDLE_TIMEOUT_MS = 120_000;

/** Registries on loopback speak plain HTTP (as docker assumes for 127.0.0.0/8); all others HTTPS. */
export function endpointFor(host: string, proxyEndpoint?: string): RegistryEndpoint {
  if (proxyEndpoint) {
    try {
      const url = new URL(proxyEndpoint);
      if (url.host === host) return { scheme: url.protocol === 'http:' ? 'http:' : 'https:', host };
    } catch {
      // not a URL: fall through
    }
  }
  return { scheme: LOOPBACK.test(host) ? 'http:' : 'https:', host };
}

export function sha256Of(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

type RequestFunction = typeof httpRequest;

let httpAgent: HttpAgent | undefined;
let httpsAgent: HttpsAgent | undefined;

/** One keep-alive pool per scheme for the whole step. (The AWS SDK loads node:https anyway.) */
function transport(protocol: string): { request: RequestFunction; agent: HttpAgent } {
  if (protocol === 'http:') {
    httpAgent ??= new HttpAgent({ keepAlive: true, maxSockets: 16 });
    return { request: httpRequest, agent: httpAgent };
  }
  httpsAgent ??= new HttpsAgent({ keepAlive: true, maxSockets: 16 });
  return { request: httpsRequest, agent: httpsAgent };
}

async function readAll(response: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function drain(response: IncomingMessage): Promise<void> {
  response.resume();
  if (!response.complete) await new Promise<void>((resolve) => response.once('close', resolve));
}

function header(response: IncomingMessage, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export class RegistryClient {
  readonly endpoint: RegistryEndpoint;
  private readonly authorization: string;

  constructor(endpoint: RegistryEndpoint, credentials: BasicCredentials) {
    this.endpoint = endpoint;
    this.authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  }

  get host(): string {
    return this.endpoint.host;
  }

  private url(path: string): URL {
    return new URL(`${this.endpoint.scheme}//${this.endpoint.host}${path}`);
  }

  /** One request; the registry's credentials go only to the registry's own host. */
  private async send(
    method: string,
    url: URL,
    headers: OutgoingHttpHeaders = {},
    body?: Buffer | Readable,
  ): Promise<IncomingMessage> {
    const { request, agent } = transport(url.protocol);
    const all: OutgoingHttpHeaders = { ...headers };
    if (url.host === this.endpoint.host) all['authorization'] = this.authorization;
    if (method !== 'GET' && method !== 'HEAD' && (body === undefined || Buffer.isBuffer(body))) {
      all['content-length'] ??= String(body?.length ?? 0);
    }
    return new Promise((resolve, reject) => {
      const outgoing = request(url, { method, headers: all, agent }, resolve);
      outgoing.setTimeout(IDLE_TIMEOUT_MS, () =>
        outgoing.destroy(new Error(`no answer for ${IDLE_TIMEOUT_MS / 1000} s`)),
      );
      outgoing.on('error', (error: Error & { code?: string }) =>
        reject(new RegistryError(`cannot reach registry ${url.host}: ${error.code ?? error.message}`, 0)),
      );
      if (body === undefined || Buffer.isBuffer(body)) {
        outgoing.end(body);
      } else {
        body.on('error', (error) => outgoing.destroy(error));
        body.pipe(outgoing);
      }
    });
  }

  private async fail(response: IncomingMessage, what: string): Promise<never> {
    const text = (await readAll(response).catch(() => Buffer.alloc(0))).toString();
    let codes: string[] = [];
    let detail = text.slice(0, 200);
    try {
      const errors = (JSON.parse(text) as { errors?: { code?: string; message?: string }[] }).errors ?? [];
      codes = errors.map((e) => e.code ?? '');
      detail = errors.map((e) => `${e.code ?? ''}${e.message ? ` (${e.message})` : ''}`).join('; ') || detail;
    } catch {
      // not JSON: keep the text
    }
    const status = response.statusCode ?? 0;
    // A HEAD refusal has no body to say what was denied; ECR authorises each call as one action.
    const request = (response as IncomingMessage & { req?: { method?: string; path?: string } }).req;
    const action = status === 403 && request ? ecrActionOf(request.method ?? '', request.path ?? '') : undefined;
    const needs = action && !detail.includes(action) ? ` (ECR authorises this as ${action})` : '';
    const message = `${what}: registry ${this.endpoint.host} answered ${status}${detail ? ` ${detail}` : ''}${needs}`;
    if (status === 401 || status === 403) throw new RegistryAuthError(message, status);
    throw new RegistryError(message, status, codes);
  }

  /** GET /v2/: proves the registry is there and takes these credentials. */
  async ping(): Promise<void> {
    const response = await this.send('GET', this.url('/v2/'));
    if ((response.statusCode ?? 0) >= 400) return this.fail(response, 'logging in');
    await drain(response);
  }

  async getManifest(repository: string, reference: string): Promise<ManifestResponse | undefined> {
    const response = await this.send('GET', this.url(`/v2/${repository}/manifests/${reference}`), {
      accept: MANIFEST_TYPES.join(', '),
    });
    if (response.statusCode === 404) {
      await drain(response);
      return undefined;
    }
    if (response.statusCode !== 200) return this.fail(response, `reading manifest ${repository}:${reference}`);
    const body = await readAll(response);
    let mediaType = (header(response, 'content-type') ?? '').split(';')[0]!.trim();
    try {
      mediaType = (JSON.parse(body.toString()) as { mediaType?: string }).mediaType ?? mediaType;
    } catch {
      // not JSON: keep the header
    }
    return { digest: sha256Of(body), mediaType, body };
  }

  /** The digest a tag or digest resolves to, or undefined when the registry has no such manifest. */
  async headManifest(repository: string, reference: string): Promise<string | undefined> {
    const response = await this.send('HEAD', this.url(`/v2/${repository}/manifests/${reference}`), {
      accept: MANIFEST_TYPES.join(', '),
    });
    if (response.statusCode === 404) {
      await drain(response);
      return undefined;
    }
    if (response.statusCode !== 200) return this.fail(response, `checking manifest ${repository}:${reference}`);
    await drain(response);
    return header(response, 'docker-content-digest') ?? (reference.startsWith('sha256:') ? reference : undefined);
  }

  /** PUT a manifest under a tag or its digest; returns the digest the registry computed. */
  async putManifest(repository: string, reference: string, mediaType: string, body: Buffer): Promise<string> {
    const response = await this.send(
      'PUT',
      this.url(`/v2/${repository}/manifests/${reference}`),
      { 'content-type': mediaType },
      body,
    );
    if (response.statusCode !== 201 && response.statusCode !== 200) {
      return this.fail(response, `writing manifest ${repository}:${reference}`);
    }
    await drain(response);
    return header(response, 'docker-content-digest') ?? sha256Of(body);
  }

  async hasBlob(repository: string, digest: string): Promise<boolean> {
    const response = await this.send('HEAD', this.url(`/v2/${repository}/blobs/${digest}`));
    const status = response.statusCode ?? 0;
    if (status === 404) {
      await drain(response);
      return false;
    }
    // 307 is ECR's redirect to S3: the blob is there.
    if (status === 200 || (status >= 300 && status < 400)) {
      await drain(response);
      return true;
    }
    return this.fail(response, `checking blob ${digest} in ${repository}`);
  }

  /** Opens a blob for reading, following redirects (to S3 on ECR) without the registry's credentials. */
  async getBlob(repository: string, digest: string): Promise<BlobStream> {
    let url = this.url(`/v2/${repository}/blobs/${digest}`);
    for (let hop = 0; hop < 5; hop++) {
      const response = await this.send('GET', url);
      const status = response.statusCode ?? 0;
      const location = header(response, 'location');
      if (status >= 300 && status < 400 && location) {
        await drain(response);
        url = new URL(location, url);
        continue;
      }
      if (status !== 200) return this.fail(response, `reading blob ${digest} from ${repository}`);
      return { body: response, size: Number(header(response, 'content-length') ?? -1) };
    }
    throw new RegistryError(`reading blob ${digest} from ${repository}: too many redirects`, 0);
  }

  /**
   * Starts an upload, or mounts the blob from another repository of this registry when
   * `mount` is given and the registry allows it (201, nothing to send).
   */
  async startUpload(repository: string, mount?: { digest: string; from: string }): Promise<'mounted' | URL> {
    const query = mount ? `?mount=${encodeURIComponent(mount.digest)}&from=${encodeURIComponent(mount.from)}` : '';
    const response = await this.send('POST', this.url(`/v2/${repository}/blobs/uploads/${query}`));
    if (mount && response.statusCode === 201) {
      await drain(response);
      return 'mounted';
    }
    const location = header(response, 'location');
    if (response.statusCode !== 202 || !location) return this.fail(response, `starting a blob upload to ${repository}`);
    await drain(response);
    return new URL(location, this.url('/'));
  }

  /**
   * Sends a blob to an upload started with startUpload: in one PUT when its size is known and
   * small (monolithic), else as one streamed PATCH followed by the closing PUT (chunked, as
   * docker pushes). The registry checks the bytes against the digest. Returns the bytes sent.
   */
  async finishUpload(
    location: URL,
    digest: string,
    blob: BlobStream,
    options: { monolithicLimit: number },
  ): Promise<number> {
    let sent = 0;
    blob.body.on('data', (chunk: Buffer) => (sent += chunk.length));
    const withDigest = (url: URL): URL => {
      const target = new URL(url);
      target.searchParams.set('digest', digest);
      return target;
    };
    const sized: OutgoingHttpHeaders = blob.size >= 0 ? { 'content-length': String(blob.size) } : {};
    const type = { 'content-type': 'application/octet-stream' };
    try {
      if (blob.size >= 0 && blob.size <= options.monolithicLimit) {
        const response = await this.send('PUT', withDigest(location), { ...type, ...sized }, blob.body);
        if (response.statusCode !== 201) return await this.fail(response, `uploading blob ${digest}`);
        await drain(response);
        return sent;
      }
      const patch = await this.send('PATCH', location, { ...type, ...sized }, blob.body);
      const next = header(patch, 'location');
      if (patch.statusCode !== 202 || !next) return await this.fail(patch, `uploading blob ${digest}`);
      await drain(patch);
      const put = await this.send('PUT', withDigest(new URL(next, location)));
      if (put.statusCode !== 201) return await this.fail(put, `completing the upload of blob ${digest}`);
      await drain(put);
      return sent;
    } finally {
      // A refused upload may answer before reading everything; stop reading the source then.
      if (!blob.body.readableEnded) blob.body.destroy();
    }
  }

  /** Uploads a blob held in memory (tests, small configs). */
  async pushBlob(repository: string, data: Buffer, options: { monolithicLimit?: number } = {}): Promise<string> {
    const digest = sha256Of(data);
    if (await this.hasBlob(repository, digest)) return digest;
    const location = await this.startUpload(repository);
    if (location === 'mounted') return digest;
    await this.finishUpload(
      location,
      digest,
      { body: Readable.from([data]), size: data.length },
      {
        monolithicLimit: options.monolithicLimit ?? Number.MAX_SAFE_INTEGER,
      },
    );
    return digest;
  }
}

/**
 * ECR's registry endpoint as IAM sees it. On AWS every registry API call (a layer check, an
 * upload, a manifest put or read) is authorised as an ECR action of the principal that got the
 * authorization token. The backing registries only check a password, so when the world
 * authorises by IAM, GetAuthorizationToken hands out the address of this gate and a token of
 * the caller's own: the gate authorises each call as ECR does, then forwards it to the backing
 * registry with the backing's password.
 */
import { randomBytes } from 'node:crypto';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AuthenticatedCaller } from '../../credentials.ts';
import { AwsError } from '../../errors.ts';
import { authorizeRequest } from '../../iam/authorize.ts';
import type { EmulatorState } from '../../state.ts';
import type { Backing } from './backing.ts';

interface Grant {
  caller: AuthenticatedCaller;
  region: string;
  expiresAt: number;
}

/** The ECR action a registry API request is authorised as, and the repositories it acts on. */
export function registryAction(
  method: string,
  path: string,
  query: URLSearchParams,
  withBody = false,
): { action: string; repository: string; mountFrom?: string; alsoUploads?: boolean } | 'ping' | undefined {
  if (path === '/v2/' || path === '/v2') return 'ping';
  const match = /^\/v2\/(.+)\/(blobs\/uploads|blobs|manifests|tags)(?:\/(.*))?$/.exec(path);
  if (!match) return undefined;
  const [, repository = '', kind] = match;
  const read = method === 'GET' || method === 'HEAD';
  if (kind === 'manifests')
    return { action: read ? 'BatchGetImage' : method === 'PUT' ? 'PutImage' : 'BatchDeleteImage', repository };
  if (kind === 'tags') return { action: 'ListImages', repository };
  if (kind === 'blobs')
    return { action: method === 'HEAD' ? 'BatchCheckLayerAvailability' : 'GetDownloadUrlForLayer', repository };
  // Uploads: start (POST, optionally mounting a blob of another repository), send parts (PATCH), finish (PUT).
  if (method === 'POST') {
    const from = query.get('from');
    return { action: 'InitiateLayerUpload', repository, ...(from ? { mountFrom: from } : {}) };
  }
  if (method === 'PATCH') return { action: 'UploadLayerPart', repository };
  if (method === 'PUT')
    return { action: 'CompleteLayerUpload', repository, ...(withBody ? { alsoUploads: true } : {}) };
  return { action: read ? 'GetDownloadUrlForLayer' : 'InitiateLayerUpload', repository };
}

function registryError(res: ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify({ errors: [{ code, message, detail: null }] });
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...(status === 401 ? { 'www-authenticate': 'Basic realm="emulator ECR"' } : {}),
  });
  res.end(body);
}

export class RegistryGate {
  readonly endpoint: string;
  readonly host: string;
  private readonly grants = new Map<string, Grant>();
  private readonly server: Server;
  private readonly state: EmulatorState;
  private readonly backing: Backing;

  private constructor(server: Server, state: EmulatorState, backing: Backing) {
    this.server = server;
    this.state = state;
    this.backing = backing;
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    this.host = `127.0.0.1:${port}`;
    this.endpoint = `http://${this.host}`;
  }

  static async start(state: EmulatorState, backing: Backing): Promise<RegistryGate> {
    const started: { gate?: RegistryGate } = {};
    const server = createServer((req, res) => void started.gate?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    // The gate lives as long as the emulator's process needs it, never longer.
    server.unref();
    started.gate = new RegistryGate(server, state, backing);
    return started.gate;
  }

  /** A registry password that stands for this caller until the token's expiry. */
  issue(caller: AuthenticatedCaller, region: string, expiresAt: number): string {
    const password = `gate-${randomBytes(24).toString('hex')}`;
    this.grants.set(password, { caller, region, expiresAt });
    return password;
  }

  private grantOf(req: IncomingMessage): Grant | undefined {
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Basic ')) return undefined;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const grant = this.grants.get(decoded.slice(decoded.indexOf(':') + 1));
    return grant && grant.expiresAt > Date.now() ? grant : undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.endpoint);
    const grant = this.grantOf(req);
    if (!grant) return registryError(res, 401, 'UNAUTHORIZED', 'authentication required');
    // A PUT that carries the blob (a monolithic upload) sends a part as well as completing the upload.
    const withBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    const target = registryAction(req.method ?? 'GET', url.pathname, url.searchParams, withBody);
    if (target === undefined) return registryError(res, 404, 'NAME_UNKNOWN', `no route for ${url.pathname}`);
    if (target !== 'ping') {
      const checks = [
        { operation: target.action, repository: target.repository },
        ...(target.mountFrom ? [{ operation: 'GetDownloadUrlForLayer', repository: target.mountFrom }] : []),
        ...(target.alsoUploads ? [{ operation: 'UploadLayerPart', repository: target.repository }] : []),
      ];
      try {
        for (const check of checks) {
          authorizeRequest({
            state: this.state,
            caller: grant.caller,
            service: 'ecr',
            operation: check.operation,
            input: { repositoryName: check.repository, registryId: this.backing.account },
            region: grant.region,
            protocol: 'awsJson1_1',
          });
        }
      } catch (error) {
        if (error instanceof AwsError) return registryError(res, 403, 'DENIED', error.message);
        throw error;
      }
    }
    this.forward(req, res, url);
  }

  /** Passes the request on with the backing's password; upload locations point back at the gate. */
  private forward(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const upstream = new URL(`${url.pathname}${url.search}`, this.backing.endpoint);
    const headers = { ...req.headers, host: upstream.host };
    headers.authorization = `Basic ${Buffer.from(`${this.backing.username}:${this.backing.password}`).toString('base64')}`;
    const send = upstream.protocol === 'https:' ? httpsRequest : httpRequest;
    const outgoing = send(upstream, { method: req.method, headers }, (answer) => {
      const location = answer.headers.location;
      if (location?.startsWith(this.backing.endpoint))
        answer.headers.location = `${this.endpoint}${location.slice(this.backing.endpoint.length)}`;
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    outgoing.on('error', (error) => {
      if (!res.headersSent) registryError(res, 502, 'UNAVAILABLE', `backing registry: ${error.message}`);
      else res.destroy(error);
    });
    req.pipe(outgoing);
  }

  close(): void {
    this.server.close();
  }
}

const gates = new WeakMap<EmulatorState, Map<string, Promise<RegistryGate>>>();

/** The gate in front of a backing registry, started the first time it is needed. */
export function gateFor(state: EmulatorState, backing: Backing): Promise<RegistryGate> {
  let byEndpoint = gates.get(state);
  if (!byEndpoint) gates.set(state, (byEndpoint = new Map()));
  const key = `${backing.account}/${backing.region ?? '*'}/${backing.endpoint}/${backing.password}`;
  let gate = byEndpoint.get(key);
  if (!gate) byEndpoint.set(key, (gate = RegistryGate.start(state, backing)));
  return gate;
}

/** The gate's host once started, for the repository URIs ECR answers with. */
export function startedGateHost(state: EmulatorState, backing: Backing): string | undefined {
  return startedHosts
    .get(state)
    ?.get(`${backing.account}/${backing.region ?? '*'}/${backing.endpoint}/${backing.password}`);
}

const startedHosts = new WeakMap<EmulatorState, Map<string, string>>();

/** Starts (or finds) the gate and remembers its host, so synchronous answers can name it. */
export async function ensureGate(state: EmulatorState, backing: Backing): Promise<RegistryGate> {
  const gate = await gateFor(state, backing);
  let hosts = startedHosts.get(state);
  if (!hosts) startedHosts.set(state, (hosts = new Map()));
  hosts.set(`${backing.account}/${backing.region ?? '*'}/${backing.endpoint}/${backing.password}`, gate.host);
  return gate;
}

/**
 * A registry that authenticates the way Docker Hub and GHCR do: a request without a token is
 * answered 401 with `WWW-Authenticate: Bearer realm=…,service=…,scope=…`, and the realm hands out
 * tokens, anonymously for pulls. It fronts a local docker-registry (which holds the images and
 * takes basic auth, added here), so the bytes served are a real registry's.
 */
import { randomBytes } from 'node:crypto';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalRegistry } from '../emulator/services/ecr/local-registry.ts';

export interface TokenRegistry {
  /** 127.0.0.1:PORT */
  host: string;
  /** Token requests, with the scope asked for. */
  tokenRequests: { scope: string; service: string; authorized: boolean }[];
  /** Registry requests and whether they carried a valid token. */
  registryRequests: { method: string; path: string; bearer: boolean }[];
  stop(): Promise<void>;
}

export async function startTokenRegistry(
  backend: LocalRegistry,
  options: { anonymous: boolean },
): Promise<TokenRegistry> {
  const tokens = new Set<string>();
  const state: Omit<TokenRegistry, 'host' | 'stop'> = { tokenRequests: [], registryRequests: [] };
  const backendAuth = `Basic ${Buffer.from(`${backend.username}:${backend.password}`).toString('base64')}`;
  let host = '';
  const server: Server = createServer((incoming: IncomingMessage, outgoing) => {
    const url = new URL(incoming.url ?? '/', `http://${host}`);
    if (url.pathname === '/token') {
      const authorized = incoming.headers.authorization !== undefined;
      state.tokenRequests.push({
        scope: url.searchParams.get('scope') ?? '',
        service: url.searchParams.get('service') ?? '',
        authorized,
      });
      if (!options.anonymous && !authorized) {
        outgoing
          .writeHead(401, { 'content-type': 'application/json' })
          .end('{"details":"incorrect username or password"}');
        return;
      }
      const token = randomBytes(16).toString('hex');
      tokens.add(token);
      outgoing.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token, expires_in: 300 }));
      return;
    }
    const bearer = /^Bearer (.+)$/.exec(incoming.headers.authorization ?? '')?.[1];
    const valid = bearer !== undefined && tokens.has(bearer);
    state.registryRequests.push({ method: incoming.method ?? '', path: url.pathname, bearer: valid });
    if (!valid) {
      const repository = /^\/v2\/(.+)\/(manifests|blobs)\//.exec(url.pathname)?.[1];
      outgoing
        .writeHead(401, {
          'content-type': 'application/json',
          'www-authenticate': `Bearer realm="http://${host}/token",service="test-registry"${repository ? `,scope="repository:${repository}:pull"` : ''}`,
        })
        .end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      return;
    }
    const target = new URL(backend.endpoint);
    const forwarded = request(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: target.host, authorization: backendAuth },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    ...state,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

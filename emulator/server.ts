import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ADMIN_PREFIX, handleAdmin } from './admin.ts';
import { Dispatcher } from './dispatch.ts';
import { OidcIssuer } from './oidc-issuer.ts';
import { handleOidc, OIDC_PREFIX } from './oidc-routes.ts';
import type { WireResponse } from './protocols/wire.ts';
import { ServiceRegistry, type ServiceDefinition } from './registry.ts';
import { builtInServices } from './services/index.ts';
import { EmulatorState } from './state.ts';
import type { World } from './types.ts';

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  world?: World;
  /** How much faster than the wall clock simulated time runs. */
  timeScale?: number;
  /** Services beyond the built-in ones (STS). */
  services?: ServiceDefinition[];
}

export interface RunningEmulator {
  /** http://127.0.0.1:PORT, the value for AWS_ENDPOINT_URL. */
  endpoint: string;
  state: EmulatorState;
  issuer: OidcIssuer;
  registry: ServiceRegistry;
  close(): Promise<void>;
}

// SageMaker pipeline definitions alone may be 1 MiB; leave room for the JSON around them.
const MAX_BODY_BYTES = 16 * 1024 * 1024;

class BodyTooLarge extends Error {}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(response: ServerResponse, answer: WireResponse): void {
  const body = typeof answer.body === 'string' ? Buffer.from(answer.body, 'utf8') : answer.body;
  response.writeHead(answer.status, {
    ...answer.headers,
    'content-length': String(body.length),
    date: new Date().toUTCString(),
  });
  response.end(body);
}

export function createRegistry(issuer: OidcIssuer, extra: ServiceDefinition[] = []): ServiceRegistry {
  const registry = new ServiceRegistry();
  for (const service of [...builtInServices(issuer), ...extra]) registry.register(service);
  return registry;
}

/** Starts the emulator on 127.0.0.1; the returned endpoint is what AWS_ENDPOINT_URL should be. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const state = new EmulatorState(options.world, options.timeScale ?? 1);
  const issuer = await OidcIssuer.create(state.clock);
  const registry = createRegistry(issuer, options.services);
  const dispatcher = new Dispatcher(registry, state);
  let endpoint = '';

  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const body = await readBody(request);
      if (url.pathname.startsWith(ADMIN_PREFIX)) {
        send(
          response,
          await handleAdmin(request.method ?? 'GET', url.pathname, url.searchParams, body, {
            state,
            issuer,
            registry,
            endpoint,
          }),
        );
        return;
      }
      if (url.pathname.startsWith(OIDC_PREFIX)) {
        const outcome = await handleOidc(
          request.method ?? 'GET',
          url.pathname,
          url.searchParams,
          request.headers.authorization,
          issuer,
          state.faults,
        );
        if (outcome.delayMs > 0) await sleep(outcome.delayMs, undefined, { ref: false });
        if (outcome.kind === 'reset') request.socket.destroy();
        else send(response, outcome.response);
        return;
      }
      const outcome = await dispatcher.handle({
        method: request.method ?? 'POST',
        path: (request.url ?? '/').split('?')[0] ?? '/',
        query: url.searchParams,
        headers: request.headers,
        body,
      });
      if (outcome.kind === 'reset') request.socket.destroy();
      else send(response, outcome.response);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        send(response, { status: 413, headers: { 'content-type': 'text/plain' }, body: 'Request body too large' });
        return;
      }
      console.error('emulator: request failed:', error);
      if (!response.headersSent)
        send(response, { status: 500, headers: { 'content-type': 'text/plain' }, body: 'emulator error' });
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Keep-alive sockets from SDK clients would hold close() open forever; in-flight calls get a moment.
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), 250).unref();
    });
    return closing;
  };

  return { endpoint, state, issuer, registry, close };
}

import { FaultError, parseFaultSettings } from './faults.ts';
import type { OidcIssuer } from './oidc-issuer.ts';
import type { WireResponse } from './protocols/wire.ts';
import type { ServiceRegistry } from './registry.ts';
import { BackingError, listBackings, parseBacking, setBacking } from './services/ecr/backing.ts';
import { confirmSubscriptionByArn } from './services/sns/store.ts';
import { ScenarioError } from './scenario.ts';
import type { EmulatorState } from './state.ts';
import type { ClockView, Health, OidcRequest, Scenario } from './types.ts';
import { describeWorld, WorldError } from './world.ts';

export interface AdminDeps {
  state: EmulatorState;
  issuer: OidcIssuer;
  registry: ServiceRegistry;
  endpoint: string;
}

export const ADMIN_PREFIX = '/_emulator/';

function json(status: number, value: unknown, headers: Record<string, string> = {}): WireResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

class BadRequest extends Error {}

function parseBody(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequest('request body is not valid JSON');
  }
}

type Route = (deps: AdminDeps, body: Buffer, query: URLSearchParams) => WireResponse | Promise<WireResponse>;

const ROUTES: Record<string, Route> = {
  'GET health': ({ state, registry }) => {
    const health: Health = {
      ok: true,
      accounts: [...state.world.accounts.keys()],
      services: registry.names(),
      simulatedTime: state.clock.date().toISOString(),
    };
    return json(200, health);
  },
  'POST reset': ({ state, issuer }) => {
    state.reset();
    issuer.clearRequests();
    return json(200, { ok: true });
  },
  'GET world': ({ state }) => json(200, describeWorld(state.world)),
  'POST world': ({ state, issuer }, body) => {
    state.replaceWorld(parseBody(body));
    issuer.clearRequests();
    return json(200, describeWorld(state.world));
  },
  // Paged: `since` (a seq) and `limit`; the X-Calls-Dropped header tells how many the bounded log let go.
  'GET calls': ({ state }, _body, query) => {
    const since = Number(query.get('since') ?? 0);
    const limit = query.has('limit') ? Number(query.get('limit')) : Infinity;
    if (!(Number.isInteger(since) && since >= 0) || !(limit === Infinity || (Number.isInteger(limit) && limit > 0)))
      return json(400, { error: 'calls: since must be a non-negative integer and limit a positive integer' });
    return json(200, state.calls.list(since, limit), { 'x-calls-dropped': String(state.calls.dropped) });
  },
  'DELETE calls': ({ state }) => {
    state.calls.clear();
    return json(200, { ok: true });
  },
  'GET faults': ({ state }) => json(200, state.faults.list()),
  'POST faults': ({ state }, body) => {
    state.faults.set(parseFaultSettings(parseBody(body)));
    return json(200, state.faults.list());
  },
  'POST oidc/requests': ({ issuer, endpoint }, body) => {
    const claims = parseBody(body);
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims))
      throw new BadRequest('claims must be a JSON object');
    const answer: OidcRequest = {
      requestUrl: `${endpoint}/_oidc/token?api-version=2.0`,
      requestToken: issuer.registerRequest(claims as Record<string, unknown>),
    };
    return json(200, answer);
  },
  'GET ecr/registries': ({ state }) => json(200, listBackings(state)),
  'POST ecr/registries': ({ state }, body) => {
    try {
      setBacking(state, parseBacking(parseBody(body)));
    } catch (error) {
      throw error instanceof BackingError ? new BadRequest(error.message) : error;
    }
    return json(200, listBackings(state));
  },
  'POST clock/advance': ({ state }, body) => {
    const { ms } = parseBody(body) as { ms?: unknown };
    if (typeof ms !== 'number' || !(ms >= 0)) throw new BadRequest('ms must be a non-negative number');
    state.clock.advance(ms);
    return json(200, { simulatedTime: state.clock.date().toISOString() });
  },
  'GET clock': ({ state }) => json(200, clockView(state)),
  'POST clock': ({ state }, body) => {
    const { scale, held } = parseBody(body) as { scale?: unknown; held?: unknown };
    if (scale === undefined && held === undefined) throw new BadRequest('give scale, held or both');
    if (scale !== undefined && (typeof scale !== 'number' || !(scale > 0) || !Number.isFinite(scale)))
      throw new BadRequest('scale must be a positive number');
    if (held !== undefined && typeof held !== 'boolean') throw new BadRequest('held must be true or false');
    if (scale !== undefined) state.clock.setScale(scale);
    if (held !== undefined) state.clock.hold(held);
    return json(200, clockView(state));
  },
  // What rules, schedules and SNS did on their own; simulated time is caught up first.
  'GET deliveries': ({ state, registry }, _body, query) => {
    const since = Number(query.get('since') ?? 0);
    if (!(Number.isInteger(since) && since >= 0))
      return json(400, { error: 'deliveries: since must be a non-negative integer' });
    registry.settle(state);
    return json(200, state.deliveries.list(since));
  },
  // The person clicking the link in a subscription's confirmation email.
  'POST sns/confirm-subscription': ({ state }, body) => {
    const { subscriptionArn } = parseBody(body) as { subscriptionArn?: unknown };
    if (typeof subscriptionArn !== 'string') throw new BadRequest('subscriptionArn must be a string');
    if (!confirmSubscriptionByArn(state, subscriptionArn))
      return json(404, { error: `no subscription ${subscriptionArn}` });
    return json(200, { ok: true });
  },
  'GET scenario': ({ state }) => json(200, state.scenario.get()),
  'POST scenario': ({ state }, body) => {
    state.scenario.set(parseBody(body) as Scenario);
    return json(200, state.scenario.get());
  },
};

function clockView(state: EmulatorState): ClockView {
  return { simulatedTime: state.clock.date().toISOString(), scale: state.clock.scale, held: state.clock.isHeld };
}

/** The emulator's own control API: unsigned, JSON in and out, for tests and the demo. */
export async function handleAdmin(
  method: string,
  path: string,
  query: URLSearchParams,
  body: Buffer,
  deps: AdminDeps,
): Promise<WireResponse> {
  const route = ROUTES[`${method} ${path.slice(ADMIN_PREFIX.length)}`];
  if (!route) return json(404, { error: `no admin route ${method} ${path}` });
  try {
    return await route(deps, body, query);
  } catch (error) {
    if (
      error instanceof BadRequest ||
      error instanceof WorldError ||
      error instanceof FaultError ||
      error instanceof ScenarioError
    ) {
      return json(400, { error: error.message });
    }
    throw error;
  }
}

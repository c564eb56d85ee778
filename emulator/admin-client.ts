import type {
  Call,
  ClockView,
  Delivery,
  EcrRegistryBacking,
  Fault,
  FaultSettings,
  Health,
  OidcRequest,
  Scenario,
  World,
} from './types.ts';

export type {
  Call,
  Delivery,
  SnsDelivery,
  TargetInvocation,
  TargetType,
  EcrRegistryBacking,
  ClockView,
  EndpointBehaviour,
  Fault,
  FaultKind,
  FaultSettings,
  Health,
  ModelPackageBehaviour,
  OidcRequest,
  PipelineBehaviour,
  Scenario,
  StepBehaviour,
  World,
  WorldAccount,
  WorldOidcProvider,
  WorldRole,
  WorldUser,
  PolicyDocument,
  PolicyStatement,
} from './types.ts';

export interface WorldSummary {
  accounts: {
    id: string;
    alias: string | null;
    users: { name: string; arn: string; accessKeyId: string; secretAccessKey: string }[];
  }[];
  roles: string[];
  oidcProviders: string[];
}

/** Typed access to the emulator's /_emulator/ API over HTTP, for tests and the demo. */
export class EmulatorAdmin {
  readonly endpoint: string;

  constructor(endpoint: string) {
    this.endpoint = endpoint.replace(/\/+$/, '');
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.endpoint}/_emulator/${path}`, {
      method,
      ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (!response.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { error?: string }).error ?? text;
      } catch {
        // not JSON: keep the text
      }
      throw new Error(`emulator admin ${method} ${path} failed (${response.status}): ${message}`);
    }
    return JSON.parse(text) as T;
  }

  health(): Promise<Health> {
    return this.request('GET', 'health');
  }

  /** Clears sessions, resources, calls, faults, the scenario, deliveries and OIDC requests; keeps the world and the OIDC key. */
  async reset(): Promise<void> {
    await this.request('POST', 'reset');
  }

  /** Replaces the world (and clears everything reset clears). */
  loadWorld(world: World): Promise<WorldSummary> {
    return this.request('POST', 'world', world);
  }

  world(): Promise<WorldSummary> {
    return this.request('GET', 'world');
  }

  /**
   * Calls recorded so far, oldest first; `since` keeps only those with a larger seq, `limit` takes
   * a page of that many. The emulator keeps the newest 10,000 calls.
   */
  calls(since?: number, limit?: number): Promise<Call[]> {
    const query = new URLSearchParams();
    if (since !== undefined) query.set('since', String(since));
    if (limit !== undefined) query.set('limit', String(limit));
    return this.request('GET', query.size ? `calls?${query}` : 'calls');
  }

  async clearCalls(): Promise<void> {
    await this.request('DELETE', 'calls');
  }

  /** Replaces the fault list; returns it with the counts left. */
  setFaults(faults: Fault[], options: { seed?: number } = {}): Promise<Fault[]> {
    const settings: FaultSettings = { faults, ...(options.seed !== undefined ? { seed: options.seed } : {}) };
    return this.request('POST', 'faults', settings);
  }

  faults(): Promise<Fault[]> {
    return this.request('GET', 'faults');
  }

  /** What the runner would put in ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  issueOidcRequest(claims: Record<string, unknown>): Promise<OidcRequest> {
    return this.request('POST', 'oidc/requests', claims);
  }

  /** Tells the ECR service which real registry holds an account's images (see EcrRegistryBacking). */
  async setEcrRegistry(backing: EcrRegistryBacking): Promise<void> {
    await this.request('POST', 'ecr/registries', backing);
  }

  /** The backing registries, passwords shown as ***. */
  ecrRegistries(): Promise<EcrRegistryBacking[]> {
    return this.request('GET', 'ecr/registries');
  }

  async advanceClock(ms: number): Promise<{ simulatedTime: string }> {
    return this.request('POST', 'clock/advance', { ms });
  }

  /** Simulated seconds per wall-clock second from now on; reset restores the start-up scale. */
  setClockScale(scale: number): Promise<ClockView> {
    return this.request('POST', 'clock', { scale });
  }

  /**
   * Holds simulated time still (true) or lets it run again (false); advanceClock still moves a
   * held clock, so a test steps time exactly where order matters instead of racing it.
   */
  holdClock(held = true): Promise<ClockView> {
    return this.request('POST', 'clock', { held });
  }

  clock(): Promise<ClockView> {
    return this.request('GET', 'clock');
  }

  /**
   * What happened on its own, oldest first: SNS messages delivered to subscriptions (and the
   * confirmation requests new email/HTTP subscriptions get), and every target an EventBridge
   * rule or Scheduler schedule invoked, succeeded or failed. Simulated time is caught up first,
   * so a schedule that came due before now has fired. `since` keeps only entries with a larger seq.
   */
  deliveries(since?: number): Promise<Delivery[]> {
    return this.request('GET', since === undefined ? 'deliveries' : `deliveries?since=${since}`);
  }

  /** Confirms a pending email or HTTP(S) subscription, as the person clicking its confirmation link. */
  async confirmSubscription(subscriptionArn: string): Promise<void> {
    await this.request('POST', 'sns/confirm-subscription', { subscriptionArn });
  }

  /** Replaces the scenario (how steps and endpoints behave); kept until replaced or reset. */
  setScenario(scenario: Scenario): Promise<Scenario> {
    return this.request('POST', 'scenario', scenario);
  }

  scenario(): Promise<Scenario> {
    return this.request('GET', 'scenario');
  }
}

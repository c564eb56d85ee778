import { CallLog } from './calls-log.ts';
import { SimClock } from './clock.ts';
import { CredentialStore } from './credentials.ts';
import { DeliveryLog } from './deliveries.ts';
import { FaultInjector } from './faults.ts';
import { ResourceStore } from './resource-store.ts';
import { ScenarioStore } from './scenario.ts';
import { ServiceEventQueue } from './service-events.ts';
import { emptyWorld, loadWorld, type LoadedWorld } from './world.ts';

/** Everything an emulator instance remembers; handlers reach it through their context. */
export class EmulatorState {
  private loaded: LoadedWorld;
  readonly clock: SimClock;
  readonly calls = new CallLog();
  readonly faults = new FaultInjector();
  readonly credentials: CredentialStore;
  readonly resources = new ResourceStore();
  /** How simulated pipelines and endpoints behave; set through the admin API. */
  readonly scenario = new ScenarioStore();
  /** Events services emit onto their account's default bus, until EventBridge delivers them. */
  readonly serviceEvents = new ServiceEventQueue();
  /** SNS deliveries and the targets rules and schedules invoked. */
  readonly deliveries = new DeliveryLog();

  constructor(world: unknown = emptyWorld(), timeScale = 1) {
    this.loaded = loadWorld(world);
    this.clock = new SimClock(timeScale);
    this.credentials = new CredentialStore(() => this.loaded, this.clock);
  }

  get world(): LoadedWorld {
    return this.loaded;
  }

  /** Back to the loaded world as it was at start: no sessions, resources, calls, faults, scenario or deliveries. */
  reset(): void {
    this.credentials.clearSessions();
    this.resources.clear();
    this.calls.clear();
    this.faults.clear();
    this.scenario.clear();
    this.serviceEvents.clear();
    this.deliveries.clear();
    this.clock.reset();
  }

  /** Validates first, so a bad world leaves the running one untouched. */
  replaceWorld(world: unknown): void {
    const loaded = loadWorld(world);
    this.reset();
    this.loaded = loaded;
  }
}

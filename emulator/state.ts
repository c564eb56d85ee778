import { CallLog } from './calls-log.ts';
import { SimClock } from './clock.ts';
import { CredentialStore } from './credentials.ts';
import { FaultInjector } from './faults.ts';
import { ResourceStore } from './resource-store.ts';
import { emptyWorld, loadWorld, type LoadedWorld } from './world.ts';

/** Everything an emulator instance remembers; handlers reach it through their context. */
export class EmulatorState {
  private loaded: LoadedWorld;
  readonly clock: SimClock;
  readonly calls = new CallLog();
  readonly faults = new FaultInjector();
  readonly credentials = new CredentialStore(() => this.loaded);
  readonly resources = new ResourceStore();

  constructor(world: unknown = emptyWorld(), timeScale = 1) {
    this.loaded = loadWorld(world);
    this.clock = new SimClock(timeScale);
  }

  get world(): LoadedWorld {
    return this.loaded;
  }

  /** Back to the loaded world as it was at start: no sessions, resources, calls or faults. */
  reset(): void {
    this.credentials.clearSessions();
    this.resources.clear();
    this.calls.clear();
    this.faults.clear();
    this.clock.reset();
  }

  /** Validates first, so a bad world leaves the running one untouched. */
  replaceWorld(world: unknown): void {
    const loaded = loadWorld(world);
    this.reset();
    this.loaded = loaded;
  }
}

/**
 * Simulated time: everything that ages in the emulator (pipeline executions, endpoints, log
 * events, STS sessions and OIDC tokens) lives by it. It runs `timeScale` times faster than the
 * wall clock, can be jumped forward, and can be held still so a test decides when time passes.
 */
export class SimClock {
  private readonly initialScale: number;
  private timeScale: number;
  private held = false;
  private wallAtStart = Date.now();
  private simAtStart = this.wallAtStart;

  constructor(timeScale = 1) {
    checkScale(timeScale);
    this.initialScale = timeScale;
    this.timeScale = timeScale;
  }

  get scale(): number {
    return this.timeScale;
  }

  get isHeld(): boolean {
    return this.held;
  }

  now(): number {
    if (this.held) return this.simAtStart;
    return this.simAtStart + (Date.now() - this.wallAtStart) * this.timeScale;
  }

  date(): Date {
    return new Date(this.now());
  }

  /**
   * The wall-clock instant at which simulated time reaches `simulatedMs`, if the clock runs on at
   * its current scale from now (a held clock is taken as resuming now). STS reports this as a
   * session's Expiration: the SDKs judge expiry by the wall clock, so this is what makes them
   * refresh at the right simulated moment.
   */
  wallTimeOf(simulatedMs: number): number {
    return Date.now() + (simulatedMs - this.now()) / this.timeScale;
  }

  advance(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new Error(`advance takes a non-negative number of ms, got ${ms}`);
    this.rebase();
    this.simAtStart += ms;
  }

  /** Changes the speed from now on; simulated time already passed stays as it was. */
  setScale(timeScale: number): void {
    checkScale(timeScale);
    this.rebase();
    this.timeScale = timeScale;
  }

  /** Stops (true) or restarts (false) simulated time; advance still moves a held clock. */
  hold(held: boolean): void {
    this.rebase();
    this.held = held;
  }

  /** Back to the wall clock at the speed the emulator started with, running. */
  reset(): void {
    this.wallAtStart = Date.now();
    this.simAtStart = this.wallAtStart;
    this.timeScale = this.initialScale;
    this.held = false;
  }

  private rebase(): void {
    this.simAtStart = this.now();
    this.wallAtStart = Date.now();
  }
}

function checkScale(timeScale: number): void {
  if (!(timeScale > 0) || !Number.isFinite(timeScale))
    throw new Error(`timeScale must be a positive number, got ${timeScale}`);
}

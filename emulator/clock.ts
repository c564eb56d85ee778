/**
 * Simulated time for resources that progress (pipeline executions, endpoints). It runs
 * `timeScale` times faster than the wall clock and can be jumped forward; credentials never
 * use it, because the SDK judges their expiry by the real clock.
 */
export class SimClock {
  private readonly initialScale: number;
  private timeScale: number;
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

  now(): number {
    return this.simAtStart + (Date.now() - this.wallAtStart) * this.timeScale;
  }

  date(): Date {
    return new Date(this.now());
  }

  advance(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new Error(`advance takes a non-negative number of ms, got ${ms}`);
    this.simAtStart = this.now() + ms;
    this.wallAtStart = Date.now();
  }

  /** Changes the speed from now on; simulated time already passed stays as it was. */
  setScale(timeScale: number): void {
    checkScale(timeScale);
    this.simAtStart = this.now();
    this.wallAtStart = Date.now();
    this.timeScale = timeScale;
  }

  /** Back to the wall clock at the speed the emulator started with. */
  reset(): void {
    this.wallAtStart = Date.now();
    this.simAtStart = this.wallAtStart;
    this.timeScale = this.initialScale;
  }
}

function checkScale(timeScale: number): void {
  if (!(timeScale > 0) || !Number.isFinite(timeScale))
    throw new Error(`timeScale must be a positive number, got ${timeScale}`);
}

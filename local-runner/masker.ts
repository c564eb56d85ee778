/**
 * The runner's secret masking: every registered value (secrets, `::add-mask::`
 * values) is shown as *** wherever it appears in what is printed. A masker can
 * inherit from another (a job's masks on top of the run's secrets).
 */
export class Masker {
  private readonly values = new Set<string>();
  private readonly parent: Masker | undefined;

  constructor(parent?: Masker) {
    this.parent = parent;
  }

  /** Registers a value; like the runner, a multi-line value also masks each of its lines. */
  add(value: string): void {
    const trimmed = value.trim();
    if (trimmed === '') return;
    this.values.add(value);
    for (const line of value.split(/\r?\n/)) if (line.trim() !== '') this.values.add(line.trim());
  }

  private all(): string[] {
    return [...this.values, ...(this.parent?.all() ?? [])];
  }

  /** True when the text contains a masked value (the runner then refuses to pass it on as a job output). */
  reveals(text: string): boolean {
    return this.all().some((value) => text.includes(value));
  }

  mask(text: string): string {
    // Longest first, so a secret containing another is replaced whole.
    const values = this.all().sort((a, b) => b.length - a.length);
    return values.reduce((shown, secret) => shown.split(secret).join('***'), text);
  }
}

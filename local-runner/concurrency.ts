/**
 * `concurrency:` of workflows and jobs, as GitHub applies it: in a group (named
 * case-insensitively) at most one run or job is running and, by default
 * (`queue: single`), one is pending; a newcomer that has to wait cancels the
 * one already pending and takes its place, and with `cancel-in-progress` it
 * also cancels the one running. A group held by an enclosing workflow or job
 * cannot be waited for from inside it: GitHub cancels the inner one as a
 * deadlock.
 *
 * ConcurrencyGroups is the registry groups live in. Each run has its own
 * unless the caller passes one to several runs (RunWorkflowOptions.concurrencyGroups),
 * which then queue behind each other as runs of one repository do.
 */
import { asString, evaluateToken, type ExpressionScope } from './expressions.ts';
import { at, WorkflowRuntimeError } from './errors.ts';
import { placeOf, type TemplateToken } from './tokens.ts';

export interface ConcurrencySetting {
  group: string;
  cancelInProgress: boolean;
  /** `single` (GitHub's default): at most one pending; `max`: the pending ones wait in turn. */
  queue: 'single' | 'max';
}

/** What happened to a run or job in its group, as shown in results. */
export interface ConcurrencyOutcome extends ConcurrencySetting {
  /** It was pending behind another run or job of the group before it started. */
  waited: boolean;
  /** Why the group cancelled it (replaced while pending, cancelled in progress, a deadlock), if it did. */
  cancelled?: string;
}

export interface ConcurrencyEvent {
  /** running: it holds the group; pending: it waits; cancelled: the group cancelled it; released: it ended. */
  kind: 'running' | 'pending' | 'cancelled' | 'released';
  group: string;
  /** Who: `<workflow> (run <id>)`, with ` / <job>` for a job. */
  holder: string;
}

export type Acquired = { lease: Lease } | { cancelled: string };

export interface Lease {
  /** Aborted when a newer run or job of the group cancels this one (cancel-in-progress). */
  signal: AbortSignal;
  waited: boolean;
  /** Ends the hold and starts whoever waits next. Safe to call twice. */
  release(): void;
}

interface Waiter {
  setting: ConcurrencySetting;
  holder: string;
  controller: AbortController;
  settle(acquired: Acquired): void;
}

interface Group {
  running: Waiter | undefined;
  pending: Waiter[];
}

/** GitHub's annotation on a run or job its group cancelled. */
export const replacedMessage = (group: string): string =>
  `Canceling since a higher priority waiting request for '${group}' exists`;

export const deadlockMessage = (group: string, outer: string, inner: string): string =>
  `Canceling since a deadlock for concurrency group '${group}' was detected between '${outer}' and '${inner}'`;

export class ConcurrencyGroups {
  private readonly groups = new Map<string, Group>();
  private readonly onEvent: ((event: ConcurrencyEvent) => void) | undefined;

  constructor(options: { onEvent?: (event: ConcurrencyEvent) => void } = {}) {
    this.onEvent = options.onEvent;
  }

  /** Who runs and who waits in a group now. */
  state(group: string): { running: string | undefined; pending: string[] } {
    const found = this.groups.get(group.toLowerCase());
    return { running: found?.running?.holder, pending: found?.pending.map((waiter) => waiter.holder) ?? [] };
  }

  /**
   * Resolves when `holder` may start (with a lease to release when it ends),
   * or when the group cancels it while it waits. `signal` aborting (the run
   * cancelled) also ends the wait.
   */
  acquire(setting: ConcurrencySetting, holder: string, signal: AbortSignal): Promise<Acquired> {
    if (signal.aborted) return Promise.resolve({ cancelled: 'the run was cancelled before it could start' });
    const key = setting.group.toLowerCase();
    let group = this.groups.get(key);
    if (!group) {
      group = { running: undefined, pending: [] };
      this.groups.set(key, group);
    }
    const found = group;
    return new Promise<Acquired>((resolve) => {
      const waiter: Waiter = { setting, holder, controller: new AbortController(), settle: resolve };
      if (found.running && setting.queue === 'single') {
        for (const replaced of found.pending.splice(0)) {
          replaced.settle({ cancelled: replacedMessage(setting.group) });
          this.emit('cancelled', replaced);
        }
      }
      if (found.running && setting.cancelInProgress) {
        found.running.controller.abort();
        this.emit('cancelled', found.running);
      }
      if (!found.running) {
        found.running = waiter;
        this.emit('running', waiter);
        resolve({ lease: this.lease(key, waiter, false) });
        return;
      }
      found.pending.push(waiter);
      this.emit('pending', waiter);
      signal.addEventListener(
        'abort',
        () => {
          const index = found.pending.indexOf(waiter);
          if (index < 0) return;
          found.pending.splice(index, 1);
          resolve({ cancelled: `the run was cancelled while it waited for concurrency group '${setting.group}'` });
        },
        { once: true },
      );
    });
  }

  private lease(key: string, waiter: Waiter, waited: boolean): Lease {
    let released = false;
    return {
      signal: waiter.controller.signal,
      waited,
      release: () => {
        if (released) return;
        released = true;
        this.emit('released', waiter);
        const group = this.groups.get(key);
        if (!group || group.running !== waiter) return;
        const next = group.pending.shift();
        group.running = next;
        if (!next) {
          this.groups.delete(key);
          return;
        }
        this.emit('running', next);
        next.settle({ lease: this.lease(key, next, true) });
      },
    };
  }

  private emit(kind: ConcurrencyEvent['kind'], waiter: Waiter): void {
    this.onEvent?.({ kind, group: waiter.setting.group, holder: waiter.holder });
  }
}

/** `concurrency:` evaluated: a group name, or a mapping with group, cancel-in-progress and queue. */
export function evaluateConcurrency(
  token: TemplateToken | undefined,
  file: string,
  scope: ExpressionScope,
): ConcurrencySetting | undefined {
  if (!token) return undefined;
  const value = evaluateToken(token, file, scope);
  const fail = (message: string): never => {
    throw new WorkflowRuntimeError(at(placeOf(file, token), message));
  };
  let setting: ConcurrencySetting;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const mapping = value as Record<string, unknown>;
    const cancel = mapping['cancel-in-progress'];
    if (cancel !== undefined && ![true, false, 'true', 'false'].includes(cancel as never)) {
      fail(`concurrency cancel-in-progress must be true or false, not '${String(cancel)}'`);
    }
    const queue = mapping['queue'] ?? 'single';
    if (queue !== 'single' && queue !== 'max') fail(`concurrency queue must be single or max, not '${String(queue)}'`);
    setting = {
      group: asString(mapping['group'], file, token),
      cancelInProgress: cancel === true || cancel === 'true',
      queue: queue as ConcurrencySetting['queue'],
    };
  } else {
    setting = { group: asString(value, file, token), cancelInProgress: false, queue: 'single' };
  }
  // A group that evaluates to nothing puts the run or job in no group.
  return setting.group.trim() === '' ? undefined : setting;
}

/** A group held around this point (by the run, a calling job, …), with whom GitHub names in a deadlock. */
export interface HeldGroup {
  key: string;
  by: string;
}

export interface ConcurrencyScope {
  groups: ConcurrencyGroups;
  /** Groups the enclosing run, workflows and jobs hold. */
  held: HeldGroup[];
}

export interface UnderGroup<T> {
  value: T;
  outcome: ConcurrencyOutcome | undefined;
}

/**
 * Runs `body` once `setting`'s group lets it (at once when there is no
 * setting). `body` gets the signal to stop on (the run's, or the group's when
 * a newer one cancels this in progress) and the held groups for what it runs
 * inside; `cancelled` makes the result when the group cancels it before it
 * starts.
 */
export async function underConcurrency<T>(
  scope: ConcurrencyScope,
  setting: ConcurrencySetting | undefined,
  who: { holder: string; name: string },
  signal: AbortSignal,
  body: (signal: AbortSignal, held: HeldGroup[]) => Promise<T>,
  cancelled: (message: string) => T,
): Promise<UnderGroup<T>> {
  if (!setting) return { value: await body(signal, scope.held), outcome: undefined };
  const key = setting.group.toLowerCase();
  const outer = scope.held.find((held) => held.key === key);
  if (outer) {
    const message = deadlockMessage(setting.group, outer.by, who.name);
    return { value: cancelled(message), outcome: { ...setting, waited: false, cancelled: message } };
  }
  const acquired = await scope.groups.acquire(setting, who.holder, signal);
  if ('cancelled' in acquired) {
    return {
      value: cancelled(acquired.cancelled),
      outcome: { ...setting, waited: true, cancelled: acquired.cancelled },
    };
  }
  const { lease } = acquired;
  try {
    const value = await body(AbortSignal.any([signal, lease.signal]), [...scope.held, { key, by: who.name }]);
    const outcome: ConcurrencyOutcome = { ...setting, waited: lease.waited };
    if (lease.signal.aborted) outcome.cancelled = replacedMessage(setting.group);
    return { value, outcome };
  } finally {
    lease.release();
  }
}

import { AwsError } from '../../errors.ts';
import type { EmulatorState } from '../../state.ts';
import type { ParsedExpression } from './expressions.ts';

/** EventBridge Scheduler's schedule groups and schedules, per account and region. */

export interface ScheduleGroup {
  name: string;
  arn: string;
  creationDate: number;
  lastModificationDate: number;
  tags: Map<string, string>;
}

export interface Schedule {
  name: string;
  group: string;
  arn: string;
  description: string | undefined;
  expression: string;
  parsed: ParsedExpression;
  timezone: string | undefined;
  state: 'ENABLED' | 'DISABLED';
  startDate: number | undefined;
  endDate: number | undefined;
  flexibleTimeWindow: { Mode: 'OFF' | 'FLEXIBLE'; MaximumWindowInMinutes?: number };
  /** As given: Arn, RoleArn, Input, SageMakerPipelineParameters, RetryPolicy, ... */
  target: Record<string, unknown>;
  actionAfterCompletion: 'NONE' | 'DELETE' | undefined;
  kmsKeyArn: string | undefined;
  creationDate: number;
  lastModificationDate: number;
  /** Occurrences up to this simulated instant have been invoked (or passed while disabled). */
  processedUntil: number;
  /** The ClientToken of the CreateSchedule that made it: the same request again is answered, not refused. */
  createToken: string | undefined;
}

export interface SchedulerStore {
  account: string;
  region: string;
  groups: Map<string, ScheduleGroup>;
  /** By "group/name". */
  schedules: Map<string, Schedule>;
}

export const DEFAULT_GROUP = 'default';

export const validation = (message: string) => new AwsError('ValidationException', message, 400);
export const notFound = (message: string) => new AwsError('ResourceNotFoundException', message, 404);
export const conflict = (message: string) => new AwsError('ConflictException', message, 409);

export const groupArn = (store: SchedulerStore, name: string) =>
  `arn:aws:scheduler:${store.region}:${store.account}:schedule-group/${name}`;

/** Every account and region has the default group, from its first use on. */
export function schedulerStoreOf(state: EmulatorState, account: string, region: string): SchedulerStore {
  return state.resources.bucket(account, region, 'scheduler', () => {
    const store: SchedulerStore = { account, region, groups: new Map(), schedules: new Map() };
    const now = state.clock.now();
    store.groups.set(DEFAULT_GROUP, {
      name: DEFAULT_GROUP,
      arn: groupArn(store, DEFAULT_GROUP),
      creationDate: now,
      lastModificationDate: now,
      tags: new Map(),
    });
    return store;
  });
}

export function allSchedulerStores(state: EmulatorState): SchedulerStore[] {
  return state.resources.bucketsOf<SchedulerStore>('scheduler').map((entry) => entry.bucket);
}

export function requireGroup(store: SchedulerStore, name: string): ScheduleGroup {
  const group = store.groups.get(name);
  if (!group) throw notFound(`Schedule group ${name} does not exist.`);
  return group;
}

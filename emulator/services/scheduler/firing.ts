import { createHash } from 'node:crypto';
import type { EmulatorState } from '../../state.ts';
import {
  invokePipeline,
  invokeTopic,
  recordInvocation,
  targetTypeOf,
  type InvocationSource,
} from '../targets/invoke.ts';
import { instantOf, occurrences } from './expressions.ts';
import { allSchedulerStores, type Schedule, type SchedulerStore } from './store.ts';

/**
 * Schedules fire on the simulated clock: whenever the emulator settles (before every call, and
 * when the admin API is read), every enabled schedule invokes its target once for each
 * occurrence that simulated time has passed since it last looked, at that occurrence's time.
 * With a flexible time window the invocation comes at a fixed point inside the window that the
 * schedule and occurrence decide, not at its start: as on AWS, callers cannot count on when.
 */

const SCHEDULER = 'scheduler.amazonaws.com';
const BATCH = 10_000;

/** Where in its flexible window an occurrence is invoked: stable for the same schedule and time. */
function windowOffset(schedule: Schedule, occurrence: number): number {
  const window = schedule.flexibleTimeWindow;
  if (window.Mode !== 'FLEXIBLE' || !window.MaximumWindowInMinutes) return 0;
  const digest = createHash('sha256').update(`${schedule.arn}@${occurrence}`).digest();
  return digest.readUInt32BE(0) % (window.MaximumWindowInMinutes * 60_000);
}

/** Scheduler's context attributes, which a target's Input may name. */
function withContext(input: string, schedule: Schedule, occurrence: number): string {
  return input
    .replaceAll('<aws.scheduler.schedule-arn>', schedule.arn)
    .replaceAll('<aws.scheduler.scheduled-time>', new Date(occurrence).toISOString().replace(/\.\d{3}Z$/, 'Z'))
    .replaceAll(
      '<aws.scheduler.execution-id>',
      createHash('sha256').update(`${schedule.arn}@${occurrence}`).digest('hex').slice(0, 32),
    )
    .replaceAll('<aws.scheduler.attempt-number>', '1');
}

const UNIVERSAL_START_PIPELINE = /^arn:aws[a-z-]*:scheduler:::aws-sdk:sagemaker:startPipelineExecution$/;

function invoke(
  state: EmulatorState,
  store: SchedulerStore,
  schedule: Schedule,
  occurrence: number,
  time: number,
): void {
  const target = schedule.target;
  const arn = String(target.Arn ?? '');
  const roleArn = typeof target.RoleArn === 'string' ? target.RoleArn : undefined;
  const input = typeof target.Input === 'string' ? withContext(target.Input, schedule, occurrence) : null;
  const source: InvocationSource = {
    invoker: 'scheduler',
    service: SCHEDULER,
    sourceArn: schedule.arn,
    account: store.account,
    time,
    targetId: null,
    eventId: null,
  };
  const call = { arn, roleArn, input };
  const type = targetTypeOf(arn);
  if (type === 'sagemaker-pipeline') {
    const parameters = ((target.SageMakerPipelineParameters as Record<string, unknown> | undefined)
      ?.PipelineParameterList ?? []) as { Name: string; Value: string }[];
    invokePipeline(state, source, call, parameters);
  } else if (UNIVERSAL_START_PIPELINE.test(arn)) {
    // The universal target: the Input is StartPipelineExecution's own request.
    let request: { PipelineName?: unknown; PipelineParameters?: unknown } = {};
    try {
      request = JSON.parse(input ?? '{}') as typeof request;
    } catch {
      // left empty: refused below
    }
    const name = typeof request.PipelineName === 'string' ? request.PipelineName : '';
    const pipelineArn = name.startsWith('arn:')
      ? name
      : `arn:aws:sagemaker:${store.region}:${store.account}:pipeline/${name}`;
    if (name === '') {
      recordInvocation(state, source, call, { code: 'ValidationException', message: 'PipelineName is required.' });
      return;
    }
    const parameters = Array.isArray(request.PipelineParameters)
      ? (request.PipelineParameters as { Name: string; Value: string }[])
      : [];
    invokePipeline(state, source, { ...call, arn: pipelineArn }, parameters);
  } else if (type === 'sns-topic') {
    invokeTopic(state, source, { ...call, input: input ?? '' });
  } else {
    recordInvocation(state, source, call, {
      code: 'ValidationException',
      message: `The emulator does not invoke this kind of target: ${arn}`,
    });
  }
}

function fire(state: EmulatorState, store: SchedulerStore, schedule: Schedule, now: number): void {
  if (schedule.state === 'DISABLED') {
    schedule.processedUntil = Math.max(schedule.processedUntil, now);
    return;
  }
  const oneTime = schedule.parsed.kind === 'at';
  // Scheduler ignores StartDate and EndDate for one-time schedules.
  const until = oneTime ? now : Math.min(now, schedule.endDate ?? Infinity);
  const notBefore = oneTime || schedule.startDate === undefined ? -Infinity : schedule.startDate - 1;
  for (;;) {
    const after = Math.max(schedule.processedUntil, notBefore);
    const due = occurrences(
      schedule.parsed,
      { after, until, anchor: schedule.startDate ?? schedule.creationDate, timezone: schedule.timezone ?? 'UTC' },
      BATCH,
    );
    for (const occurrence of due) {
      const time = occurrence + windowOffset(schedule, occurrence);
      // Still inside its window: it is invoked when simulated time gets there.
      if (time > now) return;
      invoke(state, store, schedule, occurrence, time);
      schedule.processedUntil = occurrence;
    }
    if (due.length < BATCH) break;
  }
  schedule.processedUntil = Math.max(schedule.processedUntil, until);
  const completed =
    schedule.parsed.kind === 'at'
      ? instantOf(schedule.parsed.local, schedule.timezone ?? 'UTC') <= now
      : schedule.endDate !== undefined && schedule.endDate <= now;
  if (completed && schedule.actionAfterCompletion === 'DELETE')
    store.schedules.delete(`${schedule.group}/${schedule.name}`);
}

export function settleSchedules(state: EmulatorState): void {
  const now = state.clock.now();
  for (const store of allSchedulerStores(state))
    for (const schedule of [...store.schedules.values()]) fire(state, store, schedule, now);
}

/**
 * What AWS services put on their account's default event bus (SageMaker's status changes). The
 * emitting service queues an event here, knowing nothing of EventBridge; EventBridge takes the
 * queue when the emulator settles (ServiceRegistry.settle) and delivers each event to the rules
 * of the bus in the event's account and region.
 */

export interface ServiceEvent {
  /** "aws.sagemaker". */
  source: string;
  /** "SageMaker Model Building Pipeline Execution Status Change". */
  detailType: string;
  account: string;
  region: string;
  /** Simulated epoch ms at which the change happened: the event's `time`. */
  time: number;
  resources: string[];
  detail: Record<string, unknown>;
}

export class ServiceEventQueue {
  private queue: ServiceEvent[] = [];
  private count = 0;

  emit(event: ServiceEvent): void {
    this.queue.push(event);
    this.count++;
  }

  /** Every event queued so far, oldest change first; the queue is then empty. */
  take(): ServiceEvent[] {
    const taken = this.queue;
    this.queue = [];
    return taken.sort((a, b) => a.time - b.time);
  }

  /** How many events were ever emitted: settling goes on while this grows. */
  get emitted(): number {
    return this.count;
  }

  clear(): void {
    this.queue = [];
  }
}

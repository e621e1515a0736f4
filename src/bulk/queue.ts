/**
 * The job queue of bulk operations (internal): one interface, two implementations. In process
 * (`memoryQueue`, the embedded default: operations do not survive a restart) or BullMQ on Redis
 * (queue-bullmq.ts: any replica runs any operation; a replica that dies has its jobs picked up by
 * another through BullMQ's stalled-job recovery). The shared test suite runs against both.
 */

/** What became of one delivery: done (whatever the operation's status), or retry after a delay. */
export type RunVerdict = { kind: 'done' } | { kind: 'later'; delayMs: number };

export type Processor = (operationId: string) => Promise<RunVerdict>;

export interface BulkQueue {
  readonly kind: 'memory' | 'bullmq';
  /** Queues one run of the operation; a no-op when it is queued already. */
  enqueue(operationId: string): Promise<void>;
  /** Starts delivering operations to `processor`, at most `concurrency` at once in this process. */
  start(processor: Processor, concurrency: number): Promise<void>;
  /** Stops taking operations; operations running here are abandoned to another replica (BullMQ) or lost (in process). */
  close(): Promise<void>;
}

/** In-process queue: FIFO, `concurrency` runs at once, `later` re-queues after its delay. */
export function memoryQueue(): BulkQueue {
  const pending: string[] = [];
  const queued = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let processor: Processor | null = null;
  let limit = 1;
  let running = 0;
  let closed = false;
  const pump = (): void => {
    while (!closed && processor && running < limit && pending.length > 0) {
      const id = pending.shift() as string;
      queued.delete(id);
      running += 1;
      processor(id)
        .catch((): RunVerdict => ({ kind: 'done' }))
        .then((verdict) => {
          running -= 1;
          if (verdict.kind === 'later' && !closed) {
            const timer = setTimeout(() => {
              timers.delete(timer);
              enqueue(id);
            }, verdict.delayMs);
            timers.add(timer);
          }
          pump();
        });
    }
  };
  const enqueue = (id: string): void => {
    if (closed || queued.has(id)) return;
    queued.add(id);
    pending.push(id);
    pump();
  };
  return {
    kind: 'memory',
    async enqueue(id) {
      enqueue(id);
    },
    async start(p, concurrency) {
      processor = p;
      limit = Math.max(1, concurrency);
      pump();
    },
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      pending.length = 0;
      queued.clear();
    },
  };
}

/**
 * BullMQ implementation of `BulkQueue` (internal), on the CACHE_URL Redis. One job per operation
 * (job id = operation id, data = the id only: the plan and sealed credential are in the store).
 * Stalled-job recovery: a worker holds a lock on its job, renewed every `lockMs / 2`; when a
 * replica dies, its lock expires and another replica's worker takes the job over within about
 * `lockMs` and resumes it from the checkpoint. A delivery that must wait (running limit) is moved
 * back to the delayed set.
 */
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { BulkQueue, Processor } from './queue.js';

export interface BullQueueOptions {
  url: string;
  /** Key prefix of BullMQ's keys (queues of different prefixes never share jobs). */
  prefix: string;
  /** Job lock duration, ms: how long a dead replica's job waits before another takes it over. */
  lockMs: number;
  /** Errors of the queue's connection, queue and worker (they reconnect on their own). */
  onError?: (error: Error) => void;
}

const QUEUE_NAME = 'bulk-operations';

export async function bullQueue(options: BullQueueOptions): Promise<BulkQueue> {
  const onError = options.onError ?? (() => {});
  const connection = new Redis(options.url, { maxRetriesPerRequest: null, lazyConnect: false });
  connection.on('error', onError);
  const queue = new Queue(QUEUE_NAME, { connection, prefix: options.prefix });
  queue.on('error', onError);
  let worker: Worker | null = null;
  return {
    kind: 'bullmq',
    async enqueue(operationId) {
      await queue.add('run', { operationId }, { jobId: operationId, removeOnComplete: true, removeOnFail: true, attempts: 1 });
    },
    async start(processor: Processor, concurrency) {
      worker = new Worker(
        QUEUE_NAME,
        async (job: Job<{ operationId: string }>, token?: string) => {
          const verdict = await processor(job.data.operationId);
          if (verdict.kind === 'later') {
            await job.moveToDelayed(Date.now() + verdict.delayMs, token);
            throw new DelayedError();
          }
        },
        {
          connection,
          prefix: options.prefix,
          concurrency: Math.max(1, concurrency),
          lockDuration: options.lockMs,
          stalledInterval: options.lockMs,
          // A job whose replicas keep dying is still resumed, not failed.
          maxStalledCount: 1000,
        },
      );
      worker.on('error', onError);
      await worker.waitUntilReady();
    },
    async close() {
      // force: do not wait for running operations; their locks lapse and another replica resumes them.
      await worker?.close(true).catch(() => {});
      await queue.close().catch(() => {});
      connection.disconnect();
    },
  };
}

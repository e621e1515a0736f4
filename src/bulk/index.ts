/**
 * Assembles the bulk-operation engine for a server (wiring only): with a Redis cache, the Redis
 * store and BullMQ queue on the same Redis (JOB_SECRET seals credentials, replicas share it);
 * otherwise the in-process store and queue.
 */
import type { BffCache } from '../cache/index.js';
import { throttledErrorLog } from '../cache/redis.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { UpstreamClient } from '../upstream/client.js';
import { bullQueue } from './queue-bullmq.js';
import { memoryQueue } from './queue.js';
import { createSealer } from './seal.js';
import { createBulkService, type BulkService } from './service.js';
import { memorySlots, redisSlots } from './slots.js';
import { createMemoryStore } from './store-memory.js';
import { createRedisStore } from './store-redis.js';

export async function createBulkEngine(config: Readonly<Config>, cache: BffCache, upstream: UpstreamClient, logger: Logger): Promise<BulkService> {
  const retentionMs = config.BULK_RETENTION_HOURS * 3_600_000;
  const common = { config, logger, cache, upstream, sealer: createSealer(config.JOB_SECRET), leaseMs: config.BULK_LOCK_MS };
  const client = cache.redisClient;
  if (client && config.CACHE_URL) {
    const prefix = config.BULK_REDIS_PREFIX;
    const [store, queue] = await Promise.all([createRedisStore(client, prefix, retentionMs, logger), bullQueue({ url: config.CACHE_URL, prefix: `${prefix}:q`, lockMs: config.BULK_LOCK_MS, onError: throttledErrorLog(logger, 'bulk queue') })]);
    return createBulkService({ ...common, store, queue, slots: redisSlots(client, prefix, config.BULK_MAX_RUNNING_PER_CREDENTIAL) });
  }
  return createBulkService({
    ...common,
    store: createMemoryStore(retentionMs),
    queue: memoryQueue(),
    slots: memorySlots(config.BULK_MAX_RUNNING_PER_CREDENTIAL),
  });
}

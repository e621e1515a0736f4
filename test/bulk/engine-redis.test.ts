/**
 * The bulk-operation suite on the BullMQ engine (Redis store, BullMQ queue). Runs when REDIS_URL is
 * set (as CI does): REDIS_URL=redis://127.0.0.1:6379 npx vitest run test/bulk/engine-redis.test.ts
 */
import { randomUUID } from 'node:crypto';
import { describe, it } from 'vitest';
import { bulkEngineSuite } from './engine-suite.js';

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL) {
  console.warn('engine-redis.test.ts: REDIS_URL is not set, skipping the BullMQ engine suite (run with REDIS_URL=redis://127.0.0.1:6379).');
  describe('bulk operations (BullMQ engine)', () => {
    it.skip('needs REDIS_URL', () => {});
  });
} else {
  const run = randomUUID().slice(0, 8);
  bulkEngineSuite('BullMQ engine on Redis', () => ({
    CACHE_URL: REDIS_URL,
    HASH_SECRET: `hash-${run}`,
    JOB_SECRET: `job-secret-${run}-0123456789`,
    BULK_REDIS_PREFIX: `test:bulk:${run}:${randomUUID().slice(0, 6)}`,
    BULK_LOCK_MS: '2000',
  }));
}

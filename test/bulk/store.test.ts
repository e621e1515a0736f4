/**
 * The `BulkStore` contract, run against the in-process store and the Redis store (REDIS_URL set):
 * creation once per id, owner-scoped listing newest first, checkpoints, and what a final status
 * keeps (lists, record) and deletes (plan, sealed credential, checkpoint), then retention.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeRedis, connectRedis } from '../../src/cache/redis.js';
import type { BulkStore } from '../../src/bulk/store.js';
import { createMemoryStore } from '../../src/bulk/store-memory.js';
import { createRedisStore } from '../../src/bulk/store-redis.js';
import type { BulkRecord } from '../../src/bulk/types.js';
import type { MutationPlan } from '../../src/mutations/plan.js';

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL) console.warn('store.test.ts: REDIS_URL is not set, skipping the Redis store (run with REDIS_URL=redis://127.0.0.1:6379).');

const record = (id: string, owner: string, createdAt: string, fields: Partial<BulkRecord> = {}): BulkRecord => ({
  id, kind: 'deleteManyFromDataset', projectId: 'p1', owner, status: 'QUEUED', cancelRequested: false, total: 3, processed: 0, appliedCount: 0,
  failedCount: 0, unknownOutcomeCount: 0, batches: 0, verified: false, createdAt, startedAt: null, finishedAt: null, warnings: [], error: null, outcome: null,
  ...fields,
});
const plan: MutationPlan = { kind: 'deleteManyFromDataset', field: 'assetIds', projectId: 'p1', ids: ['a', 'b', 'c'], warnings: [] };

function contract(name: string, make: (retentionMs: number) => Promise<{ store: BulkStore; close(): Promise<void> }>, retentionMs: number) {
  describe(`BulkStore (${name})`, () => {
    let store: BulkStore;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ store, close } = await make(retentionMs));
    });
    afterAll(async () => {
      await close?.();
    });

    it('creates once per id; lists an owner\'s operations newest first, filtered and paged', async () => {
      const owner = randomUUID();
      expect(await store.create(record('op1', owner, '2026-01-01T00:00:00.000Z'), plan, 'sealed-1')).toBe(true);
      expect(await store.create(record('op1', owner, '2026-01-01T00:00:00.000Z'), plan, 'other')).toBe(false);
      expect(await store.sealedCredential('op1')).toBe('sealed-1');
      await store.create(record('op2', owner, '2026-01-02T00:00:00.000Z', { projectId: 'p2' }), plan, 's');
      await store.create(record('op3', owner, '2026-01-03T00:00:00.000Z'), plan, 's');
      await store.create(record('other', randomUUID(), '2026-01-04T00:00:00.000Z'), plan, 's');
      const ids = async (filter = { projectId: null as string | null, statuses: null }, first = 10, skip = 0) => (await store.list(owner, filter, first, skip)).map((r) => r.id);
      expect(await ids()).toEqual(['op3', 'op2', 'op1']);
      expect(await ids(undefined, 1, 1)).toEqual(['op2']);
      expect(await ids({ projectId: 'p1', statuses: null })).toEqual(['op3', 'op1']);
      await store.requestCancel('op3');
      expect((await store.list(owner, { projectId: null, statuses: ['CANCELING'] }, 10, 0)).map((r) => r.id)).toEqual(['op3']);
      expect(await store.activeCount(owner)).toBe(3);
    });

    it('checkpoints batches, counts progress, announces changes; a final status keeps lists and drops plan, credential and checkpoint, then expires', async () => {
      const owner = randomUUID();
      const id = `op-${randomUUID()}`;
      await store.create(record(id, owner, new Date().toISOString()), plan, 'sealed');
      let events = 0;
      const unsubscribe = store.subscribe(id, () => {
        events += 1;
      });
      await store.markStarted(id, 0);
      await store.markStarted(id, 1);
      await store.markSettled(id, 0, ['a'], { processed: 1, applied: 1, failed: 0, unknown: 0 });
      const checkpoint = await store.checkpoint(id);
      expect([...checkpoint.done]).toEqual([[0, ['a']]]);
      expect([...checkpoint.inFlight]).toEqual([1]);
      expect(checkpoint.sent).toBe(2);
      expect(await store.get(id)).toMatchObject({ processed: 1, appliedCount: 1, batches: 2 });
      expect(await store.lists(id)).toEqual({ applied: ['a'], failed: [], unknown: [] });
      await store.finish(id, { status: 'COMPLETED', appliedCount: 3, processed: 3 }, { applied: ['a', 'b', 'c'], failed: [], unknown: [] });
      await new Promise((resolve) => setTimeout(resolve, 50));
      unsubscribe();
      expect(events).toBeGreaterThanOrEqual(2);
      expect(await store.get(id)).toMatchObject({ status: 'COMPLETED', appliedCount: 3, processed: 3 });
      expect(await store.lists(id)).toEqual({ applied: ['a', 'b', 'c'], failed: [], unknown: [] });
      expect(await store.plan(id)).toBeNull();
      expect(await store.sealedCredential(id)).toBeNull();
      expect(await store.checkpoint(id)).toEqual({ done: new Map(), inFlight: new Set(), sent: 2 });
      await new Promise((resolve) => setTimeout(resolve, retentionMs + 600));
      expect(await store.get(id)).toBeNull();
      expect(await store.list(owner, { projectId: null, statuses: null }, 10, 0)).toEqual([]);
    });
  });
}

contract('in process', async (retentionMs) => {
  const store = createMemoryStore(retentionMs);
  return { store, close: () => store.close() };
}, 100);

describe.skipIf(!REDIS_URL)('Redis store (REDIS_URL set)', () => {
  contract('Redis', async (retentionMs) => {
    const client = await connectRedis(REDIS_URL!);
    const store = await createRedisStore(client, `test:store:${randomUUID()}`, retentionMs);
    return {
      store,
      close: async () => {
        await store.close();
        await closeRedis(client);
      },
    };
  }, 1000);
});

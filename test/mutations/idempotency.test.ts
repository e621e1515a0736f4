/**
 * Idempotency-Key: replay, scope, different body; the cross-replica lock (a fake here, Redis's
 * `SET NX PX` when REDIS_URL is set); what is stored (size, credential known upstream).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  bodyHash,
  checkIdempotencyKey,
  idempotencyStoreKey,
  MAX_STORED_RESULT_BYTES,
  withIdempotency,
  type IdempotencyLock,
  type IdempotencyStore,
} from '../../src/mutations/idempotency.js';
import { closeRedis, connectRedis } from '../../src/cache/redis.js';
import { redisIdempotencyLock } from '../../src/mutations/idempotency-lock.js';
import type { MutationOutcome } from '../../src/mutations/types.js';

function memoryStore(): IdempotencyStore & { ttl: number[] } {
  const map = new Map<string, unknown>();
  const ttl: number[] = [];
  return {
    ttl,
    get: async (k) => map.get(k),
    set: async (k, v, t) => {
      ttl.push(t);
      map.set(k, JSON.parse(JSON.stringify(v)));
    },
  };
}

const outcome = (n: number): MutationOutcome => ({ projectId: 'p', assetIds: [`a${n}`], batches: 1, verified: true, warnings: [] });
const scope = { credentialHash: 'h1', key: 'k', responseKey: 'addToReview' };

describe('withIdempotency', () => {
  it('runs once and replays the stored result', async () => {
    const store = memoryStore();
    let runs = 0;
    const run = async () => outcome(++runs);
    const hash = bodyHash('addToReview', { assetIds: ['a'] });
    expect(await withIdempotency(store, scope, hash, 1000, run)).toEqual(outcome(1));
    expect(await withIdempotency(store, scope, hash, 1000, run)).toEqual(outcome(1));
    expect(runs).toBe(1);
    expect(store.ttl).toEqual([1000]);
  });
  it('shares one run between concurrent duplicates', async () => {
    const store = memoryStore();
    let runs = 0;
    const run = async () => (await new Promise((r) => setTimeout(r, 5)), outcome(++runs));
    const hash = bodyHash('addToReview', {});
    const [a, b] = await Promise.all([withIdempotency(store, scope, hash, 1, run), withIdempotency(store, scope, hash, 1, run)]);
    expect(a).toEqual(b);
    expect(runs).toBe(1);
  });
  it('scopes keys by credential, and rejects the same key with another body', async () => {
    const store = memoryStore();
    let runs = 0;
    const run = async () => outcome(++runs);
    await withIdempotency(store, scope, bodyHash('addToReview', { assetIds: ['a'] }), 1, run);
    await withIdempotency(store, { ...scope, credentialHash: 'h2' }, bodyHash('addToReview', { assetIds: ['a'] }), 1, run);
    expect(runs).toBe(2);
    await expect(withIdempotency(store, scope, bodyHash('addToReview', { assetIds: ['b'] }), 1, run)).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'Idempotency-Key' },
    });
  });
  it('does not store failures', async () => {
    const store = memoryStore();
    const hash = bodyHash('x', {});
    await expect(withIdempotency(store, scope, hash, 1, async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(await withIdempotency(store, scope, hash, 1, async () => outcome(5))).toEqual(outcome(5));
  });
  it('hashes arguments independently of key order', () => {
    expect(bodyHash('m', { a: 1, b: { c: 2, d: 3 } })).toBe(bodyHash('m', { b: { d: 3, c: 2 }, a: 1 }));
  });
});

/** A lock shared by "replicas" (several withIdempotency callers with their own in-process state). */
function fakeLock(): IdempotencyLock & { holders: Map<string, string> } {
  const holders = new Map<string, string>();
  return {
    holders,
    acquire: async (key) => {
      if (holders.has(key)) return null;
      const token = randomUUID();
      holders.set(key, token);
      return token;
    },
    renew: async () => {},
    release: async (key, token) => {
      if (holders.get(key) === token) holders.delete(key);
    },
  };
}

describe('withIdempotency across replicas (lock)', () => {
  const hash = bodyHash('addToReview', { assetIds: ['a'] });
  const lockKey = `${idempotencyStoreKey(scope)}:lock`;

  it('a second request finding the key held waits for the stored result and does not run', async () => {
    const store = memoryStore();
    const lock = fakeLock();
    lock.holders.set(lockKey, 'other-replica');
    setTimeout(() => {
      void store.set(idempotencyStoreKey(scope), { v: 1, bodyHash: hash, outcome: outcome(7) }, 1000);
      lock.holders.delete(lockKey);
    }, 30);
    let runs = 0;
    const result = await withIdempotency(store, scope, hash, 1000, async () => outcome(++runs), { lock, pollMs: 5, waitMs: 5000 });
    expect(result).toEqual(outcome(7));
    expect(runs).toBe(0);
  });

  it('IDEMPOTENCY_KEY_IN_USE when the key stays held past the wait', async () => {
    const lock = fakeLock();
    lock.holders.set(lockKey, 'other-replica');
    const run = withIdempotency(memoryStore(), scope, hash, 1000, async () => outcome(1), { lock, pollMs: 5, waitMs: 40 });
    await expect(run).rejects.toMatchObject({ extensions: { code: 'IDEMPOTENCY_KEY_IN_USE', retryAfterMs: 1000 } });
  });

  it('runs when the holder failed (key released, nothing stored), and releases the key after storing', async () => {
    const store = memoryStore();
    const lock = fakeLock();
    lock.holders.set(lockKey, 'other-replica');
    setTimeout(() => lock.holders.delete(lockKey), 30);
    expect(await withIdempotency(store, scope, hash, 1000, async () => outcome(2), { lock, pollMs: 5, waitMs: 5000 })).toEqual(outcome(2));
    expect(lock.holders.size).toBe(0);
    expect(store.ttl).toEqual([1000]);
  });

  it('stores nothing when canStore says the credential was never accepted upstream, or when the result is too large', async () => {
    const store = memoryStore();
    await withIdempotency(store, scope, hash, 1000, async () => outcome(1), { canStore: () => false });
    const huge = { ...outcome(1), projectId: 'p'.repeat(MAX_STORED_RESULT_BYTES) };
    await withIdempotency(store, { ...scope, key: 'k2' }, hash, 1000, async () => huge);
    expect(store.ttl).toEqual([]);
  });

  it('bounds the Idempotency-Key header: 1 to 255 visible ASCII characters', () => {
    expect(() => checkIdempotencyKey('k'.repeat(255))).not.toThrow();
    for (const bad of ['k'.repeat(256), 'has space', 'tab\t', 'é']) {
      expect(() => checkIdempotencyKey(bad)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'Idempotency-Key' }) }));
    }
  });
});

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL) console.warn('idempotency.test.ts: REDIS_URL is not set, skipping the Redis lock test (run with REDIS_URL=redis://127.0.0.1:6379).');

describe.skipIf(!REDIS_URL)('Redis Idempotency-Key lock (REDIS_URL set)', () => {
  it('SET NX PX: one holder at a time; only the holder renews or releases; the lease lapses', async () => {
    const client = await connectRedis(REDIS_URL!);
    try {
      const lock = redisIdempotencyLock(client, `test:idem-lock:${randomUUID()}`);
      const first = await lock.acquire('k', 5000);
      expect(first).toMatch(/^[0-9a-f-]{36}$/);
      expect(await lock.acquire('k', 5000)).toBeNull();
      await lock.release('k', 'not-the-holder');
      expect(await lock.acquire('k', 5000)).toBeNull();
      await lock.release('k', first as string);
      const second = await lock.acquire('k', 60);
      expect(second).not.toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(await lock.acquire('k', 5000)).not.toBeNull();
    } finally {
      await closeRedis(client);
    }
  });
});

/**
 * Caches: the in-memory store always; the Redis store only when REDIS_URL is set
 * (e.g. REDIS_URL=redis://127.0.0.1:6379 npx vitest run test/bff/cache.test.ts).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCache, type BffCache } from '../../src/cache/index.js';
import { createRateLimiter } from '../../src/upstream/rate-limit.js';

/**
 * Checks that `key` (stored for 50 ms) is gone once its TTL has passed: in memory by moving the
 * clock keyv reads (Date) past it; in Redis, whose server expires keys itself, by the key's PTTL.
 */
type ExpiryCheck = (cache: BffCache, key: string) => Promise<void>;

const memoryExpiry: ExpiryCheck = async (cache, key) => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + 51);
  expect(await cache.response.get(key)).toBeUndefined();
};

const redisExpiry: ExpiryCheck = async (cache, key) => {
  const client = cache.redisClient!;
  const [stored, ...others] = await client.keys(`bff:response:*${key}`);
  expect(others).toEqual([]);
  const ttl = await client.pttl(stored!);
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual(50);
};

afterEach(() => {
  vi.useRealTimers();
});

async function exercise(cache: BffCache, expiry: ExpiryCheck) {
  const key = `k-${Math.random().toString(36).slice(2)}`;
  expect(await cache.idem.get(key)).toBeUndefined();
  await cache.idem.set(key, { assetIds: ['a'] }, 60_000);
  expect(await cache.idem.get(key)).toEqual({ assetIds: ['a'] });
  // namespaces are separate
  expect(await cache.apq.get(key)).toBeUndefined();
  expect(await cache.response.get(key)).toBeUndefined();
  await cache.response.set(key, 'short', 50);
  expect(await cache.response.get(key)).toBe('short');
  await expiry(cache, key);
  expect(await cache.idem.delete(key)).toBe(true);
  expect(await cache.idem.get(key)).toBeUndefined();
}

describe('cache (memory)', () => {
  it('stores per namespace with TTLs', async () => {
    const cache = await createCache(null);
    expect(cache.kind).toBe('memory');
    await exercise(cache, memoryExpiry);
    await cache.close();
  });
});

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL) console.warn('cache.test.ts: REDIS_URL is not set, skipping the Redis-backed cache tests.');

describe.skipIf(!REDIS_URL)('cache (redis, REDIS_URL set)', () => {
  it('stores per namespace with TTLs, shared between two instances', async () => {
    const a = await createCache(REDIS_URL!);
    const b = await createCache(REDIS_URL!);
    try {
      expect(a.kind).toBe('redis');
      await exercise(a, redisExpiry);
      const key = `shared-${Date.now()}`;
      await a.idem.set(key, 42, 10_000);
      expect(await b.idem.get(key)).toBe(42);
      await a.idem.delete(key);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('shares the per-credential rate limit through Redis', async () => {
    const a = await createCache(REDIS_URL!);
    const b = await createCache(REDIS_URL!);
    try {
      const hash = `cred-${Date.now()}`;
      await createRateLimiter(2, a.redisClient).consume(hash);
      await createRateLimiter(2, b.redisClient).consume(hash);
      await expect(createRateLimiter(2, a.redisClient).consume(hash)).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    } finally {
      await a.close();
      await b.close();
    }
  });
});

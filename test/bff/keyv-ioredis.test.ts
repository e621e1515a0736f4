/**
 * The keyv store over ioredis (src/cache/keyv-ioredis.ts) and the Redis helpers (src/cache/redis.ts).
 * Without Redis: a connection that is not ready or never answers gives misses, never rejections;
 * errors are logged at most once a minute each. With REDIS_URL set: the cache writes and reads
 * the keys and values that `@keyv/redis` 5 wrote (the fixtures below were written by
 * `@keyv/redis` 5.1.6 over keyv 5.6.0), so replicas of both versions share entries.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCache } from '../../src/cache/index.js';
import { KeyvIoredis } from '../../src/cache/keyv-ioredis.js';
import { closeRedis, connectRedis, execMulti, throttledErrorLog } from '../../src/cache/redis.js';
import type { Logger } from '../../src/log.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('KeyvIoredis without a ready connection', () => {
  it('misses, drops writes and deletes nothing at once while the connection is not ready, reporting nothing', async () => {
    const client = new Redis({ port: 1, lazyConnect: true });
    const errors: string[] = [];
    const store = new KeyvIoredis(client, { onError: (error) => errors.push(error.message) });
    store.namespace = 'bff:test';
    expect(client.status).toBe('wait');
    expect(await store.get('k')).toBeUndefined();
    expect(await store.set('k', '{"value":1}', 1000)).toBeUndefined();
    expect(await store.delete('k')).toBe(false);
    expect(await store.clear()).toBeUndefined();
    expect(errors).toEqual([]);
    expect(client.status).toBe('wait');
    client.disconnect();
  });

  it('gives up a command without a reply after its timeout (a miss, reported)', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    // No ready check nor client info: the connection is ready as soon as it is open, and nothing ever answers.
    const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, enableReadyCheck: false, disableClientInfo: true, maxRetriesPerRequest: null });
    try {
      await client.connect();
      const errors: string[] = [];
      const store = new KeyvIoredis(client, { timeoutMs: 20, onError: (error) => errors.push(error.message) });
      store.namespace = 'bff:test';
      expect(await store.get('k')).toBeUndefined();
      expect(await store.delete('k')).toBe(false);
      expect(errors).toEqual(['Redis cache command had no reply within 20 ms', 'Redis cache command had no reply within 20 ms']);
    } finally {
      client.disconnect();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('names keys as @keyv/redis did: <namespace>::<key>, the bare key without a namespace', () => {
    const store = new KeyvIoredis(new Redis({ lazyConnect: true }));
    expect(store.redisKey('bff:apq:abc')).toBe('bff:apq:abc');
    store.namespace = 'bff:apq';
    expect(store.redisKey('bff:apq:abc')).toBe('bff:apq::bff:apq:abc');
  });
});

describe('throttledErrorLog', () => {
  it('logs each distinct error at most once a minute', () => {
    const lines: unknown[][] = [];
    const logger = { warn: (...args: unknown[]) => void lines.push(args) } as unknown as Logger;
    let now = 1_000_000;
    const onError = throttledErrorLog(logger, 'cache', () => now);
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
    onError(refused);
    now += 2_000;
    onError(refused);
    onError(new Error('WRONGPASS invalid username-password pair or user is disabled.'));
    now += 58_000;
    onError(refused);
    const message = 'Redis error on the cache connection (the same error is not logged again within a minute)';
    expect(lines).toEqual([
      [{ redis: 'cache', code: 'ECONNREFUSED', error: 'connect ECONNREFUSED 127.0.0.1:6379' }, message],
      [{ redis: 'cache', code: undefined, error: 'WRONGPASS invalid username-password pair or user is disabled.' }, message],
      [{ redis: 'cache', code: 'ECONNREFUSED', error: 'connect ECONNREFUSED 127.0.0.1:6379' }, message],
    ]);
  });
});

describe('connectRedis', () => {
  it('rejects with the reason when Redis cannot be reached', async () => {
    await expect(connectRedis('redis://127.0.0.1:1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(createCache('redis://127.0.0.1:1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL) console.warn('keyv-ioredis.test.ts: REDIS_URL is not set, skipping the Redis-backed store tests.');

describe.skipIf(!REDIS_URL)('KeyvIoredis on Redis (REDIS_URL set)', () => {
  it('writes the keys and values @keyv/redis wrote: <ns>::<ns>:<key>, keyv JSON, PX with a TTL', async () => {
    const cache = await createCache(REDIS_URL!);
    const client = cache.redisClient!;
    const key = `compat-${randomUUID()}`;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00.000Z'));
    try {
      await cache.idem.set(key, { a: [1, 'x'], s: 'é\u2028"' }, 60_000);
      await cache.apq.set(key, 'query { a }');
      await cache.responseGen.set(key, 7, 30_000);
      expect(await client.get(`bff:idem::bff:idem:${key}`)).toBe('{"value":{"a":[1,"x"],"s":"é\u2028\\""},"expires":1893456060000}');
      expect(await client.get(`bff:apq::bff:apq:${key}`)).toBe('{"value":"query { a }"}');
      expect(await client.get(`bff:response-gen::bff:response-gen:${key}`)).toBe('{"value":7,"expires":1893456030000}');
      const idemTtl = await client.pttl(`bff:idem::bff:idem:${key}`);
      expect(idemTtl).toBeGreaterThan(0);
      expect(idemTtl).toBeLessThanOrEqual(60_000);
      expect(await client.pttl(`bff:apq::bff:apq:${key}`)).toBe(-1);
      expect(await client.keys(`*${key}`)).toHaveLength(3);
      expect(await cache.idem.delete(key)).toBe(true);
      expect(await cache.idem.delete(key)).toBe(false);
      expect(await client.exists(`bff:idem::bff:idem:${key}`)).toBe(0);
    } finally {
      await client.del(`bff:apq::bff:apq:${key}`, `bff:response-gen::bff:response-gen:${key}`);
      await cache.close();
    }
  });

  it('reads what @keyv/redis wrote, and misses what keyv sees as expired', async () => {
    const cache = await createCache(REDIS_URL!);
    const client = cache.redisClient!;
    const key = `compat-${randomUUID()}`;
    try {
      // As written by @keyv/redis 5.1.6 (keyv 5.6.0) for idem.set(key, { a: [1, 'x'], s: 'é\u2028"' }, 60000) and apq.set(key, 'query { a }').
      await client.set(`bff:idem::bff:idem:${key}`, `{"value":{"a":[1,"x"],"s":"é\u2028\\""},"expires":${Date.now() + 60_000}}`, 'PX', 60_000);
      await client.set(`bff:apq::bff:apq:${key}`, '{"value":"query { a }"}');
      await client.set(`bff:response::bff:response:${key}`, `{"value":"old","expires":${Date.now() - 1}}`, 'PX', 60_000);
      expect(await cache.idem.get(key)).toEqual({ a: [1, 'x'], s: 'é\u2028"' });
      expect(await cache.apq.get(key)).toBe('query { a }');
      expect(await cache.response.get(key)).toBeUndefined();
      // keyv deletes an entry it finds expired.
      expect(await client.exists(`bff:response::bff:response:${key}`)).toBe(0);
    } finally {
      await client.del(`bff:idem::bff:idem:${key}`, `bff:apq::bff:apq:${key}`);
      await cache.close();
    }
  });

  it('a failing command is a miss (reported); clear() deletes its namespace only', async () => {
    const client = await connectRedis(REDIS_URL!);
    const namespace = `test:keyv:${randomUUID()}`;
    const errors: string[] = [];
    const store = new KeyvIoredis(client, { onError: (error) => errors.push(error.message) });
    store.namespace = namespace;
    const other = `test:keyv:${randomUUID()}::k`;
    try {
      await client.hset(`${namespace}::hash`, 'f', 'v');
      expect(await store.get('hash')).toBeUndefined();
      expect(errors).toEqual(['WRONGTYPE Operation against a key holding the wrong kind of value']);
      for (let i = 0; i < 3; i++) await store.set(`k${i}`, `"v${i}"`);
      await client.set(other, 'kept');
      expect(await store.get('k2')).toBe('"v2"');
      await store.clear();
      // SCAN … TYPE string: the hash is not keyv's and stays.
      expect(await client.keys(`${namespace}::*`)).toEqual([`${namespace}::hash`]);
      expect(await client.get(other)).toBe('kept');
    } finally {
      await client.del(`${namespace}::hash`, other);
      await closeRedis(client);
    }
  });

  it('execMulti rejects when a command of the transaction failed', async () => {
    const client = await connectRedis(REDIS_URL!);
    const key = `test:multi:${randomUUID()}`;
    try {
      await expect(execMulti(client.multi().set(key, 'x').incr(key))).rejects.toThrow('ERR value is not an integer or out of range');
      expect(await execMulti(client.multi().set(key, '1').incr(key))).toEqual(['OK', 2]);
    } finally {
      await client.del(key);
      await closeRedis(client);
    }
  });
});

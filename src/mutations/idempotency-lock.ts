/**
 * The cross-replica `Idempotency-Key` lock in Redis (internal): `SET key token NX PX lease`;
 * renewal and release only by the holder (compare-and-set scripts), so a lease that lapsed and was
 * taken by another request is never extended or freed by the first.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from '../cache/redis.js';
import type { IdempotencyLock } from './idempotency.js';

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export function redisIdempotencyLock(client: Redis, prefix = 'bff:idem-lock'): IdempotencyLock {
  const full = (key: string) => `${prefix}:${key}`;
  return {
    async acquire(key, leaseMs) {
      const token = randomUUID();
      const ok = await client.set(full(key), token, 'PX', Math.max(1, Math.round(leaseMs)), 'NX');
      return ok === 'OK' ? token : null;
    },
    async renew(key, token, leaseMs) {
      await client.eval(RENEW, 1, full(key), token, String(Math.max(1, Math.round(leaseMs))));
    },
    async release(key, token) {
      await client.eval(RELEASE, 1, full(key), token);
    },
  };
}

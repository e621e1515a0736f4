/**
 * Running slots per credential (internal): at most BULK_MAX_RUNNING_PER_CREDENTIAL operations of
 * one owner run at once, whichever replica runs them; the others stay QUEUED. A slot is a lease
 * renewed while its operation runs, so a replica that dies frees its slots when their lease ends.
 *
 * Run leases: one runner per operation at a time (a worker, or the request that handed itself
 * off). The holder renews it; when its process dies the lease lapses and a worker resumes the
 * operation from its checkpoint.
 */
import type { Redis } from '../cache/redis.js';

export interface RunSlots {
  /** Takes (or renews) the owner's slot for this operation; false when every slot is taken. */
  acquire(owner: string, operationId: string, leaseMs: number): Promise<boolean>;
  release(owner: string, operationId: string): Promise<void>;
  /** Takes or renews the run lease of an operation for `holder`; false when another holds it. */
  hold(operationId: string, holder: string, leaseMs: number): Promise<boolean>;
  /** Frees the run lease when `holder` has it. */
  drop(operationId: string, holder: string): Promise<void>;
}

export function memorySlots(max: number): RunSlots {
  const held = new Map<string, Set<string>>();
  const leases = new Map<string, { holder: string; until: number }>();
  return {
    async hold(id, holder, leaseMs) {
      const lease = leases.get(id);
      if (lease && lease.holder !== holder && lease.until > Date.now()) return false;
      leases.set(id, { holder, until: Date.now() + leaseMs });
      return true;
    },
    async drop(id, holder) {
      if (leases.get(id)?.holder === holder) leases.delete(id);
    },
    async acquire(owner, id) {
      const set = held.get(owner) ?? new Set();
      if (!set.has(id) && set.size >= max) return false;
      set.add(id);
      held.set(owner, set);
      return true;
    },
    async release(owner, id) {
      const set = held.get(owner);
      set?.delete(id);
      if (set?.size === 0) held.delete(owner);
    },
  };
}

/** KEYS[1]: the owner's sorted set (member: operation id, score: lease end, Redis time in ms). */
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], lease * 2)
  return 1
end
return 0`;

/** KEYS[1]: the lease key; ARGV: holder, lease ms. */
const HOLD = `
local current = redis.call('GET', KEYS[1])
if current == false or current == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;
const DROP = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export function redisSlots(client: Redis, prefix: string, max: number): RunSlots {
  const key = (owner: string) => `${prefix}:slots:${owner}`;
  const lease = (id: string) => `${prefix}:lease:${id}`;
  return {
    async hold(id, holder, leaseMs) {
      return Number(await client.eval(HOLD, 1, lease(id), holder, String(Math.max(1, Math.round(leaseMs))))) === 1;
    },
    async drop(id, holder) {
      await client.eval(DROP, 1, lease(id), holder);
    },
    async acquire(owner, id, leaseMs) {
      const taken = await client.eval(ACQUIRE, 1, key(owner), id, String(Math.max(1, Math.round(leaseMs))), String(max));
      return Number(taken) === 1;
    },
    async release(owner, id) {
      await client.zrem(key(owner), id);
    },
  };
}

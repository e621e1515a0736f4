/**
 * Running slots per credential (internal): at most BULK_MAX_RUNNING_PER_CREDENTIAL operations of
 * one owner run at once, whichever replica runs them; the others stay QUEUED. A slot is a lease
 * renewed while its operation runs, so a replica that dies frees its slots when their lease ends.
 */
import type { createClient } from '@keyv/redis';

export interface RunSlots {
  /** Takes (or renews) the owner's slot for this operation; false when every slot is taken. */
  acquire(owner: string, operationId: string, leaseMs: number): Promise<boolean>;
  release(owner: string, operationId: string): Promise<void>;
}

export function memorySlots(max: number): RunSlots {
  const held = new Map<string, Set<string>>();
  return {
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

export function redisSlots(client: ReturnType<typeof createClient>, prefix: string, max: number): RunSlots {
  const key = (owner: string) => `${prefix}:slots:${owner}`;
  return {
    async acquire(owner, id, leaseMs) {
      const taken = await client.eval(ACQUIRE, { keys: [key(owner)], arguments: [id, String(Math.max(1, Math.round(leaseMs))), String(max)] });
      return Number(taken) === 1;
    },
    async release(owner, id) {
      await client.zRem(key(owner), id);
    },
  };
}

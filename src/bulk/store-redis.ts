/**
 * Redis `BulkStore` (internal), shared by every replica on the same Redis. Keys (all under
 * `prefix`): `op:<id>` (hash: the record as JSON plus counters and the cancel flag), `plan:<id>`,
 * `cred:<id>` (the sealed credential), `done:<id>` (hash: batch → applied ids), `flight:<id>`
 * (set of batches in flight), `lists:<id>` (final lists), `owner:<hash>` (sorted set by creation
 * time). Changes are announced on the `events` channel (message: the id). Every key of an
 * operation expires after the retention period; plan, credential and checkpoint are deleted at its
 * final status.
 */
import { closeRedis, execMulti, throttledErrorLog, type Redis } from '../cache/redis.js';
import type { Logger } from '../log.js';
import type { MutationPlan } from '../mutations/plan.js';
import { MAX_RECORDS_PER_OWNER, type BulkStore, type ListFilter, type ProgressDelta } from './store.js';
import { visibleStatus, type BulkLists, type BulkRecord, type Checkpoint } from './types.js';

const COUNTERS = ['processed', 'appliedCount', 'failedCount', 'unknownOutcomeCount', 'batches'] as const;

/**
 * `client` is shared (commands); the store opens its own connection for the `events` channel,
 * whose errors go to `logger` (each at most once a minute) when given.
 */
export async function createRedisStore(client: Redis, prefix: string, retentionMs: number, logger?: Logger): Promise<BulkStore> {
  const k = (kind: string, id: string) => `${prefix}:${kind}:${id}`;
  const channel = `${prefix}:events`;
  const ttlSeconds = Math.max(1, Math.ceil(retentionMs / 1000));
  const listeners = new Map<string, Set<() => void>>();
  // Reconnects (and subscribes again) on its own.
  const subscriber = client.duplicate();
  subscriber.on('error', logger ? throttledErrorLog(logger, 'bulk events') : () => {});
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    for (const listener of listeners.get(message) ?? []) listener();
  });
  try {
    if (subscriber.status === 'wait') await subscriber.connect();
    await subscriber.subscribe(channel);
  } catch (error) {
    subscriber.disconnect();
    throw error;
  }
  const announce = (id: string) => client.publish(channel, id).then(() => undefined);

  const read = async (id: string): Promise<BulkRecord | null> => {
    const hash = await client.hgetall(k('op', id));
    if (!hash.doc) return null;
    const record = JSON.parse(hash.doc) as BulkRecord;
    for (const field of COUNTERS) record[field] = Number(hash[field] ?? 0);
    record.cancelRequested = hash.cancel === '1';
    return record;
  };
  const docOf = (record: BulkRecord): string => {
    const { processed: _p, appliedCount: _a, failedCount: _f, unknownOutcomeCount: _u, batches: _b, cancelRequested: _c, ...doc } = record;
    return JSON.stringify(doc);
  };

  return {
    kind: 'redis',
    async create(record, plan, sealed) {
      const key = k('op', record.id);
      if (!(await client.hsetnx(key, 'doc', docOf(record)))) return false;
      const multi = client.multi().hset(key, { processed: 0, appliedCount: 0, failedCount: 0, unknownOutcomeCount: 0, batches: 0, cancel: 0 }).expire(key, ttlSeconds);
      if (plan) multi.set(k('plan', record.id), JSON.stringify(plan), 'EX', ttlSeconds);
      if (sealed) multi.set(k('cred', record.id), sealed, 'EX', ttlSeconds);
      const owner = k('owner', record.owner);
      multi.zadd(owner, Date.parse(record.createdAt), record.id).expire(owner, ttlSeconds);
      await execMulti(multi);
      const extra = (await client.zcard(owner)) - MAX_RECORDS_PER_OWNER;
      if (extra > 0) {
        const old = await client.zrange(owner, 0, extra - 1);
        await execMulti(client.multi().zrem(owner, ...old).del(...old.flatMap((id) => [k('op', id), k('lists', id)])));
      }
      return true;
    },
    get: read,
    async list(owner, filter: ListFilter, first, skip) {
      const ids = await client.zrange(k('owner', owner), 0, -1, 'REV');
      const out: BulkRecord[] = [];
      let skipped = 0;
      const gone: string[] = [];
      for (const id of ids) {
        if (out.length >= first) break;
        const record = await read(id);
        if (!record) {
          gone.push(id);
          continue;
        }
        if (filter.projectId !== null && record.projectId !== filter.projectId) continue;
        if (filter.statuses !== null && !filter.statuses.includes(visibleStatus(record))) continue;
        if (skipped < skip) {
          skipped += 1;
          continue;
        }
        out.push(record);
      }
      if (gone.length > 0) await client.zrem(k('owner', owner), ...gone);
      return out;
    },
    async activeCount(owner) {
      const ids = await client.zrange(k('owner', owner), 0, -1);
      let n = 0;
      for (const id of ids) {
        const record = await read(id);
        if (record && !['COMPLETED', 'PARTIAL_FAILURE', 'FAILED', 'CANCELED'].includes(record.status)) n += 1;
      }
      return n;
    },
    async patch(id, fields) {
      const record = await read(id);
      if (!record) return;
      await client.hset(k('op', id), 'doc', docOf({ ...record, ...fields }));
      await announce(id);
    },
    async requestCancel(id) {
      if (!(await client.exists(k('op', id)))) return;
      await client.hset(k('op', id), 'cancel', 1);
      await announce(id);
    },
    async isCancelRequested(id) {
      return (await client.hget(k('op', id), 'cancel')) === '1';
    },
    async plan(id) {
      const text = await client.get(k('plan', id));
      return text ? (JSON.parse(text) as MutationPlan) : null;
    },
    async setPlan(id, plan) {
      if (await client.exists(k('cred', id))) await client.set(k('plan', id), JSON.stringify(plan), 'EX', ttlSeconds);
    },
    sealedCredential: (id) => client.get(k('cred', id)),
    async markStarted(id, index) {
      await execMulti(
        client
          .multi()
          .sadd(k('flight', id), String(index))
          .expire(k('flight', id), ttlSeconds)
          .hincrby(k('op', id), 'batches', 1),
      );
    },
    async markSettled(id, index, applied, delta: ProgressDelta) {
      const op = k('op', id);
      await execMulti(
        client
          .multi()
          .hset(k('done', id), String(index), JSON.stringify(applied))
          .expire(k('done', id), ttlSeconds)
          .srem(k('flight', id), String(index))
          .hincrby(op, 'processed', delta.processed)
          .hincrby(op, 'appliedCount', delta.applied)
          .hincrby(op, 'failedCount', delta.failed)
          .hincrby(op, 'unknownOutcomeCount', delta.unknown),
      );
      await announce(id);
    },
    async checkpoint(id): Promise<Checkpoint> {
      const [done, flight, batches] = await Promise.all([client.hgetall(k('done', id)), client.smembers(k('flight', id)), client.hget(k('op', id), 'batches')]);
      return {
        done: new Map(Object.entries(done).map(([index, ids]) => [Number(index), JSON.parse(ids) as string[]])),
        inFlight: new Set(flight.map(Number)),
        sent: Number(batches ?? 0),
      };
    },
    async finish(id, fields, lists: BulkLists) {
      const record = await read(id);
      if (!record) return;
      const next = { ...record, ...fields };
      const op = k('op', id);
      await execMulti(
        client
          .multi()
          .hset(op, { doc: docOf(next), processed: next.processed, appliedCount: next.appliedCount, failedCount: next.failedCount, unknownOutcomeCount: next.unknownOutcomeCount, batches: next.batches })
          .set(k('lists', id), JSON.stringify(lists), 'EX', ttlSeconds)
          .expire(op, ttlSeconds)
          .expire(k('owner', record.owner), ttlSeconds)
          .del(k('plan', id), k('cred', id), k('done', id), k('flight', id)),
      );
      await announce(id);
    },
    async lists(id) {
      const text = await client.get(k('lists', id));
      if (text) return JSON.parse(text) as BulkLists;
      const done = await client.hgetall(k('done', id));
      const applied = Object.entries(done)
        .sort((a, b) => Number(a[0]) - Number(b[0]))
        .flatMap(([, ids]) => JSON.parse(ids) as string[]);
      return { applied, failed: [], unknown: [] };
    },
    subscribe(id, listener) {
      const set = listeners.get(id) ?? new Set();
      set.add(listener);
      listeners.set(id, set);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(id);
      };
    },
    async close() {
      listeners.clear();
      await closeRedis(subscriber);
    },
  };
}

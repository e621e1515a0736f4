/**
 * In-process `BulkStore` (internal): the embedded default (no Redis). Operations do not survive a
 * restart. Finished operations are dropped after the retention period; each owner keeps at most
 * MAX_RECORDS_PER_OWNER.
 */
import { EventEmitter } from 'node:events';
import type { MutationPlan } from '../mutations/plan.js';
import { MAX_RECORDS_PER_OWNER, type BulkStore, type ListFilter, type ProgressDelta } from './store.js';
import { isFinal, visibleStatus, type BulkLists, type BulkRecord, type Checkpoint } from './types.js';

interface Entry {
  record: BulkRecord;
  plan: MutationPlan | null;
  sealed: string | null;
  done: Map<number, string[]>;
  inFlight: Set<number>;
  lists: BulkLists | null;
  expiresAt: number | null;
}

export function createMemoryStore(retentionMs: number): BulkStore {
  const entries = new Map<string, Entry>();
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const announce = (id: string) => events.emit(id);
  const live = (id: string): Entry | null => {
    const entry = entries.get(id);
    if (!entry) return null;
    if (entry.expiresAt !== null && entry.expiresAt <= Date.now()) {
      entries.delete(id);
      return null;
    }
    return entry;
  };
  const sweep = setInterval(() => {
    for (const id of entries.keys()) live(id);
  }, 60_000);
  sweep.unref();
  const copy = (record: BulkRecord): BulkRecord => structuredClone(record);

  return {
    kind: 'memory',
    async create(record, plan, sealed) {
      if (live(record.id)) return false;
      entries.set(record.id, { record: copy(record), plan, sealed, done: new Map(), inFlight: new Set(), lists: null, expiresAt: null });
      const mine = [...entries.values()].filter((e) => e.record.owner === record.owner);
      if (mine.length > MAX_RECORDS_PER_OWNER) {
        const finished = mine.filter((e) => isFinal(e.record.status)).sort((a, b) => a.record.createdAt.localeCompare(b.record.createdAt));
        for (const e of finished.slice(0, mine.length - MAX_RECORDS_PER_OWNER)) entries.delete(e.record.id);
      }
      return true;
    },
    async get(id) {
      const entry = live(id);
      return entry ? copy(entry.record) : null;
    },
    async list(owner, filter: ListFilter, first, skip) {
      const rows = [...entries.keys()]
        .map((id) => live(id))
        .filter((e): e is Entry => e !== null && e.record.owner === owner)
        .map((e) => e.record)
        .filter((r) => filter.projectId === null || r.projectId === filter.projectId)
        .filter((r) => filter.statuses === null || filter.statuses.includes(visibleStatus(r)))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
      return rows.slice(skip, skip + first).map(copy);
    },
    async activeCount(owner) {
      return [...entries.values()].filter((e) => e.record.owner === owner && !isFinal(e.record.status)).length;
    },
    async patch(id, fields) {
      const entry = live(id);
      if (!entry) return;
      Object.assign(entry.record, structuredClone(fields));
      announce(id);
    },
    async requestCancel(id) {
      const entry = live(id);
      if (!entry || isFinal(entry.record.status)) return;
      entry.record.cancelRequested = true;
      announce(id);
    },
    async isCancelRequested(id) {
      return live(id)?.record.cancelRequested ?? false;
    },
    async plan(id) {
      return live(id)?.plan ?? null;
    },
    async setPlan(id, plan) {
      const entry = live(id);
      if (entry && !isFinal(entry.record.status)) entry.plan = plan;
    },
    async sealedCredential(id) {
      return live(id)?.sealed ?? null;
    },
    async markStarted(id, index) {
      const entry = live(id);
      if (!entry) return;
      entry.inFlight.add(index);
      entry.record.batches += 1;
    },
    async markSettled(id, index, applied, delta: ProgressDelta) {
      const entry = live(id);
      if (!entry) return;
      entry.inFlight.delete(index);
      entry.done.set(index, [...applied]);
      const r = entry.record;
      r.processed += delta.processed;
      r.appliedCount += delta.applied;
      r.failedCount += delta.failed;
      r.unknownOutcomeCount += delta.unknown;
      announce(id);
    },
    async checkpoint(id): Promise<Checkpoint> {
      const entry = live(id);
      // Only fully applied batches count as done; a partly applied one is re-checked.
      return { done: new Map(entry?.done ?? []), inFlight: new Set(entry?.inFlight ?? []), sent: entry?.record.batches ?? 0 };
    },
    async finish(id, fields, lists) {
      const entry = live(id);
      if (!entry) return;
      Object.assign(entry.record, structuredClone(fields));
      entry.lists = structuredClone(lists);
      entry.plan = null;
      entry.sealed = null;
      entry.done.clear();
      entry.inFlight.clear();
      entry.expiresAt = Date.now() + retentionMs;
      announce(id);
    },
    async lists(id) {
      const entry = live(id);
      if (!entry) return { applied: [], failed: [], unknown: [] };
      if (entry.lists) return entry.lists;
      const applied = [...entry.done.entries()].sort((a, b) => a[0] - b[0]).flatMap(([, ids]) => ids);
      return { applied, failed: [], unknown: [] };
    },
    subscribe(id, listener) {
      events.on(id, listener);
      return () => events.off(id, listener);
    },
    async close() {
      clearInterval(sweep);
      events.removeAllListeners();
    },
  };
}

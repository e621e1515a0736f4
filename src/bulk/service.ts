/**
 * Bulk operations (DESIGN §12), the engine's one entry point used by the resolvers:
 * - `start`: `async: true` — plan in the request (bad input is an error, nothing is queued), store
 *   the plan and the sealed credential, queue the operation;
 * - `runSync`: a synchronous mutation that hands itself off as an operation when it outlives
 *   SYNC_BUDGET_MS (it goes on in this process, reporting to the store);
 * - `runQueued`: the worker side — run (or resume) a queued operation from its checkpoint;
 * - reads, cancel and change notifications, always scoped to the owner's credential hash.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { BffCache } from '../cache/index.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Credential, UpstreamClient } from '../upstream/client.js';
import type { MutationKind, MutationOutcome } from '../mutations/types.js';
import type { BffWarning } from '../errors/index.js';
import type { PipelineDeps } from '../mutations/pipeline.js';
import type { ExecuteHooks, ExecuteReport, ResumePlan } from '../mutations/execute.js';
import type { CredentialSealer } from './seal.js';
import type { BulkQueue, RunVerdict } from './queue.js';
import type { RunSlots } from './slots.js';
import type { BulkStore, ListFilter } from './store.js';
import { createContext } from '../context.js';
import { patientUpstream } from './patient.js';
import { BffError, BffErrorCode, BffWarningCode } from '../errors/index.js';
import { invalidateProject } from '../plugins/response-cache/generations.js';
import { bulkAssetsProcessed, bulkOperations } from '../metrics.js';
import { chunk } from '../mutations/lists.js';
import { executePlan } from '../mutations/execute.js';
import { planMutation, type MutationPlan } from '../mutations/plan.js';
import { settled } from '../mutations/pipeline.js';
import { createMutationUpstream } from '../mutations/upstream-adapter.js';
import { isFinal, type BulkLists, type BulkRecord, type BulkStatus } from './types.js';

/** Operations of one credential not yet final, at most (QUEUED + RUNNING): bounds the queue. */
export const MAX_ACTIVE_PER_CREDENTIAL = 100;
/** Delay before a delivery that found every running slot taken is tried again, ms. */
const SLOT_RETRY_MS = 250;

export interface BulkServiceDeps {
  config: Readonly<Config>;
  logger: Logger;
  cache: BffCache;
  /** The process's upstream client (rate limit per credential included). */
  upstream: UpstreamClient;
  store: BulkStore;
  queue: BulkQueue;
  slots: RunSlots;
  sealer: CredentialSealer;
  /** Lease of a running slot, ms (renewed at a third of it). */
  leaseMs: number;
}

/** A mutation as the resolvers hand it over. */
export interface MutationRequest {
  kind: MutationKind;
  args: object;
  credential: Credential;
  /** Pipeline dependencies bound to the request (its upstream port and loaders). */
  deps: PipelineDeps;
  /** Set when the request has an Idempotency-Key: the same on every replica for the same key. */
  operationId?: string;
}

/** A mutation result that may continue as an operation. */
export type MaybeOperation = MutationOutcome & { operationId?: string };

export interface BulkService {
  readonly engine: 'memory' | 'bullmq';
  start(request: MutationRequest): Promise<MaybeOperation>;
  runSync(request: MutationRequest): Promise<MaybeOperation>;
  /** The owner's operation, or null (unknown, expired, or someone else's: the same answer). */
  get(id: string, owner: string): Promise<BulkRecord | null>;
  list(owner: string, filter: ListFilter, first: number, skip: number): Promise<BulkRecord[]>;
  /** Rejects with BULK_OPERATION_NOT_FOUND when `get` would answer null. */
  cancel(id: string, owner: string): Promise<BulkRecord>;
  lists(id: string): Promise<BulkLists>;
  /** Calls `listener` after each change of the operation; returns the unsubscribe function. */
  subscribe(id: string, listener: () => void): () => void;
  close(): Promise<void>;
}

/** A new operation id: `bop_` + 32 hex, random or derived from a seed (Idempotency-Key scope). */
export function operationId(seed?: string): string {
  const hex = seed ? createHash('sha256').update(`bulk-operation:v1:${seed}`).digest('hex').slice(0, 32) : randomUUID().replaceAll('-', '');
  return `bop_${hex}`;
}

export function notFound(id: string): BffError {
  return new BffError(BffErrorCode.BULK_OPERATION_NOT_FOUND, `No bulk operation ${JSON.stringify(id.slice(0, 100))} exists for this credential.`);
}

function inputLength(args: object): number {
  const a = args as { assets?: unknown[]; assetIds?: unknown[]; externalIds?: unknown[] };
  return a.assets?.length ?? a.assetIds?.length ?? a.externalIds?.length ?? 0;
}

export function createBulkService(deps: BulkServiceDeps): BulkService {
  const { store, queue, config, logger } = deps;
  const settings = config.mutations;
  let closing = false;

  const newRecord = (id: string, kind: MutationKind, owner: string, fields: Partial<BulkRecord>): BulkRecord => ({
    id,
    kind,
    projectId: null,
    owner,
    status: 'QUEUED',
    cancelRequested: false,
    total: 0,
    processed: 0,
    appliedCount: 0,
    failedCount: 0,
    unknownOutcomeCount: 0,
    batches: 0,
    verified: false,
    createdAt: new Date().toISOString(),
    startedAt: null,
    finishedAt: null,
    warnings: [],
    error: null,
    outcome: null,
    ...fields,
  });

  const checkActive = async (owner: string): Promise<void> => {
    if ((await store.activeCount(owner)) >= MAX_ACTIVE_PER_CREDENTIAL) {
      throw new BffError(BffErrorCode.RATE_LIMITED, `At most ${MAX_ACTIVE_PER_CREDENTIAL} bulk operations per credential may be queued or running; wait for some to finish.`, {
        retryAfterMs: 10_000,
      });
    }
  };

  /** Records the final status of a run from its report. */
  const finalize = async (record: BulkRecord, report: ExecuteReport): Promise<BulkStatus> => {
    const { error, outcome } = report;
    const processed = record.total - report.notSent.length;
    const status: BulkStatus = report.canceled
      ? 'CANCELED'
      : !error || error.code === BffErrorCode.VERIFICATION_FAILED
        ? 'COMPLETED'
        : outcome.assetIds.length > 0
          ? 'PARTIAL_FAILURE'
          : 'FAILED';
    const unknown = new Set(report.unknown);
    const lists: BulkLists = { applied: outcome.assetIds, failed: report.failed.filter((id) => !unknown.has(id)), unknown: report.unknown };
    await store.finish(
      record.id,
      {
        status,
        projectId: outcome.projectId,
        finishedAt: new Date().toISOString(),
        verified: outcome.verified,
        processed,
        appliedCount: lists.applied.length,
        failedCount: lists.failed.length,
        unknownOutcomeCount: lists.unknown.length,
        batches: outcome.batches,
        warnings: outcome.warnings,
        error: error ? { code: error.code, message: error.message } : null,
        outcome,
      },
      lists,
    );
    bulkOperations.inc({ kind: record.kind, status });
    bulkAssetsProcessed.inc({ kind: record.kind }, processed);
    logger.info({ operationId: record.id, kind: record.kind, status, total: record.total, applied: lists.applied.length, errorCode: error?.code }, 'bulk operation finished');
    return status;
  };

  /** A run that failed before or outside dispatch (plan rejected, unreadable credential…). */
  const fail = async (record: BulkRecord, error: unknown): Promise<void> => {
    const known = error instanceof BffError;
    if (!known) logger.error({ operationId: record.id, kind: record.kind, err: error }, 'bulk operation failed unexpectedly');
    await store.finish(
      record.id,
      {
        status: 'FAILED',
        finishedAt: new Date().toISOString(),
        verified: false,
        error: known ? { code: error.code, message: error.message } : { code: BffErrorCode.INTERNAL_SERVER_ERROR, message: 'Unexpected error.' },
      },
      { applied: [], failed: [], unknown: [] },
    );
    bulkOperations.inc({ kind: record.kind, status: 'FAILED' });
  };

  const progressHooks = (id: string, ready: Promise<unknown>): ExecuteHooks => ({
    onBatchStart: async (index) => {
      await ready;
      await store.markStarted(id, index);
    },
    onBatchSettled: async (index, ids, applied) => {
      await ready;
      await store.markSettled(id, index, applied, { processed: ids.length, applied: applied.length, failed: ids.length - applied.length, unknown: 0 });
    },
  });

  /** The resume plan of a checkpoint: fully applied batches are done, the others re-checked. */
  const resumePlan = (plan: MutationPlan, checkpoint: Awaited<ReturnType<BulkStore['checkpoint']>>): ResumePlan => {
    const batches = chunk(plan.ids, settings.batchSize);
    const done = new Set<number>();
    const inFlight = new Set(checkpoint.inFlight);
    for (const [index, applied] of checkpoint.done) {
      if (applied.length === (batches[index]?.length ?? -1)) done.add(index);
      else inFlight.add(index);
    }
    return { done, inFlight, sent: checkpoint.sent };
  };

  /** The worker side: one delivery of a queued operation. */
  const runQueued = async (id: string): Promise<RunVerdict> => {
    let record = await store.get(id);
    if (!record || isFinal(record.status)) return { kind: 'done' };
    if (record.cancelRequested && record.status === 'QUEUED') {
      await finalizeCanceledBeforeStart(record);
      return { kind: 'done' };
    }
    const owner = record.owner;
    const holder = randomUUID();
    // Someone runs it (a worker, or the request that handed itself off): look again later.
    if (!(await deps.slots.hold(id, holder, deps.leaseMs))) return { kind: 'later', delayMs: Math.max(SLOT_RETRY_MS, deps.leaseMs / 2) };
    if (!(await deps.slots.acquire(owner, id, deps.leaseMs))) {
      await deps.slots.drop(id, holder);
      return { kind: 'later', delayMs: SLOT_RETRY_MS };
    }
    const renew = setInterval(() => {
      void deps.slots.hold(id, holder, deps.leaseMs).catch(() => {});
      void deps.slots.acquire(owner, id, deps.leaseMs).catch(() => {});
    }, Math.max(50, deps.leaseMs / 3));
    try {
      const [plan, sealed] = await Promise.all([store.plan(id), store.sealedCredential(id)]);
      const credential = sealed ? deps.sealer.open(id, sealed) : null;
      if (!plan || !credential) {
        await fail(record, new BffError(BffErrorCode.INTERNAL_SERVER_ERROR, 'The operation could not be resumed: its stored plan or credential is unreadable (was JOB_SECRET changed?).'));
        return { kind: 'done' };
      }
      if (record.status === 'QUEUED') {
        const startedAt = new Date().toISOString();
        await store.patch(id, { status: 'RUNNING', startedAt });
        record = { ...record, status: 'RUNNING', startedAt };
        bulkOperations.inc({ kind: record.kind, status: 'RUNNING' });
        logger.info({ operationId: id, kind: record.kind, total: record.total }, 'bulk operation started');
      } else {
        logger.info({ operationId: id, kind: record.kind }, 'bulk operation resumed from its checkpoint');
      }
      const resume = resumePlan(plan, await store.checkpoint(id));
      const ctx = createContext({ requestId: id, credential, upstream: patientUpstream(deps.upstream), config, cache: deps.cache, idempotencyKey: null });
      const report = await executePlan(plan, { upstream: createMutationUpstream(ctx), settings }, {
        ...progressHooks(id, Promise.resolve()),
        resume,
        shouldStop: async () => closing || (await store.isCancelRequested(id)),
      });
      if (closing && report.canceled && !(await store.isCancelRequested(id).catch(() => false))) return { kind: 'later', delayMs: 0 };
      await finalize(record, report);
      if (report.outcome.assetIds.length > 0) await invalidateProject(deps.cache.responseGen, report.outcome.projectId);
      return { kind: 'done' };
    } catch (error) {
      // Shutting down: leave it to another replica (BullMQ) rather than record a failure.
      if (closing) return { kind: 'later', delayMs: 0 };
      await fail(record, error).catch(() => {});
      return { kind: 'done' };
    } finally {
      clearInterval(renew);
      await deps.slots.release(owner, id).catch(() => {});
      await deps.slots.drop(id, holder).catch(() => {});
    }
  };

  /** Cancelled while still queued: nothing was sent. */
  const finalizeCanceledBeforeStart = async (record: BulkRecord): Promise<void> => {
    await store.finish(
      record.id,
      { status: 'CANCELED', finishedAt: new Date().toISOString(), verified: true, outcome: { projectId: record.projectId, assetIds: [], batches: 0, verified: true, warnings: record.warnings } },
      { applied: [], failed: [], unknown: [] },
    );
    bulkOperations.inc({ kind: record.kind, status: 'CANCELED' });
    logger.info({ operationId: record.id, kind: record.kind, status: 'CANCELED' }, 'bulk operation finished');
  };

  /**
   * A synchronous run past its budget becomes an operation: stored with its plan (when known) and
   * sealed credential, queued, and held by this process's run lease while the work goes on here.
   * If this process dies (or shuts down), the lease lapses and a worker resumes the operation from
   * its checkpoint, as for any queued operation.
   */
  const handOff = async (
    request: MutationRequest,
    owner: string,
    started: string,
    current: MutationPlan | null,
    planned: Promise<MutationPlan>,
    work: Promise<ExecuteReport>,
    progress: { applied: ReadonlyMap<number, readonly string[]>; inFlight: readonly number[] },
    attach: (id: string, hooks: ExecuteHooks) => void,
  ): Promise<MaybeOperation> => {
    const id = request.operationId ?? operationId();
    const holder = randomUUID();
    const batches = chunk(current?.ids ?? [], settings.batchSize);
    const appliedSoFar = [...progress.applied.entries()].sort((x, y) => x[0] - y[0]).flatMap(([, ids]) => ids);
    const processed = [...progress.applied.keys()].reduce((n, index) => n + (batches[index]?.length ?? 0), 0);
    const sent = progress.applied.size + progress.inFlight.length;
    const record = newRecord(id, request.kind, owner, {
      status: 'RUNNING',
      projectId: current?.projectId ?? ((request.args as { projectId?: string | null }).projectId ?? null),
      total: current?.ids.length ?? inputLength(request.args),
      startedAt: started,
      createdAt: started,
      warnings: current?.warnings ?? [],
    });
    const ready = (async () => {
      await deps.slots.hold(id, holder, deps.leaseMs);
      await store.create(record, current, deps.sealer.seal(id, request.credential));
      // The checkpoint of what ran before the hand-off, so that a resume does not send it again.
      for (const index of [...progress.applied.keys(), ...progress.inFlight]) await store.markStarted(id, index);
      for (const [index, done] of progress.applied) {
        const size = batches[index]?.length ?? 0;
        await store.markSettled(id, index, done, { processed: size, applied: done.length, failed: size - done.length, unknown: 0 });
      }
      if (!current) await planned.then((p) => store.setPlan(id, p)).catch(() => {});
      await queue.enqueue(id);
    })();
    // Checkpoints written from now on (they wait until the record exists).
    attach(id, progressHooks(id, ready));
    await ready;
    const heartbeat = setInterval(() => void deps.slots.hold(id, holder, deps.leaseMs).catch(() => {}), Math.max(50, deps.leaseMs / 3));
    bulkOperations.inc({ kind: request.kind, status: 'RUNNING' });
    logger.info({ operationId: id, kind: request.kind, total: record.total, processed }, 'synchronous mutation continues as a bulk operation');
    void work
      .then(
        async (report) => {
          // Stopped by this process shutting down (not by a cancel): a worker elsewhere resumes it.
          if (closing && report.canceled && !(await store.isCancelRequested(id).catch(() => false))) return;
          const latest = (await store.get(id)) ?? record;
          const plan = await planned;
          await finalize({ ...latest, total: plan.ids.length }, report);
          if (report.outcome.assetIds.length > 0) await invalidateProject(deps.cache.responseGen, report.outcome.projectId);
        },
        (error: unknown) => (closing ? undefined : fail(record, error)),
      )
      .catch((error: unknown) => logger.error({ operationId: id, err: error }, 'bulk operation could not record its end'))
      .finally(() => {
        clearInterval(heartbeat);
        void deps.slots.drop(id, holder).catch(() => {});
      });
    const warning: BffWarning = {
      code: BffWarningCode.CONTINUES_AS_BULK_OPERATION,
      field: 'async',
      message: `The mutation ran longer than ${config.SYNC_BUDGET_MS} ms and continues as bulk operation ${id}: follow it with bulkOperation(id: "${id}") or Subscription.bulkOperation. assetIds lists what was applied so far.`,
    };
    return { projectId: record.projectId, assetIds: appliedSoFar, batches: sent, verified: false, warnings: [...record.warnings, warning], operationId: id };
  };

  void queue.start(runQueued, Math.max(1, config.BULK_WORKER_CONCURRENCY));

  return {
    engine: queue.kind,

    async start(request) {
      const owner = request.credential.hash;
      const id = request.operationId ?? operationId();
      const existing = await store.get(id);
      if (existing && existing.owner === owner) return acceptedOutcome(existing, []);
      await checkActive(owner);
      // Append's generated external ids derive from the operation: a resumed run re-creates none.
      const plan = await planMutation(request.kind, request.args, { ...request.deps, idSeed: request.deps.idSeed ?? operationIdSeed(id) });
      const record = newRecord(id, request.kind, owner, { projectId: plan.projectId, total: plan.ids.length, warnings: plan.warnings });
      if (!(await store.create(record, plan, deps.sealer.seal(id, request.credential)))) {
        const raced = await store.get(id);
        if (raced && raced.owner === owner) return acceptedOutcome(raced, []);
        throw notFound(id);
      }
      bulkOperations.inc({ kind: request.kind, status: 'QUEUED' });
      logger.info({ operationId: id, kind: request.kind, total: record.total }, 'bulk operation queued');
      await queue.enqueue(id);
      return acceptedOutcome((await store.get(id)) ?? record, []);
    },

    async runSync(request) {
      const owner = request.credential.hash;
      const startedAt = new Date().toISOString();
      let plan: MutationPlan | null = null;
      const applied = new Map<number, readonly string[]>();
      const started = new Set<number>();
      let attached: { id: string; hooks: ExecuteHooks } | null = null;
      const hooks: ExecuteHooks = {
        // Only once handed off: a cancel, or this process shutting down (another replica resumes it).
        shouldStop: async () => attached !== null && (closing || (await store.isCancelRequested(attached.id))),
        onBatchStart: async (index) => {
          started.add(index);
          await attached?.hooks.onBatchStart?.(index);
        },
        onBatchSettled: async (index, ids, done) => {
          started.delete(index);
          applied.set(index, done);
          await attached?.hooks.onBatchSettled?.(index, ids, done);
        },
      };
      const planned = planMutation(request.kind, request.args, request.deps);
      const work = planned.then((p) => {
        plan = p;
        return executePlan(p, request.deps, hooks);
      });
      let timer: NodeJS.Timeout | undefined;
      const budget = new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), config.SYNC_BUDGET_MS);
      });
      const first = await Promise.race([work.then((report) => ({ report })), budget]).finally(() => clearTimeout(timer));
      if (first !== null) return settled(first.report);
      return handOff(request, owner, startedAt, plan, planned, work, { applied: new Map(applied), inFlight: [...started] }, (id, hooksOf) => {
        attached = { id, hooks: hooksOf };
      });
    },

    async get(id, owner) {
      const record = await store.get(id);
      return record && record.owner === owner ? record : null;
    },
    list: (owner, filter, first, skip) => store.list(owner, filter, first, skip),
    async cancel(id, owner) {
      const record = await store.get(id);
      if (!record || record.owner !== owner) throw notFound(id);
      if (isFinal(record.status)) return record;
      await store.requestCancel(id);
      logger.info({ operationId: id, kind: record.kind }, 'bulk operation cancel requested');
      if (record.status === 'QUEUED') await queue.enqueue(id).catch(() => {});
      return (await store.get(id)) ?? record;
    },
    lists: (id) => store.lists(id),
    subscribe: (id, listener) => store.subscribe(id, listener),
    async close() {
      closing = true;
      await queue.close();
      await store.close();
    },
  };
}

/** The seed of an operation's generated external ids (when no Idempotency-Key gives one). */
function operationIdSeed(id: string): string {
  return createHash('sha256').update(`external-id:operation:${id}`).digest('hex');
}

/** What an accepted operation's mutation answers at once. */
function acceptedOutcome(record: BulkRecord, extra: BffWarning[]): MaybeOperation {
  return { projectId: record.projectId, assetIds: [], batches: 0, verified: false, warnings: [...record.warnings, ...extra], operationId: record.id };
}

/**
 * GraphQL resolvers of bulk operations (DESIGN §12): `Query.bulkOperation(s)`,
 * `Mutation.cancelBulkOperation`, `Subscription.bulkOperation` and the `BulkOperation` type.
 * Every read is scoped to the caller's credential: another credential's operation answers exactly
 * as an unknown id does (null, `BULK_OPERATION_NOT_FOUND`), so nothing tells that it exists.
 */
import type { BffContext } from '../context.js';
import type { BulkService } from './service.js';
import { BffError, BffErrorCode, badUserInput } from '../errors/index.js';
import { notFound } from './service.js';
import { isFinal, visibleStatus, type BulkRecord, type BulkStatus } from './types.js';

/** Largest page of `bulkOperations`. */
export const MAX_OPERATIONS_PAGE = 100;
/** Largest page of an operation's id lists. */
export const MAX_IDS_PAGE = 10_000;
/** Subscriptions open at once in this process (each holds a listener and a timer). */
export const MAX_SUBSCRIPTIONS = 1_000;
/** A subscription re-reads the operation at least this often, ms (in case a change event was missed). */
const RESYNC_MS = 2_000;

function service(ctx: BffContext): BulkService {
  if (!ctx.bulk) throw new TypeError('bulk operations are not configured in this context');
  return ctx.bulk;
}

function page(first: number, skip: number, max: number, field: string): { first: number; skip: number } {
  if (!Number.isInteger(first) || first < 0 || first > max) throw badUserInput(`${field}.first`, `first must be an integer from 0 to ${max}.`);
  if (!Number.isInteger(skip) || skip < 0) throw badUserInput(`${field}.skip`, 'skip must be 0 or more.');
  return { first, skip };
}

type IdList = 'applied' | 'failed' | 'unknown';
const idList =
  (which: IdList) =>
  async (parent: BulkRecord, args: { first: number; skip: number }, ctx: BffContext): Promise<string[]> => {
    const { first, skip } = page(args.first, args.skip, MAX_IDS_PAGE, `${which}AssetIds`);
    if (first === 0) return [];
    const lists = await service(ctx).lists(parent.id);
    return lists[which].slice(skip, skip + first);
  };

/** Subscriptions one credential may hold open at once (the rest poll). */
export const MAX_SUBSCRIPTIONS_PER_CREDENTIAL = 20;

let openSubscriptions = 0;
const openByOwner = new Map<string, number>();

interface WatchState {
  /** Set when the client has left (or the stream ended): the loop exits at its next step. */
  stopped: boolean;
  /** Ends the current wait early (a change, or the client leaving). */
  wake: (() => void) | null;
}

/** Yields the operation now and after each change until it is final (then completes). */
async function* watch(bulk: BulkService, id: string, owner: string, state: WatchState): AsyncGenerator<{ bulkOperation: BulkRecord }> {
  let changed = true;
  const unsubscribe = bulk.subscribe(id, () => {
    changed = true;
    state.wake?.();
  });
  try {
    let last = '';
    while (!state.stopped) {
      if (!changed) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, RESYNC_MS);
          state.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        state.wake = null;
        if (state.stopped) return;
      }
      changed = false;
      const record = await bulk.get(id, owner);
      if (!record || state.stopped) return;
      const signature = JSON.stringify([visibleStatus(record), record.processed, record.appliedCount, record.failedCount, record.unknownOutcomeCount, record.batches]);
      if (signature !== last) {
        last = signature;
        yield { bulkOperation: record };
      }
      if (isFinal(record.status)) return;
    }
  } finally {
    unsubscribe();
  }
}

/**
 * The stream of one subscription, counted against the per-process and per-credential caps from
 * the moment it is accepted until it ends or its client leaves. Leaving (`return`) stops the wait
 * at once, so a client that went away holds nothing until the operation next changes.
 */
function follow(bulk: BulkService, id: string, owner: string): AsyncIterableIterator<{ bulkOperation: BulkRecord }> {
  const state: WatchState = { stopped: false, wake: null };
  const stream = watch(bulk, id, owner, state);
  let held = true;
  openSubscriptions += 1;
  openByOwner.set(owner, (openByOwner.get(owner) ?? 0) + 1);
  const release = (): void => {
    if (!held) return;
    held = false;
    state.stopped = true;
    state.wake?.();
    openSubscriptions -= 1;
    const left = (openByOwner.get(owner) ?? 1) - 1;
    if (left > 0) openByOwner.set(owner, left);
    else openByOwner.delete(owner);
  };
  return {
    async next() {
      const step = await stream.next();
      if (step.done) release();
      return step;
    },
    async return(value?: unknown) {
      release();
      return stream.return(value as never);
    },
    async throw(error?: unknown) {
      release();
      return stream.throw(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

export const bulkResolvers = {
  Query: {
    bulkOperation: (_: unknown, args: { id: string }, ctx: BffContext) => service(ctx).get(args.id, ctx.requireCredential().hash),
    bulkOperations: (_: unknown, args: { projectId?: string | null; status?: BulkStatus[] | null; first: number; skip: number }, ctx: BffContext) => {
      const owner = ctx.requireCredential().hash;
      const { first, skip } = page(args.first, args.skip, MAX_OPERATIONS_PAGE, 'bulkOperations');
      return service(ctx).list(owner, { projectId: args.projectId ?? null, statuses: args.status ?? null }, first, skip);
    },
  },
  Mutation: {
    cancelBulkOperation: (_: unknown, args: { id: string }, ctx: BffContext) => service(ctx).cancel(args.id, ctx.requireCredential().hash),
  },
  Subscription: {
    bulkOperation: {
      subscribe: async (_: unknown, args: { id: string }, ctx: BffContext) => {
        const owner = ctx.requireCredential().hash;
        const bulk = service(ctx);
        if (!(await bulk.get(args.id, owner))) throw notFound(args.id);
        if (openSubscriptions >= MAX_SUBSCRIPTIONS) {
          throw new BffError(BffErrorCode.RATE_LIMITED, `This server follows at most ${MAX_SUBSCRIPTIONS} operations at once; poll bulkOperation(id) instead.`, { retryAfterMs: 5_000 });
        }
        if ((openByOwner.get(owner) ?? 0) >= MAX_SUBSCRIPTIONS_PER_CREDENTIAL) {
          throw new BffError(
            BffErrorCode.RATE_LIMITED,
            `One credential follows at most ${MAX_SUBSCRIPTIONS_PER_CREDENTIAL} operations at once; poll bulkOperation(id) instead.`,
            { retryAfterMs: 5_000 },
          );
        }
        return follow(bulk, args.id, owner);
      },
    },
  },
  BulkOperation: {
    status: (parent: BulkRecord) => visibleStatus(parent),
    result: (parent: BulkRecord) => (isFinal(parent.status) && parent.outcome ? { ...parent.outcome, kind: parent.kind } : null),
    appliedAssetIds: idList('applied'),
    failedAssetIds: idList('failed'),
    unknownOutcomeAssetIds: idList('unknown'),
  },
};


/**
 * Internal. Resolvers of the six public mutations (DESIGN §3) and of `AssetMutationResult.assets`.
 * Thin: each builds the pipeline's dependencies from the request context, applies the
 * `Idempotency-Key` replay, and runs its pipeline (src/mutations/).
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { AssetMutationResultResolvers, MutationResolvers } from './__generated__/resolvers.js';
import type { BffContext } from '../context.js';
import { checkMutationInputs } from '../limits/inputs.js';
import type { UpstreamAsset } from '../upstream/assets.js';
import type { AssetMutationResultParent, MutationKind, MutationOutcome } from '../mutations/types.js';
import type { PipelineDeps } from '../mutations/pipeline.js';
import type { MaybeOperation } from '../bulk/service.js';
import { operationId as newOperationId } from '../bulk/service.js';
import { patientUpstream } from '../bulk/patient.js';
import { executePlan } from '../mutations/execute.js';
import { bodyHash, checkIdempotencyKey, idSeed, withIdempotency, type IdempotencyLock } from '../mutations/idempotency.js';
import { redisIdempotencyLock } from '../mutations/idempotency-lock.js';
import { planMutation } from '../mutations/plan.js';
import { settled } from '../mutations/pipeline.js';
import { createMutationUpstream } from '../mutations/upstream-adapter.js';
import { assetSelection } from './projection.js';

/** One lock per cache (the Redis one when the cache is Redis). */
const locks = new WeakMap<object, IdempotencyLock | undefined>();
function lockFor(cache: BffContext['cache']): IdempotencyLock | undefined {
  if (!locks.has(cache)) locks.set(cache, cache.redisClient ? redisIdempotencyLock(cache.redisClient) : undefined);
  return locks.get(cache);
}

/**
 * Runs one mutation: UNAUTHENTICATED before anything else without a credential, then the input
 * bounds (src/limits/); with an `Idempotency-Key`, a repeat (same credential, key, field and
 * arguments) replays the result, whichever replica it reaches. `async: true` → queued as a bulk
 * operation after planning; a synchronous run that outlives SYNC_BUDGET_MS continues as one.
 */
async function execute(kind: MutationKind, args: object & { async?: boolean | null }, ctx: BffContext, info: GraphQLResolveInfo): Promise<AssetMutationResultParent> {
  const credential = ctx.requireCredential();
  // Input bounds first: nothing below (idempotency hash, stages, upstream) sees an over-sized input.
  checkMutationInputs(args as Parameters<typeof checkMutationInputs>[0]);
  const settings = ctx.config.mutations;
  const { async: asJob, ...mutationArgs } = args;
  const bulk = ctx.bulk;
  if (asJob && !bulk) throw new TypeError('bulk operations are not configured in this context');
  const go = (idSeedValue: string | undefined, operationId: string | undefined): Promise<MaybeOperation> => {
    // With bulk operations, a call refused by the rate limit waits for budget instead of failing the
    // mutation: past SYNC_BUDGET_MS the client has its answer and the work goes on as an operation.
    const port = bulk ? createMutationUpstream({ requireCredential: ctx.requireCredential, upstream: patientUpstream(ctx.upstream), loaders: ctx.loaders, config: ctx.config }) : createMutationUpstream(ctx);
    const deps: PipelineDeps = { upstream: port, settings, ...(idSeedValue ? { idSeed: idSeedValue } : {}) };
    if (!bulk) return runPlanned(kind, mutationArgs, deps);
    const request = { kind, args: mutationArgs, credential, deps, ...(operationId ? { operationId } : {}) };
    return asJob ? bulk.start(request) : bulk.runSync(request);
  };
  let outcome: MaybeOperation;
  try {
    if (!ctx.idempotencyKey) {
      outcome = await go(undefined, undefined);
    } else {
      checkIdempotencyKey(ctx.idempotencyKey);
      const scope = { credentialHash: credential.hash, key: ctx.idempotencyKey, responseKey: String(info.path.key) };
      const seed = idSeed(scope);
      outcome = await withIdempotency(ctx.cache.idem, scope, bodyHash(kind, args), settings.idempotencyTtlMs, () => go(seed, newOperationId(seed)), {
        lock: lockFor(ctx.cache),
        waitMs: ctx.config.SYNC_BUDGET_MS + 5_000,
        // Store only what followed an upstream call the credential passed: a made-up key stores nothing.
        canStore: () => ctx.upstreamCalls.count > 0,
      });
    }
  } catch (error) {
    // Some assets may have changed (PARTIAL_FAILURE…): later fields of the operation read afresh.
    forgetAssets(ctx, null);
    throw error;
  }
  forgetAssets(ctx, outcome.assetIds);
  // The result's warnings are the request's too (the response's extensions.warnings).
  ctx.warnings.push(...outcome.warnings);
  return { ...outcome, kind };
}

/** Plans then executes at once (a context without bulk operations). */
async function runPlanned(kind: MutationKind, args: object, deps: PipelineDeps): Promise<MutationOutcome> {
  return settled(await executePlan(await planMutation(kind, args, deps), deps));
}

/**
 * Drops what this request's loaders cached about the changed assets (all of them when `ids` is
 * null), so `assets` of this mutation, and any later field of the same operation, read the
 * values now upstream rather than those read before the mutation.
 */
function forgetAssets(ctx: BffContext, ids: readonly string[] | null): void {
  if (ids === null) ctx.loaders.assetById.clearAll();
  else for (const id of ids) ctx.loaders.assetById.clear(id);
  // External ids may have moved (change, delete): the by-external-id cache is small, drop it.
  ctx.loaders.assetIdByExternalId.clearAll();
}

const resolver =
  (kind: MutationKind) =>
  (_: unknown, args: object, ctx: BffContext, info: GraphQLResolveInfo): Promise<AssetMutationResultParent> =>
    execute(kind, args, ctx, info);

export const Mutation: MutationResolvers<BffContext> = {
  appendManyToDataset: resolver('appendManyToDataset'),
  updatePropertiesInAssets: resolver('updatePropertiesInAssets'),
  changeAssetExternalIds: resolver('changeAssetExternalIds'),
  deleteManyFromDataset: resolver('deleteManyFromDataset'),
  addToReview: resolver('addToReview'),
  sendBackToQueue: resolver('sendBackToQueue'),
};

export const AssetMutationResult: AssetMutationResultResolvers<BffContext> = {
  /** Outcomes stored for `Idempotency-Key` replays by earlier versions have only `projectId`. */
  projectIds: (parent) => parent.projectIds ?? (parent.projectId !== null && parent.assetIds.length > 0 ? [parent.projectId] : []),
  /** Resolved through the by-id loader only when selected; never after a delete. */
  assets: async (parent, _, ctx, info): Promise<UpstreamAsset[]> => {
    if (parent.assetIds.length === 0 || parent.kind === 'deleteManyFromDataset') return [];
    ctx.loaders.wantAssetFields(assetSelection(info));
    const rows = await ctx.loaders.assetById.loadMany(parent.assetIds);
    const failed = rows.find((r): r is Error => r instanceof Error);
    if (failed) throw failed;
    return rows.filter((r): r is UpstreamAsset => r !== null);
  },
  /** The bulk operation this mutation continues as (live: read at each request), or null. */
  operation: async (parent, _, ctx) => (parent.operationId && ctx.bulk && ctx.credential ? ctx.bulk.get(parent.operationId, ctx.credential.hash) : null),
};

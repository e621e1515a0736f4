/**
 * Internal. Resolvers of the six public mutations (DESIGN §3) and of `AssetMutationResult.assets`.
 * Thin: each builds the pipeline's dependencies from the request context, applies the
 * `Idempotency-Key` replay, and runs its pipeline (src/mutations/).
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { AssetMutationResultResolvers, MutationResolvers } from './__generated__/resolvers.js';
import type { BffContext } from '../context.js';
import type { UpstreamAsset } from '../upstream/assets.js';
import type { AssetMutationResultParent, IdListArgs, IdListKind, MutationKind, MutationOutcome } from '../mutations/types.js';
import type { PipelineDeps } from '../mutations/pipeline.js';
import { runAppend } from '../mutations/append.js';
import { bodyHash, idSeed, withIdempotency } from '../mutations/idempotency.js';
import { runIdList, runUpdate } from '../mutations/pipeline.js';
import { createMutationUpstream } from '../mutations/upstream-adapter.js';
import { assetSelection } from './projection.js';

/**
 * Runs one mutation: UNAUTHENTICATED before anything else without a credential; with an
 * `Idempotency-Key`, a repeat (same credential, key, field and arguments) replays the result.
 */
async function execute(
  kind: MutationKind,
  args: object,
  ctx: BffContext,
  info: GraphQLResolveInfo,
  run: (deps: PipelineDeps) => Promise<MutationOutcome>,
): Promise<AssetMutationResultParent> {
  const credential = ctx.requireCredential();
  const settings = ctx.config.mutations;
  let outcome: MutationOutcome;
  try {
    if (!ctx.idempotencyKey) {
      outcome = await run({ upstream: createMutationUpstream(ctx), settings });
    } else {
      const scope = { credentialHash: credential.hash, key: ctx.idempotencyKey, responseKey: String(info.path.key) };
      const go = () => run({ upstream: createMutationUpstream(ctx), settings, idSeed: idSeed(scope) });
      outcome = await withIdempotency(ctx.cache.idem, scope, bodyHash(kind, args), settings.idempotencyTtlMs, go);
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

const idList =
  (kind: IdListKind) =>
  (_: unknown, args: IdListArgs, ctx: BffContext, info: GraphQLResolveInfo): Promise<AssetMutationResultParent> =>
    execute(kind, args, ctx, info, (deps) => runIdList(kind, args, deps));

export const Mutation: MutationResolvers<BffContext> = {
  appendManyToDataset: (_, args, ctx, info) => execute('appendManyToDataset', args, ctx, info, (deps) => runAppend(args, deps)),
  updatePropertiesInAssets: (_, args, ctx, info) =>
    execute('updatePropertiesInAssets', args, ctx, info, (deps) => runUpdate('updatePropertiesInAssets', args, deps)),
  changeAssetExternalIds: (_, args, ctx, info) =>
    execute('changeAssetExternalIds', args, ctx, info, (deps) => runUpdate('changeAssetExternalIds', args, deps)),
  deleteManyFromDataset: idList('deleteManyFromDataset'),
  addToReview: idList('addToReview'),
  sendBackToQueue: idList('sendBackToQueue'),
};

export const AssetMutationResult: AssetMutationResultResolvers<BffContext> = {
  /** Resolved through the by-id loader only when selected; never after a delete. */
  assets: async (parent, _, ctx, info): Promise<UpstreamAsset[]> => {
    if (parent.assetIds.length === 0 || parent.kind === 'deleteManyFromDataset') return [];
    ctx.loaders.wantAssetFields(assetSelection(info));
    const rows = await ctx.loaders.assetById.loadMany(parent.assetIds);
    const failed = rows.find((r): r is Error => r instanceof Error);
    if (failed) throw failed;
    return rows.filter((r): r is UpstreamAsset => r !== null);
  },
};

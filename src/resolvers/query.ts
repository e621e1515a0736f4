/**
 * Internal. Resolvers of the public queries (DESIGN §3): thin — validate, translate filters,
 * then call the loaders or the paginated upstream read with the client's projection.
 */
import type { AssetWhere } from '../__generated__/bff.js';
import type { QueryResolvers } from './__generated__/resolvers.js';
import type { BffContext } from '../context.js';
import { badUserInput } from '../errors/index.js';
import { translateWhere, type TranslatedWhere } from '../filters/index.js';
import { checkId, checkWhere } from '../limits/inputs.js';
import { countAssets, listAssets, type UpstreamScope } from '../upstream/assets.js';
import { countHints } from '../upstream/count-hints.js';
import { assetSelection } from './projection.js';

function scope(ctx: BffContext): UpstreamScope {
  return { upstream: ctx.upstream, credential: ctx.requireCredential() };
}

function filters(ctx: BffContext, projectId: string, where: AssetWhere | null | undefined): TranslatedWhere {
  if (!projectId.trim()) throw badUserInput('projectId', '`projectId` must not be empty.');
  checkId(projectId, 'projectId');
  checkWhere(where);
  const translated = translateWhere(projectId, where);
  ctx.warnings.push(...translated.warnings);
  return translated;
}

export const Query: QueryResolvers<BffContext> = {
  asset(_, { id }, ctx, info) {
    ctx.requireCredential();
    checkId(id, 'id');
    return ctx.loaders.loadAsset(id, assetSelection(info));
  },

  async assets(_, args, ctx, info) {
    const first = args.first ?? 100;
    const skip = args.skip ?? 0;
    const max = ctx.config.MAX_PAGE_SIZE;
    if (first < 0 || first > max) throw badUserInput('first', `\`first\` must be from 0 to ${max}, got ${first}.`, { max });
    if (skip < 0) throw badUserInput('skip', `\`skip\` must be 0 or more, got ${skip}.`);
    const { where, matchesNothing } = filters(ctx, args.projectId, args.where);
    const upstream = scope(ctx);
    if (matchesNothing || first === 0) return [];
    return listAssets(upstream, where, assetSelection(info), {
      first,
      skip,
      pageSize: ctx.config.QUERY_BATCH_SIZE,
      concurrency: ctx.config.PAGE_CONCURRENCY,
      hints: ctx.config.COUNT_HINT_TTL_MS > 0 ? { store: countHints, ttlMs: ctx.config.COUNT_HINT_TTL_MS } : undefined,
    });
  },

  async countAssets(_, args, ctx) {
    const { where, matchesNothing } = filters(ctx, args.projectId, args.where);
    const upstream = scope(ctx);
    return matchesNothing ? 0 : countAssets(upstream, where);
  },
};

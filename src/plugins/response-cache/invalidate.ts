/**
 * Internal. Every mutation result passes through response-cache invalidation before it is sent:
 * the result's project (or the `projectId` argument; unknown → everything) when assets were
 * affected, or when the mutation failed in a way that may have applied part of it.
 */
import { BffErrorCode, isBffError } from '../../errors/index.js';
import type { MutationWrapper } from '../plugin.js';
import { invalidateProject } from './generations.js';

/** Errors after which nothing was applied upstream: no need to invalidate cached reads. */
const NOTHING_APPLIED = new Set<string>([BffErrorCode.BAD_USER_INPUT, BffErrorCode.UNAUTHENTICATED, BffErrorCode.FORBIDDEN, BffErrorCode.ASSET_NOT_FOUND]);

export const invalidateAfterMutation: MutationWrapper = (resolve) => async (parent, args, ctx, info) => {
  const argProject = typeof args.projectId === 'string' ? args.projectId : null;
  let result: unknown;
  try {
    result = await resolve(parent, args, ctx, info);
  } catch (error) {
    if (!(isBffError(error) && NOTHING_APPLIED.has(error.code))) await invalidateProject(ctx.cache.responseGen, argProject);
    throw error;
  }
  const outcome = (result ?? {}) as { projectId?: unknown; assetIds?: unknown };
  if (!Array.isArray(outcome.assetIds) || outcome.assetIds.length > 0) {
    await invalidateProject(ctx.cache.responseGen, typeof outcome.projectId === 'string' ? outcome.projectId : argProject);
  }
  return result;
};

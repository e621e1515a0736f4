/**
 * Internal. Resolvers of `Asset`, `Project` and the federation entity references (DESIGN §3, §6).
 * `Asset.__resolveReference` goes through the per-request by-id loader, so a gateway's `_entities`
 * request costs one upstream call per 100 representations.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { BffContext } from '../context.js';
import { requireCredential } from '../loaders/index.js';
import type { UpstreamAsset } from '../upstream/assets.js';
import { assetSelection } from '../upstream/projection.js';

export const Asset = {
  __resolveReference(reference: { id: string }, ctx: BffContext, info: GraphQLResolveInfo): Promise<UpstreamAsset | null> {
    requireCredential(ctx.credential);
    return ctx.loaders.loadAsset(reference.id, assetSelection(info));
  },
  project: (asset: UpstreamAsset) => ({ id: asset.projectId }),
  // `labels`: the default resolver (parseAsset makes it a list).
};

export const Project = {
  __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
};

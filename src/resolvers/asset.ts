/**
 * Internal. Resolvers of `Asset`, `Project` and the federation entity references (DESIGN §3, §6).
 * `Asset.__resolveReference` goes through the per-request by-id loader, so a gateway's `_entities`
 * request costs one upstream call per 100 representations.
 */
import { GraphQLID } from 'graphql';
import type { AssetResolvers, ProjectResolvers } from './__generated__/resolvers.js';
import { serializeLeaf } from '../schema/leaves.js';
import type { BffContext } from '../context.js';
import { checkId } from '../limits/inputs.js';
import { assetSelection } from './projection.js';

export const Asset: AssetResolvers<BffContext> = {
  __resolveReference(reference, ctx, info) {
    ctx.requireCredential();
    checkId(reference.id, 'representations.id');
    return ctx.loaders.loadAsset(reference.id, assetSelection(info));
  },
  project: (asset) => ({ id: asset.projectId as string }),
  // `labels`: the default resolver (parseAsset makes it a list).
};

export const Project: ProjectResolvers<BffContext> = {
  // The representation's id is the client's: serialized here, as compiled operations do not.
  __resolveReference: (reference) => ({ id: serializeLeaf(GraphQLID, reference.id) as string }),
};

/**
 * Assembles the executable federation v2 subgraph schema ONCE per process: `schema/bff.graphql`,
 * the scalars, the read resolvers, and the mutations room's `mutationResolvers` when
 * `src/mutations/resolvers.ts` exists (guarded dynamic import; without it every mutation field
 * answers INTERNAL_SERVER_ERROR "not available").
 */
import { readFileSync } from 'node:fs';
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import { BffError, BffErrorCode } from '../errors/index.js';
import { Asset, Project } from '../resolvers/Asset.js';
import { Query } from '../resolvers/Query.js';
import { DateTimeScalar, JSONScalar } from './scalars.js';

/** The public SDL, read once. */
export const bffTypeDefs = parse(readFileSync(new URL('../../schema/bff.graphql', import.meta.url), 'utf8'));

type ResolverMap = Record<string, Record<string, unknown>>;

const MUTATIONS_MODULE = '../mutations/resolvers.js';

async function loadMutationResolvers(): Promise<ResolverMap> {
  try {
    const mod = (await import(MUTATIONS_MODULE)) as { mutationResolvers?: ResolverMap };
    if (mod.mutationResolvers) return mod.mutationResolvers;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' || !String((error as Error).message).includes('mutations')) throw error;
  }
  const unavailable = () => {
    throw new BffError(BffErrorCode.INTERNAL_SERVER_ERROR, 'Mutations are not available in this build.');
  };
  const fields = ['appendManyToDataset', 'updatePropertiesInAssets', 'changeAssetExternalIds', 'deleteManyFromDataset', 'addToReview', 'sendBackToQueue'];
  return { Mutation: Object.fromEntries(fields.map((f) => [f, unavailable])) };
}

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema, built on first call and shared afterwards. */
export function buildBffSchema(): Promise<GraphQLSchema> {
  built ??= loadMutationResolvers().then((mutations) => {
    const resolvers: ResolverMap = {
      JSON: JSONScalar as unknown as Record<string, unknown>,
      DateTime: DateTimeScalar as unknown as Record<string, unknown>,
      Query,
      Asset,
      Project,
    };
    for (const [type, fields] of Object.entries(mutations)) resolvers[type] = { ...resolvers[type], ...fields };
    return buildSubgraphSchema([{ typeDefs: bffTypeDefs, resolvers: resolvers as GraphQLResolverMap<unknown> }]);
  });
  return built;
}

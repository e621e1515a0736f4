/**
 * Assembles the executable federation v2 subgraph schema ONCE per process: `schema/bff.graphql`,
 * the scalars, the read resolvers, the mutation resolvers (src/mutations), each mutation
 * wrapped so that its outcome invalidates the response cache, and the bulk-operation resolvers
 * (src/bulk).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import type { BffContext } from '../context.js';
import { BffErrorCode, isBffError } from '../errors/index.js';
import { Asset, Project } from '../resolvers/Asset.js';
import { Query } from '../resolvers/Query.js';
import { mutationResolvers } from '../mutations/resolvers.js';
import { bulkResolvers } from '../bulk/resolvers.js';
import { DateTimeScalar, JSONScalar } from './scalars.js';
import { withSpec2021DirectiveLocations } from './spec2021.js';

/**
 * The package root: the nearest directory holding package.json above this module, so the SDL is
 * found both from the sources (src/schema) and from the compiled server (dist/src/schema).
 */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

const sdl = readFileSync(join(packageRoot(), 'schema', 'bff.graphql'), 'utf8');

/** The public SDL, read once. */
export const bffTypeDefs = parse(sdl);

/** Changes with the public schema (part of response-cache keys). */
export const bffSchemaVersion = createHash('sha256').update(sdl).digest('hex').slice(0, 12);

type ResolverMap = Record<string, Record<string, unknown>>;

/** Errors after which nothing was applied upstream: no need to invalidate cached reads. */
const NOTHING_APPLIED = new Set<string>([BffErrorCode.BAD_USER_INPUT, BffErrorCode.UNAUTHENTICATED, BffErrorCode.FORBIDDEN, BffErrorCode.ASSET_NOT_FOUND]);

type Resolver = (parent: unknown, args: Record<string, unknown>, ctx: BffContext, info: unknown) => unknown;

/**
 * Wraps a mutation resolver so that every mutation result passes through response-cache
 * invalidation before it is sent: the result's project (or the `projectId` argument; unknown →
 * everything) when assets were affected, or when the mutation failed in a way that may have
 * applied part of it.
 */
export function invalidatingResponseCache(resolve: Resolver): Resolver {
  return async (parent, args, ctx, info) => {
    const argProject = typeof args.projectId === 'string' ? args.projectId : null;
    let result: unknown;
    try {
      result = await resolve(parent, args, ctx, info);
    } catch (error) {
      if (!(isBffError(error) && NOTHING_APPLIED.has(error.code))) await ctx.cache.invalidateProject(argProject);
      throw error;
    }
    const outcome = (result ?? {}) as { projectId?: unknown; assetIds?: unknown };
    if (!Array.isArray(outcome.assetIds) || outcome.assetIds.length > 0) {
      await ctx.cache.invalidateProject(typeof outcome.projectId === 'string' ? outcome.projectId : argProject);
    }
    return result;
  };
}

let built: Promise<GraphQLSchema> | undefined;

/**
 * The executable schema, built on first call and shared afterwards; its directives use only the
 * 2021 spec's locations (./spec2021.ts).
 */
export function buildBffSchema(): Promise<GraphQLSchema> {
  built ??= Promise.resolve().then(() => {
    const resolvers: ResolverMap = {
      JSON: JSONScalar as unknown as Record<string, unknown>,
      DateTime: DateTimeScalar as unknown as Record<string, unknown>,
      Query,
      Asset,
      Project,
    };
    for (const [type, fields] of Object.entries(mutationResolvers as ResolverMap)) {
      const wrapped = type === 'Mutation' ? Object.fromEntries(Object.entries(fields).map(([name, fn]) => [name, invalidatingResponseCache(fn as Resolver)])) : fields;
      resolvers[type] = { ...resolvers[type], ...wrapped };
    }
    for (const [type, fields] of Object.entries(bulkResolvers as ResolverMap)) resolvers[type] = { ...resolvers[type], ...fields };
    return withSpec2021DirectiveLocations(buildSubgraphSchema([{ typeDefs: bffTypeDefs, resolvers: resolvers as GraphQLResolverMap<unknown> }]));
  });
  return built;
}

/**
 * Assembles the executable federation v2 subgraph schema: `schema/bff.graphql`, the scalars, the
 * resolvers (src/resolvers), each mutation resolver wrapped by the
 * pipeline's mutation wrappers (e.g. the response cache's invalidation). Built once per process
 * for a given list of wrappers; the SDL is read on first use, not at import. Its directives use
 * only the 2021 spec's locations (./spec2021.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type DocumentNode, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import type { BffContext } from '../context.js';
import type { MutationResolver, MutationWrapper } from '../plugins/plugin.js';
import type { MutationResolvers, Resolvers } from '../resolvers/__generated__/resolvers.js';
import { DateTimeScalar } from '../plugins/date-time-input/index.js';
import { Asset, Project } from '../resolvers/asset.js';
import { AssetMutationResult, Mutation } from '../resolvers/mutation.js';
import { Query } from '../resolvers/query.js';
import { bulkResolvers } from '../bulk/resolvers.js';
import { setAssetLeafSerializer } from '../upstream/assets.js';
import { upstreamLeafSerializer } from './leaves.js';
import { JSONScalar } from './scalars.js';
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

let sdl: { text: string; document: DocumentNode; version: string } | undefined;

function publicSdl(): NonNullable<typeof sdl> {
  if (!sdl) {
    const text = readFileSync(join(packageRoot(), 'schema', 'bff.graphql'), 'utf8');
    sdl = { text, document: parse(text), version: createHash('sha256').update(text).digest('hex').slice(0, 12) };
  }
  return sdl;
}

/** The public SDL, parsed (read on first call). */
export function bffTypeDefs(): DocumentNode {
  return publicSdl().document;
}

/** Changes with the public schema (part of response-cache keys). */
export function bffSchemaVersion(): string {
  return publicSdl().version;
}

let built: { wrappers: readonly MutationWrapper[]; schema: Promise<GraphQLSchema> } | undefined;

/**
 * The executable schema with every `Mutation` resolver passed through `wrappers` (the first
 * outermost). Built on the first call and shared by later calls with the same wrappers.
 */
export function buildBffSchema(wrappers: readonly MutationWrapper[] = []): Promise<GraphQLSchema> {
  const same = built && built.wrappers.length === wrappers.length && built.wrappers.every((w, i) => w === wrappers[i]);
  if (built && same) return built.schema;
  const schema = Promise.resolve().then(() => {
    const wrap = (resolve: MutationResolver) => wrappers.reduceRight((inner, wrapper) => wrapper(inner), resolve);
    const wrapped: MutationResolvers<BffContext> = Object.fromEntries(Object.entries(Mutation).map(([name, fn]) => [name, wrap(fn as MutationResolver)]));
    const resolvers: Resolvers<BffContext> = {
      JSON: JSONScalar,
      DateTime: DateTimeScalar,
      Query,
      Asset,
      Project,
      Mutation: wrapped,
      AssetMutationResult,
    };
    // Bulk operations (src/bulk): not wrapped (cancelling changes no asset); their parents are the
    // stored records typed in src/bulk.
    const withBulk = { ...resolvers } as Record<string, object>;
    for (const [type, fields] of Object.entries(bulkResolvers)) withBulk[type] = { ...(withBulk[type] ?? {}), ...fields };
    const schema = withSpec2021DirectiveLocations(buildSubgraphSchema([{ typeDefs: bffTypeDefs(), resolvers: withBulk as typeof resolvers }]));
    setAssetLeafSerializer(upstreamLeafSerializer(schema.getType('Asset') as GraphQLObjectType));
    return schema;
  });
  built = { wrappers: [...wrappers], schema };
  return schema;
}

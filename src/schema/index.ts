/**
 * Assembles the executable federation v2 subgraph schema: `schema/bff.graphql`, the scalars, the
 * read resolvers, the mutation resolvers (src/mutations), each mutation resolver wrapped by the
 * pipeline's mutation wrappers (e.g. the response cache's invalidation), and the bulk-operation
 * resolvers (src/bulk). Built once per process
 * for a given list of wrappers; the SDL is read on first use, not at import. Its directives use
 * only the 2021 spec's locations (./spec2021.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { MutationResolver, MutationWrapper } from '../plugins/plugin.js';
import { DateTimeScalar } from '../plugins/date-time-input/index.js';
import { Asset, Project } from '../resolvers/Asset.js';
import { Query } from '../resolvers/Query.js';
import { mutationResolvers } from '../mutations/resolvers.js';
import { bulkResolvers } from '../bulk/resolvers.js';
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

type ResolverMap = Record<string, Record<string, unknown>>;
/** The `resolvers` of one schema module, as `buildSubgraphSchema` declares it. */
type SubgraphModule = Extract<Extract<Parameters<typeof buildSubgraphSchema>[0], readonly unknown[]>[number], { typeDefs: unknown }>;
type SubgraphResolvers = NonNullable<SubgraphModule['resolvers']>;

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
    const resolvers: ResolverMap = {
      JSON: JSONScalar as unknown as Record<string, unknown>,
      DateTime: DateTimeScalar as unknown as Record<string, unknown>,
      Query,
      Asset,
      Project,
    };
    for (const [type, fields] of Object.entries(mutationResolvers as ResolverMap)) {
      const wrapped = type === 'Mutation' ? Object.fromEntries(Object.entries(fields).map(([name, fn]) => [name, wrap(fn as MutationResolver)])) : fields;
      resolvers[type] = { ...resolvers[type], ...wrapped };
    }
    // Bulk operations (src/bulk): not wrapped (cancelling changes no asset).
    for (const [type, fields] of Object.entries(bulkResolvers as ResolverMap)) resolvers[type] = { ...resolvers[type], ...fields };
    return withSpec2021DirectiveLocations(buildSubgraphSchema([{ typeDefs: bffTypeDefs(), resolvers: resolvers as SubgraphResolvers }]));
  });
  built = { wrappers: [...wrappers], schema };
  return schema;
}

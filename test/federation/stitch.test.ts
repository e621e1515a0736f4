/**
 * Schema stitching (`@graphql-tools/stitch`): the BFF as a remote subschema over HTTP, merged by
 * `Asset` through its federation `_entities` field (batched), plus a local subschema extending
 * Asset. The stitched schema is served by Apollo Server 5 on 127.0.0.1.
 */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildHTTPExecutor } from '@graphql-tools/executor-http';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { stitchSchemas } from '@graphql-tools/stitch';
import type { ExecutionRequest, Executor } from '@graphql-tools/utils';
import { createRequire } from 'node:module';
import { parse, type GraphQLSchema, type IntrospectionQuery, type OperationDefinitionNode } from 'graphql';
import type * as GraphQLModule from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRootField, gqlRequest, startStack, type GqlResponse, type Stack } from '../helpers/stack.js';

interface StitchContext {
  authorization?: string;
}

interface BffCall {
  rootFields: string[];
  /** Number of `_entities` representations sent, when the call is an `_entities` call. */
  representations?: number;
}

/**
 * graphql's CommonJS build, the one Node gives the externalized packages (graphql-tools, Apollo).
 * Under Vitest a plain `import 'graphql'` in a test resolves to its ESM build (index.mjs), and a
 * schema built from it fails graphql-tools' instanceof checks ("Cannot use GraphQLObjectType
 * from another module or realm"). Plain ASTs (`parse`) are realm-neutral.
 */
const graphqlCjs = createRequire(import.meta.url)('graphql') as typeof GraphQLModule;

let stack: Stack;
let fedIds: string[];
const scores = new Map<string, number>();
/** Keys received per `assetQualities` call of the local subschema. */
const qualityBatches: number[] = [];
/** Requests the stitched gateway sent to the BFF for client operations. */
const bffCalls: BffCall[] = [];
const servers: { url: string; stop(): Promise<void> }[] = [];

/** The BFF's schema as seen by introspection over HTTP (what a stitching gateway does). */
async function introspectBff(executor: Executor, inputValueDeprecation: boolean): Promise<GraphQLSchema> {
  const result = (await executor({ document: parse(graphqlCjs.getIntrospectionQuery({ inputValueDeprecation, descriptions: true })) })) as { data?: IntrospectionQuery };
  if (!result.data) throw new Error(`introspection failed: ${JSON.stringify(result)}`);
  return graphqlCjs.buildClientSchema(result.data);
}

/** Stitches the BFF (remote) with the local quality subschema and serves it; returns its URL. */
async function startStitchedGateway(inputValueDeprecation: boolean): Promise<string> {
  const http = buildHTTPExecutor({
    endpoint: stack.bff.url,
    // Forward the client's credential: the stitched gateway's context reaches the executor.
    headers: (request?: ExecutionRequest): Record<string, string> => {
      const authorization = (request?.context as StitchContext | undefined)?.authorization;
      return authorization ? { authorization } : {};
    },
  });
  const bffExecutor: Executor = (request) => {
    if (request.context) {
      const operation = request.document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
      const rootFields = operation?.selectionSet.selections.map((s) => (s.kind === 'Field' ? s.name.value : s.kind)) ?? [];
      const reps = Object.values(request.variables ?? {}).find((v): v is unknown[] => Array.isArray(v) && v.some((r) => (r as { __typename?: string })?.__typename === 'Asset'));
      bffCalls.push(rootFields.includes('_entities') ? { rootFields, representations: reps?.length ?? -1 } : { rootFields });
    }
    return http(request);
  };
  // Introspection is sent without a context (not counted); the BFF answers it without a key.
  const bffSchema = await introspectBff(http, inputValueDeprecation);

  const local = makeExecutableSchema({
    typeDefs: /* GraphQL */ `
      type Asset {
        id: ID!
        "Quality score from 0 to 1, or null when never scored."
        qualityScore: Float
      }
      type Query {
        flaggedAssets: [Asset!]!
        assetQualities(ids: [ID!]!): [Asset]!
      }
    `,
    resolvers: {
      Query: {
        flaggedAssets: () => [...scores.keys()].map((id) => ({ id })),
        assetQualities: (_: unknown, { ids }: { ids: string[] }) => {
          qualityBatches.push(ids.length);
          return ids.map((id) => ({ id }));
        },
      },
      Asset: { qualityScore: ({ id }: { id: string }) => scores.get(id) ?? null },
    },
  });

  const stitched = stitchSchemas({
    subschemas: [
      {
        schema: bffSchema,
        executor: bffExecutor,
        merge: {
          Asset: {
            selectionSet: '{ id }',
            fieldName: '_entities',
            key: ({ id }: { id: string }) => ({ __typename: 'Asset', id }),
            argsFromKeys: (representations: readonly unknown[]) => ({ representations }),
          },
        },
      },
      {
        schema: local,
        merge: {
          Asset: {
            selectionSet: '{ id }',
            fieldName: 'assetQualities',
            key: ({ id }: { id: string }) => id,
            argsFromKeys: (ids: readonly string[]) => ({ ids }),
          },
        },
      },
    ],
  });
  // The stitched Query has the BFF's `_service`, so Apollo Server would enable subgraph inline tracing.
  const server = new ApolloServer<StitchContext>({ schema: stitched, plugins: [ApolloServerPluginInlineTraceDisabled()] });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => ({ authorization: req.headers.authorization }),
  });
  servers.push({ url, stop: () => server.stop() });
  return url;
}

let gatewayUrl: string;
/** Stitched over an introspection that asked for deprecated input fields. */
let deprecatedAwareUrl: string;

beforeAll(async () => {
  stack = await startStack();
  fedIds = await stack.seed(stack.demo.projects.text.id, 150, { externalIdPrefix: 'stitch-' });
  fedIds.forEach((id, i) => scores.set(id, i / 150));
  [gatewayUrl, deprecatedAwareUrl] = await Promise.all([startStitchedGateway(false), startStitchedGateway(true)]);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await stack?.close();
});

const viaStitch = <D>(url: string, query: string, variables?: Record<string, unknown>): Promise<GqlResponse<D>> =>
  gqlRequest<D>(url, query, variables, { authorization: `X-API-Key: ${stack.key}` });

describe('stitching the BFF by Asset through _entities', () => {
  it('150 local assets resolved by the BFF in one batched _entities call, 2 upstream calls', async () => {
    await stack.clearRequests();
    bffCalls.length = 0;
    const { body } = await viaStitch<{ flaggedAssets: { id: string; qualityScore: number; externalId: string; status: string }[] }>(
      gatewayUrl,
      '{ flaggedAssets { id qualityScore externalId status } }',
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.flaggedAssets).toEqual(fedIds.map((id, i) => ({ id, qualityScore: i / 150, externalId: `stitch-${i}`, status: 'TODO' })));
    expect(bffCalls).toEqual([{ rootFields: ['_entities'], representations: 150 }]);
    const log = await stack.requests();
    expect(countRootField(log, 'assets')).toBe(2);
    expect(log).toHaveLength(2);
  });

  it('a query starting at the BFF selects the local field (one batched local call)', async () => {
    qualityBatches.length = 0;
    bffCalls.length = 0;
    const { body } = await viaStitch<{ assets: { externalId: string; qualityScore: number | null }[] }>(
      gatewayUrl,
      'query($p: ID!, $x: [String!]) { assets(projectId: $p, first: 10, where: { externalIdStrictlyIn: $x }) { externalId qualityScore } }',
      { p: stack.demo.projects.text.id, x: ['stitch-1', 'stitch-2', 'stitch-140'] },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.assets).toEqual([
      { externalId: 'stitch-1', qualityScore: 1 / 150 },
      { externalId: 'stitch-2', qualityScore: 2 / 150 },
      { externalId: 'stitch-140', qualityScore: 140 / 150 },
    ]);
    expect(qualityBatches).toEqual([3]);
    expect(bffCalls).toEqual([{ rootFields: ['assets'] }]);
  });
});

describe('deprecated AssetWhere aliases through stitching', () => {
  const query = 'query($p: ID!) { assets(projectId: $p, first: 5, where: { externalIdContains: ["stitch-7"] }) { externalId } }';

  it('a default introspection drops them: the stitched schema rejects an alias', async () => {
    const { body } = await viaStitch(gatewayUrl, query, { p: stack.demo.projects.text.id });
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.[0]?.message).toMatch(/Field "externalIdContains" is not defined by type "AssetWhere"/);
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('an introspection with inputValueDeprecation keeps them: the alias works, its warning is not forwarded', async () => {
    const { body } = await viaStitch(deprecatedAwareUrl, query, { p: stack.demo.projects.text.id });
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ assets: [{ externalId: 'stitch-7' }] });
    expect(body.extensions?.warnings).toBeUndefined();
  });
});

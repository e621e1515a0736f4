/**
 * Federation test servers, all on 127.0.0.1 with ephemeral ports:
 * - `startQualitySubgraph()`: a second, tiny Apollo Federation v2 subgraph ("quality") that
 *   extends `Asset @key(fields: "id")` with `qualityScore` and exposes `flaggedAssets`, a root
 *   query returning Asset references. Its scores live in `subgraph.scores` (set by the test).
 * - `composeSupergraph(subgraphs)`: `@apollo/composition` over the BFF's schema/bff.graphql and
 *   the quality subgraph.
 * - `startGateway(supergraphSdl, options)`: `@apollo/gateway` with a static supergraph, served by
 *   Apollo Server 5. It forwards the client's `Authorization` header to every subgraph and counts
 *   the requests it sends to each one; `forwardWarnings: true` also copies the subgraphs'
 *   `extensions.warnings` into the gateway's response (the recipe documented in the README).
 */
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { composeServices, type CompositionResult } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

export const BFF_SDL_PATH = new URL('../../schema/bff.graphql', import.meta.url);
export const bffTypeDefs = () => parse(readFileSync(BFF_SDL_PATH, 'utf8'));

export const QUALITY_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  # No description here: the BFF owns Asset's (two descriptions would be a composition hint).
  type Asset @key(fields: "id") {
    id: ID!
    "Quality score from 0 to 1, or null when the asset was never scored."
    qualityScore: Float
  }

  type Query {
    "Assets flagged for a quality review (references resolved by the BFF)."
    flaggedAssets: [Asset!]!
  }
`;

export interface QualitySubgraph {
  url: string;
  /** asset id → score; `flaggedAssets` returns these ids in insertion order. */
  scores: Map<string, number>;
  /** Representations received per `_entities` request, in order. */
  entityBatches: number[];
  close(): Promise<void>;
}

export async function startQualitySubgraph(): Promise<QualitySubgraph> {
  const scores = new Map<string, number>();
  const entityBatches: number[] = [];
  const schema = buildSubgraphSchema([{
    typeDefs: parse(QUALITY_SDL),
    resolvers: {
      Query: { flaggedAssets: () => [...scores.keys()].map((id) => ({ __typename: 'Asset', id })) },
      Asset: {
        __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
        qualityScore: (asset: { id: string }) => scores.get(asset.id) ?? null,
      },
    },
  }]);
  const countEntities: ApolloServerPlugin = {
    async requestDidStart({ request }) {
      const reps = request.variables?.representations;
      if (request.query?.includes('_entities') && Array.isArray(reps)) entityBatches.push(reps.length);
    },
  };
  const server = new ApolloServer({ schema, plugins: [countEntities, ApolloServerPluginInlineTraceDisabled()] });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, scores, entityBatches, close: () => server.stop() };
}

export function composeSupergraph(subgraphs: { name: string; url: string; sdl: string | ReturnType<typeof parse> }[]): CompositionResult {
  return composeServices(subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: typeof sdl === 'string' ? parse(sdl) : sdl })));
}

interface GatewayContext {
  authorization?: string;
  /** Warnings collected from subgraph responses (forwardWarnings only). */
  warnings: unknown[];
}

export interface Gateway {
  url: string;
  /** Requests sent to each subgraph (by subgraph name) for client operations. */
  sent: Map<string, number>;
  close(): Promise<void>;
}

export async function startGateway(supergraphSdl: string, options: { forwardWarnings?: boolean } = {}): Promise<Gateway> {
  const sent = new Map<string, number>();
  const forwardWarnings = options.forwardWarnings ?? false;

  class AuthForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
    constructor(private readonly subgraphName: string, url: string) {
      super({ url });
    }

    override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
      // Only client operations (not health checks); the kind enum is not exported by @apollo/gateway.
      if (!('incomingRequestContext' in options)) return;
      sent.set(this.subgraphName, (sent.get(this.subgraphName) ?? 0) + 1);
      const authorization = options.context.authorization;
      if (authorization) options.request.http?.headers.set('authorization', authorization);
    }

    override didReceiveResponse({ response, context }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>>[0]) {
      const warnings = response.extensions?.warnings;
      if (forwardWarnings && Array.isArray(warnings)) context.warnings.push(...(warnings as unknown[]));
      return response;
    }
  }

  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => new AuthForwardingDataSource(name, url!),
  });
  const warningsPlugin: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          if (!forwardWarnings || !contextValue.warnings.length || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, warnings: contextValue.warnings };
        },
      };
    },
  };
  const server = new ApolloServer<GatewayContext>({ gateway, plugins: [warningsPlugin] });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }: { req: { headers: IncomingHttpHeaders } }) => ({ authorization: req.headers.authorization, warnings: [] }),
  });
  return { url, sent, close: () => server.stop() };
}

/**
 * The GraphQL server the GraphiQL tests drive: express + Apollo Server 5 on 127.0.0.1 (port 0)
 * with `graphiqlRouter()` in front of the GraphQL endpoint, exactly as the BFF mounts it.
 * Until the BFF's own server factory exists, the schema is a tiny stand-in with the BFF's
 * `assets(projectId, first)` root field.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { graphiqlRouter } from '../../src/http/graphiql.js';

export interface GraphiqlTarget {
  origin: string;
  endpoint: string;
  projectId: string;
  apiKey: string;
  /** An asset id the `assets` query of `projectId` returns. */
  expectedAssetId: string;
  /** Authorization headers of the GraphQL requests received so far. */
  authorizations: string[];
  close(): Promise<void>;
}

const typeDefs = /* GraphQL */ `
  type Asset {
    id: ID!
    externalId: String!
  }
  type Query {
    assets(projectId: ID!, first: Int): [Asset!]!
  }
`;

const ASSETS = [
  { id: 'asset-text-1', externalId: 'review-001.txt' },
  { id: 'asset-text-2', externalId: 'review-002.txt' },
];

export async function startGraphiqlTarget(options: { assetsDir?: string } = {}): Promise<GraphiqlTarget> {
  const projectId = 'project-text';
  const apiKey = 'demo-key';
  const apollo = new ApolloServer({
    typeDefs,
    resolvers: {
      Query: {
        assets: (_: unknown, args: { projectId: string; first?: number | null }) =>
          args.projectId === projectId ? ASSETS.slice(0, args.first ?? ASSETS.length) : [],
      },
    },
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();
  const endpoint = '/graphql';
  const app = express();
  app.use(
    graphiqlRouter({
      endpoint,
      defaultHeaders: { Authorization: `X-API-Key: ${apiKey}` },
      defaultQuery: `query Assets {\n  assets(projectId: "${projectId}", first: 5) {\n    id\n  }\n}\n`,
      assetsDir: options.assetsDir,
    }),
  );
  const authorizations: string[] = [];
  app.use(endpoint, express.json(), expressMiddleware(apollo, {
    context: async ({ req }) => {
      if (req.headers.authorization) authorizations.push(req.headers.authorization);
      return {};
    },
  }));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    endpoint,
    projectId,
    apiKey,
    expectedAssetId: ASSETS[0].id,
    authorizations,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await apollo.stop();
    },
  };
}

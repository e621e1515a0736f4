/**
 * The BFF behind `@graphql-tools/federation` (the federation engine developed in the Hive Gateway
 * repository): the supergraph composed by `@apollo/composition` from schema/bff.graphql and a
 * second subgraph, turned into a stitched schema by `getStitchedSchemaFromSupergraphSdl`, served
 * by Apollo Server 5. Pins what docs/federation.md says of it: the client's `Authorization`
 * reaches the BFF when `httpExecutorOpts.headers` forwards it, a deprecated alias works, and the
 * BFF's `extensions.warnings` are not forwarded to the client.
 */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { getStitchedSchemaFromSupergraphSdl } from '@graphql-tools/federation';
import type { ExecutionRequest } from '@graphql-tools/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlRequest, startStack, type Stack } from '../helpers/stack.js';
import { emulatorCredentialHash } from '../graphiql/target.js';
import { QUALITY_SDL, bffTypeDefs, composeSupergraph, startQualitySubgraph, type QualitySubgraph } from './servers.js';

interface Ctx {
  authorization?: string;
}

let stack: Stack;
let quality: QualitySubgraph;
let server: ApolloServer<Ctx>;
let url: string;

beforeAll(async () => {
  [stack, quality] = await Promise.all([startStack(), startQualitySubgraph()]);
  const composed = composeSupergraph([
    { name: 'bff', url: stack.bff.url, sdl: bffTypeDefs() },
    { name: 'quality', url: quality.url, sdl: QUALITY_SDL },
  ]);
  expect(composed.errors).toBeUndefined();
  const schema = getStitchedSchemaFromSupergraphSdl({
    supergraphSdl: composed.supergraphSdl!,
    httpExecutorOpts: {
      // Header propagation: the client's credential, from the gateway's context, to every subgraph.
      headers: (request?: ExecutionRequest): Record<string, string> => {
        const authorization = (request?.context as Ctx | undefined)?.authorization;
        return authorization ? { authorization } : {};
      },
    },
  });
  server = new ApolloServer<Ctx>({ schema });
  ({ url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => ({ authorization: req.headers.authorization }),
  }));
});

afterAll(async () => {
  await server?.stop();
  await Promise.all([quality?.close(), stack?.close()]);
});

describe('BFF behind @graphql-tools/federation', () => {
  it('forwards the client credential, runs a deprecated alias, and drops the BFF warning', async () => {
    const [id] = await stack.seed(stack.demo.projects.text.id, 1, { externalIdPrefix: 'hive-' });
    const query = 'query($p: ID!) { assets(projectId: $p, first: 5, where: { externalIdContains: ["hive-0"] }) { id externalId } }';
    const variables = { p: stack.demo.projects.text.id };
    const direct = await stack.gql(query, variables);
    expect(direct.body.extensions?.warnings).toEqual([expect.objectContaining({ code: 'DEPRECATED_FILTER', field: 'where.externalIdContains' })]);

    const key = `X-API-Key: ${stack.key}`;
    await stack.clearRequests();
    const via = await gqlRequest(url, query, variables, { authorization: key });
    expect(via.body.errors).toBeUndefined();
    expect(via.body.data).toEqual({ assets: [{ id, externalId: 'hive-0' }] });
    expect(via.body.extensions?.warnings).toBeUndefined();
    expect((await stack.requests()).map((r) => r.credentialHash)).toEqual([emulatorCredentialHash(stack.key)]);
  });
});

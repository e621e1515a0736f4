/**
 * Start-up warm-up: the first request otherwise pays for lazy work (graphql-js schema validation,
 * the first parse/validation/execution of each code path, graphql-armor's rules, the JSON body
 * parser's lazy requires, first-call JIT). `warmUp` sends representative operations to the BFF's
 * own HTTP port before `createBffServer` resolves. They carry no credential, so nothing goes
 * upstream, and the `x-bff-warm-up` token keeps them out of logs and metrics.
 */
import type { ApolloServer } from '@apollo/server';
import { request } from 'undici';
import type { BffCache } from '../cache/index.js';
import type { Config } from '../config.js';
import { createContext, type BffContext } from '../context.js';
import type { UpstreamClient } from '../upstream/client.js';

const OPERATIONS = [
  {
    query: `query WarmUp($p: ID!, $w: AssetWhere) {
      countAssets(projectId: $p, where: $w)
      assets(projectId: $p, first: 5, where: $w) {
        id externalId content jsonContent jsonMetadata createdAt updatedAt status priority consensusMark honeypotMark
        labels { id labelType jsonResponse createdAt author { id email } }
        latestLabel { id author { email } }
        project { id }
      }
      asset(id: "warm-up") { id externalId }
    }`,
    variables: {
      p: 'warm-up',
      w: {
        statusIn: ['LABELED'],
        createdAtGte: '2024-01-01',
        consensusMarkGt: 0.5,
        metadataWhere: { language: 'en', score: [1, 2] },
        labelCategorySearch: 'JOB.CATEGORY.count >= 1 AND (JOB.OTHER.count == 0 OR JOB.X.count > 2)',
      },
    },
  },
  { query: 'query WarmUpEntities($r: [_Any!]!) { _entities(representations: $r) { ... on Asset { id status } } }', variables: { r: [{ __typename: 'Asset', id: 'warm-up' }] } },
  { query: 'mutation WarmUpMutation { updatePropertiesInAssets(projectId: "warm-up", assets: [{ id: "warm-up", priority: 1 }]) { assetIds batches } }' },
];

/** Canned upstream answers: the read path (projection, paging, JSON parsing, loaders) runs without a network call. */
const cannedUpstream: UpstreamClient = {
  async execute<T>(_credential: unknown, call: { rootField: string; variables?: Record<string, unknown> }): Promise<T> {
    if (call.rootField === 'countAssets') return { data: 1 } as T;
    const label = { id: 'warm-up-label', labelType: 'DEFAULT', jsonResponse: '{"JOB":{"categories":[]}}', createdAt: '2024-01-01T00:00:00.000Z', author: { id: 'u', email: 'warm-up@example.com' } };
    const asset = {
      id: 'warm-up', projectId: 'warm-up', externalId: 'warm-up', content: '', jsonContent: '', jsonMetadata: '{"language":"en"}', createdAt: '2024-01-01T00:00:00.000Z',
      updatedAt: '2024-01-01T00:00:00.000Z', status: 'LABELED', priority: 0, consensusMark: null, honeypotMark: null, labels: [label], latestLabel: label,
    };
    return { data: [asset] } as T;
  },
};

/**
 * Runs the operations in-process with a placeholder credential and canned upstream answers, so the
 * authenticated read path is compiled too. Never rejects.
 */
export async function warmUpExecution(apollo: ApolloServer<BffContext>, config: Readonly<Config>, cache: BffCache): Promise<void> {
  for (let round = 0; round < 2; round++) {
    for (const { query, variables } of OPERATIONS.slice(0, 2)) {
      const contextValue = createContext({
        requestId: 'warm-up',
        credential: { scheme: 'x-api-key', value: 'warm-up', hash: 'warm-up' },
        upstream: cannedUpstream,
        config,
        cache,
        idempotencyKey: null,
        warmUp: true,
      });
      await apollo.executeOperation({ query, variables }, { contextValue }).catch(() => undefined);
    }
  }
}

/** Runs the warm-up operations twice against `url` (the BFF's /graphql); never rejects. */
export async function warmUp(url: string, token: string): Promise<void> {
  for (let round = 0; round < 2; round++) {
    for (const body of OPERATIONS) {
      try {
        const response = await request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-bff-warm-up': token },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(5000),
        });
        await response.body.text();
      } catch {
        // best effort
      }
    }
  }
}

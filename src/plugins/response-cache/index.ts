/**
 * Response cache, one feature: a short-TTL cache of query responses (DESIGN §8), namespace
 * `response`, and the invalidation of its entries by every mutation (invalidate.ts).
 *
 * Key: `r1:<schema version>:<credential hash>:<sha256(document hash, operation name, stably
 * stringified variables, generation tokens)>`. The credential hash is the keyed HMAC of the
 * caller's key, so one credential never reads another's entries. The generation tokens are those
 * of what the operation reads (`p:<projectId>` for `assets`/`countAssets`, `id` for anything read
 * by id or whose project is not known up front, `*` always): a mutation replaces them
 * (generations.ts), so entries cached before it are never served again.
 *
 * Stored: `data` and `extensions` of query responses without errors, serialized (a string of at
 * most MAX_ENTRY_BYTES; the in-memory store holds at most RESPONSE_CACHE_MAX_BYTES of them).
 * Not cached: mutations, requests without a credential, error responses, and responses that
 * needed no upstream call (introspection, `__typename`, empty filters): nothing to save. Lookups are off when
 * RESPONSE_CACHE_TTL_MS is 0; mutations still invalidate (replicas may share the store).
 */
import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { BffContext } from '../../context.js';
import { cacheLookups } from '../../metrics.js';
import type { BffPlugin } from '../plugin.js';
import { currentGenerations } from './generations.js';
import { invalidateAfterMutation } from './invalidate.js';
import { stableStringify } from '../../stable-stringify.js';
import { stringifyResponse } from '../../json-text.js';
import { dependencyScopes } from './key.js';

export { dependencyScopes } from './key.js';

/** Larger results are not cached (a 10,000-asset page has no business in a shared cache). */
export const MAX_ENTRY_BYTES = 2 * 1024 * 1024;

/** What is stored: this as JSON text (`stringifyResponse`). */
interface CachedResponse {
  data: Record<string, unknown>;
  extensions?: Record<string, unknown>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export interface ResponseCacheOptions {
  /** Entry lifetime, ms; 0 turns lookups and storing off. */
  ttlMs: number;
  /** Changes with the public schema, so entries of an older schema are never served. */
  schemaVersion: string;
}

export function useResponseCache({ ttlMs, schemaVersion }: ResponseCacheOptions): BffPlugin {
  // Off: no per-request hook at all.
  return { apollo: ttlMs > 0 ? [responseCachePlugin(ttlMs, schemaVersion)] : [], wrapMutation: invalidateAfterMutation };
}

function responseCachePlugin(ttlMs: number, schemaVersion: string): ApolloServerPlugin<BffContext> {
  return {
    async requestDidStart() {
      let key: string | null = null;
      let hit = false;
      return {
        async responseForOperation({ operation, document, request, queryHash, contextValue }) {
          const credential = contextValue.credential;
          if (operation.operation !== 'query' || !credential || contextValue.warmUp) return null;
          const variables = request.variables ?? {};
          const scopes = dependencyScopes(document, operation, variables);
          // Only fields that read no asset (introspection, `__typename`, `_service`): never stored.
          if (scopes.length === 1) return null;
          const generations = await currentGenerations(contextValue.cache.responseGen, scopes);
          const digest = sha256(
            [queryHash, request.operationName ?? '', stableStringify(variables), scopes.map((s, i) => `${s}=${generations[i]}`).join(',')].join('\u0000'),
          );
          key = `r1:${schemaVersion}:${credential.hash}:${digest}`;
          const stored = await contextValue.cache.response.get<string>(key);
          const cached = typeof stored === 'string' ? (JSON.parse(stored) as CachedResponse) : undefined;
          cacheLookups.inc({ namespace: 'response', result: cached ? 'hit' : 'miss' });
          if (!cached) return null;
          hit = true;
          contextValue.responseCacheHit = true;
          const headers = new HeaderMap([['x-bff-cache', 'hit']]);
          return { http: { headers }, body: { kind: 'single', singleResult: { data: cached.data, ...(cached.extensions ? { extensions: cached.extensions } : {}) } } };
        },
        async willSendResponse({ response, contextValue }) {
          if (!key || hit || response.body.kind !== 'single') return;
          const { data, errors, extensions } = response.body.singleResult;
          if (errors?.length || !data || (response.http.status ?? 200) !== 200) return;
          if (contextValue.upstreamCalls.count === 0) return;
          const entry: CachedResponse = extensions ? { data, extensions } : { data };
          // Upstream JSON text goes in as it is (src/json-text.ts), as it does into the response.
          const serialized = stringifyResponse(entry);
          if (Buffer.byteLength(serialized) > MAX_ENTRY_BYTES) return;
          await contextValue.cache.response.set(key, serialized, ttlMs);
        },
      };
    },
  };
}

/**
 * Short-TTL response cache for query operations (DESIGN §8), namespace `response`.
 *
 * Key: `r1:<schema version>:<credential hash>:<sha256(document hash, operation name, stably
 * stringified variables, generation tokens)>`. The credential hash is the keyed HMAC of the
 * caller's key, so one credential never reads another's entries. The generation tokens are those
 * of what the operation reads (`p:<projectId>` for `assets`/`countAssets`, `id` for anything read
 * by id or whose project is not known up front, `*` always): a mutation replaces them
 * (`BffCache.invalidateProject`), so entries cached before it are never served again.
 *
 * Stored: `data` and `extensions` of query responses without errors, up to MAX_ENTRY_BYTES.
 * Not cached: mutations, requests without a credential, error responses. Off when
 * RESPONSE_CACHE_TTL_MS is 0.
 */
import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';
import type { BffContext } from '../context.js';
import { cacheLookups } from '../metrics.js';
import { stableStringify } from '../stable-stringify.js';

/** Larger results are not cached (a 10,000-asset page has no business in a shared cache). */
export const MAX_ENTRY_BYTES = 2 * 1024 * 1024;

/** Root fields scoped by their `projectId` argument. */
const PROJECT_FIELDS = new Set(['assets', 'countAssets']);
/** Root fields that read no asset data. */
const STATIC_FIELDS = new Set(['__typename', '__schema', '__type', '_service']);

interface CachedResponse {
  data: Record<string, unknown>;
  extensions?: Record<string, unknown>;
}

function argumentValue(value: ValueNode, variables: Record<string, unknown>): unknown {
  if (value.kind === Kind.VARIABLE) return variables[value.name.value];
  if (value.kind === Kind.STRING) return value.value;
  return undefined;
}

/**
 * The generation scopes an operation's result depends on: `*`, plus `p:<projectId>` for each
 * project-scoped root field, plus `id` for any other root field that reads assets.
 */
export function dependencyScopes(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): string[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const scopes = new Set<string>(['*']);
  const seen = new Set<string>();
  const walk = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !seen.has(fragment.name.value)) {
          seen.add(fragment.name.value);
          walk(fragment.selectionSet);
        }
      } else if (PROJECT_FIELDS.has(selection.name.value)) {
        const arg = selection.arguments?.find((a) => a.name.value === 'projectId');
        const projectId = arg ? argumentValue(arg.value, variables) : undefined;
        scopes.add(typeof projectId === 'string' ? `p:${projectId}` : 'id');
      } else if (!STATIC_FIELDS.has(selection.name.value)) {
        scopes.add('id');
      }
    }
  };
  walk(operation.selectionSet);
  return [...scopes].sort();
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function bffPluginResponseCache(ttlMs: number, schemaVersion: string): ApolloServerPlugin<BffContext> {
  // Off: no per-request hook at all.
  if (ttlMs <= 0) return {};
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
          const generations = await contextValue.cache.responseGenerations(scopes);
          const digest = sha256(
            [queryHash, request.operationName ?? '', stableStringify(variables), scopes.map((s, i) => `${s}=${generations[i]}`).join(',')].join('\u0000'),
          );
          key = `r1:${schemaVersion}:${credential.hash}:${digest}`;
          const cached = await contextValue.cache.response.get<CachedResponse>(key);
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
          const entry: CachedResponse = extensions ? { data, extensions } : { data };
          if (Buffer.byteLength(JSON.stringify(entry)) > MAX_ENTRY_BYTES) return;
          await contextValue.cache.response.set(key, entry, ttlMs);
        },
      };
    },
  };
}

/**
 * Shared caches (DESIGN §8): one keyv namespace per feature — `apq` (persisted queries), `response`
 * (short-TTL read cache), `idem` (Idempotency-Key results). In memory by default; with
 * `CACHE_URL=redis://…` every namespace lives in Redis so that replicas share it.
 * Every method here never rejects: a store failure counts as a miss (reads) or is dropped (writes),
 * so the cache can never turn into a client-visible error.
 */
import { Keyv } from 'keyv';
import KeyvRedis, { createClient } from '@keyv/redis';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';

export type CacheNamespace = 'apq' | 'response' | 'idem';

export interface NamespaceCache {
  /** The stored value, or undefined when absent, expired or unreadable. */
  get<T = unknown>(key: string): Promise<T | undefined>;
  /** Stores `value` (JSON-serialisable) for `ttlMs` milliseconds (undefined: no expiry). */
  set(key: string, value: unknown, ttlMs?: number): Promise<void>;
  /** true when something was deleted. */
  delete(key: string): Promise<boolean>;
}

export interface BffCache {
  readonly kind: 'memory' | 'redis';
  readonly apq: NamespaceCache;
  readonly response: NamespaceCache;
  readonly idem: NamespaceCache;
  /** The Redis client (node-redis) when kind is 'redis', for other shared state (rate limits). */
  readonly redisClient: unknown;
  close(): Promise<void>;
}

function wrap(keyv: Keyv): NamespaceCache {
  return {
    async get<T>(key: string) {
      try {
        return (await keyv.get<T>(key)) ?? undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, value, ttlMs) {
      try {
        await keyv.set(key, value, ttlMs);
      } catch {
        // dropped: a cache write failure must not fail the request
      }
    },
    async delete(key) {
      try {
        return await keyv.delete(key);
      } catch {
        return false;
      }
    },
  };
}

const NAMESPACES: CacheNamespace[] = ['apq', 'response', 'idem'];

/** Creates the caches. `url`: null or `memory:` → in memory; `redis://…` → Redis (connects now, rejects if unreachable). */
export async function createCache(url: string | null): Promise<BffCache> {
  if (!url || !url.startsWith('redis')) {
    const stores = Object.fromEntries(NAMESPACES.map((ns) => [ns, wrap(new Keyv({ namespace: ns }))])) as Record<CacheNamespace, NamespaceCache>;
    return { kind: 'memory', ...stores, redisClient: null, close: async () => {} };
  }
  const client = createClient({ url });
  client.on('error', () => {}); // reconnects on its own; failures surface as cache misses
  await client.connect();
  const keyvs = NAMESPACES.map((ns) => new Keyv({ store: new KeyvRedis(client, { noNamespaceAffectsAll: true }), namespace: `bff:${ns}` }));
  const [apq, response, idem] = keyvs.map(wrap) as [NamespaceCache, NamespaceCache, NamespaceCache];
  return {
    kind: 'redis',
    apq,
    response,
    idem,
    redisClient: client,
    close: async () => {
      await client.close().catch(() => {});
    },
  };
}

/** Apollo's `KeyValueCache` over a namespace (Apollo gives `ttl` in seconds). */
export function apolloCache(cache: NamespaceCache): KeyValueCache<string> {
  return {
    get: (key) => cache.get<string>(key),
    set: (key, value, options) => cache.set(key, value, options?.ttl ? options.ttl * 1000 : undefined),
    delete: (key) => cache.delete(key),
  };
}

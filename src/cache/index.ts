/**
 * Shared caches (DESIGN §8): one keyv namespace per feature — `apq` (persisted queries), `response`
 * (short-TTL read cache) and `response-gen` (its invalidation tokens, src/plugins/response-cache),
 * `idem` (Idempotency-Key results). In memory by default; with
 * `CACHE_URL=redis://…` every namespace lives in Redis so that replicas share it, over ioredis
 * (redis.ts; keyv-ioredis.ts writes the keys and values `@keyv/redis` wrote).
 * Every method here never rejects: a store failure counts as a miss (reads) or is dropped (writes),
 * so the cache can never turn into a client-visible error.
 */
import { Keyv } from 'keyv';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { DocumentNode } from 'graphql';
import type { Logger } from '../log.js';
import { KeyvIoredis } from './keyv-ioredis.js';
import { LruMap } from './lru.js';
import { closeRedis, connectRedis, throttledErrorLog, type Redis } from './redis.js';

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
  /**
   * The response cache's generation tokens. In memory at most MEMORY_GENERATION_TOKENS, the least
   * recently used dropped first; dropping one clears the in-memory response store (an entry
   * cached under a dropped token must never be served again).
   */
  readonly responseGen: NamespaceCache;
  /**
   * The Redis connection (ioredis) when kind is 'redis', for the other shared state: rate limits,
   * the Idempotency-Key lock, the bulk-operation store and slots. Closed by `close()`.
   */
  readonly redisClient: Redis | null;
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

/** Generation tokens kept in memory (each under 200 bytes: scope names are hashed when long). */
export const MEMORY_GENERATION_TOKENS = 10_000;

/** Bounds of the in-memory stores (Redis entries are bounded by their TTLs and sizes). */
export interface MemoryLimits {
  /** Bytes of the `response` store. */
  responseMaxBytes: number;
  /** Bytes of the `apq` store. */
  apqMaxBytes: number;
}

const DEFAULT_LIMITS: MemoryLimits = { responseMaxBytes: 64 * 1024 * 1024, apqMaxBytes: 16 * 1024 * 1024 };

/** In-memory idempotency results kept at most, in bytes of their serialised form (least recently used dropped first). */
export const MEMORY_IDEM_BYTES = 64 * 1024 * 1024;

/**
 * Creates the caches. `url`: null or `memory:` → in memory; `redis://…` → Redis (connects now,
 * rejects if unreachable). `logger` hears the Redis connection's errors, each at most once a minute.
 */
export async function createCache(url: string | null, limits: MemoryLimits = DEFAULT_LIMITS, logger?: Logger): Promise<BffCache> {
  if (!url || !url.startsWith('redis')) {
    const responseStore = new LruMap({ maxBytes: limits.responseMaxBytes });
    const generationStore = new LruMap({ maxEntries: MEMORY_GENERATION_TOKENS, onEvict: () => responseStore.clear() });
    return {
      kind: 'memory',
      apq: wrap(new Keyv({ namespace: 'apq', store: new LruMap({ maxBytes: limits.apqMaxBytes }) })),
      response: wrap(new Keyv({ namespace: 'response', store: responseStore })),
      idem: wrap(new Keyv({ namespace: 'idem', store: new LruMap({ maxBytes: MEMORY_IDEM_BYTES }) })),
      responseGen: wrap(new Keyv({ namespace: 'response-gen', store: generationStore })),
      redisClient: null,
      close: async () => {},
    };
  }
  // Reconnects on its own; meanwhile cache reads miss and writes are dropped (keyv-ioredis.ts).
  const onError = logger ? throttledErrorLog(logger, 'cache') : () => {};
  const client = await connectRedis(url, onError);
  const keyv = (ns: string) => new Keyv({ store: new KeyvIoredis(client, { onError }), namespace: `bff:${ns}` });
  const [apq, response, idem] = NAMESPACES.map((ns) => wrap(keyv(ns))) as [NamespaceCache, NamespaceCache, NamespaceCache];
  return {
    kind: 'redis',
    apq,
    response,
    idem,
    responseGen: wrap(keyv('response-gen')),
    redisClient: client,
    close: () => closeRedis(client),
  };
}

/**
 * Apollo's store of parsed and validated documents, in memory, holding at most `maxBytes`
 * (least recently used dropped first). A document counts as its AST's JSON (as Apollo's default
 * store counts it) plus its source text, which the AST keeps: counting the AST alone, documents
 * padded with comments would hold far more than the bound.
 */
export function documentCache(maxBytes: number): KeyValueCache<DocumentNode> {
  const store = new LruMap({
    maxBytes,
    sizeOf: (value) => {
      const document = value as DocumentNode;
      return JSON.stringify(document).length + (document.loc?.source.body.length ?? 0);
    },
  });
  return {
    get: async (key) => store.get(key) as DocumentNode | undefined,
    set: async (key, value) => void store.set(key, value),
    delete: async (key) => store.delete(key),
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

/**
 * Shared caches (DESIGN §8): one keyv namespace per feature — `apq` (persisted queries), `response`
 * (short-TTL read cache) and `response-gen` (its invalidation tokens, src/plugins/response-cache),
 * `idem` (Idempotency-Key results). In memory by default; with
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
  /** The response cache's generation tokens (never evicted in memory). */
  readonly responseGen: NamespaceCache;
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

/** In-memory response entries kept at most (oldest dropped first); Redis is bounded by its own policy. */
export const MEMORY_RESPONSE_ENTRIES = 5_000;

/** A Map that drops its oldest entries beyond `max` (keyv memory store for the response cache). */
class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }
  override set(key: K, value: V): this {
    if (this.has(key)) super.delete(key);
    super.set(key, value);
    while (this.size > this.max) super.delete(this.keys().next().value as K);
    return this;
  }
}

/** In-memory idempotency results kept at most, in bytes of their serialised form (oldest dropped first). */
export const MEMORY_IDEM_BYTES = 64 * 1024 * 1024;

/**
 * A Map of keyv's serialised entries that drops its oldest entries beyond `maxBytes` in total
 * (keyv stores strings in its memory store; other values count by their JSON length).
 */
export class ByteBoundedMap<K> extends Map<K, unknown> {
  private bytes = 0;
  constructor(private readonly maxBytes: number) {
    super();
  }
  private static size(value: unknown): number {
    return typeof value === 'string' ? value.length : (JSON.stringify(value)?.length ?? 0);
  }
  override set(key: K, value: unknown): this {
    this.delete(key);
    super.set(key, value);
    this.bytes += ByteBoundedMap.size(value);
    while (this.bytes > this.maxBytes && this.size > 0) this.delete(this.keys().next().value as K);
    return this;
  }
  override delete(key: K): boolean {
    if (!this.has(key)) return false;
    this.bytes -= ByteBoundedMap.size(super.get(key));
    return super.delete(key);
  }
  override clear(): void {
    this.bytes = 0;
    super.clear();
  }
}

/** The bounded in-memory store of a namespace (Redis is bounded by its own policy). */
function memoryStoreOf(ns: CacheNamespace): { store?: Map<string, unknown> } {
  switch (ns) {
    case 'response':
      return { store: new BoundedMap(MEMORY_RESPONSE_ENTRIES) };
    case 'idem':
      return { store: new ByteBoundedMap(MEMORY_IDEM_BYTES) };
    default:
      return {};
  }
}

/** Creates the caches. `url`: null or `memory:` → in memory; `redis://…` → Redis (connects now, rejects if unreachable). */
export async function createCache(url: string | null): Promise<BffCache> {
  if (!url || !url.startsWith('redis')) {
    const stores = Object.fromEntries(
      NAMESPACES.map((ns) => [ns, wrap(new Keyv({ namespace: ns, ...memoryStoreOf(ns) }))]),
    ) as Record<CacheNamespace, NamespaceCache>;
    const responseGen = wrap(new Keyv({ namespace: 'response-gen' }));
    return { kind: 'memory', ...stores, responseGen, redisClient: null, close: async () => {} };
  }
  const client = createClient({ url });
  client.on('error', () => {}); // reconnects on its own; failures surface as cache misses
  await client.connect();
  const keyv = (ns: string) => new Keyv({ store: new KeyvRedis(client, { noNamespaceAffectsAll: true }), namespace: `bff:${ns}` });
  const [apq, response, idem] = NAMESPACES.map((ns) => wrap(keyv(ns))) as [NamespaceCache, NamespaceCache, NamespaceCache];
  return {
    kind: 'redis',
    apq,
    response,
    idem,
    responseGen: wrap(keyv('response-gen')),
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

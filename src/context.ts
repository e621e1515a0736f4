/**
 * The per-request GraphQL context (DESIGN §2): credential, request id, per-request loaders, the
 * warnings collector rendered into `extensions.warnings`, config and caches.
 */
import type { Config } from './config.js';
import type { BffCache } from './cache/index.js';
import { BffError, BffErrorCode } from './errors/index.js';
import type { BffWarning } from './errors/index.js';
import { createLoaders, type Loaders } from './loaders/index.js';
import type { Credential, UpstreamClient } from './upstream/client.js';
import type { BulkService } from './bulk/service.js';

export interface BffContext {
  requestId: string;
  /** null: anything needing upstream throws UNAUTHENTICATED. */
  credential: Credential | null;
  /** The caller's credential; throws UNAUTHENTICATED when the request has none. */
  requireCredential(): Credential;
  upstream: UpstreamClient;
  /** Created per request (src/loaders), on first use. */
  loaders: Loaders;
  /** Rendered into the response's extensions.warnings. */
  warnings: BffWarning[];
  config: Readonly<Config>;
  /** The Idempotency-Key request header. */
  idempotencyKey: string | null;
  cache: BffCache;
  /** Bulk operations (src/bulk); null in contexts built without a server (unit tests). */
  bulk: BulkService | null;
  /** Upstream HTTP attempts made for this request (metrics, tests). */
  upstreamCalls: { count: number };
  /** The start-up warm-up request (not logged, not measured). */
  warmUp?: boolean;
  /** Shared with the HTTP layer: marked when the request enters Apollo's pipeline (http/requestLog.ts). */
  requestTrace?: RequestTrace;
  /** Set when the response came from the response cache (logs). */
  responseCacheHit?: boolean;
  /** The HTTP client of this request (src/plugins/client-disconnect); absent in-process. */
  client?: ClientLink;
}

/** Shared by the HTTP layer (http/requestLog.ts) and the observability plugin for one request. */
export interface RequestTrace {
  /** Set when the request entered Apollo's pipeline (the plugin logs it). */
  inPipeline: boolean;
  /** Set when the plugin has written the request's log line. */
  logged?: boolean;
}

/** What the context needs of the HTTP client: a signal for upstream calls while attached. */
export interface ClientLink {
  /** Aborted when the client disconnects; undefined once detached. */
  readonly signal: AbortSignal | undefined;
  /** Stops aborting this request's upstream calls when the client disconnects. */
  detach(): void;
}

export interface ContextInput {
  requestId: string;
  credential: Credential | null;
  upstream: UpstreamClient;
  config: Readonly<Config>;
  cache: BffCache;
  idempotencyKey: string | null;
  bulk?: BulkService | null;
  /** Its signal aborts this request's upstream calls when the HTTP client disconnects. */
  client?: ClientLink;
  warmUp?: boolean;
  requestTrace?: RequestTrace;
}

/**
 * Builds a context. The upstream client given is wrapped to count this request's calls and to
 * abort them (and their retries) when the client disconnects (`input.client`).
 */
export function createContext(input: ContextInput): BffContext {
  const upstreamCalls = { count: 0 };
  const upstream: UpstreamClient = {
    execute: (credential, call, signal) => {
      upstreamCalls.count++;
      const clientSignal = input.client?.signal;
      const combined = !clientSignal ? signal : !signal ? clientSignal : AbortSignal.any([signal, clientSignal]);
      return input.upstream.execute(credential, call, combined);
    },
  };
  const requireCredential = (): Credential => {
    if (!input.credential) {
      throw new BffError(
        BffErrorCode.UNAUTHENTICATED,
        'Send your Kili API key: `Authorization: X-API-Key: <key>`, `Authorization: Bearer <key>` or `X-API-Key: <key>`.',
      );
    }
    return input.credential;
  };
  // The loaders are created on first use: a page read (`assets`, `countAssets`) never needs them.
  // The lazy getter lives on the prototype: Apollo Server copies the context's own properties
  // into a fresh object for each operation (Object.assign), which would call an own getter.
  const context: BffContext = Object.create(LAZY_LOADERS) as BffContext;
  Object.assign(context, {
    requestId: input.requestId,
    credential: input.credential,
    requireCredential,
    upstream,
    warnings: [],
    config: input.config,
    idempotencyKey: input.idempotencyKey,
    cache: input.cache,
    bulk: input.bulk ?? null,
    upstreamCalls,
    warmUp: input.warmUp,
    client: input.client,
    requestTrace: input.requestTrace,
    [LOADERS]: { loaders: undefined, make: () => createLoaders({ upstream, credential: requireCredential }, input.config.QUERY_BATCH_SIZE) } satisfies LazyLoaders,
  });
  return context;
}

const LOADERS = Symbol('loaders');
/** Shared by a context and Apollo's copies of it, so they create one set of loaders between them. */
interface LazyLoaders {
  loaders: Loaders | undefined;
  make: () => Loaders;
}
const LAZY_LOADERS = Object.defineProperty({}, 'loaders', {
  get(this: { [LOADERS]: LazyLoaders }): Loaders {
    const lazy = this[LOADERS];
    return (lazy.loaders ??= lazy.make());
  },
  enumerable: false,
});

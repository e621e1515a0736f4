/**
 * The per-request GraphQL context (DESIGN §2): credential, request id, per-request loaders, the
 * warnings collector rendered into `extensions.warnings`, config and caches.
 */
import type { Config } from './config.js';
import type { BffCache } from './cache/index.js';
import { createLoaders, type Loaders } from './loaders/index.js';
import type { Credential, UpstreamClient } from './upstream/client.js';

export interface Warning {
  code: string;
  message: string;
  field?: string;
  /** DEPRECATED_FILTER: the field to use instead. */
  replacement?: string;
}

export interface BffContext {
  requestId: string;
  /** null: anything needing upstream throws UNAUTHENTICATED. */
  credential: Credential | null;
  upstream: UpstreamClient;
  /** Created per request (src/loaders). */
  loaders: Loaders;
  /** Rendered into the response's extensions.warnings. */
  warnings: Warning[];
  config: Readonly<Config>;
  /** The Idempotency-Key request header. */
  idempotencyKey: string | null;
  cache: BffCache;
  /** Upstream HTTP attempts made for this request (metrics, tests). */
  upstreamCalls: { count: number };
}

export interface ContextInput {
  requestId: string;
  credential: Credential | null;
  upstream: UpstreamClient;
  config: Readonly<Config>;
  cache: BffCache;
  idempotencyKey: string | null;
  signal?: AbortSignal;
}

/** Builds a context; the upstream client given is wrapped to count this request's calls. */
export function createContext(input: ContextInput): BffContext {
  const upstreamCalls = { count: 0 };
  const upstream: UpstreamClient = {
    execute: (credential, call, signal) => {
      upstreamCalls.count++;
      return input.upstream.execute(credential, call, signal ?? input.signal);
    },
  };
  return {
    requestId: input.requestId,
    credential: input.credential,
    upstream,
    loaders: createLoaders({ upstream, credential: input.credential, signal: input.signal }, input.config.QUERY_BATCH_SIZE),
    warnings: [],
    config: input.config,
    idempotencyKey: input.idempotencyKey,
    cache: input.cache,
    upstreamCalls,
  };
}

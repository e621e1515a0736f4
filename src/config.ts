/**
 * Configuration, read from the environment ONCE at start-up (DESIGN §10). Every key is checked
 * here and a bad value throws a `TypeError` naming the key, so nothing downstream deals with
 * `undefined` or strings.
 */

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  /** HTTP port of the BFF. @default 4000 (0 = ephemeral) */
  PORT: number;
  /** Interface to listen on. @default '0.0.0.0' */
  HOST: string;
  /** Upstream Kili GraphQL endpoint. null = no upstream configured (main.ts starts the emulator). */
  KILI_API_URL: string | null;
  /**
   * API key the start-up upstream contract check introspects the upstream with (src/upstream/contract.ts);
   * null = no check (`/readyz` says `unchecked`). main.ts uses the embedded emulator's key. @default null
   */
  UPSTREAM_CONTRACT_KEY: string | null;
  /** `redis://…` shares APQ, response and idempotency caches between replicas; null = in memory. */
  CACHE_URL: string | null;
  /** Largest `first` accepted by `assets`. @default 10000 */
  MAX_PAGE_SIZE: number;
  /** Upstream page size (the SDK's QUERY_BATCH_SIZE). @default 100 */
  QUERY_BATCH_SIZE: number;
  /** Upstream pages fetched at once for one `assets` field. @default 32 */
  PAGE_CONCURRENCY: number;
  /**
   * How long a paged read's count is remembered (per credential and filter) so that the next
   * paged read of the same assets sends its pages with its count, not one round trip after it, ms;
   * 0 = never. @default 300000
   */
  COUNT_HINT_TTL_MS: number;
  /** Timeout of one upstream HTTP attempt, ms. @default 15000 */
  UPSTREAM_TIMEOUT_MS: number;
  /** Total time budget of one upstream call including retries, ms. @default 30000 */
  UPSTREAM_DEADLINE_MS: number;
  /** Retries after the first attempt (queries and idempotent mutations). @default 4 */
  UPSTREAM_RETRIES: number;
  /** First backoff delay, ms (doubles each retry, full jitter). @default 100 */
  UPSTREAM_BACKOFF_MS: number;
  /** Keep-alive connections to the upstream. @default 64 (twice PAGE_CONCURRENCY: one large read leaves half the pool to other requests) */
  UPSTREAM_CONNECTIONS: number;
  /** Upstream calls per credential per minute. @default 500 (the SDK's limit) */
  RATE_LIMIT_PER_MINUTE: number;
  /** Upstream mutation batches in flight per mutation (1..64). @default 12 */
  MUTATION_CONCURRENCY: number;
  /** Deadline of a mutation's read-back verification, ms. @default 30000 */
  VERIFY_DEADLINE_MS: number;
  /** First delay between mutation verification reads, ms (doubles up to the max). @default 1000 */
  VERIFY_BACKOFF_MIN_MS: number;
  /** Largest delay between mutation verification reads, ms. @default 8000 */
  VERIFY_BACKOFF_MAX_MS: number;
  /** Response cache TTL, ms (at most one day); 0 disables it. @default 0 (off: see the README) */
  RESPONSE_CACHE_TTL_MS: number;
  /** Bytes of serialized responses the in-memory response cache holds (least recently used dropped first). @default 67108864 (64 MiB) */
  RESPONSE_CACHE_MAX_BYTES: number;
  /** Bytes of parsed documents kept to skip parsing and validating them again (least recently used dropped first). @default 33554432 (32 MiB) */
  DOCUMENT_CACHE_MAX_BYTES: number;
  /** Lifetime of an automatic persisted query, seconds. @default 86400 (one day) */
  APQ_TTL_SECONDS: number;
  /** Largest document registered as a persisted query, bytes (larger ones run but are not stored). @default 65536 */
  APQ_MAX_DOCUMENT_BYTES: number;
  /** Bytes of documents the in-memory persisted-query store holds (least recently used dropped first). @default 16777216 (16 MiB) */
  APQ_CACHE_MAX_BYTES: number;
  /** Failed authentications (the upstream rejects the key) per client address per minute before RATE_LIMITED. @default 30 */
  AUTH_FAILURES_PER_MINUTE: number;
  /** How long a key the upstream rejected is answered UNAUTHENTICATED without asking it again, ms. @default 10000 */
  AUTH_NEGATIVE_TTL_MS: number;
  /** Port of a separate listener for /metrics (then not served on PORT); null = /metrics on PORT. @default null */
  METRICS_PORT: number | null;
  /** When set, /metrics requires `Authorization: Bearer <token>`. @default null */
  METRICS_TOKEN: string | null;
  /**
   * Proxies in front of the BFF whose `X-Forwarded-For` is believed for the client address
   * (express's `trust proxy`): false, a number of hops, or addresses/subnets. @default false
   */
  TRUST_PROXY: boolean | number | string[];
  /** Allowed browser origins (`scheme://host[:port]`); empty = same origin only, ['*'] = any. @default [] */
  CORS_ORIGINS: string[];
  /** Request headers allowed to those origins on top of http/cors.ts's defaults (lower-cased). @default [] */
  CORS_ALLOW_HEADERS: string[];
  /** Schema introspection (GraphiQL needs it). @default true */
  INTROSPECTION: boolean;
  /** @default 'info' */
  LOG_LEVEL: LogLevel;
  /** Key of the HMAC that hashes credentials for cache keys, rate limits and logs. @default random per process */
  HASH_SECRET: string;
  /**
   * Largest request body. @default '10mb' (a 100,000-item updatePropertiesInAssets with ids and
   * one scalar is about 5.3 MB of JSON)
   */
  BODY_LIMIT: string;
  /** Query depth limit. @default 12 */
  MAX_DEPTH: number;
  /** Aliases per operation (1000 `asset(id:)` lookups must fit). @default 2000 */
  MAX_ALIASES: number;
  /** graphql-armor cost limit. @default 100000 */
  MAX_COST: number;
  /** Tokens per document, counted by graphql-js's parser (a syntax error above it). @default 100000 */
  MAX_TOKENS: number;
  /** Time given to in-flight requests on shutdown, ms. @default 10000 */
  SHUTDOWN_GRACE_MS: number;
  /** Requests of one operation after which it runs compiled (graphql-jit): 1 = at once, 0 = never (graphql-js). @default 2 */
  JIT_COMPILE_AFTER: number;
  /**
   * A synchronous mutation still running after this many ms returns and continues as a bulk
   * operation (below the 30 s default timeout of Apollo Router). @default 25000
   */
  SYNC_BUDGET_MS: number;
  /** Bulk operations of one credential running at once; the others wait QUEUED. @default 2 */
  BULK_MAX_RUNNING_PER_CREDENTIAL: number;
  /** Hours a finished bulk operation stays readable. @default 168 (7 days) */
  BULK_RETENTION_HOURS: number;
  /** Bulk operations run at once by this process (all credentials). @default 8 */
  BULK_WORKER_CONCURRENCY: number;
  /**
   * Lock of a running operation in Redis, ms: a replica that dies has its operations taken over
   * by another after about this long. @default 30000
   */
  BULK_LOCK_MS: number;
  /** Prefix of the bulk-operation keys and queue in Redis. @default 'bff:bulk' */
  BULK_REDIS_PREFIX: string;
  /**
   * Key material of the AES-256-GCM encryption of the credentials that queued operations keep.
   * Required with a Redis CACHE_URL (replicas must share it); random per process otherwise.
   */
  JOB_SECRET: string;
  /** The mutation pipeline's tuning, derived once from the keys above (not an environment key). */
  mutations: Readonly<MutationSettings>;
}

/**
 * Tuning of the mutation pipeline. Only `concurrency` and the verification timings come from the
 * environment (MUTATION_CONCURRENCY, VERIFY_*); everything else is fixed by the upstream contract
 * (reference §6).
 */
export interface MutationSettings {
  /** Upstream mutation batch size. @default 100 (the SDK's MUTATION_BATCH_SIZE) */
  batchSize: number;
  /** Batches in flight at once per mutation. @default 12 (MUTATION_CONCURRENCY) */
  concurrency: number;
  /** Overall verification deadline, in ms. @default 30000 (VERIFY_DEADLINE_MS) */
  verifyDeadlineMs: number;
  /** First verification backoff, in ms; doubles up to `verifyBackoffMaxMs`. @default 1000 (VERIFY_BACKOFF_MIN_MS) */
  verifyBackoffMinMs: number;
  /** @default 8000 (VERIFY_BACKOFF_MAX_MS) */
  verifyBackoffMaxMs: number;
  /** Ids per `countAssets(idIn)` check. @default 1000 */
  countChunkSize: number;
  /** Ids per `assets(idIn, first)` read-back, i.e. the upstream page size. @default 500 */
  readChunkSize: number;
  /** External ids per `filterExistingAssets` call. @default 1000 (the SDK's) */
  filterExistingChunkSize: number;
  /** Paths per `createUploadBucketSignedUrls` call. @default 30 (the SDK's) */
  signedUrlChunkSize: number;
  /** Attempts for one upload PUT. @default 3 (the SDK's) */
  uploadAttempts: number;
  /** Wait between upload attempts, in ms. @default 1000 */
  uploadRetryDelayMs: number;
  /** Timeout of one upload PUT, in ms. @default UPSTREAM_TIMEOUT_MS */
  uploadTimeoutMs: number;
  /** Resends of an append batch whose outcome is unknown. @default 2 */
  appendResends: number;
  /** `Idempotency-Key` retention, in ms. @default 86400000 (24 h) */
  idempotencyTtlMs: number;
}

type Env = Record<string, string | undefined>;

function raw(env: Env, key: string): string | undefined {
  const value = env[key];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function int(env: Env, key: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = raw(env, key);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new TypeError(`Config ${key} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return n;
}

function bool(env: Env, key: string, fallback: boolean): boolean {
  const value = raw(env, key)?.toLowerCase();
  if (value === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new TypeError(`Config ${key} must be a boolean (true/false), got ${JSON.stringify(value)}`);
}

function url(env: Env, key: string, protocols: string[]): string | null {
  const value = raw(env, key);
  if (value === undefined) return null;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    // The value is not echoed: a URL may carry a password (redis://user:secret@host).
    throw new TypeError(`Config ${key} must be a URL (the value given does not parse as one)`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new TypeError(`Config ${key} must use ${protocols.join(' or ')}, got ${JSON.stringify(parsed.protocol)}`);
  }
  return value;
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function logLevel(env: Env): LogLevel {
  const value = raw(env, 'LOG_LEVEL') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(value)) {
    throw new TypeError(`Config LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as LogLevel;
}

function bodyLimit(env: Env): string {
  const value = raw(env, 'BODY_LIMIT') ?? '10mb';
  if (!/^\d+(b|kb|mb)$/i.test(value)) {
    throw new TypeError(`Config BODY_LIMIT must look like 512kb or 1mb, got ${JSON.stringify(value)}`);
  }
  return value;
}

function redisPrefix(env: Env): string {
  const value = raw(env, 'BULK_REDIS_PREFIX') ?? 'bff:bulk';
  if (!/^[\w:.-]{1,64}$/.test(value)) {
    throw new TypeError(`Config BULK_REDIS_PREFIX must be 1 to 64 letters, digits, '_', ':', '.' or '-', got ${JSON.stringify(value)}`);
  }
  return value;
}

function list(env: Env, key: string): string[] {
  return (raw(env, key) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** `*`, or origins exactly as browsers send them in `Origin`: scheme, host and port, nothing else. */
function corsOrigins(env: Env): string[] {
  const origins = list(env, 'CORS_ORIGINS');
  for (const value of origins) {
    if (value === '*') continue;
    let origin: string | undefined;
    try {
      const parsed = new URL(value);
      // no wildcards inside an origin: entries are matched exactly against the Origin header
      origin = (parsed.protocol === 'http:' || parsed.protocol === 'https:') && !parsed.hostname.includes('*') ? parsed.origin : undefined;
    } catch {
      origin = undefined;
    }
    if (origin !== value) {
      throw new TypeError(
        `Config CORS_ORIGINS must be * or a comma-separated list of origins like https://app.example.com or http://localhost:5173 (scheme, host, optional port; no path, trailing slash or wildcard), got ${JSON.stringify(value)}`,
      );
    }
  }
  return origins;
}

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

function headerNames(env: Env, key: string): string[] {
  const names = list(env, key);
  for (const name of names) {
    if (!HEADER_NAME.test(name)) throw new TypeError(`Config ${key} must be a comma-separated list of HTTP header names, got ${JSON.stringify(name)}`);
  }
  return names.map((name) => name.toLowerCase());
}

function trustProxy(env: Env): boolean | number | string[] {
  const value = raw(env, 'TRUST_PROXY');
  if (value === undefined || ['false', '0', 'no', 'off'].includes(value.toLowerCase())) return false;
  if (/^\d+$/.test(value)) return int(env, 'TRUST_PROXY', 0, 1, 32);
  const entries = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (!entries.every((e) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(e) || ['loopback', 'linklocal', 'uniquelocal'].includes(e))) {
    throw new TypeError(`Config TRUST_PROXY must be false, a number of proxy hops, or comma-separated addresses/subnets (or loopback, linklocal, uniquelocal), got ${JSON.stringify(value)}`);
  }
  return entries;
}

function randomSecret(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex');
}

/**
 * Reads and checks every key; throws `TypeError` naming the first bad key. Pure apart from the
 * default HASH_SECRET, which is random per process and only allowed without a Redis CACHE_URL.
 */
export function loadConfig(env: Env = process.env): Readonly<Config> {
  const config: Omit<Config, 'mutations'> = {
    PORT: int(env, 'PORT', 4000, 0, 65535),
    HOST: raw(env, 'HOST') ?? '0.0.0.0',
    KILI_API_URL: url(env, 'KILI_API_URL', ['http:', 'https:']),
    UPSTREAM_CONTRACT_KEY: raw(env, 'UPSTREAM_CONTRACT_KEY') ?? null,
    CACHE_URL: url(env, 'CACHE_URL', ['redis:', 'rediss:', 'memory:']),
    MAX_PAGE_SIZE: int(env, 'MAX_PAGE_SIZE', 10_000, 1),
    QUERY_BATCH_SIZE: int(env, 'QUERY_BATCH_SIZE', 100, 1, 500),
    PAGE_CONCURRENCY: int(env, 'PAGE_CONCURRENCY', 32, 1, 64),
    COUNT_HINT_TTL_MS: int(env, 'COUNT_HINT_TTL_MS', 300_000, 0),
    UPSTREAM_TIMEOUT_MS: int(env, 'UPSTREAM_TIMEOUT_MS', 15_000, 1),
    UPSTREAM_DEADLINE_MS: int(env, 'UPSTREAM_DEADLINE_MS', 30_000, 1),
    UPSTREAM_RETRIES: int(env, 'UPSTREAM_RETRIES', 4, 0, 20),
    UPSTREAM_BACKOFF_MS: int(env, 'UPSTREAM_BACKOFF_MS', 100, 0),
    UPSTREAM_CONNECTIONS: int(env, 'UPSTREAM_CONNECTIONS', 64, 1, 1024),
    RATE_LIMIT_PER_MINUTE: int(env, 'RATE_LIMIT_PER_MINUTE', 500, 1),
    MUTATION_CONCURRENCY: int(env, 'MUTATION_CONCURRENCY', 12, 1, 64),
    VERIFY_DEADLINE_MS: int(env, 'VERIFY_DEADLINE_MS', 30_000, 0),
    VERIFY_BACKOFF_MIN_MS: int(env, 'VERIFY_BACKOFF_MIN_MS', 1000, 0),
    VERIFY_BACKOFF_MAX_MS: int(env, 'VERIFY_BACKOFF_MAX_MS', 8000, 0),
    RESPONSE_CACHE_TTL_MS: int(env, 'RESPONSE_CACHE_TTL_MS', 0, 0, 86_400_000),
    RESPONSE_CACHE_MAX_BYTES: int(env, 'RESPONSE_CACHE_MAX_BYTES', 64 * 1024 * 1024, 1024),
    DOCUMENT_CACHE_MAX_BYTES: int(env, 'DOCUMENT_CACHE_MAX_BYTES', 32 * 1024 * 1024, 1024),
    APQ_TTL_SECONDS: int(env, 'APQ_TTL_SECONDS', 86_400, 1),
    APQ_MAX_DOCUMENT_BYTES: int(env, 'APQ_MAX_DOCUMENT_BYTES', 65_536, 1),
    APQ_CACHE_MAX_BYTES: int(env, 'APQ_CACHE_MAX_BYTES', 16 * 1024 * 1024, 1024),
    AUTH_FAILURES_PER_MINUTE: int(env, 'AUTH_FAILURES_PER_MINUTE', 30, 1),
    AUTH_NEGATIVE_TTL_MS: int(env, 'AUTH_NEGATIVE_TTL_MS', 10_000, 0, 3_600_000),
    METRICS_PORT: raw(env, 'METRICS_PORT') === undefined ? null : int(env, 'METRICS_PORT', 0, 0, 65535),
    METRICS_TOKEN: raw(env, 'METRICS_TOKEN') ?? null,
    TRUST_PROXY: trustProxy(env),
    CORS_ORIGINS: corsOrigins(env),
    CORS_ALLOW_HEADERS: headerNames(env, 'CORS_ALLOW_HEADERS'),
    INTROSPECTION: bool(env, 'INTROSPECTION', true),
    LOG_LEVEL: logLevel(env),
    HASH_SECRET: raw(env, 'HASH_SECRET') ?? randomSecret(),
    BODY_LIMIT: bodyLimit(env),
    MAX_DEPTH: int(env, 'MAX_DEPTH', 12, 1),
    MAX_ALIASES: int(env, 'MAX_ALIASES', 2000, 1),
    MAX_COST: int(env, 'MAX_COST', 100_000, 1),
    MAX_TOKENS: int(env, 'MAX_TOKENS', 100_000, 1),
    SHUTDOWN_GRACE_MS: int(env, 'SHUTDOWN_GRACE_MS', 10_000, 0),
    JIT_COMPILE_AFTER: int(env, 'JIT_COMPILE_AFTER', 2, 0, 1000),
    SYNC_BUDGET_MS: int(env, 'SYNC_BUDGET_MS', 25_000, 1),
    BULK_MAX_RUNNING_PER_CREDENTIAL: int(env, 'BULK_MAX_RUNNING_PER_CREDENTIAL', 2, 1, 100),
    BULK_RETENTION_HOURS: int(env, 'BULK_RETENTION_HOURS', 168, 1, 24 * 365),
    BULK_WORKER_CONCURRENCY: int(env, 'BULK_WORKER_CONCURRENCY', 8, 1, 256),
    BULK_LOCK_MS: int(env, 'BULK_LOCK_MS', 30_000, 500, 600_000),
    BULK_REDIS_PREFIX: redisPrefix(env),
    JOB_SECRET: raw(env, 'JOB_SECRET') ?? randomSecret(),
  };
  if (config.UPSTREAM_DEADLINE_MS < config.UPSTREAM_TIMEOUT_MS) {
    throw new TypeError(
      `Config UPSTREAM_DEADLINE_MS (${config.UPSTREAM_DEADLINE_MS}) must be at least UPSTREAM_TIMEOUT_MS (${config.UPSTREAM_TIMEOUT_MS})`,
    );
  }
  // Replicas sharing Redis must hash credentials alike: a random secret per process would silently
  // split idempotency keys, rate limits and cached responses between replicas and across restarts.
  if (raw(env, 'HASH_SECRET') === undefined && config.CACHE_URL && /^rediss?:/.test(config.CACHE_URL)) {
    throw new TypeError('Config HASH_SECRET must be set when CACHE_URL is a Redis URL (replicas and restarts must share it)');
  }
  // Queued operations keep their caller's credential encrypted under JOB_SECRET, and any replica
  // may run them: a random secret per process could not open what another replica sealed.
  if (raw(env, 'JOB_SECRET') === undefined && config.CACHE_URL && /^rediss?:/.test(config.CACHE_URL)) {
    throw new TypeError('Config JOB_SECRET must be set when CACHE_URL is a Redis URL (it encrypts the credentials of queued bulk operations; replicas must share it)');
  }
  if (config.JOB_SECRET.length < 16) {
    throw new TypeError('Config JOB_SECRET must be at least 16 characters');
  }
  if (config.VERIFY_BACKOFF_MAX_MS < config.VERIFY_BACKOFF_MIN_MS) {
    throw new TypeError(
      `Config VERIFY_BACKOFF_MAX_MS (${config.VERIFY_BACKOFF_MAX_MS}) must be at least VERIFY_BACKOFF_MIN_MS (${config.VERIFY_BACKOFF_MIN_MS})`,
    );
  }
  return Object.freeze({ ...config, mutations: Object.freeze(mutationSettings(config)) });
}

function mutationSettings(config: Omit<Config, 'mutations'>): MutationSettings {
  return {
    batchSize: 100,
    concurrency: config.MUTATION_CONCURRENCY,
    verifyDeadlineMs: config.VERIFY_DEADLINE_MS,
    verifyBackoffMinMs: config.VERIFY_BACKOFF_MIN_MS,
    verifyBackoffMaxMs: config.VERIFY_BACKOFF_MAX_MS,
    countChunkSize: 1_000,
    readChunkSize: 500,
    filterExistingChunkSize: 1_000,
    signedUrlChunkSize: 30,
    uploadAttempts: 3,
    uploadRetryDelayMs: 1_000,
    uploadTimeoutMs: config.UPSTREAM_TIMEOUT_MS,
    appendResends: 2,
    idempotencyTtlMs: 24 * 60 * 60 * 1000,
  };
}

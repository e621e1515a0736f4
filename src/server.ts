/**
 * `createBffServer(config, deps?)`: builds and starts the BFF (express 5 + Apollo Server 5 at
 * /graphql) and returns its URL and a graceful `close()`. Used by main.ts, the tests and the bench.
 * Never imports the emulator.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { request } from 'undici';
import { apolloCache, createCache, documentCache, type BffCache } from './cache/index.js';
import { formatError } from './errors/index.js';
import { serializeResponse } from './json-text.js';
import type { Config } from './config.js';
import type { BffContext } from './context.js';
import { randomUUID } from 'node:crypto';
import { encodedBody } from './http/apollo-express.js';
import { createApp } from './http/app.js';
import { createExpressServer } from './http/express-server.js';
import { listen } from './http/listen.js';
import { startMetricsListener } from './http/metrics.js';
import { warmUp, warmUpExecution } from './http/warmUp.js';
import { createLogger, type Logger } from './log.js';
import { upstreamDuration } from './metrics.js';
import { createAuthFailureGuard } from './plugins/auth-failures/index.js';
import { compiledExecutionGateway, stringifyAndRelease } from './execution/index.js';
import { bffPipeline } from './plugins/index.js';
import { bffSchemaVersion, buildBffSchema } from './schema/index.js';
import { createUpstreamClient } from './upstream/client.js';
import type { UpstreamClient } from './upstream/client.js';
import { createUpstreamContract } from './upstream/contract.js';
import { hashCredential } from './upstream/credential.js';
import { createRateLimiter } from './upstream/rate-limit.js';
import { createBulkEngine } from './bulk/index.js';
import { startSubscriptions } from './bulk/ws.js';

export interface BffServerDeps {
  /** Replaces the HTTP upstream client (tests). Default: an undici pool to `config.KILI_API_URL`. */
  upstream?: UpstreamClient;
  logger?: Logger;
  cache?: BffCache;
  /** Skips the start-up warm-up (http/warmUp.ts). */
  skipWarmUp?: boolean;
  /** GraphiQL page options (main.ts pre-fills the demo key and an example query). */
  graphiql?: { defaultHeaders?: Record<string, string>; defaultQuery?: string };
}

export interface BffServer {
  /** e.g. 'http://127.0.0.1:4000/graphql' */
  url: string;
  /** e.g. 'http://127.0.0.1:4000' */
  origin: string;
  port: number;
  /** Port of the separate /metrics listener when METRICS_PORT is set, else null (/metrics is on `port`). */
  metricsPort: number | null;
  httpServer: Server;
  /** Stops accepting connections, lets in-flight requests finish (up to SHUTDOWN_GRACE_MS), releases pools and caches. */
  close(): Promise<void>;
}

export async function createBffServer(config: Readonly<Config>, deps: BffServerDeps = {}): Promise<BffServer> {
  const logger = deps.logger ?? createLogger(config.LOG_LEVEL);
  const cache = deps.cache ?? (await createCache(config.CACHE_URL, { responseMaxBytes: config.RESPONSE_CACHE_MAX_BYTES, apqMaxBytes: config.APQ_CACHE_MAX_BYTES }, logger));
  let upstream = deps.upstream;
  let closeUpstream = async () => {};
  let warmUpstream = async () => {};
  if (!upstream) {
    if (!config.KILI_API_URL) throw new TypeError('Config KILI_API_URL is required when no upstream client is given');
    const pooled = createUpstreamClient({
      url: config.KILI_API_URL,
      timeoutMs: config.UPSTREAM_TIMEOUT_MS,
      deadlineMs: config.UPSTREAM_DEADLINE_MS,
      retries: config.UPSTREAM_RETRIES,
      backoffMs: config.UPSTREAM_BACKOFF_MS,
      connections: config.UPSTREAM_CONNECTIONS,
      rateLimiter: createRateLimiter(config.RATE_LIMIT_PER_MINUTE, cache.redisClient),
      onAttempt: ({ rootField, result, durationMs }) => upstreamDuration.observe({ root_field: rootField, result }, durationMs / 1000),
    });
    upstream = pooled;
    closeUpstream = () => pooled.close();
    warmUpstream = () => pooled.warmUp();
  }

  const bulk = await createBulkEngine(config, cache, upstream, logger);
  const express = createExpressServer();
  const httpServer = express.server;
  const pipeline = bffPipeline({
    config,
    logger,
    schemaVersion: bffSchemaVersion(),
    extra: [ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.SHUTDOWN_GRACE_MS })],
  });
  const schema = await buildBffSchema(pipeline.mutationWrappers);
  const apollo = new ApolloServer<BffContext>({
    // Operations seen JIT_COMPILE_AFTER times run compiled (src/execution); 0 = graphql-js only.
    ...(config.JIT_COMPILE_AFTER > 0 ? { gateway: compiledExecutionGateway(schema, { compileAfter: config.JIT_COMPILE_AFTER }) } : { schema }),
    introspection: config.INTROSPECTION,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // The token bound is graphql-js's own: a document over MAX_TOKENS is a syntax error
    // (400 GRAPHQL_PARSE_FAILED) found while parsing, before anything else reads it.
    parseOptions: { maxTokens: config.MAX_TOKENS },
    includeStacktraceInErrorResponses: false,
    // main.ts handles SIGTERM/SIGINT. Apollo's own handler would call stop() concurrently with
    // ours, and a second concurrent stop() never resolves (Apollo Server 5 does not resolve its
    // stop barrier on success), so shutdown would hang.
    stopOnTerminationSignals: false,
    persistedQueries: { cache: apolloCache(cache.apq), ttl: config.APQ_TTL_SECONDS },
    documentStore: documentCache(config.DOCUMENT_CACHE_MAX_BYTES),
    plugins: pipeline.plugins,
    validationRules: pipeline.validationRules,
    formatError,
    // JSON kept as upstream text (src/json-text.ts) is written as it is, not parsed and re-serialised;
    // the answer is encoded here, piece by piece, and written as bytes (EncodedBody in
    // src/http/apollo-express.ts); its data is released once written (see stringifyAndRelease).
    stringifyResult: stringifyAndRelease((result) => encodedBody(serializeResponse(result))),
    logger: { debug: () => {}, info: () => {}, warn: (m) => logger.warn(String(m)), error: (m) => logger.error(String(m)) },
  });
  await apollo.start();

  const upstreamUrl = config.KILI_API_URL;
  const warmUpToken = randomUUID();
  // Validates every upstream document against the upstream's schema (reported by /readyz).
  const contractKey = config.UPSTREAM_CONTRACT_KEY;
  const contract = createUpstreamContract(
    upstream,
    contractKey ? { scheme: 'x-api-key', value: contractKey, hash: hashCredential(config.HASH_SECRET, contractKey) } : null,
    logger,
  );
  const app = createApp({
    contract,
    warmUpToken,
    authFailures: createAuthFailureGuard({
      failuresPerMinute: config.AUTH_FAILURES_PER_MINUTE,
      negativeTtlMs: config.AUTH_NEGATIVE_TTL_MS,
      redisClient: cache.redisClient,
    }),
    config,
    logger,
    apollo,
    upstream,
    cache,
    bulk,
    graphiql: deps.graphiql,
    isUpstreamReachable: async () => {
      if (!upstreamUrl) return true;
      const response = await request(upstreamUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ __typename }"}',
        signal: AbortSignal.timeout(2000),
      });
      await response.body.dump();
      return response.statusCode < 500;
    },
  });
  express.serve(app);
  const closeSubscriptions = startSubscriptions({ httpServer, schema, validationRules: pipeline.validationRules, config, upstream, cache, bulk, logger });
  httpServer.keepAliveTimeout = 65_000;
  try {
    await listen(httpServer, config.PORT, config.HOST);
  } catch (error) {
    await apollo.stop();
    await closeUpstream();
    if (!deps.cache) await cache.close();
    throw error;
  }
  const { port } = httpServer.address() as AddressInfo;
  let metrics: Awaited<ReturnType<typeof startMetricsListener>> | null = null;
  if (config.METRICS_PORT !== null) {
    try {
      metrics = await startMetricsListener(config.HOST, config.METRICS_PORT, config.METRICS_TOKEN);
    } catch (error) {
      await apollo.stop();
      await closeUpstream();
      if (!deps.cache) await cache.close();
      throw new TypeError(`Config METRICS_PORT ${config.METRICS_PORT} cannot be opened on ${config.HOST} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
    }
  }
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  const origin = `http://${host}:${port}`;
  // Before resolving: pay the first request's lazy costs now (see http/warmUp.ts) and open a
  // keep-alive connection to the upstream.
  if (!deps.skipWarmUp) {
    await Promise.all([warmUpExecution(apollo, config, cache).then(() => warmUp(`${origin}/graphql`, warmUpToken)), warmUpstream()]);
  }

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      // Idle keep-alive connections are closed at once (an idle server exits immediately); only
      // connections with a request in flight get SHUTDOWN_GRACE_MS, and each is closed as soon as
      // its response is written (the drain plugin ends such sockets after their last response).
      const grace = setTimeout(() => httpServer.closeAllConnections(), config.SHUTDOWN_GRACE_MS);
      // WebSocket clients are told the server is going away; running operations stop taking new
      // batches (with Redis, another replica resumes them from their checkpoint).
      const subscriptionsClosed = closeSubscriptions().catch(() => {});
      const stopping = apollo.stop(); // stops accepting connections, drains the HTTP server
      httpServer.closeIdleConnections();
      try {
        await stopping;
      } finally {
        clearTimeout(grace);
        await subscriptionsClosed;
        await bulk.close().catch(() => {});
        await closeUpstream();
        if (metrics) await new Promise<void>((resolve) => metrics.server.close(() => resolve()));
        if (!deps.cache) await cache.close();
      }
    })());

  return { url: `${origin}/graphql`, origin, port, metricsPort: metrics?.port ?? null, httpServer, close };
}

/**
 * The express application: request ids, health and readiness, metrics, CORS, body limit, the
 * offline GraphiQL page and Apollo at /graphql. Assembler: wiring only.
 */
import { randomUUID } from 'node:crypto';
import type { ApolloServer } from '@apollo/server';
import express, { type ErrorRequestHandler, type Request } from 'express';
import type { BffCache } from '../cache/index.js';
import type { Config } from '../config.js';
import { createContext, type BffContext } from '../context.js';
import { BffErrorCode } from '../errors/index.js';
import { checkRequestShape } from '../limits/inputs.js';
import type { AuthFailureGuard } from '../plugins/auth-failures/index.js';
import { watchClient } from '../plugins/client-disconnect/index.js';
import { parseCredential } from '../upstream/credential.js';
import type { UpstreamClient } from '../upstream/client.js';
import type { UpstreamContract } from '../upstream/contract.js';
import type { BulkService } from '../bulk/service.js';
import type { Logger } from '../log.js';
import { apolloHandler } from './apollo-express.js';
import { corsMiddleware } from './cors.js';
import { graphiqlRouter } from './graphiql.js';
import { metricsHandler } from './metrics.js';
import { graphqlRequestLog, requestTraceOf } from './requestLog.js';

export interface AppDeps {
  config: Readonly<Config>;
  logger: Logger;
  apollo: ApolloServer<BffContext>;
  upstream: UpstreamClient;
  /** Wraps `upstream` per request: rejected keys and addresses that send them (src/plugins/auth-failures). */
  authFailures: AuthFailureGuard;
  cache: BffCache;
  bulk: BulkService;
  /** Resolves true when the upstream answers HTTP at all. */
  isUpstreamReachable: () => Promise<boolean>;
  /** The upstream contract check, reported by /readyz (which retries a check that could not run). */
  contract?: UpstreamContract;
  graphiql?: { defaultHeaders?: Record<string, string>; defaultQuery?: string };
  /** Requests carrying `x-bff-warm-up: <token>` are the start-up warm-up (not logged or measured). */
  warmUpToken?: string;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

function requestIdOf(req: Request): string {
  const given = req.get('x-request-id');
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}

export function createApp(deps: AppDeps): express.Express {
  const { config } = deps;
  const app = express();
  app.disable('x-powered-by');
  // The client address (req.ip) that rejected keys are counted against: the socket's, or the one
  // X-Forwarded-For gives when it comes from a trusted proxy (TRUST_PROXY).
  app.set('trust proxy', config.TRUST_PROXY);
  app.set('etag', false);

  app.use((req, res, next) => {
    const id = requestIdOf(req);
    res.locals.requestId = id;
    res.setHeader('x-request-id', id);
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ok = await deps.isUpstreamReachable().catch(() => false);
    const contract = deps.contract?.status(true);
    res.status(ok ? 200 : 503).json({
      status: ok ? 'ready' : 'upstream unreachable',
      ...(contract ? { upstream_contract: contract.state } : {}),
      ...(contract?.state === 'drift' ? { upstream_contract_failures: contract.failing } : {}),
    });
  });
  // On the API port unless it has its own listener (METRICS_PORT, see ./metrics.ts).
  if (config.METRICS_PORT === null) app.get('/metrics', metricsHandler(config.METRICS_TOKEN));

  const corsHandler = corsMiddleware(config);
  if (corsHandler) app.use('/graphql', corsHandler);

  // Browsers asking for HTML get GraphiQL; every other request falls through to Apollo. The
  // GraphiQL router only serves GET (and HEAD): POSTs skip its route matching.
  const graphiql = graphiqlRouter({ endpoint: '/graphql', ...deps.graphiql });
  app.use((req, res, next) => (req.method === 'GET' || req.method === 'HEAD' ? graphiql(req, res, next) : next()));

  app.use(
    '/graphql',
    graphqlRequestLog(app, deps.logger, deps.warmUpToken),
    express.json({ limit: config.BODY_LIMIT }),
    // graphql-js parses documents recursively: refuse over-nested ones before Apollo parses them.
    (req, res, next) => {
      const error = checkRequestShape(req.method === 'GET' ? req.query : req.body);
      if (!error) return next();
      res.status(400).json({ errors: [{ message: error.message, extensions: error.extensions }] });
    },
    apolloHandler(deps.apollo, {
      context: async ({ req, res }) =>
        createContext({
          requestId: String(res.locals.requestId),
          credential: parseCredential(req.headers, config.HASH_SECRET),
          upstream: deps.authFailures.guard(deps.upstream, req.ip ?? req.socket.remoteAddress ?? 'unknown'),
          config,
          cache: deps.cache,
          bulk: deps.bulk,
          idempotencyKey: req.get('idempotency-key') ?? null,
          client: watchClient(res),
          warmUp: deps.warmUpToken !== undefined && req.get('x-bff-warm-up') === deps.warmUpToken,
          requestTrace: requestTraceOf(res),
        }),
    }),
  );

  const onError: ErrorRequestHandler = (error: { status?: number; type?: string }, _req, res, next) => {
    if (res.headersSent) return next(error);
    const status = typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    const message = status === 413 ? `Request body larger than ${config.BODY_LIMIT}.` : status < 500 ? 'Malformed request.' : 'Unexpected error.';
    res.status(status).json({ errors: [{ message, extensions: { code: status < 500 ? BffErrorCode.BAD_REQUEST : BffErrorCode.INTERNAL_SERVER_ERROR } }] });
  };
  app.use(onError);
  return app;
}

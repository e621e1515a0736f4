/**
 * GraphQL over WebSocket (`graphql-ws` protocol) on the same `/graphql` path as HTTP, for
 * `Subscription.bulkOperation` (wiring only). The credential comes from `connectionParams`, read
 * as headers are (`Authorization: X-API-Key: <key>`, `Authorization: Bearer <key>` or
 * `X-API-Key: <key>`, any letter case), or, when they carry none, from the headers of the
 * WebSocket upgrade request (what gateways that propagate headers to subgraphs send). Only
 * subscriptions are served here: queries and mutations go over HTTP (their limits, caches and
 * plugins live there).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { GraphQLError, getOperationAST, parse, specifiedRules, validate, type GraphQLSchema, type ValidationRule } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { BffCache } from '../cache/index.js';
import type { Config } from '../config.js';
import { createContext, type BffContext } from '../context.js';
import type { Logger } from '../log.js';
import { parseCredential } from '../upstream/credential.js';
import type { UpstreamClient } from '../upstream/client.js';
import type { BulkService } from './service.js';

/** Largest WebSocket message accepted, bytes (a subscription document is small). */
const MAX_MESSAGE_BYTES = 64 * 1024;

export interface WsDeps {
  httpServer: Server;
  schema: GraphQLSchema;
  validationRules: readonly ValidationRule[];
  config: Readonly<Config>;
  upstream: UpstreamClient;
  cache: BffCache;
  bulk: BulkService;
  logger: Logger;
}

/** Lower-cased string entries of `connectionParams`, as request headers. */
function paramsAsHeaders(params: Readonly<Record<string, unknown>> | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    if (typeof value === 'string') headers[name.toLowerCase()] = value;
  }
  return headers;
}

/** Starts the WebSocket endpoint; returns its close function. */
export function startSubscriptions(deps: WsDeps): () => Promise<void> {
  // noServer: the HTTP server's own errors (e.g. EADDRINUSE at listen) stay the HTTP server's;
  // upgrades are taken here for /graphql only.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== '/graphql') {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  deps.httpServer.on('upgrade', onUpgrade);
  const cleanup = useServer<Record<string, unknown>, { ctx?: BffContext }>(
    {
      schema: deps.schema,
      // The HTTP endpoint's limits (depth, cost, aliases, tokens) apply here too.
      validate: (schema, document) => validate(schema, document, [...specifiedRules, ...deps.validationRules]),
      context: (ctx) => {
        if (!ctx.extra.ctx) {
          ctx.extra.ctx = createContext({
            requestId: randomUUID(),
            credential:
              parseCredential(paramsAsHeaders(ctx.connectionParams), deps.config.HASH_SECRET) ??
              parseCredential(ctx.extra.request.headers, deps.config.HASH_SECRET),
            upstream: deps.upstream,
            config: deps.config,
            cache: deps.cache,
            idempotencyKey: null,
            bulk: deps.bulk,
          });
        }
        return ctx.extra.ctx;
      },
      onSubscribe: (_ctx, _id, payload) => {
        let operation;
        try {
          operation = getOperationAST(parse(payload.query), payload.operationName);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('Malformed document.', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
        }
        if (operation?.operation !== 'subscription') {
          return [new GraphQLError('Only subscriptions are served over WebSocket; send queries and mutations over HTTP.', { extensions: { code: 'BAD_REQUEST' } })];
        }
        return undefined;
      },
    },
    wss,
  );
  return async () => {
    deps.httpServer.off('upgrade', onUpgrade);
    await cleanup.dispose();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  };
}

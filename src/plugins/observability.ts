/**
 * One JSON log line and the request metrics per GraphQL request: request id, operation name,
 * duration, upstream calls and error codes. Never the query text, variables or credential.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { BffContext } from '../context.js';
import type { Logger } from '../log.js';
import { httpRequestDuration, upstreamCallsPerRequest } from '../metrics.js';

export function bffPluginObservability(logger: Logger): ApolloServerPlugin<BffContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ contextValue, operationName, errors, response }) {
          if (contextValue.warmUp) return;
          const durationMs = performance.now() - started;
          const codes = [...new Set((errors ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))];
          const operation = operationName ?? 'anonymous';
          httpRequestDuration.observe({ operation: operation.slice(0, 64), outcome: codes.length ? 'error' : 'ok' }, durationMs / 1000);
          const upstreamCalls = contextValue.upstreamCalls?.count ?? 0;
          upstreamCallsPerRequest.observe(upstreamCalls);
          logger.info(
            {
              requestId: contextValue.requestId,
              credential: contextValue.credential?.hash.slice(0, 12),
              operation,
              durationMs: Math.round(durationMs * 10) / 10,
              upstreamCalls,
              cacheHit: contextValue.responseCacheHit || undefined,
              status: response.http.status ?? 200,
              errors: codes.length ? codes : undefined,
            },
            'graphql request',
          );
        },
      };
    },
  };
}

/**
 * One JSON log line and the request metrics per GraphQL request: request id, operation name,
 * duration, upstream calls and error codes. Never the query text, variables or credential.
 * Cheap on the hot path: no allocation for error codes when there are none, and the log line is
 * only built when the logger's level lets it through.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { BffContext } from '../context.js';
import type { Logger } from '../log.js';
import { httpRequestDuration, upstreamCallsPerRequest } from '../metrics.js';

function errorCodes(errors: readonly { extensions?: Record<string, unknown> }[] | undefined): string[] | undefined {
  if (!errors?.length) return undefined;
  return [...new Set(errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))];
}

export function bffPluginObservability(logger: Logger): ApolloServerPlugin<BffContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ contextValue, operationName, errors, response }) {
          if (contextValue.warmUp) return;
          const durationMs = performance.now() - started;
          const codes = errorCodes(errors);
          const operation = operationName ?? 'anonymous';
          httpRequestDuration.observe({ operation: operation.slice(0, 64), outcome: codes ? 'error' : 'ok' }, durationMs / 1000);
          const upstreamCalls = contextValue.upstreamCalls?.count ?? 0;
          upstreamCallsPerRequest.observe(upstreamCalls);
          if (!logger.isLevelEnabled('info')) return;
          logger.info(
            {
              requestId: contextValue.requestId,
              credential: contextValue.credential?.hash.slice(0, 12),
              operation,
              durationMs: Math.round(durationMs * 10) / 10,
              upstreamCalls,
              cacheHit: contextValue.responseCacheHit || undefined,
              status: response.http.status ?? 200,
              errors: codes,
            },
            'graphql request',
          );
        },
      };
    },
  };
}

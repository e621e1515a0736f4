/**
 * Observability, one feature: one JSON log line and the request metrics per GraphQL request: request id, operation name,
 * duration, upstream calls and error codes. Never the query text, variables or credential.
 * Metric labels are bounded: the operation type and the schema root field it selects, never the
 * client-chosen operation name (which stays in the log line only).
 * Cheap on the hot path: no allocation for error codes when there are none, and the log line is
 * only built when the logger's level lets it through.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { BffContext } from '../../context.js';
import { maskedCause } from '../../errors/index.js';
import type { Logger } from '../../log.js';
import { httpRequestDuration, upstreamCallsPerRequest } from '../../metrics.js';
import type { BffPlugin } from '../plugin.js';

function errorCodes(errors: readonly { extensions?: Record<string, unknown> }[] | undefined): string[] | undefined {
  if (!errors?.length) return undefined;
  return [...new Set(errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))];
}

const META_FIELDS = new Set(['__schema', '__type', '__typename']);

/**
 * The root field an operation selects, for metric labels: a field of the schema's root type (or a
 * meta field), `multiple` when it selects several, `none` when there is no resolved operation.
 * Never a client-chosen string, so the label's values are bounded by the schema.
 */
export function rootFieldLabel(schema: GraphQLSchema, document: DocumentNode | undefined, operation: OperationDefinitionNode | undefined): string {
  if (!document || !operation) return 'none';
  const fields = schema.getRootType(operation.operation)?.getFields() ?? {};
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])));
  const names = new Set<string>();
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment);
      }
    }
  };
  walk(operation.selectionSet);
  if (names.size === 0) return 'none';
  if (names.size > 1) return 'multiple';
  const name = [...names][0]!;
  return Object.hasOwn(fields, name) || META_FIELDS.has(name) ? name : 'unknown';
}

export function useObservability(logger: Logger): BffPlugin {
  return { apollo: [observabilityPlugin(logger)] };
}

function observabilityPlugin(logger: Logger): ApolloServerPlugin<BffContext> {
  return {
    // The pipeline failed before this plugin logged the request: the HTTP layer logs it instead.
    async unexpectedErrorProcessingRequest({ requestContext }) {
      const trace = requestContext.contextValue.requestTrace;
      if (trace && !trace.logged) trace.inPipeline = false;
    },
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      if (contextValue.requestTrace) contextValue.requestTrace.inPipeline = true;
      return {
        // Errors the client only sees as INTERNAL_SERVER_ERROR: log the original (message, stack)
        // with the request id so operators can diagnose them. The credential is cut out of both.
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            const cause = maskedCause(error);
            if (cause === undefined) continue;
            const secret = contextValue.credential?.value;
            const scrub = (text: string | undefined) => (text && secret ? text.split(secret).join('[redacted]') : text);
            const original = cause instanceof Error ? cause : new Error(String(cause));
            logger.error(
              {
                requestId: contextValue.requestId,
                path: error.path?.join('.'),
                error: { type: original.name, message: scrub(original.message), stack: scrub(original.stack) },
              },
              'unexpected error masked as INTERNAL_SERVER_ERROR',
            );
          }
        },
        async willSendResponse({ contextValue, operationName, errors, response, schema, document, operation: definition }) {
          if (contextValue.warmUp) return;
          if (contextValue.requestTrace) contextValue.requestTrace.logged = true;
          const durationMs = performance.now() - started;
          const codes = errorCodes(errors);
          const operation = operationName ?? 'anonymous';
          httpRequestDuration.observe(
            { operation: definition?.operation ?? 'unknown', root_field: rootFieldLabel(schema, document, definition), outcome: codes ? 'error' : 'ok' },
            durationMs / 1000,
          );
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

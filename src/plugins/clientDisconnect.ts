/**
 * Client disconnects: a query's upstream calls are aborted when its HTTP client goes away (the
 * context's signal). A mutation is detached from that signal once the operation is known, so its
 * batches and verification run to completion (and its Idempotency-Key result is stored).
 */
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import type { BffContext } from '../context.js';

export function bffPluginClientDisconnect(): ApolloServerPlugin<BffContext> {
  // Stateless: one listener object for every request.
  const listener: GraphQLRequestListener<BffContext> = {
    async didResolveOperation({ operation, contextValue }) {
      if (operation?.operation !== 'query') contextValue.detachClientSignal?.();
    },
  };
  return {
    async requestDidStart() {
      return listener;
    },
  };
}

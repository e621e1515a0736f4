/**
 * Operation types, one feature: the BFF serves queries and mutations over HTTP. A `subscription`
 * operation is a client mistake, answered BAD_REQUEST (HTTP 400) before anything runs, instead of
 * failing inside graphql-js as an unexpected error.
 */
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import type { BffContext } from '../../context.js';
import { BffError, BffErrorCode } from '../../errors/index.js';
import type { BffPlugin } from '../plugin.js';

export function useQueriesAndMutationsOnly(): BffPlugin {
  // Stateless: one listener object for every request.
  const listener: GraphQLRequestListener<BffContext> = {
    async didResolveOperation({ operation }) {
      if (operation?.operation === 'subscription') {
        throw new BffError(BffErrorCode.BAD_REQUEST, 'Subscriptions are not supported: send a query or a mutation.');
      }
    },
  };
  const plugin: ApolloServerPlugin<BffContext> = {
    async requestDidStart() {
      return listener;
    },
  };
  return { apollo: [plugin] };
}

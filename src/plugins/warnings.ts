/**
 * Renders the request's warnings (deprecated filters, ignored inputs…) into the response's
 * `extensions.warnings`, each distinct warning once.
 */
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import type { BffContext } from '../context.js';
import { dedupeWarnings } from '../errors/index.js';

export function bffPluginWarnings(): ApolloServerPlugin<BffContext> {
  // Stateless: one listener object for every request.
  const listener: GraphQLRequestListener<BffContext> = {
    async willSendResponse({ contextValue, response }) {
      const warnings = contextValue.warnings;
      if (!warnings?.length || response.body.kind !== 'single') return;
      const result = response.body.singleResult;
      result.extensions = { ...result.extensions, warnings: dedupeWarnings(warnings) };
    },
  };
  return {
    async requestDidStart() {
      return listener;
    },
  };
}

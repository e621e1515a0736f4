/**
 * Warnings, one feature: renders the request's warnings (deprecated filters, ignored inputs,
 * skipped assets… collected in the context by resolvers and mutations) into the response's
 * `extensions.warnings`, each distinct warning once.
 */
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import type { BffContext } from '../../context.js';
import { dedupeWarnings } from '../../errors/index.js';
import type { BffPlugin } from '../plugin.js';

export function useWarnings(): BffPlugin {
  // Stateless: one listener object for every request.
  const listener: GraphQLRequestListener<BffContext> = {
    async willSendResponse({ contextValue, response }) {
      const warnings = contextValue.warnings;
      if (!warnings?.length || response.body.kind !== 'single') return;
      const result = response.body.singleResult;
      result.extensions = { ...result.extensions, warnings: dedupeWarnings(warnings) };
    },
  };
  const plugin: ApolloServerPlugin<BffContext> = {
    async requestDidStart() {
      return listener;
    },
  };
  return { apollo: [plugin] };
}

/**
 * Renders the request's warnings (deprecated filters, ignored inputs…) into the response's
 * `extensions.warnings`, each distinct warning once.
 */
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import type { BffContext, Warning } from '../context.js';

export function dedupeWarnings(warnings: Warning[]): Warning[] {
  const seen = new Set<string>();
  return warnings.filter((w) => {
    const key = `${w.code}\u0000${w.field ?? ''}\u0000${w.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

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

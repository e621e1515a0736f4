/**
 * `cache-control: no-store` on every GraphQL response, as Apollo's cache-control plugin answered
 * for this schema (it declares no cache hints), without that plugin's per-field `willResolveField`
 * hook: any plugin with a field hook makes Apollo wrap every resolver of the schema, which cost
 * more CPU than the rest of executing a 5,000-asset list.
 */
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';

export function bffPluginNoStore<T extends object>(): ApolloServerPlugin<T> {
  // Stateless: one listener object for every request.
  const listener: GraphQLRequestListener<T> = {
    async willSendResponse({ response }) {
      if (!response.http.headers.has('cache-control')) response.http.headers.set('cache-control', 'no-store');
    },
  };
  return {
    async requestDidStart() {
      return listener;
    },
  };
}

/**
 * `cache-control: no-store` on every GraphQL response, as Apollo's cache-control plugin answered
 * for this schema (it declares no cache hints), without that plugin's per-field `willResolveField`
 * hook: any plugin with a field hook makes Apollo wrap every resolver of the schema, which cost
 * more CPU than the rest of executing a 5,000-asset list. So the cache-control plugin is disabled
 * and replaced by its only visible effect here.
 */
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { BffContext } from '../../context.js';
import type { BffPlugin } from '../plugin.js';

export function useNoStore(): BffPlugin {
  // Stateless: one listener object for every request.
  const listener: GraphQLRequestListener<BffContext> = {
    async willSendResponse({ response }) {
      if (!response.http.headers.has('cache-control')) response.http.headers.set('cache-control', 'no-store');
    },
  };
  const plugin: ApolloServerPlugin<BffContext> = {
    async requestDidStart() {
      return listener;
    },
  };
  return { apollo: [ApolloServerPluginCacheControlDisabled(), plugin] };
}

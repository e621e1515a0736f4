/**
 * The ordered list of Apollo plugins and validation rules (one place, STYLE §7): limits first,
 * then request-shaping plugins, then observability.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ValidationRule } from 'graphql';
import type { Config } from '../config.js';
import type { BffContext } from '../context.js';
import type { Logger } from '../log.js';
import { bffSchemaVersion } from '../schema/index.js';
import { bffPluginNoStore } from './cacheControl.js';
import { bffPluginClientDisconnect } from './clientDisconnect.js';
import { bffPluginInputFieldNames } from './inputFieldNames.js';
import { bffPluginObservability } from './observability.js';
import { bffPluginResponseCache } from './responseCache.js';
import { bffPluginWarnings } from './warnings.js';

export interface PluginSet {
  plugins: ApolloServerPlugin<BffContext>[];
  validationRules: ValidationRule[];
}

export function bffPlugins(config: Readonly<Config>, logger: Logger, extra: ApolloServerPlugin<BffContext>[] = []): PluginSet {
  const armor = new ApolloArmor({
    maxDepth: { n: config.MAX_DEPTH, ignoreIntrospection: true },
    maxAliases: { n: config.MAX_ALIASES },
    costLimit: { maxCost: config.MAX_COST, ignoreIntrospection: true },
    // Tokens are counted by graphql-js's parser (server.ts `parseOptions.maxTokens`): armor's
    // token plugin re-parses every document and turns syntax errors into 500s.
    maxTokens: { enabled: false },
    maxDirectives: { n: 50 },
    // Suggestions ("Did you mean …?") reveal nothing that introspection does not already show.
    blockFieldSuggestion: { enabled: !config.INTROSPECTION },
  }).protect();
  return {
    plugins: [
      // Apollo's default landing page loads Sandbox from a CDN; GraphiQL is served by the BFF itself.
      ApolloServerPluginLandingPageDisabled(),
      // No per-field hooks anywhere (they make Apollo wrap every resolver): the cache-control
      // plugin is replaced by its only visible effect here, `cache-control: no-store`.
      ApolloServerPluginCacheControlDisabled(),
      bffPluginNoStore<BffContext>(),
      ...(armor.plugins as ApolloServerPlugin<BffContext>[]),
      bffPluginInputFieldNames() as ApolloServerPlugin<BffContext>,
      bffPluginClientDisconnect(),
      bffPluginWarnings(),
      // after the warnings plugin: cached responses keep their extensions.warnings
      bffPluginResponseCache(config.RESPONSE_CACHE_TTL_MS, bffSchemaVersion),
      bffPluginObservability(logger),
      ...extra,
    ],
    validationRules: armor.validationRules,
  };
}

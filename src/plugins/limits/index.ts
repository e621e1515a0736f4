/**
 * Operation limits, one feature (graphql-armor): depth, aliases, cost and directives per
 * operation (MAX_DEPTH, MAX_ALIASES, MAX_COST; MAX_TOKENS is the parser's own bound), rejected while the document is
 * validated with GRAPHQL_VALIDATION_FAILED, before anything runs. Field suggestions ("Did you
 * mean …?") are hidden when introspection is off: they would reveal the schema.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { Config } from '../../config.js';
import type { BffContext } from '../../context.js';
import type { BffPlugin } from '../plugin.js';

export type LimitsOptions = Pick<Config, 'MAX_DEPTH' | 'MAX_ALIASES' | 'MAX_COST' | 'INTROSPECTION'>;

export function useLimits(config: LimitsOptions): BffPlugin {
  const armor = new ApolloArmor({
    maxDepth: { n: config.MAX_DEPTH, ignoreIntrospection: true },
    maxAliases: { n: config.MAX_ALIASES },
    costLimit: { maxCost: config.MAX_COST, ignoreIntrospection: true },
    // Tokens are counted by graphql-js's parser (server.ts `parseOptions.maxTokens`): armor's
    // token plugin re-parses every document and turns syntax errors into 500s.
    maxTokens: { enabled: false },
    maxDirectives: { n: 50 },
    blockFieldSuggestion: { enabled: !config.INTROSPECTION },
  }).protect();
  return { apollo: armor.plugins as ApolloServerPlugin<BffContext>[], validationRules: armor.validationRules };
}

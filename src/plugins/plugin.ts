/**
 * Internal. What one cross-cutting feature contributes to the request pipeline, and how an
 * ordered list of them becomes Apollo's options. Each feature is one `use<Feature>(opts)` in
 * `plugins/<feature>/index.ts`; the list itself is in `plugins/index.ts`.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFieldResolver, ValidationRule } from 'graphql';
import type { BffContext } from '../context.js';

export type MutationResolver = GraphQLFieldResolver<unknown, BffContext, Record<string, unknown>>;

export interface BffPlugin {
  /** Apollo Server plugins (request hooks), in order. */
  apollo?: readonly ApolloServerPlugin<BffContext>[];
  /** Validation rules run after graphql-js's own. */
  validationRules?: readonly ValidationRule[];
  /** Wraps every `Mutation` field resolver; applied when the schema is built. */
  wrapMutation?: MutationWrapper;
}

export type MutationWrapper = (resolve: MutationResolver) => MutationResolver;

/** The assembled pipeline: Apollo's `plugins` and `validationRules`, and the schema's mutation wrappers. */
export interface Pipeline {
  plugins: ApolloServerPlugin<BffContext>[];
  validationRules: ValidationRule[];
  /** For the schema builder, in list order (the first listed outermost). */
  mutationWrappers: MutationWrapper[];
}

/** Assembles the features in list order; falsy entries (`cond && useX()`) are skipped. */
export function assemble(features: readonly (BffPlugin | false | null | undefined)[]): Pipeline {
  const used = features.filter((f): f is BffPlugin => Boolean(f));
  return {
    plugins: used.flatMap((f) => f.apollo ?? []),
    validationRules: used.flatMap((f) => f.validationRules ?? []),
    mutationWrappers: used.flatMap((f) => (f.wrapMutation ? [f.wrapMutation] : [])),
  };
}

/**
 * Introspection that clients built on the October 2021 GraphQL spec can load.
 *
 * graphql-js 16.15 lists `DIRECTIVE_DEFINITION` among the locations of the built-in
 * `@deprecated`; graphql-core 3.2 (Python `gql`, the Kili SDK) maps every introspected location
 * onto its own `DirectiveLocation` enum, which has only the 2021 spec's values, and rejects the
 * whole schema on an unknown one. `withSpec2021DirectiveLocations` rebuilds the schema with every
 * directive restricted to those locations (a directive left with none is dropped), so the
 * introspection `__schema.directives` serves nothing else. Types, resolvers and extensions are
 * the original objects. The emulator keeps its own copy of this function (src/emulator/spec2021.ts):
 * the two servers share no code.
 */
import { DirectiveLocation, GraphQLDirective, GraphQLSchema } from 'graphql';

/** The directive locations of the October 2021 GraphQL spec (§3.13), in its order. */
export const SPEC_2021_DIRECTIVE_LOCATIONS: readonly DirectiveLocation[] = [
  DirectiveLocation.QUERY, DirectiveLocation.MUTATION, DirectiveLocation.SUBSCRIPTION, DirectiveLocation.FIELD,
  DirectiveLocation.FRAGMENT_DEFINITION, DirectiveLocation.FRAGMENT_SPREAD, DirectiveLocation.INLINE_FRAGMENT,
  DirectiveLocation.VARIABLE_DEFINITION, DirectiveLocation.SCHEMA, DirectiveLocation.SCALAR, DirectiveLocation.OBJECT,
  DirectiveLocation.FIELD_DEFINITION, DirectiveLocation.ARGUMENT_DEFINITION, DirectiveLocation.INTERFACE,
  DirectiveLocation.UNION, DirectiveLocation.ENUM, DirectiveLocation.ENUM_VALUE, DirectiveLocation.INPUT_OBJECT,
  DirectiveLocation.INPUT_FIELD_DEFINITION,
];

const allowed = new Set<DirectiveLocation>(SPEC_2021_DIRECTIVE_LOCATIONS);

/** The same schema with directive locations restricted to the 2021 spec's; synchronous. */
export function withSpec2021DirectiveLocations(schema: GraphQLSchema): GraphQLSchema {
  const directives: GraphQLDirective[] = [];
  for (const directive of schema.getDirectives()) {
    const locations = directive.locations.filter((location) => allowed.has(location));
    if (locations.length === directive.locations.length) directives.push(directive);
    else if (locations.length > 0) directives.push(new GraphQLDirective({ ...directive.toConfig(), locations }));
  }
  return new GraphQLSchema({ ...schema.toConfig(), directives });
}

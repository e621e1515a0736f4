/**
 * The public API as a client sees it: the subgraph schema without what only a federation gateway
 * uses (the `@link`/`@key`/`@shareable`/`@federation__*` directive definitions, `_Any`,
 * `_Entity`, `_Service`, `link__*`/`federation__*` types, `Query._service` and
 * `Query._entities`). Deprecated aliases stay, with their `@deprecated` reason.
 *
 * `npm run codegen` writes `printClientSchema(await buildBffSchema())` to
 * schema/bff.client.graphql (scripts/client-sdl.ts), for frontends' codegen, Python `gql`
 * `Client(schema=...)` and gateways' offline configs; a test checks that it matches what the
 * running server serves.
 */
import { GraphQLObjectType, GraphQLSchema, isSpecifiedDirective, printSchema, type GraphQLNamedType } from 'graphql';

/** Names of types and root fields only a federation gateway uses. */
export function isFederationName(name: string): boolean {
  if (name.startsWith('__')) return false; // introspection
  return name.startsWith('_') || name.includes('__') || name === 'FieldSet';
}

/** `schema` without federation machinery (synchronous; the types are the original objects). */
export function clientSchema(schema: GraphQLSchema): GraphQLSchema {
  const config = schema.toConfig();
  const query = config.query
    ? new GraphQLObjectType({
      ...config.query.toConfig(),
      fields: Object.fromEntries(Object.entries(config.query.toConfig().fields).filter(([name]) => !isFederationName(name))),
    })
    : undefined;
  const types = config.types.filter((type: GraphQLNamedType) => type !== config.query && !isFederationName(type.name));
  return new GraphQLSchema({
    ...config,
    query,
    types,
    directives: config.directives.filter((directive) => isSpecifiedDirective(directive)),
    astNode: undefined,
    extensionASTNodes: [],
  });
}

/** The SDL of `clientSchema(schema)`, as committed in schema/bff.client.graphql. */
export function printClientSchema(schema: GraphQLSchema): string {
  return `${printSchema(clientSchema(schema))}\n`;
}

/**
 * Emulator internals: the executable upstream schema, built from schema/kili-upstream.graphql
 * with the emulator's resolvers and scalars. `SCHEMA_VERSION` changes whenever the SDL changes,
 * so SDK clients drop their cached introspection (reference §1.4).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GraphQLError, GraphQLObjectType, GraphQLScalarType, Kind, buildSchema, type GraphQLFieldResolver, type GraphQLSchema, type ValueNode } from 'graphql';
import { queryResolvers, typeResolvers } from './resolvers.js';
import { mutationResolvers } from './mutations.js';
import { extraMutationResolvers } from './mutations-extra.js';
import { withSpec2021DirectiveLocations } from './spec2021.js';

function schemaPath(): string {
  for (const rel of ['../../schema/kili-upstream.graphql', '../../../schema/kili-upstream.graphql']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new Error('schema/kili-upstream.graphql not found');
}

export const SCHEMA_SDL = readFileSync(schemaPath(), 'utf8');
export const SCHEMA_VERSION = `1.0.0-emulator.${createHash('sha256').update(SCHEMA_SDL).digest('hex').slice(0, 10)}`;

export const PAGE_SIZE_MAX = 500;

function pageSize(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > PAGE_SIZE_MAX) {
    throw new GraphQLError(`PageSize must be an integer from 1 to ${PAGE_SIZE_MAX}, got ${JSON.stringify(value)}`);
  }
  return value;
}

const PageSize = new GraphQLScalarType({
  name: 'PageSize',
  serialize: pageSize,
  parseValue: pageSize,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.INT) throw new GraphQLError('PageSize must be an integer literal');
    return pageSize(Number(ast.value));
  },
});

function literal(ast: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  switch (ast.kind) {
    case Kind.STRING: case Kind.ENUM: return ast.value;
    case Kind.BOOLEAN: return ast.value;
    case Kind.INT: case Kind.FLOAT: return Number(ast.value);
    case Kind.NULL: return null;
    case Kind.LIST: return ast.values.map((v) => literal(v, variables));
    case Kind.OBJECT: return Object.fromEntries(ast.fields.map((f) => [f.name.value, literal(f.value, variables)]));
    case Kind.VARIABLE: return variables?.[ast.name.value];
  }
}

const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: literal,
});

const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  serialize: (v) => (v instanceof Date ? v.toISOString() : String(v)),
  parseValue: (v) => String(v),
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? ast.value : null),
});

type ResolverMap = Record<string, Record<string, GraphQLFieldResolver<never, never>>>;

/**
 * Builds the schema with graphql-js itself and attaches resolvers and scalar behaviour in place
 * (one `graphql` module instance: @graphql-tools' CJS build would load a second one under Vite).
 * Its directives use only the 2021 spec's locations (./spec2021.ts), for graphql-core 3.2 clients.
 */
export function buildEmulatorSchema(): GraphQLSchema {
  const schema = buildSchema(SCHEMA_SDL);
  for (const scalar of [PageSize, JSONScalar, DateTime]) {
    const target = schema.getType(scalar.name);
    if (!(target instanceof GraphQLScalarType)) throw new Error(`Scalar ${scalar.name} missing from the SDL`);
    Object.assign(target, { serialize: scalar.serialize, parseValue: scalar.parseValue, parseLiteral: scalar.parseLiteral });
  }
  const resolvers: ResolverMap = {
    Query: queryResolvers as unknown as ResolverMap[string],
    Mutation: { ...mutationResolvers, ...extraMutationResolvers } as unknown as ResolverMap[string],
    ...(typeResolvers as unknown as ResolverMap),
  };
  for (const [typeName, fields] of Object.entries(resolvers)) {
    const type = schema.getType(typeName);
    if (!(type instanceof GraphQLObjectType)) throw new Error(`Type ${typeName} missing from the SDL`);
    const defined = type.getFields();
    for (const [fieldName, resolve] of Object.entries(fields)) {
      const field = defined[fieldName];
      if (!field) throw new Error(`Field ${typeName}.${fieldName} missing from the SDL`);
      field.resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
    }
  }
  return withSpec2021DirectiveLocations(schema);
}

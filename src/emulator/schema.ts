/**
 * Emulator internals: the executable upstream schema, built from schema/kili-upstream.graphql
 * with the emulator's resolvers and scalars. `SCHEMA_VERSION` changes whenever the SDL changes,
 * so SDK clients drop their cached introspection (reference §1.4).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GraphQLError, GraphQLScalarType, Kind, type GraphQLSchema, type ValueNode } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { queryResolvers, typeResolvers } from './resolvers.js';
import { mutationResolvers } from './mutations.js';
import { extraMutationResolvers } from './mutationsExtra.js';

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

export function buildEmulatorSchema(): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: SCHEMA_SDL,
    resolvers: {
      PageSize, JSON: JSONScalar, DateTime,
      Query: queryResolvers,
      Mutation: { ...mutationResolvers, ...extraMutationResolvers },
      ...typeResolvers,
    },
  });
}

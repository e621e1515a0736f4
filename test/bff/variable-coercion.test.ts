/**
 * Compiled operations (src/execution) have their variables coerced by graphql-jit's generated
 * code instead of graphql-js's `getVariableValues`; a value graphql-jit refuses gets graphql-js's
 * errors. That is only sound if both accept exactly the same values and coerce them to the same
 * result. Checked here for every input type of the public schema: each field of each input object
 * given each of a range of JSON values (right and wrong types, edge numbers, nulls, lists, objects,
 * unknown fields), and whole variables given the same values. Variables holding an empty list
 * are left out: the executor coerces those with graphql-js (graphql-jit takes `[]` for an input
 * object, graphql-js does not), as the first test shows.
 */
import { getNamedType, getVariableValues, isInputObjectType, parse, type GraphQLInputObjectType, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { createRequire } from 'node:module';
import type * as JitVariables from 'graphql-jit/dist/variables';
import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { holdsEmptyList } from '../../src/execution/index.js';
import { buildBffSchema } from '../../src/schema/index.js';

// The function graphql-jit's compiled operations coerce their variables with (its CommonJS build:
// the ES module build of this file does not load on its own).
const { compileVariableParsing } = createRequire(import.meta.url)('graphql-jit/dist/variables') as typeof JitVariables;

/** JSON values a client can send, of every kind (variables are parsed JSON). */
const VALUES: unknown[] = [
  null, 0, 1, -1, 1.5, -0.5, 2147483647, 2147483648, -2147483649, 1e300, '', 'x', 'asset-1', '1', '2024-01-31',
  '2024-01-31T10:00:00Z', '31/01/2024', 'LABELED', 'TODO', 'labeled', true, false, [], [null], ['a'], [1, 2], ['LABELED', 'NOPE'],
  {}, { a: 1 }, { id: 'asset-1' }, { width: 10, height: 20 }, { pageNumber: 1, width: 2, height: 3 }, [{ id: 'asset-1' }],
];

/** A value with every object's prototype made plain (graphql-js builds null-prototype objects). */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value) ?? 'null');

type Outcome = { accepted: true; coerced: unknown } | { accepted: false };

function viaGraphqlJs(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Record<string, unknown>): Outcome {
  const result = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 50 });
  return result.errors ? { accepted: false } : { accepted: true, coerced: result.coerced };
}

function viaJit(parseVariables: ReturnType<typeof compileVariableParsing>, variables: Record<string, unknown>): Outcome {
  const result = parseVariables(variables);
  return 'errors' in result && result.errors ? { accepted: false } : { accepted: true, coerced: (result as { coerced: unknown }).coerced };
}

/** The cases of one input object type: each field given each value, plus an unknown field. */
function objectCases(type: GraphQLInputObjectType): Array<Record<string, unknown>> {
  const cases: Array<Record<string, unknown>> = [{}, { notAField: 1 }];
  for (const field of Object.values(type.getFields())) {
    for (const value of VALUES) cases.push({ [field.name]: value });
  }
  return cases;
}

describe('variable coercion: graphql-jit and graphql-js agree', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildBffSchema();
  });

  it('differs where an input object is given an empty list, which holdsEmptyList detects', () => {
    const document = parse('query Q($w: AssetWhere) { __typename }');
    const operation = document.definitions[0] as OperationDefinitionNode;
    const parseVariables = compileVariableParsing(schema, operation.variableDefinitions ?? []);
    expect(viaJit(parseVariables, { w: [] })).toEqual({ accepted: true, coerced: { w: {} } });
    expect(viaGraphqlJs(schema, operation, { w: [] })).toEqual({ accepted: false });
    expect(holdsEmptyList({ w: [] })).toBe(true);
    expect(holdsEmptyList({ a: [{ id: 'x', toBeLabeledBy: [] }] })).toBe(true);
    expect(holdsEmptyList({ a: [{ id: 'x', toBeLabeledBy: ['u'] }], w: { statusIn: ['TODO'] } })).toBe(false);
    expect(holdsEmptyList(undefined)).toBe(false);
  });

  it('for every input object type, field by field, as an object, a list and a non-null list', () => {
    const types = Object.values(schema.getTypeMap()).filter((t): t is GraphQLInputObjectType => isInputObjectType(t) && !t.name.startsWith('__'));
    expect(types.map((t) => t.name)).toEqual(expect.arrayContaining(['AssetWhere', 'AssetPropertiesInput', 'AssetInput', 'ExternalIdChangeInput']));
    let compared = 0;
    const mismatches: unknown[] = [];
    for (const type of types) {
      const document = parse(`query Q($one: ${type.name}, $some: [${type.name}!], $all: [${type.name}!]!) { __typename }`);
      const operation = document.definitions[0] as OperationDefinitionNode;
      const parseVariables = compileVariableParsing(schema, operation.variableDefinitions ?? []);
      const cases = objectCases(type);
      for (const value of [...cases, ...VALUES]) {
        for (const variables of [{ one: value, all: [value, value] }, { some: [value, value], all: [value] }, { all: value }, { one: [value], all: null }]) {
          if (holdsEmptyList(variables)) continue;
          const expected = viaGraphqlJs(schema, operation, variables);
          const actual = viaJit(parseVariables, variables);
          if (!isDeepStrictEqual(plain(actual), plain(expected))) mismatches.push({ type: type.name, variables, jit: actual, graphqlJs: expected });
          compared += 1;
        }
      }
    }
    expect(mismatches).toEqual([]);
    // Every field of every type was tried with every value (both outcomes occur).
    expect(compared).toBeGreaterThan(types.reduce((n, t) => n + Object.keys(t.getFields()).length, 0) * (VALUES.length - 3) * 4);
  });

  it('for every scalar and enum of the public schema, as a variable and in lists', () => {
    const named = new Set<string>();
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isInputObjectType(type)) continue;
      for (const field of Object.values(type.getFields())) named.add(getNamedType(field.type).name);
    }
    const leaves = [...named].filter((name) => !isInputObjectType(schema.getType(name)));
    expect(leaves).toEqual(expect.arrayContaining(['ID', 'String', 'Int', 'Float', 'Boolean', 'JSON', 'DateTime', 'AssetStatus']));
    let accepted = 0;
    const mismatches: unknown[] = [];
    for (const name of leaves) {
      const document = parse(`query Q($a: ${name}, $b: ${name}!, $c: [${name}], $d: [${name}!]!) { __typename }`);
      const operation = document.definitions[0] as OperationDefinitionNode;
      const parseVariables = compileVariableParsing(schema, operation.variableDefinitions ?? []);
      for (const value of VALUES) {
        for (const variables of [{ a: value, b: value, d: [value] }, { b: 'x', c: value, d: value }, { b: 1, d: [value, value] }, {}]) {
          if (holdsEmptyList(variables)) continue;
          const expected = viaGraphqlJs(schema, operation, variables);
          if (expected.accepted) accepted += 1;
          const actual = viaJit(parseVariables, variables);
          if (!isDeepStrictEqual(plain(actual), plain(expected))) mismatches.push({ name, variables, jit: actual, graphqlJs: expected });
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(accepted).toBeGreaterThan(0);
  });
});

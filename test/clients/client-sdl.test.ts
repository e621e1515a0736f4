/**
 * schema/bff.client.graphql (written by `npm run codegen`): the public API as a client sees it.
 * It must build with `buildSchema` (graphql-js, and graphql-core 3.2's `build_schema` when
 * python3 has it), carry no federation machinery, keep the deprecated aliases, and equal the
 * client view of what the running BFF serves to a client that introspects input-value
 * deprecation.
 */
import { readFileSync } from 'node:fs';
import { buildClientSchema, buildSchema, getIntrospectionQuery, isSpecifiedDirective, printSchema, type GraphQLInputObjectType, type IntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientSchema } from '../../src/schema/client.js';
import { graphqlCore, runPython } from '../helpers/python.js';
import { gqlRequest, startStack, type Stack } from '../helpers/stack.js';

const FILE = new URL('../../schema/bff.client.graphql', import.meta.url);
const sdl = readFileSync(FILE, 'utf8');
const python = graphqlCore('client-sdl.test.ts');

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

describe('schema/bff.client.graphql', () => {
  it('builds with buildSchema, without federation directives, types or root fields, and with the deprecated aliases', () => {
    const schema = buildSchema(sdl);
    expect(schema.getDirectives().filter((d) => !isSpecifiedDirective(d)).map((d) => d.name)).toEqual([]);
    const names = Object.keys(schema.getTypeMap()).filter((name) => !name.startsWith('__'));
    expect(names.filter((name) => name.startsWith('_') || name.includes('__') || name === 'FieldSet')).toEqual([]);
    expect(Object.keys(schema.getQueryType()!.getFields()).filter((name) => name.startsWith('_'))).toEqual([]);
    const where = schema.getType('AssetWhere') as GraphQLInputObjectType;
    expect(where.getFields().consensusMarkGt?.deprecationReason).toBe('Use consensusMarkGte.');
  });

  it('is the client view of the schema the BFF serves (introspected with inputValueDeprecation)', async () => {
    const query = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, inputValueDeprecation: true });
    const response = await gqlRequest<IntrospectionQuery>(stack.bff.url, query);
    expect(response.status).toBe(200);
    const served = printSchema(clientSchema(buildClientSchema(response.body.data!)));
    expect(printSchema(buildSchema(sdl))).toBe(served);
  });

  it.skipIf(!python)('builds with graphql-core 3.2 (Python)', () => {
    const script = 'import json, sys, graphql; print(json.dumps(graphql.print_schema(graphql.build_schema(sys.stdin.read()))))';
    expect(runPython<string>(['-c', script], sdl)).toBe(printSchema(buildSchema(sdl)));
  });
});

/**
 * Both servers' introspection, queried as a modern client does (input-value deprecation,
 * `specifiedByURL`, repeatable directives, schema description), must be loadable by clients that
 * know only the October 2021 spec: graphql-core 3.2 (Python `gql`, the Kili SDK) rejects the
 * whole schema on a directive location it does not know.
 *
 * The Python check runs graphql-core's own `build_client_schema` when `python3` can import
 * graphql-core 3.2 (`pip install 'graphql-core>=3.2,<3.3'`); without it that check skips with a
 * message, and in CI (`CI` set) it fails.
 */
import { fileURLToPath } from 'node:url';
import {
  buildClientSchema, getIntrospectionQuery, parseValue, printSchema, TypeKind,
  type IntrospectionQuery,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBffSchema } from '../../src/schema/index.js';
import { buildEmulatorSchema } from '../../src/emulator/schema.js';
import { SPEC_2021_DIRECTIVE_LOCATIONS } from '../../src/schema/spec2021.js';
import { graphqlCore, runPython } from '../helpers/python.js';
import { gqlRequest, startStack, type Stack } from '../helpers/stack.js';

/** The October 2021 spec's `DirectiveLocation` values, as graphql-core 3.2 defines its enum. */
const SPEC_2021 = [
  'QUERY', 'MUTATION', 'SUBSCRIPTION', 'FIELD', 'FRAGMENT_DEFINITION', 'FRAGMENT_SPREAD', 'INLINE_FRAGMENT',
  'VARIABLE_DEFINITION', 'SCHEMA', 'SCALAR', 'OBJECT', 'FIELD_DEFINITION', 'ARGUMENT_DEFINITION', 'INTERFACE',
  'UNION', 'ENUM', 'ENUM_VALUE', 'INPUT_OBJECT', 'INPUT_FIELD_DEFINITION',
];
const TYPE_KINDS_2021 = Object.values(TypeKind) as string[];

const MODERN_QUERY = getIntrospectionQuery({
  descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true,
});

interface Walked {
  locations: string[];
  kinds: string[];
  defaultValues: string[];
}

/** Every directive location, type kind and default value anywhere in an introspection result. */
function walk(value: unknown, found: Walked = { locations: [], kinds: [], defaultValues: [] }): Walked {
  if (Array.isArray(value)) for (const item of value) walk(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'locations' && Array.isArray(item)) found.locations.push(...(item as string[]));
      else if (key === 'kind' && typeof item === 'string') found.kinds.push(item);
      else if (key === 'defaultValue' && typeof item === 'string') found.defaultValues.push(item);
      else walk(item, found);
    }
  }
  return found;
}

const python = graphqlCore('introspection.test.ts');
const buildWithGraphqlCore = (result: unknown) =>
  runPython<{ version: string; sdl?: string; error?: string }>([fileURLToPath(new URL('graphql-core.py', import.meta.url))], JSON.stringify(result));

let stack: Stack;
const served: Record<'bff' | 'emulator', { data: IntrospectionQuery }> = {} as never;

beforeAll(async () => {
  stack = await startStack();
  for (const [name, url] of [['bff', stack.bff.url], ['emulator', stack.emulator.url]] as const) {
    const response = await gqlRequest<IntrospectionQuery>(url, MODERN_QUERY, undefined, { authorization: `X-API-Key: ${stack.key}` });
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    served[name] = { data: response.body.data! };
  }
});

afterAll(async () => {
  await stack?.close();
});

describe.each(['bff', 'emulator'] as const)('%s introspection', (name) => {
  it('serves directive locations of the 2021 spec only, and 2021 type kinds', () => {
    expect([...SPEC_2021_DIRECTIVE_LOCATIONS]).toEqual(SPEC_2021);
    const { locations, kinds, defaultValues } = walk(served[name].data.__schema);
    expect(locations.length).toBeGreaterThan(0);
    expect(locations.filter((location) => !SPEC_2021.includes(location))).toEqual([]);
    expect(kinds.filter((kind) => !TYPE_KINDS_2021.includes(kind))).toEqual([]);
    for (const literal of defaultValues) expect(() => parseValue(literal)).not.toThrow();
    const deprecated = served[name].data.__schema.directives.find((d) => d.name === 'deprecated');
    expect(deprecated?.locations).toEqual(['FIELD_DEFINITION', 'ARGUMENT_DEFINITION', 'INPUT_FIELD_DEFINITION', 'ENUM_VALUE']);
  });

  it('round-trips: buildClientSchema → printSchema gives the served schema', async () => {
    const schema = name === 'bff' ? await buildBffSchema() : buildEmulatorSchema();
    const client = buildClientSchema(served[name].data);
    expect(printSchema(client)).toBe(printSchema(schema));
  });

  it.skipIf(!python)('builds the same client schema with graphql-core 3.2 (Python)', () => {
    const built = buildWithGraphqlCore(served[name]);
    expect(built).toEqual({ version: python, sdl: printSchema(buildClientSchema(served[name].data)) });
    if (name === 'bff') expect(built.sdl).toContain('consensusMarkGt: Float @deprecated(reason: "Use consensusMarkGte.")');
  });
});

/**
 * The compiled executor (src/execution) against graphql-js: the same operations, context and
 * canned upstream answers give the same results, errors included (messages, paths, codes).
 * The whole suite also runs with every operation compiled: `JIT_COMPILE_AFTER=1 npm test`.
 */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { parse, type ExecutionResult, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCache, type BffCache } from '../../src/cache/index.js';
import { loadConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import type { BffContext } from '../../src/context.js';
import { compiledExecutionGateway, createCompiledExecutor, fieldCount, stringifyAndRelease } from '../../src/execution/index.js';
import { JsonText, stringifyResponse } from '../../src/json-text.js';
import { formatError } from '../../src/errors/index.js';
import { buildBffSchema } from '../../src/schema/index.js';
import type { UpstreamClient } from '../../src/upstream/client.js';

const label = (i: number) => ({
  id: `label-${i}`,
  createdAt: '2024-01-01T00:00:00.000Z',
  labelType: 'DEFAULT',
  jsonResponse: JSON.stringify({ JOB: { categories: [{ name: `C${i}`, confidence: 100 }] } }),
  author: i % 2 ? { id: `user-${i}`, email: `u${i}@example.com` } : null,
});

const asset = (i: number) => ({
  id: `asset-${i}`,
  externalId: `ext-${i}`,
  content: `text ${i}`,
  jsonContent: '',
  jsonMetadata: JSON.stringify({ batch: i, tags: ['a', 'b'] }),
  createdAt: '2024-01-01T00:00:00.000Z',
  status: i % 2 ? 'LABELED' : 'TODO',
  skipped: false,
  isHoneypot: i === 0,
  priority: i,
  consensusMark: null,
  labels: Array.from({ length: i % 3 }, (_, j) => label(i * 10 + j)),
  latestLabel: i % 3 ? label(i * 10) : null,
  projectId: 'project-1',
});

/** An asset whose upstream values do not all fit the public types (serialized or refused per field). */
const oddAsset = () => ({
  ...asset(1),
  id: 'asset-odd',
  externalId: 42,
  status: 'IN_REVIEW',
  priority: '7',
  isHoneypot: 1,
  consensusMark: 'high',
  honeypotMark: 2 ** 40,
  labels: [{ ...label(1), id: 5, labelType: 'NOPE', author: { id: 'u', email: false } }],
  latestLabel: { ...label(2), labelType: 7 },
});

/** Answers every `assets` call with the ids asked for (by id) or three assets, and counts with 3. */
const upstream: UpstreamClient = {
  async execute<T>(_credential: unknown, call: { rootField: string; variables?: Record<string, unknown> }): Promise<T> {
    if (call.rootField === 'countAssets') return { data: 3 } as T;
    const where = (call.variables?.['where'] ?? {}) as { idIn?: string[] };
    const rows = where.idIn ? where.idIn.filter((id) => id !== 'asset-missing').map((id) => (id === 'asset-odd' ? oddAsset() : asset(Number(id.split('-')[1])))) : [0, 1, 2].map(asset);
    return { data: rows } as T;
  },
};

let cache: BffCache;
const config = loadConfig({ LOG_LEVEL: 'silent' });
const context = (authenticated = true) =>
  createContext({
    requestId: 'test',
    credential: authenticated ? { scheme: 'x-api-key', value: 'k', hash: 'h' } : null,
    upstream,
    config,
    cache,
    idempotencyKey: null,
  });

/** The executor's result with errors as the BFF formats them (Apollo's own codes not applied). */
function shown(result: ExecutionResult): unknown {
  return JSON.parse(
    JSON.stringify({
      data: result.data,
      errors: result.errors?.map((e) => formatError(e.toJSON(), e)),
    }),
  );
}

/** What a client sees from an Apollo Server: HTTP status, data and formatted errors. */
async function answer(server: ApolloServer<BffContext>, query: string, variables: Record<string, unknown>, authenticated: boolean): Promise<unknown> {
  const response = await server.executeOperation({ query, variables }, { contextValue: context(authenticated) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const { data, errors } = response.body.singleResult;
  return JSON.parse(JSON.stringify({ status: response.http.status ?? 200, data, errors }));
}

/** [name, query, variables, error codes the answer must carry, authenticated] */
const OPERATIONS: Array<[string, string, Record<string, unknown>, string[], boolean?]> = [
  [
    'the SDK default selection',
    'query Q($p: ID!) { assets(projectId: $p, first: 3) { content createdAt externalId id isHoneypot jsonMetadata skipped status labels { author { id email } createdAt id jsonResponse } } }',
    { p: 'project-1' },
    [],
  ],
  [
    'aliases, fragments, __typename, @skip/@include',
    'query Q($p: ID!, $yes: Boolean!) { n: countAssets(projectId: $p) list: assets(projectId: $p) { __typename ...F id @include(if: $yes) externalId @skip(if: $yes) latestLabel { labelType author { email } } project { id } } } fragment F on Asset { key: id priority jsonContent }',
    { p: 'project-1', yes: true },
    [],
  ],
  ['by id, with a missing one', '{ a: asset(id: "asset-1") { id status labels { id } } b: asset(id: "asset-missing") { id } }', {}, []],
  [
    'federation entities and service',
    'query Q($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Asset { id externalId } ... on Project { id } } _service { sdl } }',
    { r: [{ __typename: 'Asset', id: 'asset-2' }, { __typename: 'Project', id: 'project-9' }, { __typename: 'Asset', id: 'asset-missing' }] },
    [],
  ],
  [
    'upstream values serialized or refused as graphql-js does',
    '{ asset(id: "asset-odd") { id externalId status priority isHoneypot consensusMark honeypotMark labels { id labelType author { id email } } latestLabel { labelType } } }',
    {},
    ['INTERNAL_SERVER_ERROR', 'INTERNAL_SERVER_ERROR', 'INTERNAL_SERVER_ERROR', 'INTERNAL_SERVER_ERROR'],
  ],
  ['a project representation with a numeric id', 'query Q($r: [_Any!]!) { _entities(representations: $r) { ... on Project { id } } }', { r: [{ __typename: 'Project', id: 7 }, { __typename: 'Project', id: { x: 1 } }] }, ['INTERNAL_SERVER_ERROR']],
  ['a resolver error with its code (no credential)', '{ assets(projectId: "project-1") { id } }', {}, ['UNAUTHENTICATED'], false],
  ['a bad argument beside a good field', '{ assets(projectId: "project-1", first: -1) { id } ok: countAssets(projectId: "project-1") }', {}, ['BAD_USER_INPUT']],
  ['a filter error naming its field', 'query Q($w: AssetWhere) { countAssets(projectId: "p", where: $w) }', { w: { metadataWhere: { a: { b: 1 } } } }, ['BAD_USER_INPUT']],
  ['invalid variables', 'query Q($w: AssetWhere) { countAssets(projectId: "p", where: $w) }', { w: { createdAtGte: '31/01/2024', statusIn: ['NOPE'] } }, ['BAD_USER_INPUT', 'BAD_USER_INPUT']],
  ['a missing required variable', 'query Q($p: ID!) { countAssets(projectId: $p) }', {}, ['BAD_USER_INPUT']],
  ['a variable of the wrong type', 'query Q($p: ID!, $f: Int) { assets(projectId: $p, first: $f) { id } }', { p: 'x', f: 'abc' }, ['BAD_USER_INPUT']],
  ['an empty list for an input object', 'query Q($w: AssetWhere) { countAssets(projectId: "p", where: $w) }', { w: [] }, ['BAD_USER_INPUT']],
  ['a required variable with a default, omitted', 'query Q($p: ID! = "project-1") { countAssets(projectId: $p) }', {}, []],
  [
    'a mutation with invalid inputs',
    'mutation M($a: [AssetPropertiesInput!]!) { updatePropertiesInAssets(projectId: "p", assets: $a) { assetIds } }',
    { a: [{ id: 'asset-1', priority: 1.5, resolution: { width: 'wide' } }, { id: 3, unknown: true }] },
    ['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT'],
  ],
  [
    'a mutation refused by its own checks',
    'mutation M($a: [AssetPropertiesInput!]!) { updatePropertiesInAssets(projectId: "p", assets: $a) { assetIds } }',
    { a: [{ priority: 1 }] },
    ['BAD_USER_INPUT'],
  ],
];

describe('compiled executor', () => {
  let plainServer: ApolloServer<BffContext>;
  let compiledServer: ApolloServer<BffContext>;
  beforeAll(async () => {
    cache = await createCache(null);
    const schema = await buildBffSchema();
    const plugins = [ApolloServerPluginInlineTraceDisabled()];
    plainServer = new ApolloServer<BffContext>({ schema, formatError, plugins });
    compiledServer = new ApolloServer<BffContext>({ gateway: compiledExecutionGateway(schema, { compileAfter: 1 }), formatError, plugins });
    await Promise.all([plainServer.start(), compiledServer.start()]);
  });
  afterAll(async () => {
    await Promise.all([plainServer.stop(), compiledServer.stop()]);
  });

  it.each(OPERATIONS)('%s: the same answer as graphql-js through Apollo Server', async (_name, query, variables, codes, authenticated) => {
    const expected = await answer(plainServer, query, variables, authenticated ?? true);
    const actual = await answer(compiledServer, query, variables, authenticated ?? true);
    expect(actual).toEqual(expected);
    const errors = (expected as { errors?: Array<{ extensions: { code: string } }> }).errors ?? [];
    expect(errors.map((e) => e.extensions.code)).toEqual(codes);
  });

  it.each(OPERATIONS)('%s: the executor compiles it and answers as graphql-js', async (_name, query, variables, _codes, authenticated) => {
    const schema = await buildBffSchema();
    const document = parse(query);
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition') ?? null;
    const plain = createCompiledExecutor(schema, { compileAfter: 0 });
    const jit = createCompiledExecutor(schema, { compileAfter: 1 });
    const args = { document, operation, key: query, operationName: null, variables };
    const expected = shown(await plain.run({ ...args, contextValue: context(authenticated ?? true) }));
    const actual = shown(await jit.run({ ...args, contextValue: context(authenticated ?? true) }));
    expect(actual).toEqual(expected);
    expect(jit.compiledCount()).toBe(1);
    expect(plain.compiledCount()).toBe(0);
  });

  it('compiles a query or a mutation on its n-th sighting only, and never a subscription', async () => {
    const schema = await buildBffSchema();
    const executor = createCompiledExecutor(schema, { compileAfter: 2 });
    const runTwice = async (text: string, variables: Record<string, unknown>) => {
      const document = parse(text);
      const operation = document.definitions[0] as OperationDefinitionNode;
      const results = [];
      for (let i = 0; i < 2; i++) results.push(shown(await executor.run({ document, operation, key: text, operationName: null, variables, contextValue: context() })));
      return results;
    };
    const query = 'query Q($p: ID!) { countAssets(projectId: $p) }';
    expect(await runTwice(query, { p: 'p' })).toEqual([{ data: { countAssets: 3 } }, { data: { countAssets: 3 } }]);
    expect(executor.compiledCount()).toBe(1);

    // Refused by its own checks (no id), the same way on graphql-js and compiled.
    const mutation = 'mutation M($a: [AssetPropertiesInput!]!) { updatePropertiesInAssets(projectId: "p", assets: $a) { assetIds } }';
    const [first, second] = await runTwice(mutation, { a: [{ priority: 2 }] });
    expect(second).toEqual(first);
    expect((first as { errors: Array<{ extensions: { code: string } }> }).errors.map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
    expect(executor.compiledCount()).toBe(2);

    await runTwice('subscription S { bulkOperation(id: "op-1") { id } }', {});
    expect(executor.compiledCount()).toBe(2);
  });

  it('remembers at most maxEntries operations', async () => {
    const schema = await buildBffSchema();
    const executor = createCompiledExecutor(schema, { compileAfter: 2, maxEntries: 2 });
    const run = (n: number) => {
      const query = `query Q${n} { countAssets(projectId: "p${n}") }`;
      const document = parse(query);
      return executor.run({ document, operation: document.definitions[0] as OperationDefinitionNode, key: query, operationName: null, variables: {}, contextValue: context() });
    };
    // 1 and 2 seen once, 3 pushes 1 out: 1's second sighting counts as a first one.
    await run(1);
    await run(2);
    await run(3);
    await run(1);
    expect(executor.compiledCount()).toBe(0);
    await run(1);
    expect(executor.compiledCount()).toBe(1);
  });

  it('counts field selections with fragments expanded, stopping past the limit', () => {
    const document = parse('query { a: asset(id: "1") { ...F labels { id } } b: asset(id: "2") { ... on Asset { id } } } fragment F on Asset { id status }');
    const operation = document.definitions[0] as OperationDefinitionNode;
    expect(fieldCount(document, operation, 100)).toBe(7);
    expect(fieldCount(document, operation, 2)).toBe(3);
  });

  it('leaves operations larger than maxFields on graphql-js', async () => {
    const schema = await buildBffSchema();
    const executor = createCompiledExecutor(schema, { compileAfter: 1, maxFields: 3 });
    const run = async (query: string) => {
      const document = parse(query);
      return shown(await executor.run({ document, operation: document.definitions[0] as OperationDefinitionNode, key: query, operationName: null, variables: {}, contextValue: context() }));
    };
    expect(await run('{ a: countAssets(projectId: "p") b: countAssets(projectId: "p") c: countAssets(projectId: "p") d: countAssets(projectId: "p") }')).toEqual({
      data: { a: 3, b: 3, c: 3, d: 3 },
    });
    expect(executor.compiledCount()).toBe(0);
    expect(await run('{ a: countAssets(projectId: "p") b: countAssets(projectId: "p") }')).toEqual({ data: { a: 3, b: 3 } });
    expect(executor.compiledCount()).toBe(1);
  });
});

describe('stringifyAndRelease', () => {
  it('writes the answer, then empties its data and leaves the rest as it was', () => {
    const data: Record<string, unknown> = { assets: [{ id: 'a', jsonMetadata: new JsonText('{"x": 1}') }], countAssets: 3 };
    const errors = [{ message: 'm', path: ['countAssets'] }];
    const result = { data, errors, extensions: { warnings: ['w'] } };
    const text = stringifyAndRelease(stringifyResponse)(result);
    expect(text).toBe('{"data":{"assets":[{"id":"a","jsonMetadata":{"x": 1}}],"countAssets":3},"errors":[{"message":"m","path":["countAssets"]}],"extensions":{"warnings":["w"]}}\n');
    expect(result.data).toBe(data);
    expect(data).toEqual({});
    expect(result.errors).toEqual([{ message: 'm', path: ['countAssets'] }]);
    expect(result.extensions).toEqual({ warnings: ['w'] });
  });

  it('writes an answer without data or with null data as it is', () => {
    const write = stringifyAndRelease(stringifyResponse);
    expect(write({ errors: [{ message: 'e' }] })).toBe('{"errors":[{"message":"e"}]}\n');
    expect(write({ data: null, errors: [{ message: 'e' }] })).toBe('{"data":null,"errors":[{"message":"e"}]}\n');
  });
});

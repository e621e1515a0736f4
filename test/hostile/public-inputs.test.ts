/**
 * Hostile inputs, public-input surface: one row per bound of `INPUT_LIMITS` (src/limits/), sent
 * just past the bound (or far past it, as an attacker would) through the real HTTP server in front
 * of the SQLite emulator. Every row asserts `BAD_USER_INPUT` with its `field`, `limit` and
 * `actual`, and that the emulator's request log stayed empty (no upstream call). Rows marked
 * `large` also repeat the request and check that the heap after GC grew by less than
 * `HEAP_MARGIN_BYTES`. A second table shows that inputs AT each bound are accepted.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INPUT_LIMITS as L } from '../../src/limits/index.js';
import { checkMutationInputs } from '../../src/limits/inputs.js';
import { startStack, type Stack } from '../helpers/stack.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A large row's request is sent this many times; a retained input would grow the heap by as many copies. */
const LARGE_REPEATS = 4;
/**
 * Heap growth allowed after the repeats. Measured growth is below 1 MiB (GC noise of the test
 * process, BFF and emulator together); retaining the inputs of the large rows would add 10 MiB or more.
 */
const HEAP_MARGIN_BYTES = 4 * 1024 * 1024;

let stack: Stack;
const P = 'project-demo-text';
const ASSET = 'demo-text-asset-0001';

beforeAll(async () => {
  // A body limit above the largest row (10 MB strings), so the input bounds, not the body limit, answer.
  stack = await startStack({ env: { BODY_LIMIT: '32mb' } });
});
afterAll(() => stack.close());

const many = (n: number, f: (i: number) => string = (i) => `v${i}`) => Array.from({ length: n }, (_, i) => f(i));
const chars = (n: number) => 'x'.repeat(n);
/** JSON text of `n` nested objects (built as text: JSON.stringify itself overflows on such values). */
const deepJsonText = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
/** A GraphQL object literal of `n` nested levels. */
const deepLiteral = (n: number) => '{a:'.repeat(n) + '1' + '}'.repeat(n);
/** `n` nested lists, as JSON text or a GraphQL literal. */
const deepList = (n: number) => '['.repeat(n) + '1' + ']'.repeat(n);
const deepJson = (n: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < n; i++) value = { a: value };
  return value;
};
const conditions = (n: number) => many(n, (i) => `JOB.C${i}.count > 0`).join(' OR ');
const nested = (depth: number) => '('.repeat(depth) + 'JOB.CAT.count > 0' + ')'.repeat(depth);

const COUNT = 'query($p: ID!, $w: AssetWhere) { countAssets(projectId: $p, where: $w) }';
const UPDATE = 'mutation($p: ID, $a: [AssetPropertiesInput!]!) { updatePropertiesInAssets(projectId: $p, assets: $a) { assetIds } }';
const APPEND = 'mutation($p: ID!, $a: [AssetInput!]!) { appendManyToDataset(projectId: $p, assets: $a) { assetIds } }';
const DELETE = 'mutation($p: ID, $ids: [ID!], $ext: [String!]) { deleteManyFromDataset(projectId: $p, assetIds: $ids, externalIds: $ext) { assetIds } }';
const REVIEW = 'mutation($p: ID, $ext: [String!]) { addToReview(projectId: $p, externalIds: $ext) { assetIds } }';
const CHANGE = 'mutation($p: ID, $a: [ExternalIdChangeInput!]!) { changeAssetExternalIds(projectId: $p, assets: $a) { assetIds } }';

interface Request {
  method?: 'GET' | 'POST';
  /** The JSON body as text (so that over-deep values can be sent), or the GET query string. */
  body: string;
  headers?: Record<string, string>;
}
const post = (query: string, variables?: Record<string, unknown>): Request => ({ body: JSON.stringify({ query, variables }) });
/** `variablesText`: the variables object as JSON text. */
const postText = (query: string, variablesText: string): Request => ({ body: `{"query":${JSON.stringify(query)},"variables":${variablesText}}` });
const where = (w: Record<string, unknown>) => post(COUNT, { p: P, w });

interface Row {
  name: string;
  /** The bound this row exceeds (`extensions.limit`). */
  limit: number;
  field: string;
  actual: number;
  request: () => Request;
  large?: boolean;
}

const ROWS: Row[] = [
  // AssetWhere lists and strings
  { name: 'assetIdIn: 10,001 ids', limit: L.FILTER_ID_LIST, field: 'where.assetIdIn', actual: 10_001, request: () => where({ assetIdIn: many(10_001) }), large: true },
  { name: 'assetIdNotIn: 10,001 ids', limit: L.FILTER_ID_LIST, field: 'where.assetIdNotIn', actual: 10_001, request: () => where({ assetIdNotIn: many(10_001) }) },
  { name: 'externalIdStrictlyIn: 10,001 ids', limit: L.FILTER_ID_LIST, field: 'where.externalIdStrictlyIn', actual: 10_001, request: () => where({ externalIdStrictlyIn: many(10_001) }) },
  { name: 'externalIdContains (alias): 10,001 ids', limit: L.FILTER_ID_LIST, field: 'where.externalIdContains', actual: 10_001, request: () => where({ externalIdContains: many(10_001) }) },
  { name: 'externalIdIn: 101 partial ids', limit: L.PARTIAL_EXTERNAL_IDS, field: 'where.externalIdIn', actual: 101, request: () => where({ externalIdIn: many(101) }) },
  { name: 'externalIdIn: 10,000 partial ids (the reported stall)', limit: L.PARTIAL_EXTERNAL_IDS, field: 'where.externalIdIn', actual: 10_000, request: () => where({ externalIdIn: many(10_000) }), large: true },
  { name: 'externalIdIn: an entry of 1,025 characters', limit: L.EXTERNAL_ID_CHARS, field: 'where.externalIdIn[0]', actual: 1_025, request: () => where({ externalIdIn: [chars(1_025)] }) },
  { name: 'statusIn: 1,001 entries', limit: L.FILTER_VALUE_LIST, field: 'where.statusIn', actual: 1_001, request: () => where({ statusIn: many(1_001, () => 'TODO') }) },
  { name: 'labelTypeIn: 1,001 entries', limit: L.FILTER_VALUE_LIST, field: 'where.labelTypeIn', actual: 1_001, request: () => where({ labelTypeIn: many(1_001, () => 'DEFAULT') }) },
  { name: 'labelAuthorIn: 1,001 names', limit: L.FILTER_VALUE_LIST, field: 'where.labelAuthorIn', actual: 1_001, request: () => where({ labelAuthorIn: many(1_001) }) },
  { name: 'labelReviewerIn: a name of 321 characters', limit: L.NAME_CHARS, field: 'where.labelReviewerIn[0]', actual: 321, request: () => where({ labelReviewerIn: [chars(321)] }) },
  { name: 'assetId of 257 characters', limit: L.ID_CHARS, field: 'where.assetId', actual: 257, request: () => where({ assetId: chars(257) }) },
  { name: 'assetIdIn: an id of 257 characters', limit: L.ID_CHARS, field: 'where.assetIdIn[1]', actual: 257, request: () => where({ assetIdIn: ['ok', chars(257)] }) },
  { name: 'countAssets: projectId of 257 characters', limit: L.ID_CHARS, field: 'projectId', actual: 257, request: () => post(COUNT, { p: chars(257) }) },
  { name: 'assets: projectId of 1 MB', limit: L.ID_CHARS, field: 'projectId', actual: 1_000_000, request: () => post('query($p: ID!) { assets(projectId: $p) { id } }', { p: chars(1_000_000) }), large: true },
  { name: 'asset(id:) of 257 characters', limit: L.ID_CHARS, field: 'id', actual: 257, request: () => post('query($id: ID!) { asset(id: $id) { id } }', { id: chars(257) }) },
  { name: '_entities: a representation id of 257 characters', limit: L.ID_CHARS, field: 'representations.id', actual: 257, request: () => post('query($r: [_Any!]!) { _entities(representations: $r) { ... on Asset { id } } }', { r: [{ __typename: 'Asset', id: chars(257) }] }) },
  // metadataWhere
  { name: 'metadataWhere: 101 keys', limit: L.METADATA_KEYS, field: 'where.metadataWhere', actual: 101, request: () => where({ metadataWhere: Object.fromEntries(many(101).map((k) => [k, 1])) }) },
  { name: 'metadataWhere: 10,000 keys (the reported upstream error)', limit: L.METADATA_KEYS, field: 'where.metadataWhere', actual: 10_000, request: () => where({ metadataWhere: Object.fromEntries(many(10_000).map((k) => [k, 'v'])) }), large: true },
  { name: 'metadataWhere: a key of 257 characters', limit: L.METADATA_KEY_CHARS, field: `where.metadataWhere.${chars(32)}…`, actual: 257, request: () => where({ metadataWhere: { [chars(257)]: 1 } }) },
  { name: 'metadataWhere: a list of 1,001 values', limit: L.METADATA_VALUES, field: 'where.metadataWhere.k', actual: 1_001, request: () => where({ metadataWhere: { k: many(1_001) } }) },
  { name: 'metadataWhere: a string value of 10,001 characters', limit: L.METADATA_VALUE_CHARS, field: 'where.metadataWhere.k', actual: 10_001, request: () => where({ metadataWhere: { k: chars(10_001) } }) },
  { name: 'metadataWhere: a list entry of 10,001 characters', limit: L.METADATA_VALUE_CHARS, field: 'where.metadataWhere.k[1]', actual: 10_001, request: () => where({ metadataWhere: { k: ['a', chars(10_001)] } }) },
  { name: 'metadataWhere: 65 levels (variable)', limit: L.JSON_DEPTH, field: 'w.metadataWhere', actual: 65, request: () => where({ metadataWhere: deepJson(65) }) },
  { name: 'metadataWhere: 65 levels (literal)', limit: L.JSON_DEPTH, field: 'where.metadataWhere', actual: 65, request: () => post(`query { countAssets(projectId: "${P}", where: { metadataWhere: ${deepLiteral(65)} }) }`) },
  { name: 'metadataWhere: 5,000 levels (variable)', limit: L.VARIABLE_DEPTH, field: 'w', actual: 5_001, request: () => postText(COUNT, `{"p":"${P}","w":{"metadataWhere":${deepJsonText(5_000)}}}`), large: true },
  { name: 'metadataWhere: 5,000 levels (literal)', limit: L.DOCUMENT_NESTING, field: 'query', actual: 5_003, request: () => post(`query { countAssets(projectId: "${P}", where: { metadataWhere: ${deepLiteral(5_000)} }) }`), large: true },
  // labelCategorySearch
  { name: 'labelCategorySearch: 10,001 characters', limit: L.CATEGORY_SEARCH_CHARS, field: 'where.labelCategorySearch', actual: 10_001, request: () => where({ labelCategorySearch: `JOB.CAT.count > 0${' '.repeat(10_001 - 17)}` }) },
  { name: 'labelCategorySearch: 201 conditions', limit: L.CATEGORY_SEARCH_CONDITIONS, field: 'where.labelCategorySearch', actual: 201, request: () => where({ labelCategorySearch: conditions(201) }) },
  { name: 'labelCategorySearch: 20,000 OR (the reported upstream error)', limit: L.CATEGORY_SEARCH_CHARS, field: 'where.labelCategorySearch', actual: conditions(20_000).length, request: () => where({ labelCategorySearch: conditions(20_000) }), large: true },
  { name: 'labelCategorySearch: 33 nested parentheses', limit: L.CATEGORY_SEARCH_DEPTH, field: 'where.labelCategorySearch', actual: 33, request: () => where({ labelCategorySearch: nested(33) }) },
  { name: 'labelCategorySearch: 3,000 nested parentheses', limit: L.CATEGORY_SEARCH_DEPTH, field: 'where.labelCategorySearch', actual: 3_000, request: () => where({ labelCategorySearch: nested(3_000) }) },
  { name: 'labelCategorySearch: 5,000 nested parentheses (the reported stack overflow)', limit: L.CATEGORY_SEARCH_CHARS, field: 'where.labelCategorySearch', actual: 10_017, request: () => where({ labelCategorySearch: nested(5_000) }) },
  // mutations: list lengths
  { name: 'deleteManyFromDataset: 100,001 assetIds', limit: L.MUTATION_ASSETS, field: 'assetIds', actual: 100_001, request: () => post(DELETE, { ids: many(100_001) }), large: true },
  { name: 'addToReview: 100,001 externalIds', limit: L.MUTATION_ASSETS, field: 'externalIds', actual: 100_001, request: () => post(REVIEW, { p: P, ext: many(100_001) }), large: true },
  { name: 'appendManyToDataset: 100,001 assets', limit: L.MUTATION_ASSETS, field: 'assets', actual: 100_001, request: () => post(APPEND, { p: P, a: many(100_001, () => '').map(() => ({})) }), large: true },
  { name: 'deleteManyFromDataset: an asset id of 257 characters', limit: L.ID_CHARS, field: 'assetIds[0]', actual: 257, request: () => post(DELETE, { ids: [chars(257)] }) },
  { name: 'deleteManyFromDataset: projectId of 1 MB (the token-store growth)', limit: L.ID_CHARS, field: 'projectId', actual: 1_000_000, request: () => post(DELETE, { p: chars(1_000_000), ext: ['e'] }), large: true },
  // mutations: per-asset strings, JSON and lists
  { name: 'appendManyToDataset: externalId of 1,025 characters', limit: L.EXTERNAL_ID_CHARS, field: 'assets[0].externalId', actual: 1_025, request: () => post(APPEND, { p: P, a: [{ content: 'x', externalId: chars(1_025) }] }) },
  { name: 'appendManyToDataset: content of 10,000,001 characters', limit: L.CONTENT_CHARS, field: 'assets[0].content', actual: 10_000_001, request: () => post(APPEND, { p: P, a: [{ content: chars(10_000_001) }] }), large: true },
  { name: 'appendManyToDataset: jsonMetadata over 1,000,000 characters of JSON', limit: L.JSON_METADATA_CHARS, field: 'assets[0].jsonMetadata', actual: 1_000_008, request: () => post(APPEND, { p: P, a: [{ content: 'x', jsonMetadata: { k: chars(1_000_000) } }] }), large: true },
  { name: 'appendManyToDataset: jsonMetadata as JSON text, 5,000 levels', limit: L.JSON_DEPTH, field: 'assets[0].jsonMetadata', actual: 5_000, request: () => post(APPEND, { p: P, a: [{ content: 'x', jsonMetadata: deepJsonText(5_000) }] }) },
  { name: 'appendManyToDataset: jsonMetadata, 65 levels (variable)', limit: L.JSON_DEPTH, field: 'a[0].jsonMetadata', actual: 65, request: () => post(APPEND, { p: P, a: [{ content: 'x', jsonMetadata: deepJson(65) }] }) },
  { name: 'appendManyToDataset: jsonMetadata, 5,000 levels (literal)', limit: L.DOCUMENT_NESTING, field: 'query', actual: 5_004, request: () => post(`mutation { appendManyToDataset(projectId: "${P}", assets: [{ content: "x", jsonMetadata: ${deepLiteral(5_000)} }]) { assetIds } }`), large: true },
  { name: 'appendManyToDataset: jsonContent as text over 10,000,000 characters', limit: L.JSON_CONTENT_CHARS, field: 'assets[0].jsonContent', actual: 10_000_001, request: () => post(APPEND, { p: P, a: [{ jsonContent: chars(10_000_001) }] }), large: true },
  { name: 'appendManyToDataset: jsonContent as JSON text, 5,000 levels', limit: L.JSON_DEPTH, field: 'assets[0].jsonContent', actual: 5_000, request: () => post(APPEND, { p: P, a: [{ jsonContent: deepJsonText(5_000) }] }) },
  { name: 'updatePropertiesInAssets: toBeLabeledBy of 1,001 emails', limit: L.ASSIGNEES, field: 'assets[0].toBeLabeledBy', actual: 1_001, request: () => post(UPDATE, { a: [{ id: ASSET, toBeLabeledBy: many(1_001, (i) => `u${i}@x.io`) }] }) },
  { name: 'updatePropertiesInAssets: an email of 321 characters', limit: L.NAME_CHARS, field: 'assets[0].toBeLabeledBy[0]', actual: 321, request: () => post(UPDATE, { a: [{ id: ASSET, toBeLabeledBy: [chars(321)] }] }) },
  { name: 'updatePropertiesInAssets: 10,001 pageResolutions', limit: L.PAGE_RESOLUTIONS, field: 'assets[0].pageResolutions', actual: 10_001, request: () => post(UPDATE, { a: [{ id: ASSET, pageResolutions: many(10_001).map((_, i) => ({ pageNumber: i + 1, width: 1, height: 1 })) }] }), large: true },
  { name: 'updatePropertiesInAssets: id of 257 characters', limit: L.ID_CHARS, field: 'assets[0].id', actual: 257, request: () => post(UPDATE, { a: [{ id: chars(257), priority: 1 }] }) },
  { name: 'updatePropertiesInAssets: jsonMetadata 5,000 levels with an Idempotency-Key', limit: L.VARIABLE_DEPTH, field: 'a', actual: 5_002, request: () => ({ ...postText(UPDATE, `{"a":[{"id":"${ASSET}","jsonMetadata":${deepJsonText(5_000)}}]}`), headers: { 'idempotency-key': 'hostile-deep-1' } }) },
  { name: 'changeAssetExternalIds: newExternalId of 1,025 characters', limit: L.EXTERNAL_ID_CHARS, field: 'assets[0].newExternalId', actual: 1_025, request: () => post(CHANGE, { a: [{ id: ASSET, newExternalId: chars(1_025) }] }) },
  { name: 'changeAssetExternalIds: externalId of 1,025 characters', limit: L.EXTERNAL_ID_CHARS, field: 'assets[0].externalId', actual: 1_025, request: () => post(CHANGE, { p: P, a: [{ externalId: chars(1_025), newExternalId: 'n' }] }) },
  // the document and the variables themselves
  { name: 'a document of 300 nested list literals', limit: L.DOCUMENT_NESTING, field: 'query', actual: 304, request: () => post(`query { countAssets(projectId: "${P}", where: { metadataWhere: { k: ${'['.repeat(300)}1${']'.repeat(300)} } }) }`) },
  // GET requests carry the document in the URL (Node accepts 16 KB of headers): lists nest the most per byte.
  { name: 'GET: a document of 2,000 nested lists', limit: L.DOCUMENT_NESTING, field: 'query', actual: 2_004, request: () => ({ method: 'GET', body: new URLSearchParams({ query: `{ countAssets(projectId: "${P}", where: { metadataWhere: { k: ${deepList(2_000)} } }) }` }).toString() }) },
  { name: 'GET: variables of 2,000 levels', limit: L.VARIABLE_DEPTH, field: 'variables', actual: 2_002, request: () => ({ method: 'GET', body: new URLSearchParams({ query: COUNT, variables: `{"p":"${P}","w":{"metadataWhere":{"k":${deepList(2_000)}}}}` }).toString() }) },
];

async function send(request: Request) {
  const headers = { authorization: `X-API-Key: ${stack.key}`, 'content-type': 'application/json', 'apollo-require-preflight': 'true', ...request.headers };
  const response =
    request.method === 'GET'
      ? await fetch(`${stack.bff.url}?${request.body}`, { headers })
      : await fetch(stack.bff.url, { method: 'POST', headers, body: request.body });
  const body = (await response.json()) as { errors?: { message: string; extensions?: Record<string, unknown> }[] };
  return { status: response.status, body };
}

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('public inputs past their bound: BAD_USER_INPUT naming the field, no upstream call', () => {
  it.each(ROWS)('$name (bound $limit)', async (row) => {
    await stack.clearRequests();
    const before = row.large ? heapAfterGc() : 0;
    const repeats = row.large ? LARGE_REPEATS : 1;
    for (let i = 0; i < repeats; i++) {
      const { status, body } = await send(row.request());
      expect([200, 400]).toContain(status);
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: row.field, limit: row.limit, actual: row.actual });
      expect(body.errors![0]!.message).toContain(`at most ${row.limit} allowed`);
    }
    expect(await stack.requests()).toEqual([]);
    if (row.large) expect(heapAfterGc() - before).toBeLessThan(HEAP_MARGIN_BYTES);
  });
});

describe('public inputs at their bound are accepted', () => {
  const ok = async (query: string, variables: Record<string, unknown>) => {
    const { body } = await stack.gql(query, variables);
    expect(body.errors).toBeUndefined();
    return body.data;
  };

  it(`externalIdIn with ${L.PARTIAL_EXTERNAL_IDS} entries, metadataWhere with ${L.METADATA_KEYS} keys, statusIn with ${L.FILTER_VALUE_LIST} entries`, async () => {
    expect(await ok(COUNT, { p: P, w: { externalIdIn: ['text-1', ...many(L.PARTIAL_EXTERNAL_IDS - 1, (i) => `zz-none-${i}`)] } })).toEqual({ countAssets: 111 });
    // Absent keys match `null`: the 99 extra keys change nothing.
    const metadata: Record<string, unknown> = { source: 'web' };
    for (const key of many(L.METADATA_KEYS - 1, (i) => `missing${i}`)) metadata[key] = null;
    expect(await ok(COUNT, { p: P, w: { metadataWhere: metadata } })).toEqual(await ok(COUNT, { p: P, w: { metadataWhere: { source: 'web' } } }));
    expect(await ok(COUNT, { p: P, w: { statusIn: many(L.FILTER_VALUE_LIST, () => 'TODO') } })).toEqual(await ok(COUNT, { p: P, w: { statusIn: ['TODO'] } }));
  });

  it(`labelCategorySearch with ${L.CATEGORY_SEARCH_DEPTH} nested parentheses and with ${L.CATEGORY_SEARCH_CONDITIONS} conditions`, async () => {
    const direct = await ok(COUNT, { p: P, w: { labelCategorySearch: 'CLASSIFICATION_JOB.POSITIVE.count > 0' } });
    expect(await ok(COUNT, { p: P, w: { labelCategorySearch: `${'('.repeat(L.CATEGORY_SEARCH_DEPTH)}CLASSIFICATION_JOB.POSITIVE.count > 0${')'.repeat(L.CATEGORY_SEARCH_DEPTH)}` } })).toEqual(direct);
    const ors = [...many(L.CATEGORY_SEARCH_CONDITIONS - 1, (i) => `NONE.C${i}.count > 0`), 'CLASSIFICATION_JOB.POSITIVE.count > 0'].join(' OR ');
    expect(await ok(COUNT, { p: P, w: { labelCategorySearch: ors } })).toEqual(direct);
  });

  it(`jsonMetadata nested ${L.JSON_DEPTH} levels is stored and read back`, async () => {
    const metadata = deepJson(L.JSON_DEPTH);
    const data = await ok(`${UPDATE.replace('{ assetIds }', '{ assetIds verified assets { jsonMetadata } }')}`, { a: [{ id: ASSET, jsonMetadata: metadata }] });
    expect(data).toEqual({ updatePropertiesInAssets: { assetIds: [ASSET], verified: true, assets: [{ jsonMetadata: metadata }] } });
  });

  it(`a mutation of ${L.MUTATION_ASSETS.toLocaleString('en')} assets passes the input bounds (bulk operations)`, () => {
    expect(L.MUTATION_ASSETS).toBeGreaterThanOrEqual(100_000);
    expect(() => checkMutationInputs({ assetIds: many(L.MUTATION_ASSETS, (i) => `c${i}`) })).not.toThrow();
    expect(() => checkMutationInputs({ projectId: P, assets: many(L.MUTATION_ASSETS).map((e) => ({ content: `https://x.io/${e}`, externalId: e, jsonMetadata: { k: e } })) })).not.toThrow();
  });
});

/**
 * The emulator's answers to inputs it must refuse or that stress it: parallel arrays of different
 * lengths, assignees from another organization, and inputs that used to surface internal errors
 * (SQLite's expression-depth limit, JavaScript stack overflows) as raw text without a code. Every
 * error carries an `extensions.code`, and nothing is applied.
 */
import { describe, expect, it } from 'vitest';
import * as D from './sdk-documents.js';
import { data, gql, TEXT, textId, useEmulator } from './helpers.js';

const ctx = useEmulator();

const OUTSIDER_EMAIL = 'outsider@other.kili.local';
const count = async (extra: Record<string, unknown> = {}) => (await data<{ data: number }>(ctx.emu, D.COUNT_ASSETS, { where: D.where(TEXT, extra) })).data;
const appendData = (n: number, overrides: Record<string, unknown[]> = {}) => ({
  contentArray: Array.from({ length: n }, (_, i) => `https://example.com/${i}.txt`),
  externalIDArray: Array.from({ length: n }, (_, i) => `parallel-${i}`),
  idArray: Array.from({ length: n }, (_, i) => `cparallel${String(i).padStart(16, '0')}`),
  isHoneypotArray: Array.from({ length: n }, () => false),
  jsonContentArray: Array.from({ length: n }, () => ''),
  jsonMetadataArray: Array.from({ length: n }, () => '{}'),
  ...overrides,
});
const errorOf = (body: { errors?: { message: string; extensions?: Record<string, unknown> }[] }) => body.errors?.[0];

describe('appendManyAssets: parallel arrays', () => {
  it.each([
    ['externalIDArray', 1],
    ['idArray', 3],
    ['jsonMetadataArray', 1],
    ['isHoneypotArray', 0],
  ] as const)('%s of length %i next to 2 contents: BAD_USER_INPUT naming it, nothing created', async (array, length) => {
    const before = await count();
    const d = appendData(2);
    const r = await gql(ctx.emu, D.APPEND_MANY_ASSETS, { data: { ...d, [array]: d[array].slice(0, length).concat(length > 2 ? [d[array][0]] : []) }, where: { id: TEXT } });
    expect(r.status).toBe(200);
    expect(errorOf(r.body)).toEqual({
      message: `${array} has ${length} entries but contentArray has 2: every array must have one entry per asset`,
      locations: [{ line: 2, column: 3 }],
      path: ['data'],
      extensions: { code: 'BAD_USER_INPUT', field: array },
    });
    expect(await count()).toBe(before);
  });

  it('arrays of one length are applied (the SDK sends all of them); absent arrays are allowed', async () => {
    const before = await count();
    await data(ctx.emu, D.APPEND_MANY_ASSETS, { data: appendData(3), where: { id: TEXT } });
    await data(ctx.emu, D.APPEND_MANY_ASSETS, { data: { contentArray: ['https://example.com/x.txt'] }, where: { id: TEXT } });
    expect(await count()).toBe(before + 4);
  });

  it('appendManyFramesToDatasetAsynchronously applies the same rule', async () => {
    const before = await count();
    const r = await gql(ctx.emu, D.APPEND_FRAMES_ASYNC, {
      data: { contentArray: ['https://example.com/a.mp4', 'https://example.com/b.mp4'], externalIDArray: ['only-one'], uploadType: 'NATIVE_VIDEO' },
      where: { id: TEXT },
    });
    expect(errorOf(r.body)?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'externalIDArray' });
    expect(await count()).toBe(before);
  });
});

describe('assignees from another organization', () => {
  it('updatePropertiesInAssets: toBeLabeledBy with a user of another organization is NOT_FOUND, as an unknown user; nothing applied', async () => {
    const r = await gql(ctx.emu, D.UPDATE_PROPERTIES, {
      whereArray: [{ id: textId(0) }, { id: textId(1) }],
      dataArray: [{ priority: 9 }, { toBeLabeledBy: ['labeler@demo.kili.local', OUTSIDER_EMAIL], shouldResetToBeLabeledBy: true }],
    });
    expect(errorOf(r.body)?.message).toBe(`User not found: ${OUTSIDER_EMAIL}`);
    expect(errorOf(r.body)?.extensions).toEqual({ code: 'NOT_FOUND' });
    const unknown = await gql(ctx.emu, D.UPDATE_PROPERTIES, { whereArray: [{ id: textId(1) }], dataArray: [{ toBeLabeledBy: ['nobody@demo.kili.local'] }] });
    expect(errorOf(unknown.body)).toMatchObject({ message: 'User not found: nobody@demo.kili.local', extensions: { code: 'NOT_FOUND' } });
    expect(await count({ idIn: [textId(0)], assigneeIn: [OUTSIDER_EMAIL] })).toBe(0);
    const rows = await data<{ data: { priority: number }[] }>(ctx.emu, 'query($where: AssetWhere!) { data: assets(where: $where, first: 1, skip: 0) { priority } }', { where: D.where(TEXT, { id: textId(0) }) });
    expect(rows.data).toEqual([{ priority: 0 }]);
  });

  it('by user id too, and assignAssetsToLabelers applies the same rule', async () => {
    const outsider = await data<{ data: { id: string } }>(ctx.emu, 'query { data: viewer { id } }', undefined, 'demo-outsider-key');
    const r = await gql(ctx.emu, D.UPDATE_PROPERTIES, { whereArray: [{ id: textId(2) }], dataArray: [{ toBeLabeledBy: [outsider.data.id] }] });
    expect(errorOf(r.body)).toMatchObject({ message: `User not found: ${outsider.data.id}`, extensions: { code: 'NOT_FOUND' } });
    const assign = await gql(ctx.emu, D.ASSIGN, { where: { id: textId(2) }, userIds: [OUTSIDER_EMAIL] });
    expect(errorOf(assign.body)).toMatchObject({ message: `User not found: ${OUTSIDER_EMAIL}`, extensions: { code: 'NOT_FOUND' } });
    expect(await count({ idIn: [textId(2)], assigneeIn: [outsider.data.id] })).toBe(0);
  });

  it('a user of the same organization is assigned', async () => {
    await data(ctx.emu, D.UPDATE_PROPERTIES, { whereArray: [{ id: textId(3) }], dataArray: [{ toBeLabeledBy: ['reviewer@demo.kili.local'], shouldResetToBeLabeledBy: true }] });
    expect(await count({ idIn: [textId(3)], assigneeIn: ['reviewer@demo.kili.local'] })).toBe(1);
  });
});

describe('no raw internal error reaches a client', () => {
  it('metadata with 10,000 keys is evaluated (no SQLite "Expression tree is too large")', async () => {
    const metadata: Record<string, unknown> = { source: 'web' };
    for (let i = 0; i < 10_000; i++) metadata[`absent${i}`] = null;
    const r = await gql<{ data: number }>(ctx.emu, D.COUNT_ASSETS, { where: D.where(TEXT, { metadata }) });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.data).toBe(await count({ metadata: { source: 'web' } }));
  });

  it('a category search of 20,000 OR conditions is evaluated (no stack overflow)', async () => {
    const search = [...Array.from({ length: 19_999 }, (_, i) => `NONE.C${i}.count > 0`), 'CLASSIFICATION_JOB.POSITIVE.count > 0'].join(' OR ');
    const r = await gql<{ data: number }>(ctx.emu, D.COUNT_ASSETS, { where: D.where(TEXT, { label: { search } }) });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.data).toBe(await count({ label: { search: 'CLASSIFICATION_JOB.POSITIVE.count > 0' } }));
  });

  it('a category search nested 5,000 parentheses deep is an invalid query (BAD_USER_INPUT)', async () => {
    const search = `${'('.repeat(5_000)}CLASSIFICATION_JOB.POSITIVE.count > 0${')'.repeat(5_000)}`;
    const r = await gql(ctx.emu, D.COUNT_ASSETS, { where: D.where(TEXT, { label: { search } }) });
    expect(errorOf(r.body)).toMatchObject({ message: `Invalid category search query: ${search}`, extensions: { code: 'BAD_USER_INPUT', field: 'label.search' } });
  });

  it('a metadata value nested 5,000 levels: INTERNAL_SERVER_ERROR with a fixed message', async () => {
    const deep = `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`;
    const body = `{"query":${JSON.stringify(D.COUNT_ASSETS)},"variables":{"where":{"project":{"id":"${TEXT}"},"metadata":{"k":${deep}},"label":{},"issue":{}}}}`;
    const res = await fetch(ctx.emu.url, { method: 'POST', headers: { authorization: 'X-API-Key: test-admin-key', 'content-type': 'application/json' }, body });
    expect(await res.json()).toEqual({
      data: null,
      errors: [{ message: 'Internal server error', locations: [{ line: 2, column: 3 }], path: ['data'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
  });

  it('a document nested 5,000 levels: GRAPHQL_PARSE_FAILED with a fixed message', async () => {
    const query = `query { data: countAssets(where: ${'{a:'.repeat(5_000)}1${'}'.repeat(5_000)}) }`;
    const r = await gql(ctx.emu, query);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ errors: [{ message: 'Syntax Error: the document could not be parsed.', extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] });
  });

  it('syntax, validation and variable errors carry Apollo codes', async () => {
    expect(errorOf((await gql(ctx.emu, 'query {')).body)?.extensions).toEqual({ code: 'GRAPHQL_PARSE_FAILED' });
    expect(errorOf((await gql(ctx.emu, 'query { data: nope }')).body)?.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(errorOf((await gql(ctx.emu, D.COUNT_ASSETS, { where: { statusIn: ['NOPE'] } })).body)?.extensions).toEqual({ code: 'BAD_USER_INPUT' });
  });
});

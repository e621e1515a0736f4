/**
 * Hostile inputs, caches: every store a request can fill is bounded. Each case states its bound,
 * asserts the code the client gets, makes no upstream call, and keeps the heap (after GC) within
 * the stated margin although it offers several times the bound.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEMORY_GENERATION_TOKENS, createCache } from '../../src/cache/index.js';
import { currentGenerations, invalidateProject } from '../../src/plugins/response-cache/generations.js';
import { MiB, heapAfterGc } from '../helpers/heap.js';
import { startStack, type Stack } from '../helpers/stack.js';

const LIMITS = { APQ_CACHE_MAX_BYTES: String(MiB / 2), DOCUMENT_CACHE_MAX_BYTES: String(MiB / 2), APQ_MAX_DOCUMENT_BYTES: String(64 * 1024), RESPONSE_CACHE_TTL_MS: '60000' };
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: LIMITS });
});
afterAll(() => stack.close());

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function post(body: unknown): Promise<{ status: number; code: string | undefined; data: unknown }> {
  const response = await fetch(stack.bff.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `X-API-Key: ${stack.key}` },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  return { status: response.status, code: json.errors?.[0]?.extensions?.code, data: json.data };
}

describe('hostile inputs against the caches', () => {
  it('APQ flood: 100 documents of 60 KB registered → the stores keep 0.5 MiB each (APQ_CACHE_MAX_BYTES, DOCUMENT_CACHE_MAX_BYTES), the oldest are gone', async () => {
    const documents = Array.from({ length: 100 }, (_, i) => `query Flood${i} { __typename } # ${String(i).padEnd(60_000, '.')}`);
    // Hashed now, so the test's own strings are flattened (and allocated) before the measurement.
    const hashes = documents.map(sha256);
    await stack.clearRequests();
    // Warm up first: the first hundred requests allocate ~2 MB for good (compiled code, pools).
    for (let i = 0; i < 100; i++) {
      const query = `query Warm${i} { __typename } # ${String(i).padEnd(60_000, '.')}`;
      await post(i % 2 ? { query } : { query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } });
    }
    const before = await heapAfterGc();
    for (const [i, query] of documents.entries()) {
      expect(await post({ query, extensions: { persistedQuery: { version: 1, sha256Hash: hashes[i] } } })).toEqual({ status: 200, code: undefined, data: { __typename: 'Query' } });
    }
    // 6 MB offered (12 MB held without the bounds: the documents and their parsed copies), at
    // most 1 MiB held by the two stores.
    expect((await heapAfterGc()) - before).toBeLessThan(3 * MiB);
    const byHash = (query: string) => post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } });
    expect(await byHash(documents[0]!)).toMatchObject({ status: 200, code: 'PERSISTED_QUERY_NOT_FOUND' });
    expect(await byHash(documents[99]!)).toEqual({ status: 200, code: undefined, data: { __typename: 'Query' } });
    expect(await stack.requests()).toEqual([]);
  });

  it('introspection needs no upstream call, so it is never stored in the response cache', async () => {
    await stack.clearRequests();
    const query = '{ __schema { types { name fields { name } } } }';
    const before = await heapAfterGc();
    for (let i = 0; i < 30; i++) {
      const { status, code } = await post({ query: `query Introspect${i} ${query}` });
      expect({ status, code }).toEqual({ status: 200, code: undefined });
    }
    // Each answer is ~30 KB; 30 distinct operations stored would hold ~1 MB at least.
    expect((await heapAfterGc()) - before).toBeLessThan(2 * MiB);
    const again = await fetch(stack.bff.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `X-API-Key: ${stack.key}` },
      body: JSON.stringify({ query: `query Introspect0 ${query}` }),
    });
    expect(again.headers.get('x-bff-cache')).toBeNull();
    expect(await stack.requests()).toEqual([]);
  });

  it('the in-memory response store holds at most RESPONSE_CACHE_MAX_BYTES (1 MiB here) of 100 entries of 100 KB', async () => {
    const cache = await createCache(null, { responseMaxBytes: MiB, apqMaxBytes: MiB });
    const entry = (i: number) => JSON.stringify({ data: { filler: String(i).padEnd(100_000, '.') } });
    const before = await heapAfterGc();
    for (let i = 0; i < 100; i++) await cache.response.set(`r${i}`, entry(i), 60_000);
    expect((await heapAfterGc()) - before).toBeLessThan(3 * MiB);
    expect(await cache.response.get('r0')).toBeUndefined();
    expect(await cache.response.get('r99')).toBe(entry(99));
  });

  it(`invalidation tokens: 200 project ids of 100 KB → fixed-size tokens, at most ${MEMORY_GENERATION_TOKENS} kept`, async () => {
    const cache = await createCache(null);
    const ids = Array.from({ length: 200 }, (_, i) => `${i}:${'p'.repeat(100_000)}`);
    const before = await heapAfterGc();
    for (const id of ids) await invalidateProject(cache.responseGen, id);
    // 20 MB of ids offered; each token is a UUID under a 65-character key.
    expect((await heapAfterGc()) - before).toBeLessThan(2 * MiB);
    const [token] = await currentGenerations(cache.responseGen, [`p:${ids[7]}`]);
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('dropping a token for room clears the in-memory response store: nothing cached under it is served again', async () => {
    const cache = await createCache(null);
    await invalidateProject(cache.responseGen, 'first');
    await cache.response.set('entry-read-under-first', '{"data":{}}', 60_000);
    for (let i = 0; i < MEMORY_GENERATION_TOKENS; i++) await invalidateProject(cache.responseGen, `other-${i}`);
    expect(await currentGenerations(cache.responseGen, ['p:first'])).toEqual(['0']);
    expect(await cache.response.get('entry-read-under-first')).toBeUndefined();
  });
});

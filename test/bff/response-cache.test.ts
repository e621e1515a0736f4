/**
 * The response cache (RESPONSE_CACHE_TTL_MS > 0): repeated queries are served without upstream
 * calls, never across credentials, and mutations invalidate their project's entries. The
 * two-replica test runs when REDIS_URL is set (e.g. REDIS_URL=redis://127.0.0.1:6379).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, type OperationDefinitionNode } from 'graphql';
import { loadConfig } from '../../src/config.js';
import { dependencyScopes } from '../../src/plugins/response-cache/index.js';
import { stableStringify } from '../../src/stable-stringify.js';
import { createBffServer } from '../../src/server.js';
import { countRootField, EXECUTOR_ENV, gqlRequest, startStack, type Stack } from '../helpers/stack.js';

const ENV = { RESPONSE_CACHE_TTL_MS: '60000', VERIFY_BACKOFF_MIN_MS: '10', VERIFY_BACKOFF_MAX_MS: '50' };
const LIST = 'query List($p: ID!) { countAssets(projectId: $p) assets(projectId: $p, first: 3) { id priority } }';
const BY_ID = 'query One($id: ID!) { asset(id: $id) { id priority } }';
const UPDATE = 'mutation Up($p: ID, $id: ID!, $priority: Int) { updatePropertiesInAssets(projectId: $p, assets: [{ id: $id, priority: $priority }]) { assetIds } }';

type ListData = { countAssets: number; assets: { id: string; priority: number }[] };

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: ENV });
});
afterAll(() => stack.close());

describe('response cache keys', () => {
  it('stringifies variables stably', () => {
    expect(stableStringify({ b: [1, { y: 2, x: 1 }], a: null, c: undefined })).toBe(stableStringify({ a: null, b: [1, { x: 1, y: 2 }] }));
  });

  it('depends on the projects read, or on by-id reads', () => {
    const scopes = (query: string, variables: Record<string, unknown> = {}) => {
      const document = parse(query);
      return dependencyScopes(document, document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode, variables);
    };
    expect(scopes(LIST, { p: 'P1' })).toEqual(['*', 'p:P1']);
    expect(scopes('{ countAssets(projectId: "P2") ...F } fragment F on Query { a: countAssets(projectId: "P3") }')).toEqual(['*', 'p:P2', 'p:P3']);
    expect(scopes(BY_ID, { id: 'x' })).toEqual(['*', 'id']);
    expect(scopes('{ __typename _service { sdl } }')).toEqual(['*']);
  });
});

describe('response cache (memory)', () => {
  it('serves a repeated query from the cache: no second upstream call', async () => {
    const p = stack.demo.projects.text.id;
    await stack.clearRequests();
    const first = await stack.gql<ListData>(LIST, { p });
    expect(first.body.errors).toBeUndefined();
    expect(countRootField(await stack.requests(), 'assets')).toBe(1);
    await stack.clearRequests();
    const second = await stack.gql<ListData>(LIST, { p });
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('x-bff-cache')).toBe('hit');
    expect(await stack.requests()).toEqual([]);
  });

  it('keeps warnings in cached responses', async () => {
    const query = 'query($p: ID!) { countAssets(projectId: $p, where: { consensusMarkGt: 0.5 }) }';
    const a = await stack.gql(query, { p: stack.demo.projects.text.id });
    const b = await stack.gql(query, { p: stack.demo.projects.text.id });
    expect(b.headers.get('x-bff-cache')).toBe('hit');
    expect(b.body.extensions?.warnings).toEqual(a.body.extensions?.warnings);
    expect(b.body.extensions?.warnings).toHaveLength(1);
  });

  it('never gives one credential another credential’s entry', async () => {
    const p = stack.demo.projects.text.id;
    await stack.gql<ListData>(LIST, { p }); // cached for the admin
    await stack.clearRequests();
    const labeler = await stack.gql<ListData>(LIST, { p }, { key: stack.demo.users.labeler.apiKey });
    expect(labeler.headers.get('x-bff-cache')).toBeNull();
    const log = await stack.requests();
    expect(countRootField(log, 'assets')).toBe(1);
    expect(new Set(log.map((r) => r.credentialHash)).size).toBe(1);
    // the outsider is not a member of the project: its own upstream answer, never the cached data
    const outsider = await stack.gql<ListData>(LIST, { p }, { key: stack.demo.users.outsider.apiKey });
    expect(outsider.headers.get('x-bff-cache')).toBeNull();
    expect(outsider.body.data?.assets ?? []).not.toEqual(labeler.body.data?.assets);
  });

  it('does not cache errors or mutations', async () => {
    await stack.setFaults([{ kind: 'graphqlError', nth: 1, rootField: 'countAssets' }]);
    const q = 'query($p: ID!) { countAssets(projectId: $p) }';
    const p = stack.demo.projects.image.id;
    const failed = await stack.gql(q, { p });
    await stack.clearFaults();
    expect(failed.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_ERROR');
    const ok = await stack.gql<{ countAssets: number }>(q, { p });
    expect(ok.headers.get('x-bff-cache')).toBeNull();
    expect(ok.body.data?.countAssets).toBe(stack.demo.projects.image.assetCount);
  });

  it('a mutation invalidates its project’s entries and by-id reads, not other projects’', async () => {
    const text = stack.demo.projects.text.id;
    const image = stack.demo.projects.image.id;
    const before = (await stack.gql<ListData>(LIST, { p: text })).body.data!;
    await stack.gql<ListData>(LIST, { p: image });
    const target = before.assets[0]!;
    await stack.gql(BY_ID, { id: target.id });
    expect((await stack.gql(BY_ID, { id: target.id })).headers.get('x-bff-cache')).toBe('hit');

    const mutation = await stack.gql(UPDATE, { p: text, id: target.id, priority: target.priority + 7 });
    expect(mutation.body.errors).toBeUndefined();
    await stack.clearRequests();

    const after = await stack.gql<ListData>(LIST, { p: text });
    expect(after.headers.get('x-bff-cache')).toBeNull();
    expect(after.body.data!.assets.find((a) => a.id === target.id)?.priority).toBe(target.priority + 7);
    const one = await stack.gql<{ asset: { priority: number } }>(BY_ID, { id: target.id });
    expect(one.headers.get('x-bff-cache')).toBeNull();
    expect(one.body.data?.asset.priority).toBe(target.priority + 7);
    expect((await stack.gql<ListData>(LIST, { p: image })).headers.get('x-bff-cache')).toBe('hit');
  });

  it('a mutation whose project is unknown invalidates everything', async () => {
    const image = stack.demo.projects.image.id;
    const list = (await stack.gql<ListData>(LIST, { p: image })).body.data!;
    expect((await stack.gql<ListData>(LIST, { p: image })).headers.get('x-bff-cache')).toBe('hit');
    await stack.gql(UPDATE, { p: null, id: list.assets[0]!.id, priority: 3 });
    // the outcome names the project (read from upstream) or not: either way the image list is invalidated
    const after = await stack.gql<ListData>(LIST, { p: image });
    expect(after.headers.get('x-bff-cache')).toBeNull();
    expect(after.body.data!.assets[0]!.priority).toBe(3);
  });
});

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL) console.warn('response-cache.test.ts: REDIS_URL is not set, skipping the two-replica response-cache test.');

describe.skipIf(!REDIS_URL)('response cache (redis, REDIS_URL set)', () => {
  it('two BFF instances share entries and invalidations', async () => {
    const env = {
      PORT: '0', HOST: '127.0.0.1', KILI_API_URL: stack.emulator.url, LOG_LEVEL: 'silent', CACHE_URL: REDIS_URL!,
      HASH_SECRET: `replicas-${Date.now()}-${Math.random()}`, JOB_SECRET: `response-cache-job-secret-${Date.now()}`,
      BULK_REDIS_PREFIX: `test:response-cache:${Date.now()}`, ...ENV, ...EXECUTOR_ENV,
    };
    const a = await createBffServer(loadConfig(env));
    const b = await createBffServer(loadConfig(env));
    const auth = { authorization: `X-API-Key: ${stack.key}` };
    try {
      const p = stack.demo.projects.text.id;
      const fromA = await gqlRequest<ListData>(a.url, LIST, { p }, auth);
      expect(fromA.body.errors).toBeUndefined();
      await stack.clearRequests();
      const fromB = await gqlRequest<ListData>(b.url, LIST, { p }, auth);
      expect(fromB.headers.get('x-bff-cache')).toBe('hit');
      expect(fromB.body).toEqual(fromA.body);
      expect(await stack.requests()).toEqual([]);

      const target = fromA.body.data!.assets[0]!;
      const up = await gqlRequest(b.url, UPDATE, { p, id: target.id, priority: target.priority + 1 }, auth);
      expect(up.body.errors).toBeUndefined();
      const again = await gqlRequest<ListData>(a.url, LIST, { p }, auth);
      expect(again.headers.get('x-bff-cache')).toBeNull();
      expect(again.body.data!.assets[0]!.priority).toBe(target.priority + 1);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

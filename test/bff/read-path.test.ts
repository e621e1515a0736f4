/** The read path against the emulator: projection, batching, pagination, introspection, isolation, faults. */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLoaders } from '../../src/loaders/index.js';
import { createBffServer } from '../../src/server.js';
import { createUpstreamClient } from '../../src/upstream/client.js';
import { createRateLimiter } from '../../src/upstream/rate-limit.js';
import { recordingClock } from '../helpers/clock.js';
import { countRootField, EXECUTOR_ENV, gqlRequest, startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;
let textIds: string[];
let imageIds: string[];

beforeAll(async () => {
  stack = await startStack();
  const ids = async (p: string) =>
    (await stack.gql<{ assets: { id: string }[] }>('query($p: ID!) { assets(projectId: $p, first: 1000) { id } }', { p })).body.data!.assets.map((a) => a.id);
  textIds = await ids(stack.demo.projects.text.id);
  imageIds = await ids(stack.demo.projects.image.id);
});
afterAll(() => stack.close());

/** Loaders over a real upstream client to the emulator, outside any HTTP request. */
function directLoaders() {
  const upstream = createUpstreamClient({
    url: stack.emulator.url,
    timeoutMs: 5000,
    deadlineMs: 10_000,
    retries: 0,
    backoffMs: 10,
    connections: 4,
    rateLimiter: createRateLimiter(100_000),
  });
  const loaders = createLoaders({ upstream, credential: () => ({ scheme: 'x-api-key', value: stack.key, hash: 'test' }) });
  return { upstream, loaders };
}

describe('projection pushdown', () => {
  it('asks upstream only for the selected fields', async () => {
    await stack.clearRequests();
    const { body } = await stack.gql('query($p: ID!) { assets(projectId: $p, first: 5) { id externalId labels { id } } }', { p: stack.demo.projects.text.id });
    expect(body.errors).toBeUndefined();
    const log = await stack.requests();
    expect(log).toHaveLength(1);
    expect(log[0]!.fields.assets!.sort()).toEqual(['externalId', 'id', 'labels.id']);
  });

  it('parses JSON-string fields and resolves aliases and nested authors', async () => {
    const { body } = await stack.gql<{ assets: { meta: unknown; labels: { jsonResponse: unknown; author: { email: string } | null }[] }[] }>(
      'query($p: ID!) { assets(projectId: $p, first: 50, where: { statusIn: [LABELED] }) { meta: jsonMetadata labels { jsonResponse author { email } } } }',
      { p: stack.demo.projects.text.id },
    );
    const asset = body.data!.assets[0]!;
    expect(typeof asset.meta).toBe('object');
    expect(typeof asset.labels[0]!.jsonResponse).toBe('object');
    expect(asset.labels[0]!.author?.email).toMatch(/@/);
  });
});

describe('JSON-string fields', () => {
  it('serves upstream JSON text as JSON values, written as the upstream wrote them; other text stays a string', async () => {
    const [a, b, c] = textIds as [string, string, string];
    const metadata: Record<string, string> = {
      [a]: '{"n": 12345678901234567890,  "list": [1, {"x": "\\u00e9\\"q"}]}',
      [c]: '"\ud83d\ude00 text"',
    };
    const upstream = await gqlRequest<{ data: Array<{ id: string }> }>(
      stack.emulator.url,
      'mutation ($w: [AssetWhere!]!, $d: [AssetData!]!) { data: updatePropertiesInAssets(where: $w, data: $d) { id } }',
      { w: [a, b, c].map((id) => ({ id })), d: [{ jsonMetadata: metadata[a] }, { jsonContent: 'https://example.com/not-json' }, { jsonMetadata: metadata[c] }] },
      { authorization: `X-API-Key: ${stack.key}` },
    );
    expect(upstream.body.errors).toBeUndefined();
    const response = await fetch(stack.bff.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `X-API-Key: ${stack.key}` },
      body: JSON.stringify({ query: 'query($p: ID!, $ids: [ID!]) { assets(projectId: $p, where: { assetIdIn: $ids }) { id jsonMetadata jsonContent } }', variables: { p: stack.demo.projects.text.id, ids: [a, b, c] } }),
    });
    const text = await response.text();
    expect(response.status).toBe(200);
    // The JSON text as the upstream holds it: spacing and the 20-digit number kept.
    expect(text).toContain(`"jsonMetadata":${metadata[a]}`);
    expect(text).toContain(`"jsonContent":"https://example.com/not-json"`);
    const byId = new Map((JSON.parse(text) as { data: { assets: Array<{ id: string; jsonMetadata: unknown; jsonContent: unknown }> } }).data.assets.map((x) => [x.id, x]));
    expect(byId.get(a)?.jsonMetadata).toEqual({ n: Number('12345678901234567890'), list: [1, { x: 'é"q' }] });
    expect(byId.get(b)?.jsonContent).toBe('https://example.com/not-json');
    expect(byId.get(c)?.jsonMetadata).toBe('😀 text');
  });
});

describe('batching', () => {
  it('250 asset(id:) aliases → 3 upstream assets calls', async () => {
    const ids = [...textIds, ...imageIds].slice(0, 250);
    expect(ids).toHaveLength(250);
    const query = `{ ${ids.map((id, i) => `a${i}: asset(id: "${id}") { id externalId }`).join(' ')} }`;
    await stack.clearRequests();
    const { body } = await stack.gql<Record<string, { id: string } | null>>(query);
    expect(body.errors).toBeUndefined();
    expect(Object.values(body.data!).map((a) => a?.id)).toEqual(ids);
    const log = await stack.requests();
    expect(countRootField(log, 'assets')).toBe(3);
    expect(log).toHaveLength(3);
  });

  it('aliases with different selections share one call with the union of fields', async () => {
    await stack.clearRequests();
    const { body } = await stack.gql(`{ a: asset(id: "${textIds[0]}") { externalId } b: asset(id: "${textIds[1]}") { status labels { id } } }`);
    expect(body.errors).toBeUndefined();
    const log = await stack.requests();
    expect(log).toHaveLength(1);
    expect(log[0]!.fields.assets!.sort()).toEqual(['externalId', 'id', 'labels.id', 'status']);
  });

  it('100 ids under two selections in one request → 1 upstream call with the union of fields', async () => {
    const ids = textIds.slice(0, 100);
    expect(ids).toHaveLength(100);
    const query = `{ ${ids.map((id, i) => `a${i}: asset(id: "${id}") { id externalId }`).join(' ')} ${ids.map((id, i) => `b${i}: asset(id: "${id}") { priority }`).join(' ')} }`;
    await stack.clearRequests();
    const { body } = await stack.gql<Record<string, { id?: string; priority?: number } | null>>(query);
    expect(body.errors).toBeUndefined();
    expect(ids.map((_, i) => body.data![`a${i}`]?.id)).toEqual(ids);
    expect(ids.every((_, i) => typeof body.data![`b${i}`]?.priority === 'number')).toBe(true);
    const log = await stack.requests();
    expect(countRootField(log, 'assets')).toBe(1);
    expect(log).toHaveLength(1);
    expect(log[0]!.fields.assets!.sort()).toEqual(['externalId', 'id', 'priority']);
  });

  it('an id already fetched with a narrower selection is fetched again with the wider one', async () => {
    const { upstream, loaders } = directLoaders();
    try {
      const known = await stack.gql<{ asset: { externalId: string } }>(`{ asset(id: "${textIds[0]}") { externalId } }`);
      await stack.clearRequests();
      const narrow = await loaders.loadAsset(textIds[0]!, { id: true });
      expect(narrow?.id).toBe(textIds[0]);
      const [wide, other] = await Promise.all([loaders.loadAsset(textIds[0]!, { externalId: true }), loaders.loadAsset(textIds[1]!, { priority: true })]);
      expect(wide?.externalId).toBe(known.body.data!.asset.externalId);
      expect(other?.id).toBe(textIds[1]);
      const log = await stack.requests();
      expect(countRootField(log, 'assets')).toBe(2);
      expect((log[1]!.variables as { where: { idIn: string[] } }).where.idIn.sort()).toEqual([textIds[0], textIds[1]].sort());
      expect(log[1]!.fields.assets!.sort()).toEqual(['externalId', 'id', 'priority']);
    } finally {
      await upstream.close();
    }
  });

  it('an _entities request with 150 Asset representations → 2 upstream calls', async () => {
    const representations = textIds.slice(0, 150).map((id) => ({ __typename: 'Asset', id }));
    await stack.clearRequests();
    const { body } = await stack.gql<{ _entities: { id: string; externalId: string }[] }>(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Asset { id externalId } } }',
      { r: representations },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!._entities.map((e) => e.id)).toEqual(textIds.slice(0, 150));
    expect(countRootField(await stack.requests(), 'assets')).toBe(2);
  });

  it('assets(first: 1000) → 10 page calls + 1 count, exactly 1000 distinct assets', async () => {
    const projectId = stack.demo.projects.image.id;
    await stack.seed(projectId, 1000, { externalIdPrefix: 'bulk-' });
    await stack.clearRequests();
    const { body } = await stack.gql<{ assets: { id: string }[] }>('query($p: ID!) { assets(projectId: $p, first: 1000) { id } }', { p: projectId });
    expect(body.errors).toBeUndefined();
    expect(new Set(body.data!.assets.map((a) => a.id)).size).toBe(1000);
    expect(body.data!.assets).toHaveLength(1000);
    const log = await stack.requests();
    expect(countRootField(log, 'assets')).toBe(10);
    expect(countRootField(log, 'countAssets')).toBe(1);
  });

  it('a paged read after assets were deleted returns what its own count calls for, not what the remembered one did', async () => {
    const projectId = await stack.control.createProject('count hints');
    const seeded = await stack.seed(projectId, 450, { externalIdPrefix: 'hint-' });
    const read = async () => {
      await stack.clearRequests();
      const { body } = await stack.gql<{ assets: { id: string }[] }>('query($p: ID!) { assets(projectId: $p, first: 1000) { id } }', { p: projectId });
      expect(body.errors).toBeUndefined();
      return { ids: body.data!.assets.map((a) => a.id), log: await stack.requests() };
    };
    const first = await read();
    expect(first.ids).toEqual(seeded);
    expect(countRootField(first.log, 'assets')).toBe(5);
    // The same read again (the count of 450 is remembered): the same assets, the same calls.
    const again = await read();
    expect(again.ids).toEqual(seeded);
    expect(countRootField(again.log, 'assets')).toBe(5);
    expect(countRootField(again.log, 'countAssets')).toBe(1);

    const deleted = await stack.gql('mutation($ids: [ID!]) { deleteManyFromDataset(assetIds: $ids) { verified } }', { ids: seeded.slice(150) });
    expect(deleted.body.errors).toBeUndefined();
    // 150 assets left; the pages the remembered count called for went out, and returned nothing past 150.
    const after = await read();
    expect(after.ids).toEqual(seeded.slice(0, 150));
    expect(countRootField(after.log, 'countAssets')).toBe(1);
    // At least the two pages the new count calls for; at most the five the remembered one did.
    const pages = countRootField(after.log, 'assets');
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(pages).toBeLessThanOrEqual(5);
  });

  it('an answer past 1 MB (written in parts) arrives whole, with its exact length', async () => {
    const projectId = await stack.control.createProject('large answer');
    const ids = await stack.seed(projectId, 2000, { externalIdPrefix: 'large-' });
    const fields = 'id externalId content createdAt status skipped isHoneypot jsonMetadata';
    const query = `query($p: ID!) { a: assets(projectId: $p, first: 2000) { ${fields} } b: assets(projectId: $p, first: 2000) { ${fields} } c: assets(projectId: $p, first: 2000) { ${fields} } }`;
    const response = await fetch(stack.bff.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `X-API-Key: ${stack.key}` },
      body: JSON.stringify({ query, variables: { p: projectId } }),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(response.status).toBe(200);
    expect(bytes.length).toBeGreaterThan(1024 * 1024);
    expect(Number(response.headers.get('content-length'))).toBe(bytes.length);
    const body = JSON.parse(bytes.toString('utf8')) as { data: Record<'a' | 'b' | 'c', Array<{ id: string; jsonMetadata: unknown }>> };
    expect(body.data.a.map((x) => x.id)).toEqual(ids);
    expect(body.data.b).toEqual(body.data.a);
    expect(body.data.c).toEqual(body.data.a);
    expect(bytes.at(-1)).toBe(10);
  });

  it('250 external ids → exactly 3 upstream assets calls, shared external ids all returned', async () => {
    const projectId = stack.demo.projects.image.id;
    const ids = await stack.seed(projectId, 250, { externalIdPrefix: 'lookup-' });
    const shared = await stack.seed(projectId, 2, { externalIdPrefix: 'lookup-' }); // lookup-0 and lookup-1 twice
    const { upstream, loaders } = directLoaders();
    try {
      await stack.clearRequests();
      const found = await loaders.assetIdByExternalId.loadMany(ids.map((_, i) => ({ projectId, externalId: `lookup-${i}` })));
      const log = await stack.requests();
      expect(countRootField(log, 'assets')).toBe(3);
      expect(log).toHaveLength(3);
      expect(found[0]).toEqual([ids[0], shared[0]]);
      expect(found[1]).toEqual([ids[1], shared[1]]);
      expect(found.slice(2)).toEqual(ids.slice(2).map((id) => [id]));
    } finally {
      await upstream.close();
    }
  });

  it('returns exactly min(first, available - skip) assets', async () => {
    const p = stack.demo.projects.text.id;
    const get = async (first: number, skip: number) =>
      (await stack.gql<{ assets: { id: string }[] }>('query($p: ID!, $f: Int, $s: Int) { assets(projectId: $p, first: $f, skip: $s) { id } }', { p, f: first, s: skip })).body.data!.assets.map((a) => a.id);
    expect(await get(5, 0)).toEqual(textIds.slice(0, 5));
    expect(await get(150, 100)).toEqual(textIds.slice(100, 250));
    expect(await get(0, 0)).toEqual([]);
    expect(await get(250, 0)).toEqual(textIds.slice(0, 250));
  });
});

describe('introspection', () => {
  const fields = async (includeDeprecated: boolean) =>
    (
      await stack.gql<{ __type: { inputFields: { name: string; isDeprecated: boolean; deprecationReason: string | null }[] } }>(
        `{ __type(name: "AssetWhere") { inputFields(includeDeprecated: ${includeDeprecated}) { name isDeprecated deprecationReason } } }`,
      )
    ).body.data!.__type.inputFields;

  it('hides the deprecated aliases by default and shows them with their reasons on request', async () => {
    const visible = (await fields(false)).map((f) => f.name);
    expect(visible.filter((n) => /(Gt|Lt)$/.test(n) || n === 'externalIdContains')).toEqual([]);
    expect(visible).toContain('consensusMarkGte');
    const all = await fields(true);
    const deprecated = all.filter((f) => f.isDeprecated);
    expect(deprecated.map((f) => f.name).sort()).toHaveLength(11);
    expect(deprecated.find((f) => f.name === 'consensusMarkGt')?.deprecationReason).toBe('Use consensusMarkGte.');
    expect(deprecated.find((f) => f.name === 'externalIdContains')?.deprecationReason).toBe('Use externalIdStrictlyIn.');
  });
});

describe('credentials', () => {
  it('two credentials in parallel requests never see each other’s data', async () => {
    const outsider = stack.demo.users.outsider.apiKey;
    const ids = textIds.slice(0, 20);
    const query = `{ ${ids.map((id, i) => `a${i}: asset(id: "${id}") { id }`).join(' ')} }`;
    const rounds = await Promise.all(
      Array.from({ length: 6 }, (_, i) => stack.gql<Record<string, { id: string } | null>>(query, undefined, { key: i % 2 ? outsider : stack.key })),
    );
    rounds.forEach((r, i) => {
      const values = Object.values(r.body.data!);
      if (i % 2) expect(values.every((v) => v === null)).toBe(true);
      else expect(values.map((v) => v?.id)).toEqual(ids);
    });
  });

  it('no credential → UNAUTHENTICATED, no upstream call', async () => {
    await stack.clearRequests();
    const r = await stack.gql(`{ asset(id: "${textIds[0]}") { id } }`, undefined, { key: null });
    expect(r.status).toBe(401);
    expect(r.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await stack.requests()).toEqual([]);
  });
});

describe('upstream faults', () => {
  const count = 'query($p: ID!) { countAssets(projectId: $p) }';

  it('503 then success → data', async () => {
    await stack.setFaults([{ kind: 'status', status: 503, nth: 1, rootField: 'countAssets' }]);
    await stack.clearRequests();
    const { body } = await stack.gql<{ countAssets: number }>(count, { p: stack.demo.projects.text.id });
    await stack.clearFaults();
    expect(body.data?.countAssets).toBe(stack.demo.projects.text.assetCount);
    const log = await stack.requests();
    expect(log).toHaveLength(2);
    expect(log[0]!.fault).toBe('status:503');
  });

  it('429 with Retry-After is honoured', async () => {
    // The BFF's upstream client on a virtual clock: the wait it asks for is recorded, not spent.
    const clock = recordingClock();
    const upstream = createUpstreamClient({
      url: stack.emulator.url, timeoutMs: 5000, deadlineMs: 10_000, retries: 4, backoffMs: 10, connections: 2, rateLimiter: createRateLimiter(100_000), clock,
    });
    const bff = await createBffServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', KILI_API_URL: stack.emulator.url, LOG_LEVEL: 'silent', ...EXECUTOR_ENV }), { upstream, skipWarmUp: true });
    try {
      await stack.setFaults([{ kind: 'rateLimit', retryAfterSeconds: 1, nth: 1, rootField: 'countAssets' }]);
      await stack.clearRequests();
      const { body } = await gqlRequest<{ countAssets: number }>(bff.url, count, { p: stack.demo.projects.text.id }, { authorization: `X-API-Key: ${stack.key}` });
      expect(body.data?.countAssets).toBe(stack.demo.projects.text.assetCount);
      const log = await stack.requests();
      expect(log.map((r) => r.fault ?? null)).toEqual(['rateLimit:1', null]);
      // Retry-After: 1 (second) replaces the jittered backoff (at most UPSTREAM_BACKOFF_MS = 10).
      expect(clock.sleeps).toEqual([1000]);
    } finally {
      await stack.clearFaults();
      await bff.close();
      await upstream.close();
    }
  });

  it('a hanging upstream → UPSTREAM_TIMEOUT within the configured deadline', async () => {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', KILI_API_URL: stack.emulator.url, LOG_LEVEL: 'silent', UPSTREAM_TIMEOUT_MS: '200', UPSTREAM_DEADLINE_MS: '600', UPSTREAM_BACKOFF_MS: '10', ...EXECUTOR_ENV });
    const bff = await createBffServer(config);
    try {
      await stack.setFaults([{ kind: 'hang', rootField: 'countAssets' }]);
      const { body } = await gqlRequest(bff.url, count, { p: stack.demo.projects.text.id }, { authorization: `X-API-Key: ${stack.key}` });
      expect(body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_TIMEOUT');
      expect(JSON.stringify(body)).not.toContain(stack.key);
    } finally {
      await stack.clearFaults();
      await bff.close();
    }
  });

  it('a client that disconnects: its upstream call is aborted and never retried', async () => {
    const lines: { requestId?: string; errors?: string[]; upstreamCalls?: number }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    // Without the abort, this BFF would retry the hanging call 4 times (300 ms each) before answering.
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', KILI_API_URL: stack.emulator.url, UPSTREAM_TIMEOUT_MS: '300', UPSTREAM_DEADLINE_MS: '20000', UPSTREAM_RETRIES: '4', UPSTREAM_BACKOFF_MS: '10', ...EXECUTOR_ENV });
    const bff = await createBffServer(config, { logger });
    const waitFor = async (condition: () => boolean | Promise<boolean>) => {
      for (let i = 0; i < 500 && !(await condition()); i++) await new Promise((r) => setTimeout(r, 20));
    };
    try {
      await stack.setFaults([{ kind: 'hang', rootField: 'countAssets' }]);
      await stack.clearRequests();
      const client = new AbortController();
      const pending = fetch(bff.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `X-API-Key: ${stack.key}`, 'x-request-id': 'client-gone-1' },
        body: JSON.stringify({ query: count, variables: { p: stack.demo.projects.text.id } }),
        signal: client.signal,
      }).catch((error: unknown) => error);
      await waitFor(async () => countRootField(await stack.requests(), 'countAssets') === 1);
      client.abort();
      expect(await pending).toBeInstanceOf(Error);
      await waitFor(() => lines.some((l) => l.requestId === 'client-gone-1'));
      const line = lines.find((l) => l.requestId === 'client-gone-1');
      expect(line).toMatchObject({ errors: ['CLIENT_CLOSED_REQUEST'], upstreamCalls: 1 });
      expect(countRootField(await stack.requests(), 'countAssets')).toBe(1);
    } finally {
      await stack.clearFaults();
      await bff.close();
    }
  });

  it('the start-up warm-up sends nothing authenticated upstream and logs no request', async () => {
    const lines: { msg?: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    await stack.clearRequests();
    const bff = await createBffServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', KILI_API_URL: stack.emulator.url, ...EXECUTOR_ENV }), { logger });
    await bff.close();
    const log = await stack.requests();
    // one credential-less `{ __typename }` that opens the pool's connection (refused before parsing: no root fields logged)
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ credentialHash: null, fields: {} });
    expect(lines.filter((l) => l.msg === 'graphql request')).toEqual([]);
  });

  it('an upstream GraphQL error is UPSTREAM_ERROR without the upstream message', async () => {
    await stack.setFaults([{ kind: 'graphqlError', message: 'internal detail xyz', nth: 1 }]);
    const { body } = await stack.gql(count, { p: stack.demo.projects.text.id });
    await stack.clearFaults();
    expect(body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_ERROR');
    expect(JSON.stringify(body)).not.toContain('internal detail xyz');
  });
});

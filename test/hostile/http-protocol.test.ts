/**
 * Hostile inputs, HTTP and protocol surface: each case states the bound it hits, and is answered
 * with its code, with no upstream call and no memory kept (heap after GC within the case's margin,
 * the case sent `REPEAT` times).
 */
import { createHash } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { MAX_LOGGED_CHARS } from '../../src/log.js';
import { MAX_SCHEMA_FIELDS, MAX_TYPE_FIELDS } from '../../src/plugins/limits/index.js';
import { createBffServer, type BffServer } from '../../src/server.js';
import { MiB, heapAfterGc } from '../helpers/heap.js';
import { startStack, type Stack } from '../helpers/stack.js';

const APQ_MAX_DOCUMENT_BYTES = 4096;
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { APQ_MAX_DOCUMENT_BYTES: String(APQ_MAX_DOCUMENT_BYTES) } });
});
afterAll(() => stack.close());

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface Answer {
  status: number;
  code: string | undefined;
}

/** POSTs a raw GraphQL body to the BFF (`key: null`: no credential). */
async function post(body: unknown, key: string | null = stack.key): Promise<Answer> {
  const response = await fetch(stack.bff.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `X-API-Key: ${key}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
  return { status: response.status, code: json.errors?.[0]?.extensions?.code };
}

/** Registers `query` as a persisted query, then asks for it by hash only. */
async function registerThenFetch(query: string, key: string | null): Promise<Answer> {
  const persistedQuery = { version: 1, sha256Hash: sha256(query) };
  await post({ query, extensions: { persistedQuery } }, key);
  return post({ extensions: { persistedQuery } }, key);
}

let unique = 0;
const next = () => ++unique;

interface Case {
  name: string;
  /** The limit or rule the input runs into. */
  bound: string;
  send: () => Promise<Answer>;
  status: number;
  code: string;
  /** Heap growth allowed after the case ran REPEAT times. */
  marginBytes: number;
}

const REPEAT = 40;

const CASES: Case[] = [
  {
    name: 'APQ hash that does not match the document',
    bound: 'the hash must be the SHA-256 of the document',
    send: () => post({ query: `{ __typename } # ${next()}`, extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } }),
    status: 400,
    code: 'BAD_REQUEST',
    marginBytes: 4 * MiB,
  },
  {
    name: 'persisted-query version 2',
    bound: 'only version 1 is supported',
    send: () => post({ query: '{ __typename }', extensions: { persistedQuery: { version: 2, sha256Hash: sha256('{ __typename }') } } }),
    status: 400,
    code: 'PERSISTED_QUERY_NOT_SUPPORTED',
    marginBytes: 4 * MiB,
  },
  {
    name: 'a subscription operation over HTTP',
    bound: 'queries and mutations only (subscriptions go over WebSocket)',
    send: () => post({ query: `subscription S${next()} { bulkOperation(id: "x") { id } }` }),
    status: 400,
    code: 'BAD_REQUEST',
    marginBytes: 4 * MiB,
  },
  {
    name: 'two `__schema` under aliases',
    bound: `at most ${MAX_SCHEMA_FIELDS} __schema per operation`,
    send: () => post({ query: `{ a${next()}: __schema { queryType { name } } b: __schema { queryType { name } } }` }, null),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
    marginBytes: 4 * MiB,
  },
  {
    name: '`__type` multiplied by fragment spreads',
    bound: `at most ${MAX_TYPE_FIELDS} __type per operation`,
    send: () =>
      post(
        {
          query: `query Q${next()} { ...F ...F ...F } fragment F on Query { ${Array.from({ length: 7 }, (_, i) => `t${i}: __type(name: "Asset") { name }`).join(' ')} }`,
        },
        null,
      ),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
    marginBytes: 4 * MiB,
  },
  {
    name: 'APQ registration without a credential',
    bound: 'registering a persisted query needs a credential',
    send: () => registerThenFetch(`{ __typename } # anonymous ${next()}`, null),
    status: 200,
    code: 'PERSISTED_QUERY_NOT_FOUND',
    marginBytes: 4 * MiB,
  },
  {
    name: 'APQ registration of a document larger than APQ_MAX_DOCUMENT_BYTES',
    bound: `documents of at most ${APQ_MAX_DOCUMENT_BYTES} bytes are stored`,
    send: () => registerThenFetch(`{ __typename } # ${next()} ${'x'.repeat(APQ_MAX_DOCUMENT_BYTES)}`, stack.key),
    status: 200,
    code: 'PERSISTED_QUERY_NOT_FOUND',
    marginBytes: 4 * MiB,
  },
];

describe('hostile HTTP and protocol inputs', () => {
  it.each(CASES)('$name → $code ($bound)', async ({ send, status, code, marginBytes }) => {
    await stack.clearRequests();
    expect(await send()).toEqual({ status, code });
    const before = await heapAfterGc();
    for (let i = 0; i < REPEAT; i++) expect(await send()).toEqual({ status, code });
    expect((await heapAfterGc()) - before).toBeLessThan(marginBytes);
    expect(await stack.requests()).toEqual([]);
  });

  it('a persisted query registered with a credential and within the size bound is served by hash', async () => {
    expect(await registerThenFetch(`{ __typename } # registered ${next()}`, stack.key)).toEqual({ status: 200, code: undefined });
  });

  it(`client-controlled strings are clipped to ${MAX_LOGGED_CHARS} characters in the log (a 200 KB operation name)`, async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', KILI_API_URL: stack.emulator.url });
    const bff: BffServer = await createBffServer(config, { logger, skipWarmUp: true });
    try {
      const name = `Op${'x'.repeat(200_000)}`;
      const response = await fetch(bff.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `query ${name} { __typename }` }) });
      expect(response.status).toBe(200);
      const line = lines.find((l) => l.msg === 'graphql request')!;
      expect(line.operation).toBe(`${name.slice(0, MAX_LOGGED_CHARS)}…[${name.length - MAX_LOGGED_CHARS} more chars]`);
      expect(JSON.stringify(line).length).toBeLessThan(1000);
    } finally {
      await bff.close();
    }
  });

  it('protocol mistakes are logged at info with their code, never as unexpected errors with stacks', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', KILI_API_URL: stack.emulator.url });
    const bff: BffServer = await createBffServer(config, { logger, skipWarmUp: true });
    const send = (body: unknown) => fetch(bff.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.status);
    try {
      expect(await send({ query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } })).toBe(400);
      expect(await send({ query: '{ __typename }', extensions: { persistedQuery: { version: 3, sha256Hash: sha256('{ __typename }') } } })).toBe(400);
      expect(await send({ query: 'subscription { bulkOperation(id: "x") { id } }' })).toBe(400);
      expect(lines.map((l) => [l.level, l.msg, l.errors])).toEqual([
        [30, 'graphql request', ['BAD_REQUEST']],
        [30, 'graphql request', ['PERSISTED_QUERY_NOT_SUPPORTED']],
        [30, 'graphql request', ['BAD_REQUEST']],
      ]);
    } finally {
      await bff.close();
    }
  });
});

describe('hostile keys: failed authentications', () => {
  const FAILURES_PER_MINUTE = 3;
  let bff: BffServer;
  beforeAll(async () => {
    const config = loadConfig({
      PORT: '0', HOST: '127.0.0.1', KILI_API_URL: stack.emulator.url, LOG_LEVEL: 'silent', AUTH_FAILURES_PER_MINUTE: String(FAILURES_PER_MINUTE),
    });
    bff = await createBffServer(config, { skipWarmUp: true });
  });
  afterAll(() => bff.close());

  const count = (key: string) =>
    fetch(bff.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `X-API-Key: ${key}` },
      body: JSON.stringify({ query: `{ countAssets(projectId: "${stack.demo.projects.text.id}") }` }),
    }).then(async (r) => ({ status: r.status, code: ((await r.json()) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code }));

  it('a rejected key is answered UNAUTHENTICATED again without asking the upstream (AUTH_NEGATIVE_TTL_MS)', async () => {
    await stack.clearRequests();
    expect(await count('made-up-key-1')).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await stack.requests()).toHaveLength(1);
    expect(await count('made-up-key-1')).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await stack.requests()).toHaveLength(1);
  });

  it(`after ${FAILURES_PER_MINUTE} rejected keys in a minute (AUTH_FAILURES_PER_MINUTE), the address gets RATE_LIMITED with no upstream call, and 500 more keys hold no memory`, async () => {
    // made-up-key-1 above was the first rejection of this address.
    await stack.clearRequests();
    expect(await count('made-up-key-2')).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await count('made-up-key-3')).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await stack.requests()).toHaveLength(2);
    await stack.clearRequests();
    const before = await heapAfterGc();
    for (let i = 0; i < 500; i++) expect(await count(`made-up-key-flood-${i}`)).toEqual({ status: 200, code: 'RATE_LIMITED' });
    expect((await heapAfterGc()) - before).toBeLessThan(4 * MiB);
    expect(await stack.requests()).toEqual([]);
  });
});

describe('the client address behind a proxy (TRUST_PROXY)', () => {
  const attempt = (bff: BffServer, key: string, forwardedFor: string) =>
    fetch(bff.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `X-API-Key: ${key}`, 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ query: `{ countAssets(projectId: "${stack.demo.projects.text.id}") }` }),
    }).then(async (r) => ((await r.json()) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code);

  it.each([
    ['loopback', ['UNAUTHENTICATED', 'RATE_LIMITED', 'UNAUTHENTICATED']],
    ['false', ['UNAUTHENTICATED', 'RATE_LIMITED', 'RATE_LIMITED']],
  ])('TRUST_PROXY=%s: rejected keys are counted per forwarded address only from a trusted proxy', async (trustProxy, codes) => {
    const config = loadConfig({
      PORT: '0', HOST: '127.0.0.1', KILI_API_URL: stack.emulator.url, LOG_LEVEL: 'silent', AUTH_FAILURES_PER_MINUTE: '1', TRUST_PROXY: trustProxy,
    });
    const bff = await createBffServer(config, { skipWarmUp: true });
    try {
      expect([
        await attempt(bff, `proxy-${trustProxy}-1`, '203.0.113.1'),
        await attempt(bff, `proxy-${trustProxy}-2`, '203.0.113.1'),
        await attempt(bff, `proxy-${trustProxy}-3`, '203.0.113.2'),
      ]).toEqual(codes);
    } finally {
      await bff.close();
    }
  });
});

describe('/metrics is not public when METRICS_PORT / METRICS_TOKEN are set', () => {
  it('METRICS_PORT moves /metrics off the API port; METRICS_TOKEN requires Authorization: Bearer', async () => {
    const config = loadConfig({
      PORT: '0', HOST: '127.0.0.1', KILI_API_URL: stack.emulator.url, LOG_LEVEL: 'silent', METRICS_PORT: '0', METRICS_TOKEN: 'metrics-secret',
    });
    const bff = await createBffServer(config, { skipWarmUp: true });
    try {
      expect((await fetch(`${bff.origin}/metrics`)).status).toBe(404);
      const metrics = `http://127.0.0.1:${bff.metricsPort}/metrics`;
      expect((await fetch(metrics)).status).toBe(401);
      expect((await fetch(metrics, { headers: { authorization: 'Bearer wrong-secret!' } })).status).toBe(401);
      const ok = await fetch(metrics, { headers: { authorization: 'Bearer metrics-secret' } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('# TYPE bff_graphql_request_duration_seconds histogram');
    } finally {
      await bff.close();
    }
  });

  it('without METRICS_PORT, METRICS_TOKEN guards /metrics on the API port', async () => {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', KILI_API_URL: stack.emulator.url, LOG_LEVEL: 'silent', METRICS_TOKEN: 'metrics-secret' });
    const bff = await createBffServer(config, { skipWarmUp: true });
    try {
      expect(bff.metricsPort).toBeNull();
      expect((await fetch(`${bff.origin}/metrics`)).status).toBe(401);
      expect((await fetch(`${bff.origin}/metrics`, { headers: { authorization: 'Bearer metrics-secret' } })).status).toBe(200);
    } finally {
      await bff.close();
    }
  });
});

/**
 * Every malformed /graphql request, over a real HTTP server: the HTTP status and `extensions.code`
 * Apollo Server 5 documents, exactly one log line carrying the request id, and one sample of the
 * request-duration histogram.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createBffServer, type BffServer } from '../../src/server.js';

type Line = { level: number; msg?: string; requestId?: string; status?: number; errors?: string[] };
const lines: Line[] = [];
let emulator: Emulator;
let bff: BffServer;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, log: () => {} });
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Line) });
  bff = await createBffServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', KILI_API_URL: emulator.url, MAX_TOKENS: '50' }), { logger });
});
afterAll(async () => {
  await bff?.close();
  await emulator?.close();
});

async function sampleCount(labels: string): Promise<number> {
  const text = await (await fetch(`${bff.origin}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`bff_graphql_request_duration_seconds_count{${labels}}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

const json = { 'content-type': 'application/json' };
const post = (body: string, headers: Record<string, string> = json) => ({ method: 'POST', headers, body });
const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }`;
const UNRESOLVED = 'operation="unknown",root_field="none",outcome="error"';

const cases: { name: string; init: { method: string; headers?: Record<string, string>; body?: string }; search?: string; status: number; code: string; metric: string }[] = [
  { name: 'syntax error', init: post('{"query":"{ countAssets("}'), status: 400, code: 'GRAPHQL_PARSE_FAILED', metric: UNRESOLVED },
  // 2 braces + 3 tokens per alias: 17 aliases are 53 tokens, over MAX_TOKENS=50
  { name: 'more tokens than MAX_TOKENS', init: post(JSON.stringify({ query: aliases(17) })), status: 400, code: 'GRAPHQL_PARSE_FAILED', metric: UNRESOLVED },
  { name: 'unknown field', init: post('{"query":"{ nope }"}'), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', metric: UNRESOLVED },
  {
    name: 'variable of the wrong type',
    init: post('{"query":"query($p: ID!) { countAssets(projectId: $p) }","variables":{"p":{"a":1}}}'),
    status: 400, code: 'BAD_USER_INPUT', metric: 'operation="query",root_field="countAssets",outcome="error"',
  },
  {
    name: 'missing required variable',
    init: post('{"query":"query($p: ID!) { countAssets(projectId: $p) }"}'),
    status: 400, code: 'BAD_USER_INPUT', metric: 'operation="query",root_field="countAssets",outcome="error"',
  },
  {
    name: 'unknown operation name',
    init: post('{"query":"query A { __typename }","operationName":"B"}'),
    status: 400, code: 'OPERATION_RESOLUTION_FAILURE', metric: UNRESOLVED,
  },
  { name: 'text/plain content type (CSRF prevention)', init: post('{"query":"{ __typename }"}', { 'content-type': 'text/plain' }), status: 400, code: 'BAD_REQUEST', metric: UNRESOLVED },
  { name: 'no content type', init: { method: 'POST', body: '{"query":"{ __typename }"}' }, status: 400, code: 'BAD_REQUEST', metric: UNRESOLVED },
  { name: 'invalid JSON', init: post('{"query":'), status: 400, code: 'BAD_REQUEST', metric: UNRESOLVED },
  { name: 'batched array body', init: post('[{"query":"{ __typename }"}]'), status: 400, code: 'BAD_REQUEST', metric: UNRESOLVED },
  { name: 'missing query', init: post('{}'), status: 400, code: 'BAD_REQUEST', metric: UNRESOLVED },
  { name: 'query that is not a string', init: post('{"query":5}'), status: 400, code: 'BAD_REQUEST', metric: UNRESOLVED },
  { name: 'variables as a string', init: post('{"query":"{ __typename }","variables":"{}"}'), status: 400, code: 'BAD_REQUEST', metric: UNRESOLVED },
  {
    name: 'mutation over GET',
    init: { method: 'GET', headers: { 'apollo-require-preflight': '1' } },
    search: `?query=${encodeURIComponent('mutation { deleteManyFromDataset(assetIds: ["x"]) { batches } }')}`,
    status: 405, code: 'BAD_REQUEST', metric: 'operation="mutation",root_field="deleteManyFromDataset",outcome="error"',
  },
];

describe('malformed requests', () => {
  it.each(cases.map((c, i) => ({ ...c, requestId: `malformed-${i}` })))('$name: $status $code, one log line, one metric sample', async (c) => {
    const before = await sampleCount(c.metric);
    const response = await fetch(`${bff.url}${c.search ?? ''}`, { ...c.init, headers: { ...c.init.headers, 'x-request-id': c.requestId } });
    const body = (await response.json()) as { data?: unknown; errors: { extensions: { code: string } }[] };
    expect(response.status).toBe(c.status);
    expect(body.errors.map((e) => e.extensions.code)).toEqual([c.code]);
    expect(body.data).toBeUndefined();
    if (c.status === 405) expect(response.headers.get('allow')).toBe('POST');
    // the log line is written when the response closes
    for (let i = 0; i < 50 && !lines.some((l) => l.requestId === c.requestId); i++) await new Promise((r) => setTimeout(r, 10));
    expect(lines.filter((l) => l.requestId === c.requestId)).toEqual([
      expect.objectContaining({ level: 30, msg: 'graphql request', requestId: c.requestId, status: c.status, errors: [c.code] }),
    ]);
    expect((await sampleCount(c.metric)) - before).toBe(1);
  });

  it('accepts a document of exactly MAX_TOKENS tokens', async () => {
    const response = await fetch(bff.url, post(JSON.stringify({ query: aliases(16) })));
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: Record<string, string> }).data.a15).toBe('Query');
  });

  it('logs and measures a well-formed request once', async () => {
    const before = await sampleCount('operation="query",root_field="__typename",outcome="ok"');
    const response = await fetch(bff.url, { ...post('{"query":"{ __typename }"}'), headers: { ...json, 'x-request-id': 'well-formed-1' } });
    expect(response.status).toBe(200);
    await response.text();
    for (let i = 0; i < 50 && !lines.some((l) => l.requestId === 'well-formed-1'); i++) await new Promise((r) => setTimeout(r, 10));
    expect(lines.filter((l) => l.requestId === 'well-formed-1')).toEqual([expect.objectContaining({ status: 200, msg: 'graphql request' })]);
    expect((await sampleCount('operation="query",root_field="__typename",outcome="ok"')) - before).toBe(1);
  });
});

/** The upstream client against a local stub HTTP server: retries, Retry-After, deadline, error mapping, credentials. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BffError } from '../../src/errors/index.js';
import { createUpstreamClient, decodeUtf8, type Credential, type PooledUpstreamClient } from '../../src/upstream/client.js';
import { parseCredential } from '../../src/upstream/credential.js';
import { createRateLimiter } from '../../src/upstream/rate-limit.js';
import { recordingClock } from '../helpers/clock.js';

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;
let server: Server;
let url: string;
let handler: Handler;
let calls: { n: number; auth: (string | undefined)[] };
const clients: PooledUpstreamClient[] = [];
const credential: Credential = { scheme: 'x-api-key', value: 'secret-key-1', hash: 'h1' };

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      calls.n++;
      calls.auth.push(req.headers.authorization);
      handler(req, res, calls.n);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/label/v2/graphql`;
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function client(overrides: Partial<Parameters<typeof createUpstreamClient>[0]> = {}) {
  calls = { n: 0, auth: [] };
  const c = createUpstreamClient({
    url, timeoutMs: 500, deadlineMs: 3000, retries: 4, backoffMs: 5, connections: 4,
    rateLimiter: createRateLimiter(10_000), ...overrides,
  });
  clients.push(c);
  return c;
}
const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};
const query = { query: '{ data: countAssets(where: {}) }', rootField: 'countAssets', kind: 'query' as const };
async function rejection(promise: Promise<unknown>): Promise<BffError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(BffError);
  return error as BffError;
}

describe('upstream client', () => {
  it('forwards the credential and resolves with data', async () => {
    handler = (_req, res) => send(res, 200, { data: { data: 7 } });
    await expect(client().execute(credential, query)).resolves.toEqual({ data: 7 });
    expect(calls.auth).toEqual(['X-API-Key: secret-key-1']);
    await client().execute({ scheme: 'bearer', value: 't', hash: 'h' }, query);
    expect(calls.auth).toEqual(['Bearer t']);
  });

  it('reads an answer sent in chunks, with UTF-8 text and a byte order mark', async () => {
    const text = 'Zoë, 日本語, 🎉, \u00e9t\u00e9';
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ data: { data: { text, pad: 'x'.repeat(200_000) } } }))]);
      // Split inside the multi-byte characters: the client decodes the whole body, not each chunk.
      res.write(bytes.subarray(0, 40));
      setTimeout(() => res.end(bytes.subarray(40)), 10);
    };
    const data = await client().execute<{ data: { text: string; pad: string } }>(credential, query);
    expect(data.data.text).toBe(text);
    expect(data.data.pad).toHaveLength(200_000);
  });

  it('stops an attempt in flight when the caller aborts: its reason, at once, the connection closed', async () => {
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    handler = (_req, res) => res.on('close', closed); // never answers
    const controller = new AbortController();
    const reason = new Error('client gone');
    setTimeout(() => controller.abort(reason), 50);
    const started = performance.now();
    await expect(client({ timeoutMs: 5000 }).execute(credential, query, controller.signal)).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(1000);
    await connectionClosed;
    expect(calls.n).toBe(1);
  });

  it('retries 503 then succeeds', async () => {
    handler = (_req, res, n) => (n < 3 ? send(res, 503, 'busy') : send(res, 200, { data: { data: 1 } }));
    await expect(client().execute(credential, query)).resolves.toEqual({ data: 1 });
    expect(calls.n).toBe(3);
  });

  it('honours Retry-After on 429', async () => {
    handler = (_req, res, n) => (n === 1 ? send(res, 429, { errors: [{ message: 'slow down' }] }, { 'retry-after': '1' }) : send(res, 200, { data: { data: 1 } }));
    const clock = recordingClock();
    await expect(client({ clock }).execute(credential, query)).resolves.toEqual({ data: 1 });
    expect(calls.n).toBe(2);
    // Retry-After: 1 (second) replaces the jittered backoff (at most backoffMs = 5).
    expect(clock.sleeps).toEqual([1000]);
  });

  it('maps a hang to UPSTREAM_TIMEOUT within the deadline', async () => {
    // Each hanging attempt uses up its 200 ms timeout of the 700 ms deadline (on the virtual
    // clock; the attempt's own timer is real). Three attempts and their backoffs (at most
    // 5 + 10 + 20 ms) leave 65 ms or more for a fourth, shorter attempt; then the deadline is past.
    const clock = recordingClock();
    handler = () => clock.advance(200);
    // Without the deadline this would hang until the test times out.
    const error = await rejection(client({ timeoutMs: 200, deadlineMs: 700, clock }).execute(credential, query));
    expect(error.extensions.code).toBe('UPSTREAM_TIMEOUT');
    expect(calls.n).toBe(4);
    expect(clock.sleeps).toHaveLength(3);
  });

  it('does not resend a non-idempotent mutation after a 5xx and flags the outcome unknown', async () => {
    handler = (_req, res) => send(res, 503, 'down');
    const error = await rejection(client().execute(credential, { query: 'mutation { x }', rootField: 'updatePropertiesInAssets', kind: 'mutation' }));
    expect(error.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 503 });
    expect(error.outcomeUnknown).toBe(true);
    expect(calls.n).toBe(1);
  });

  it('maps GraphQL errors and statuses without leaking upstream text or the key', async () => {
    handler = (_req, res) => send(res, 200, { data: null, errors: [{ message: 'db password is hunter2 for secret-key-1', extensions: { code: 'INTERNAL' } }] });
    const error = await rejection(client().execute(credential, query));
    expect(error.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', upstreamCode: 'INTERNAL' });
    expect(JSON.stringify({ m: error.message, e: error.extensions })).not.toMatch(/hunter2|secret-key-1/);
    expect(calls.n).toBe(1);

    handler = (_req, res) => send(res, 401, { data: null, errors: [{ message: 'bad key', extensions: { code: 'UNAUTHENTICATED' } }] });
    expect((await rejection(client().execute(credential, query))).extensions.code).toBe('UNAUTHENTICATED');
    handler = (_req, res) => send(res, 500, '<html>stack trace</html>');
    const e500 = await rejection(client().execute(credential, query));
    expect(e500.extensions.code).toBe('UPSTREAM_ERROR');
    expect(e500.message).not.toMatch(/stack/);
  });

  it('rate-limits per credential', async () => {
    handler = (_req, res) => send(res, 200, { data: { data: 1 } });
    const c = client({ rateLimiter: createRateLimiter(2) });
    await c.execute(credential, query);
    await c.execute(credential, query);
    const error = await rejection(c.execute(credential, query));
    expect(error.extensions.code).toBe('RATE_LIMITED');
    // The budget of 2 frees up when the 60 s window ends.
    expect(error.extensions.retryAfterMs).toBeGreaterThan(50_000);
    expect(error.extensions.retryAfterMs).toBeLessThanOrEqual(60_000);
    await expect(c.execute({ ...credential, hash: 'other' }, query)).resolves.toEqual({ data: 1 });
    expect(calls.n).toBe(3);
  });

  it('waits for the rate-limit budget when it frees up within the deadline', async () => {
    handler = (_req, res) => send(res, 200, { data: { data: 1 } });
    const clock = recordingClock('real');
    const c = client({ deadlineMs: 3000, rateLimiter: createRateLimiter(2, undefined, 1, clock) });
    await c.execute(credential, query);
    await c.execute(credential, query);
    await expect(c.execute(credential, query)).resolves.toEqual({ data: 1 });
    // One wait, for what was left of the 1 s window.
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThan(0);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(1000);
    expect(calls.n).toBe(3);
  });

  it('a rate-limit wait longer than the deadline is RATE_LIMITED at once; a wait is aborted by the signal', async () => {
    handler = (_req, res) => send(res, 200, { data: { data: 1 } });
    const clock = recordingClock('real');
    const short = client({ deadlineMs: 300, timeoutMs: 300, rateLimiter: createRateLimiter(1, undefined, 2, clock) });
    await short.execute(credential, query);
    const error = await rejection(short.execute(credential, query));
    expect(error.extensions.code).toBe('RATE_LIMITED');
    expect(error.extensions.retryAfterMs).toBeGreaterThan(300);
    expect(error.extensions.retryAfterMs).toBeLessThanOrEqual(2000);
    expect(clock.sleeps).toEqual([]);

    const long = client({ deadlineMs: 5000, rateLimiter: createRateLimiter(1, undefined, 2) });
    await long.execute(credential, query);
    const controller = new AbortController();
    const pending = long.execute(credential, query, controller.signal);
    setTimeout(() => controller.abort(new Error('client went away')), 50);
    await expect(pending).rejects.toThrow('client went away');
    expect(calls.n).toBe(1);
  });

  it('maps a refused connection to UPSTREAM_UNAVAILABLE', async () => {
    const c = client({ url: 'http://127.0.0.1:1/graphql', retries: 1 });
    expect((await rejection(c.execute(credential, query))).extensions.code).toBe('UPSTREAM_UNAVAILABLE');
  });
});

describe('decodeUtf8', () => {
  it('decodes ASCII and UTF-8 alike and drops a leading byte order mark only', () => {
    expect(decodeUtf8(Buffer.from('{"a":"plain"}'))).toBe('{"a":"plain"}');
    expect(decodeUtf8(Buffer.from('{"a":"ünïcødé ✓"}'))).toBe('{"a":"ünïcødé ✓"}');
    expect(decodeUtf8(Buffer.from('\ufeff{"a":1}'))).toBe('{"a":1}');
    expect(decodeUtf8(Buffer.from('{"a":"\ufeff"}'))).toBe('{"a":"\ufeff"}');
    expect(decodeUtf8(Buffer.from([0xef, 0xbb]))).toBe('\ufffd');
    expect(decodeUtf8(Buffer.alloc(0))).toBe('');
  });
});

describe('parseCredential', () => {
  it('reads the three accepted forms and hashes with the secret', () => {
    const a = parseCredential({ authorization: 'X-API-Key: k1' }, 's');
    const b = parseCredential({ authorization: 'Bearer k1' }, 's');
    const c = parseCredential({ 'x-api-key': 'k1' }, 's');
    expect(a).toMatchObject({ scheme: 'x-api-key', value: 'k1' });
    expect(b).toMatchObject({ scheme: 'bearer', value: 'k1' });
    expect(c).toMatchObject({ scheme: 'x-api-key', value: 'k1' });
    expect(a!.hash).toBe(c!.hash);
    expect(a!.hash).not.toContain('k1');
    expect(parseCredential({ 'x-api-key': 'k1' }, 'other')!.hash).not.toBe(a!.hash);
    expect(parseCredential({}, 's')).toBeNull();
    expect(parseCredential({ authorization: 'Basic abc' }, 's')).toBeNull();
  });
});

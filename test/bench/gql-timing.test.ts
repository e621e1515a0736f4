/**
 * The bench client's answer phases (`postGraphQL`'s `timing`): headers, last byte and parse, in
 * that order, each counted from the request, so that the large read can tell the server's time
 * from the client's receiving and parsing of a large answer.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeHttp, dataOf, postGraphQL } from '../../bench/gql.js';

const BODY_DELAY_MS = 100;
let server: Server;
let url: string;

beforeAll(async () => {
  // Headers at once, the body after BODY_DELAY_MS: the delay belongs to receiving the body.
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      setTimeout(() => res.end(JSON.stringify({ data: { assets: [{ id: 'a1' }, { id: 'a2' }] } })), BODY_DELAY_MS);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  await closeHttp();
  await new Promise((resolve) => server.close(resolve));
});

describe('postGraphQL timing', () => {
  it('records when the headers, the last byte and the parsed answer were in, in that order', async () => {
    const res = await postGraphQL<{ assets: Array<{ id: string }> }>(url, {}, '{ assets { id } }');
    expect(dataOf(res)).toEqual({ assets: [{ id: 'a1' }, { id: 'a2' }] });
    const { headersMs, bodyMs, parsedMs } = res.timing;
    expect(headersMs).toBeGreaterThan(0);
    expect(bodyMs).toBeGreaterThan(headersMs);
    expect(parsedMs).toBeGreaterThanOrEqual(bodyMs);
    // The body's delay is counted as receiving it, not as waiting for the headers (half of it at
    // least, whatever the machine's load delays).
    expect(bodyMs - headersMs).toBeGreaterThanOrEqual(BODY_DELAY_MS / 2);
  });
});

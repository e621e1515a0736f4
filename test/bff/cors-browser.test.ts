/**
 * CORS in a real browser: a page served on a second origin calls the BFF with `fetch`, sending
 * every header Apollo Client, urql, Relay, OpenTelemetry and Sentry add (and one configured through
 * CORS_ALLOW_HEADERS), and reads the exposed `x-request-id` and `x-bff-cache`. Without a Chromium
 * the test skips with a message saying how to run it; in CI (`CI` set) that is a failure
 * (test/helpers/browser.ts).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, requireChromium } from '../helpers/browser.js';
import { startStack, type Stack } from '../helpers/stack.js';

const chromiumPath = requireChromium('cors-browser.test.ts');

/** A blank page on its own origin (http://localhost:<port>): the caller's page. */
async function pageServer(): Promise<{ origin: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>frontend</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://localhost:${(server.address() as AddressInfo).port}`, server };
}

interface FetchResult {
  ok: boolean;
  status?: number;
  body?: unknown;
  requestId?: string | null;
  cache?: string | null;
  error?: string;
}

/** Runs `fetch(url)` inside the page (so the browser applies CORS) and reads the exposed headers. */
function browserFetch(page: Page, url: string, headers: Record<string, string>, body: unknown): Promise<FetchResult> {
  return page.evaluate(
    async ({ url, headers, body }) => {
      try {
        const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
        return { ok: true, status: response.status, body: await response.json(), requestId: response.headers.get('x-request-id'), cache: response.headers.get('x-bff-cache') };
      } catch (error) {
        return { ok: false, error: String(error) };
      }
    },
    { url, headers, body },
  );
}

describe.skipIf(!chromiumPath)('CORS from a browser page on another origin', () => {
  let stack: Stack;
  let browser: Browser;
  let allowed: { origin: string; server: Server };
  let other: { origin: string; server: Server };
  let query: { query: string; variables: Record<string, unknown> };

  beforeAll(async () => {
    [allowed, other] = await Promise.all([pageServer(), pageServer()]);
    stack = await startStack({ env: { CORS_ORIGINS: allowed.origin, CORS_ALLOW_HEADERS: 'X-Tenant-Id', RESPONSE_CACHE_TTL_MS: '60000' } });
    query = { query: 'query CorsCount($p: ID!) { countAssets(projectId: $p) }', variables: { p: stack.demo.projects.text.id } };
    browser = await launchChromium(chromiumPath!);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    allowed?.server.close();
    other?.server.close();
  });

  const clientHeaders = (key: string, requestId: string) => ({
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
    authorization: `X-API-Key: ${key}`,
    'x-api-key': key,
    'apollographql-client-name': 'asset-dashboard',
    'apollographql-client-version': '1.4.2',
    'x-apollo-operation-name': 'CorsCount',
    'apollo-require-preflight': 'true',
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    tracestate: 'vendor=opaque',
    baggage: 'sentry-environment=test,userId=alice',
    'sentry-trace': '4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1',
    'idempotency-key': `cors-${requestId}`,
    'x-request-id': requestId,
    'x-tenant-id': 'acme',
  });

  async function pageAt(origin: string): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(origin);
    return page;
  }

  it('lets the page send every client and tracing header and read x-request-id and x-bff-cache', async () => {
    const page = await pageAt(allowed.origin);
    const first = await browserFetch(page, stack.bff.url, clientHeaders(stack.key, 'cors-1'), query);
    expect(first).toEqual({ ok: true, status: 200, body: { data: { countAssets: 200 } }, requestId: 'cors-1', cache: null });
    const second = await browserFetch(page, stack.bff.url, clientHeaders(stack.key, 'cors-2'), query);
    expect(second).toEqual({ ok: true, status: 200, body: { data: { countAssets: 200 } }, requestId: 'cors-2', cache: 'hit' });
    await page.close();
  });

  it('refuses a header outside the allowed list, and a page on an origin not in CORS_ORIGINS', async () => {
    const page = await pageAt(allowed.origin);
    const unlisted = await browserFetch(page, stack.bff.url, { ...clientHeaders(stack.key, 'cors-3'), 'x-unlisted': '1' }, query);
    expect(unlisted).toEqual({ ok: false, error: 'TypeError: Failed to fetch' });
    await page.close();
    const foreign = await pageAt(other.origin);
    expect(await browserFetch(foreign, stack.bff.url, clientHeaders(stack.key, 'cors-4'), query)).toEqual({ ok: false, error: 'TypeError: Failed to fetch' });
    await foreign.close();
  });
});

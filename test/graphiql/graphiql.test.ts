/**
 * Offline GraphiQL, end to end: the built assets (scripts/ensure-graphiql.mjs, which rebuilds
 * public/graphiql/ when it is missing or stale), the router (src/http/graphiql.ts) as the real
 * BFF mounts it, over the Kili emulator, and a real Chromium that loads the page, runs an `assets`
 * query on the demo TEXT project and must never leave 127.0.0.1, and shows the deprecated filter
 * aliases (no error marker in the editor, listed as deprecated in the docs). Without Chromium the
 * browser part skips (test/helpers/browser.ts; CHROMIUM_PATH=/path/to/chromium to name one).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, ConsoleMessage, Request as PwRequest } from 'playwright-core';
import { launchChromium, requireChromium } from '../helpers/browser.js';
import { emulatorCredentialHash, startBareRouter, startGraphiqlTarget } from './target.js';
import type { GraphiqlTarget } from './target.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const ASSETS_DIR = join(ROOT, 'public', 'graphiql');
const ARTIFACTS = join(ROOT, 'test-artifacts');
const chromiumPath = requireChromium('graphiql.test.ts');

interface Manifest {
  script: string;
  style: string;
  workers: Record<'editor' | 'json' | 'graphql', string>;
}

let target: GraphiqlTarget;
let manifest: Manifest;

beforeAll(async () => {
  // Builds public/graphiql/ when it is missing or older than its sources.
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'ensure-graphiql.mjs')], { cwd: ROOT, stdio: 'inherit' });
  target = await startGraphiqlTarget();
  manifest = JSON.parse(readFileSync(join(ASSETS_DIR, 'manifest.json'), 'utf8')) as Manifest;
});

afterAll(async () => {
  await target?.close();
});

describe('graphiqlRouter over HTTP', () => {
  it('serves the page to browsers with a strict CSP and the config as inert JSON', async () => {
    const res = await fetch(`${target.origin}${target.endpoint}`, { headers: { accept: 'text/html,*/*;q=0.8' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("worker-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    const html = await res.text();
    expect(html).toContain(`src="/graphiql/${manifest.script}"`);
    expect(html).toContain(`href="/graphiql/${manifest.style}"`);
    const config = /<script type="application\/json" id="graphiql-config">(.*?)<\/script>/s.exec(html)?.[1];
    expect(JSON.parse(config ?? 'null')).toMatchObject({
      endpoint: '/graphql',
      headers: { Authorization: `X-API-Key: ${target.apiKey}` },
      query: expect.stringContaining(target.projectId),
    });
    expect(html.match(/<script/g)).toHaveLength(2); // the JSON block and the app module, nothing inline
  });

  it('embeds hostile config values as data that cannot close the script block', async () => {
    const defaultQuery = '# </script><script>alert(1)</script> <!-- \u2028 & "quotes"\n{ __typename }';
    const defaultHeaders = { Authorization: 'X-API-Key: </SCRIPT>' };
    const bare = await startBareRouter({ assetsDir: ASSETS_DIR, defaultQuery, defaultHeaders });
    try {
      const html = await (await fetch(`${bare.origin}/graphql`, { headers: { accept: 'text/html' } })).text();
      expect(html.match(/<\/script>/gi)).toHaveLength(2);
      expect(html).not.toContain('<!--');
      const config = /id="graphiql-config">(.*?)<\/script>/s.exec(html)?.[1];
      expect(JSON.parse(config ?? 'null')).toEqual({ endpoint: '/graphql', headers: defaultHeaders, query: defaultQuery });
    } finally {
      await bare.close();
    }
  });

  it('leaves GraphQL GET and POST requests to Apollo', async () => {
    const get = await fetch(`${target.origin}${target.endpoint}?query=${encodeURIComponent('{__typename}')}`, {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    expect(get.status).toBe(200);
    expect(await get.json()).toMatchObject({ data: { __typename: 'Query' } });
    const post = await fetch(`${target.origin}${target.endpoint}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/html, application/json' },
      body: JSON.stringify({ query: '{__typename}' }),
    });
    expect(await post.json()).toMatchObject({ data: { __typename: 'Query' } });
  });

  it('serves assets precompressed and cacheable forever, and nothing outside the build', async () => {
    const url = `${target.origin}/graphiql/${manifest.script}`;
    for (const [accept, encoding] of [['br, gzip', 'br'], ['gzip', 'gzip'], ['identity', null]] as const) {
      const res = await fetch(url, { headers: { 'accept-encoding': accept } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBe(encoding);
      expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('vary')).toMatch(/Accept-Encoding/i);
      await res.arrayBuffer();
    }
    for (const path of ['/graphiql/nope.js', '/graphiql/%2e%2e/package.json', `/graphiql/${manifest.script}.br`]) {
      expect((await fetch(`${target.origin}${path}`)).status).toBe(404);
    }
  });

  it('answers 503 with the build command when the assets are missing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'graphiql-empty-'));
    const bare = await startBareRouter({ assetsDir: empty });
    try {
      const res = await fetch(`${bare.origin}/graphql`, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('npm run build');
    } finally {
      await bare.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!chromiumPath)('GraphiQL in Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium(chromiumPath!);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('runs an assets query offline, with its Monaco workers loaded from the BFF', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const requests: string[] = [];
    const failures: string[] = [];
    const problems: string[] = [];
    const offsite: string[] = [];
    // Anything not for this origin is recorded and never sent.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${target.origin}/`)) return route.continue();
      offsite.push(url);
      return route.abort('blockedbyclient');
    });
    context.on('request', (req: PwRequest) => requests.push(req.url()));
    context.on('requestfailed', (req: PwRequest) => failures.push(`${req.url()}: ${req.failure()?.errorText}`));
    context.on('response', (res) => {
      if (res.status() >= 400) failures.push(`${res.url()}: HTTP ${res.status()}`);
    });
    page.on('console', (msg: ConsoleMessage) => {
      if (msg.type() === 'error' || /Content Security Policy/i.test(msg.text())) problems.push(msg.text());
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));

    // The asset the query below must show, asked of the BFF directly.
    const direct = await fetch(`${target.origin}${target.endpoint}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `X-API-Key: ${target.apiKey}` },
      body: JSON.stringify({ query: `{ assets(projectId: "${target.projectId}", first: 1) { id externalId } }` }),
    });
    const [expected] = ((await direct.json()) as { data: { assets: { id: string; externalId: string }[] } }).data.assets;
    expect(expected?.id).toMatch(/^\S+$/);

    await page.goto(`${target.origin}${target.endpoint}`);
    const queryEditor = page.locator('.graphiql-query-editor .monaco-editor').first();
    await queryEditor.waitFor({ state: 'visible' });
    // Replace the default operation with our own, then run it with the keyboard shortcut.
    await queryEditor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    // One line: Monaco would auto-indent and auto-close braces after each inserted newline.
    await page.keyboard.insertText(`query RunFromTest { assets(projectId: "${target.projectId}", first: 1) { id externalId } }`);
    // GraphiQL parses the operation (and names the tab after it) asynchronously: go on only then.
    await page.locator('.graphiql-tab-active', { hasText: 'RunFromTest' }).waitFor();
    await page.getByRole('button', { name: /prettify/i }).click(); // lays the query out on lines
    await expect.poll(() => queryEditor.locator('.view-line').count()).toBeGreaterThan(3);
    await queryEditor.click();
    await page.keyboard.press('ControlOrMeta+Enter');

    const response = page.locator('.graphiql-response');
    await expect.poll(() => response.innerText(), { timeout: 30_000 }).toContain(expected.id);
    expect(await response.innerText()).toContain(expected.externalId);
    // GraphQL workers start lazily; wait until all three have been created.
    await expect.poll(() => page.workers().map((w) => w.url()).sort(), { timeout: 30_000 }).toEqual(
      Object.values(manifest.workers).map((file) => `${target.origin}/graphiql/${file}`).sort(),
    );
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'graphiql.png') });
    await context.close();

    expect(offsite).toEqual([]);
    expect(requests.filter((url) => !url.startsWith(`${target.origin}/`) && !/^(data|blob):/.test(url))).toEqual([]);
    expect(requests).toContain(`${target.origin}/graphiql/${manifest.style}`);
    expect(requests.some((url) => url.startsWith(`${target.origin}/graphiql/fonts/`))).toBe(true);
    // The pre-filled header went from GraphiQL through the BFF to the upstream.
    expect(await target.upstreamCredentialHashes()).toContain(emulatorCredentialHash(target.apiKey));
    expect(failures).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('accepts a deprecated filter alias in the editor and lists it as deprecated in the docs', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const introspections: string[] = [];
    page.on('request', (req) => {
      const body = req.postData() ?? '';
      if (body.includes('__schema')) introspections.push(body);
    });
    await page.goto(`${target.origin}${target.endpoint}`);
    const queryEditor = page.locator('.graphiql-query-editor .monaco-editor').first();
    await queryEditor.waitFor({ state: 'visible' });
    await queryEditor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(`query WithAlias { countAssets(projectId: "${target.projectId}", where: { consensusMarkGt: 0.5 }) }`);
    await page.locator('.graphiql-tab-active', { hasText: 'WithAlias' }).waitFor();
    // Once the editor has validated the operation against the schema, the alias carries a
    // deprecation warning and nothing is marked as an error.
    await queryEditor.locator('.squiggly-warning, .squiggly-error').first().waitFor({ timeout: 30_000 });
    expect(await queryEditor.locator('.squiggly-error').count()).toBe(0);
    expect(await queryEditor.locator('.squiggly-warning').count()).toBe(1);
    expect(introspections.length).toBeGreaterThan(0);
    for (const body of introspections) expect(body).toContain('inputFields(includeDeprecated: true)');

    await page.getByRole('button', { name: /show documentation explorer/i }).click();
    await page.locator('.graphiql-doc-explorer a', { hasText: /^AssetWhere$/ }).first().click();
    await page.getByRole('button', { name: 'Show Deprecated Fields' }).click();
    const deprecated = page.locator('.graphiql-doc-explorer-section-title', { hasText: 'Deprecated Fields' }).locator('xpath=..');
    const listed = await deprecated.innerText();
    expect(listed.split('\n').filter((line) => /^\w+: /.test(line))).toEqual([
      'consensusMarkGt: Float', 'consensusMarkLt: Float', 'honeypotMarkGt: Float', 'honeypotMarkLt: Float',
      'labelConsensusMarkGt: Float', 'labelConsensusMarkLt: Float', 'labelHoneypotMarkGt: Float', 'labelHoneypotMarkLt: Float',
      'labelCreatedAtGt: DateTime', 'labelCreatedAtLt: DateTime', 'externalIdContains: [String!]',
    ]);
    expect(listed).toContain('consensusMarkGt: Float\n\nSame as consensusMarkGte: inclusive, as in the Kili SDK (not a strict bound).\n\nDeprecated\n\nUse consensusMarkGte.');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'graphiql-deprecated.png') });
    await context.close();
  });

  it('runs a bulkOperation subscription over WebSocket, with the Headers tab sent as connectionParams', async () => {
    // An operation to follow: a small async update started over HTTP with the same key.
    const post = (query: string, variables: Record<string, unknown>) =>
      fetch(`${target.origin}${target.endpoint}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `X-API-Key: ${target.apiKey}` },
        body: JSON.stringify({ query, variables }),
      }).then((r) => r.json() as Promise<{ data: Record<string, unknown> }>);
    const listed = await post('query ($p: ID!) { assets(projectId: $p, first: 3) { id } }', { p: target.projectId });
    const ids = (listed.data.assets as { id: string }[]).map((a) => a.id);
    const started = await post('mutation ($a: [AssetPropertiesInput!]!) { updatePropertiesInAssets(assets: $a, async: true) { operation { id } } }', {
      a: ids.map((id) => ({ id, priority: 2 })),
    });
    const operationId = (started.data.updatePropertiesInAssets as { operation: { id: string } }).operation.id;

    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(`${target.origin}${target.endpoint}`);
    const queryEditor = page.locator('.graphiql-query-editor .monaco-editor').first();
    await queryEditor.waitFor({ state: 'visible' });
    await queryEditor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(`subscription Follow { bulkOperation(id: "${operationId}") { id status total } }`);
    await page.locator('.graphiql-tab-active', { hasText: 'Follow' }).waitFor();
    await queryEditor.click();
    await page.keyboard.press('ControlOrMeta+Enter');
    const response = page.locator('.graphiql-response');
    await expect.poll(() => response.innerText(), { timeout: 30_000 }).toContain('COMPLETED');
    expect(await response.innerText()).toContain(operationId);
    expect(sockets).toEqual([`${target.origin.replace('http', 'ws')}${target.endpoint}`]);
    await context.close();
  });
});

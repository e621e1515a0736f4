/**
 * Offline GraphiQL for the BFF (internal HTTP module; owned with src/graphiql-app/ and
 * scripts/build-graphiql.mjs).
 *
 * `graphiqlRouter()` answers a browser's `GET <endpoint>` (one that prefers text/html) with the
 * GraphiQL page, and leaves every other request to the next handler, so Apollo still serves
 * GraphQL over GET and POST on the same path. The page loads only what `npm run build` wrote to
 * public/graphiql/ (app bundle, CSS, fonts, Monaco workers), served here under /graphiql/
 * precompressed (brotli or gzip, chosen from Accept-Encoding) and cacheable forever (every file
 * name carries a content hash). Nothing is loaded from a CDN: the page works air-gapped, and its
 * Content-Security-Policy allows only this origin. Without a build, the page answers 503.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { Request, Response, Router } from 'express';

export interface GraphiqlRouterOptions {
  /** Path of the GraphQL endpoint, e.g. '/graphql'; the page is served on the same path. */
  endpoint: string;
  /** Request headers pre-filled in GraphiQL's headers editor, e.g. `{ Authorization: 'X-API-Key: …' }`. */
  defaultHeaders?: Record<string, string>;
  /** Operation shown in a new tab. @default a short `assets` example */
  defaultQuery?: string;
  /** Directory written by scripts/build-graphiql.mjs. @default public/graphiql in the package root (nearest package.json) */
  assetsDir?: string;
}

/** public/graphiql/manifest.json, as written by scripts/build-graphiql.mjs. */
interface Manifest {
  graphiqlVersion: string;
  script: string;
  style: string;
  files: Record<string, { size: number; encodings: Partial<Record<'br' | 'gzip', { file: string; size: number }>> }>;
}

/** URL prefix of the built assets (fixed: the app resolves its workers relative to its own URL). */
export const GRAPHIQL_ASSETS_PATH = '/graphiql';

/** <package root>/public/graphiql, from src/http/ (tsx) as from dist/src/http/ (compiled). */
function defaultAssetsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'public', 'graphiql');
}
const DEFAULT_QUERY = `# Welcome to the Kili Asset BFF. Set your project id and run (Ctrl+Enter).
query Assets {
  assets(projectId: "YOUR_PROJECT_ID", first: 10) {
    id
  }
}
`;
const IMMUTABLE = 'public, max-age=31536000, immutable';
const GRAPHQL_TYPES = ['application/graphql-response+json', 'application/json', 'text/html'];

/** JSON that is safe inside a <script> element: no `</script>`, no `<!--`, no U+2028/2029. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeAttribute(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Loads the manifest, re-reading it when the build replaced it; null while there is no build. */
function manifestLoader(assetsDir: string): () => Manifest | null {
  const path = join(assetsDir, 'manifest.json');
  let cached: { mtimeMs: number; manifest: Manifest } | null = null;
  return () => {
    const mtimeMs = statSync(path, { throwIfNoEntry: false })?.mtimeMs;
    if (mtimeMs === undefined) return (cached = null);
    if (cached?.mtimeMs !== mtimeMs) {
      try {
        cached = { mtimeMs, manifest: JSON.parse(readFileSync(path, 'utf8')) as Manifest };
      } catch {
        return null; // being replaced right now: answer 503 once rather than fail
      }
    }
    return cached.manifest;
  };
}

function renderPage(manifest: Manifest, configJson: string): string {
  const asset = (name: string) => escapeAttribute(`${GRAPHIQL_ASSETS_PATH}/${name}`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>GraphiQL · Kili Asset BFF</title>
<link rel="stylesheet" href="${asset(manifest.style)}">
<link rel="stylesheet" href="${asset('page.css')}">
<script type="application/json" id="graphiql-config">${configJson}</script>
<script type="module" src="${asset(manifest.script)}"></script>
</head>
<body><div id="graphiql">Loading GraphiQL…</div></body>
</html>
`;
}

/**
 * Content-Security-Policy of the page: scripts, workers, fonts, images and fetches from this
 * origin only. Styles also need 'unsafe-inline': Monaco adds <style> elements at run time and
 * has no nonce support; scripts stay strict (the config block is JSON, never executed).
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Tiny page stylesheet (kept out of the HTML so no inline style is needed). */
const PAGE_CSS = 'html,body,#graphiql{height:100%;margin:0}body{font-family:system-ui,sans-serif}\n';
const PAGE_CSS_ETAG = `"${createHash('sha256').update(PAGE_CSS).digest('hex').slice(0, 16)}"`;

/** Express router serving the offline GraphiQL page on `endpoint` and its assets under /graphiql/. */
export function graphiqlRouter(options: GraphiqlRouterOptions): Router {
  const { endpoint } = options;
  if (typeof endpoint !== 'string' || !endpoint.startsWith('/')) {
    throw new TypeError(`graphiqlRouter: endpoint must be a path starting with '/', got ${JSON.stringify(endpoint)}`);
  }
  const assetsDir = resolve(options.assetsDir ?? defaultAssetsDir());
  const loadManifest = manifestLoader(assetsDir);
  const configJson = scriptSafeJson({
    endpoint,
    headers: options.defaultHeaders ?? {},
    query: options.defaultQuery ?? DEFAULT_QUERY,
  });
  const router = express.Router();

  router.get(endpoint, (req, res, next) => {
    if (req.accepts(GRAPHQL_TYPES) !== 'text/html') return next();
    res.vary('Accept');
    res.set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' });
    const manifest = loadManifest();
    if (!manifest) {
      res.status(503).type('text/plain').send(
        `GraphiQL is not built: run \`npm run build\` (or \`node scripts/build-graphiql.mjs\`) to write ${assetsDir}.\n` +
          `The GraphQL endpoint itself works: POST ${endpoint}.\n`,
      );
      return;
    }
    res.set({ 'Content-Security-Policy': CSP, 'X-Frame-Options': 'DENY' });
    res.type('html').send(renderPage(manifest, configJson));
  });

  router.get(`${GRAPHIQL_ASSETS_PATH}/page.css`, (req, res) => {
    res.set({ 'Cache-Control': 'no-cache', ETag: PAGE_CSS_ETAG });
    if (req.fresh) return void res.status(304).end();
    res.type('css').send(PAGE_CSS);
  });

  router.get(`${GRAPHIQL_ASSETS_PATH}/*file`, (req, res) => sendAsset(req, res, assetsDir, loadManifest()));
  return router;
}

/** Sends one built file, precompressed when the client accepts it; 404 for anything not in the manifest. */
function sendAsset(req: Request, res: Response, assetsDir: string, manifest: Manifest | null): void {
  const name = req.path.slice(GRAPHIQL_ASSETS_PATH.length + 1);
  const entry = manifest && Object.hasOwn(manifest.files, name) ? manifest.files[name] : undefined;
  if (!entry) {
    res.status(404).type('text/plain').send('Not found\n');
    return;
  }
  const offered = (['br', 'gzip'] as const).filter((e) => entry.encodings[e]);
  const chosen = offered.length > 0 ? req.acceptsEncodings([...offered, 'identity']) : false;
  const encoded = chosen === 'br' || chosen === 'gzip' ? entry.encodings[chosen] : undefined;
  res.type(name.slice(name.lastIndexOf('.')));
  if (offered.length > 0) res.vary('Accept-Encoding');
  if (encoded) res.set('Content-Encoding', chosen as string);
  res.sendFile(join(assetsDir, encoded ? encoded.file : name), {
    headers: { 'Cache-Control': IMMUTABLE, 'X-Content-Type-Options': 'nosniff', 'Cross-Origin-Resource-Policy': 'same-origin' },
    cacheControl: false,
    lastModified: false,
    dotfiles: 'deny',
  });
}

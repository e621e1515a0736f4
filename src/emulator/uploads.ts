/**
 * Emulator internals: the upload bucket. `createUploadBucketSignedUrls` hands out URLs of the
 * form `<origin>/api/label/v2/storage/<path>?sig=<hmac>&id=<path>`; the SDK PUTs the bytes to
 * the part before `&id=` and stores the full URL as the asset content, which this module serves
 * back (GET on the signed URL, or `GET /api/label/v2/files?id=<path>`).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from './db.js';
import type { EmuContext } from './context.js';
import { memberships } from './context.js';
import { badInput } from './errors.js';
import { nowIso } from './util.js';

export const STORAGE_PREFIX = '/api/label/v2/storage/';
export const FILES_PATH = '/api/label/v2/files';
const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

function sign(secret: string, path: string): string {
  return createHmac('sha256', secret).update(path).digest('hex').slice(0, 32);
}

/** Signed URLs, in input order; each path must be `projects/<projectId>/...` of a visible project. */
export function signedUrls(ctx: EmuContext, paths: readonly string[]): string[] {
  return paths.map((path, i) => {
    const m = /^projects\/([^/]+)\/.+/.exec(path);
    if (!m || !memberships(ctx).has(m[1]!)) throw badInput(`filePaths[${i}] must be projects/<projectId>/… of a project you can access`, `filePaths[${i}]`);
    const encoded = path.split('/').map(encodeURIComponent).join('/');
    return `${ctx.origin}${STORAGE_PREFIX}${encoded}?sig=${sign(ctx.uploadSecret, path)}&id=${encodeURIComponent(path)}`;
  });
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_UPLOAD_BYTES) {
        resolve(null);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
}

function serve(res: ServerResponse, store: Store, path: string): void {
  const row = store.get<{ content_type: string; body: Buffer }>('SELECT content_type, body FROM uploads WHERE path = ?', path);
  if (!row) return send(res, 404, 'Not found');
  res.writeHead(200, { 'content-type': row.content_type, 'content-length': row.body.length }).end(row.body);
}

/** Handles PUT/GET under /storage/ and GET /files. Returns false when the URL is not ours. */
export async function handleStorage(req: IncomingMessage, res: ServerResponse, url: URL, store: Store, secret: string): Promise<boolean> {
  if (url.pathname === FILES_PATH && req.method === 'GET') {
    serve(res, store, url.searchParams.get('id') ?? '');
    return true;
  }
  if (!url.pathname.startsWith(STORAGE_PREFIX)) return false;
  const path = url.pathname.slice(STORAGE_PREFIX.length).split('/').map(decodeURIComponent).join('/');
  const sig = url.searchParams.get('sig') ?? '';
  const expected = sign(secret, path);
  if (sig.length !== expected.length || !timingSafeEqual(Buffer.from(sig), Buffer.from(expected))) {
    send(res, 403, 'Invalid signature');
    return true;
  }
  if (req.method === 'PUT') {
    const body = await readBody(req);
    if (!body) return (send(res, 413, 'Payload too large'), true);
    const type = req.headers['content-type'] ?? 'application/octet-stream';
    store.run('INSERT INTO uploads (path, content_type, body, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET content_type = excluded.content_type, body = excluded.body',
      path, type, body, nowIso());
    send(res, 201, 'Created');
  } else if (req.method === 'GET' || req.method === 'HEAD') {
    serve(res, store, path);
  } else send(res, 405, 'Method not allowed');
  return true;
}

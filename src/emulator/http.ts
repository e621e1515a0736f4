/**
 * Emulator internals: the HTTP router. Everything lives under `/api/label/v2/` like the real
 * API (GraphQL, `/version`, the upload bucket and `/files`), plus `/__emulator/` in dev mode.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorState } from './state.js';
import { sendJson } from './state.js';
import { handleGraphql } from './graphql-http.js';
import { handleDev } from './dev-controls.js';
import { handleStorage } from './uploads.js';
import { SCHEMA_VERSION } from './schema.js';

export const GRAPHQL_PATH = '/api/label/v2/graphql';
export const VERSION_PATH = '/api/label/v2/version';

export function createHandler(state: EmulatorState): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    // A failure of the emulator itself: a coded, fixed answer, never the error's own text.
    route(state, req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.destroy();
    });
  };
}

async function route(state: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator.local');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (path === GRAPHQL_PATH) {
    if (req.method === 'POST') return handleGraphql(state, req, res);
    return sendJson(res, 405, { errors: [{ message: 'Use POST with a JSON body' }] }, { allow: 'POST' });
  }
  if (path === VERSION_PATH && req.method === 'GET') return sendJson(res, 200, { version: SCHEMA_VERSION });
  if (path.startsWith('/__emulator/')) {
    if (!state.dev) return sendJson(res, 404, { error: 'Not found' });
    return handleDev(state, req, res, path);
  }
  if (await handleStorage(req, res, url, state.store, state.uploadSecret)) return;
  if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
  sendJson(res, 404, { error: 'Not found' });
}

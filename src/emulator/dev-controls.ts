/**
 * Emulator internals: the test controls under `/__emulator/` (only with `dev: true`):
 * reset, seed (bulk or the demo preset), faults and the request log. JSON in and out.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorState } from './state.js';
import { readBody, sendJson } from './state.js';
import { parseFaults } from './faults.js';
import { seedBaseline, seedBulk, seedDemo } from './seed.js';
import { isRecord } from './util.js';

const MAX_BULK = 1_000_000;

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req, 10 * 1024 * 1024);
  if (text === null) throw new TypeError('body too large');
  if (text.trim() === '') return {};
  const body: unknown = JSON.parse(text);
  if (!isRecord(body)) throw new TypeError('body must be a JSON object');
  return body;
}

/** Wipes data, faults, request log and pending delayed writes, then seeds. */
export function resetState(state: EmulatorState, seed: 'demo' | 'none'): void {
  for (const t of state.timers) clearTimeout(t);
  state.timers.clear();
  state.faults.clear();
  state.requests.clear();
  state.store.wipe();
  state.store.setMeta('uploadSecret', state.uploadSecret);
  seedBaseline(state.store, state.adminKey);
  state.demo = seed === 'demo' ? seedDemo(state.store, state.adminKey) : null;
}

export async function handleDev(state: EmulatorState, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const route = `${req.method ?? 'GET'} ${path}`;
  try {
    switch (route) {
      case 'POST /__emulator/reset': {
        const body = await jsonBody(req);
        const seed = body.seed ?? 'demo';
        if (seed !== 'demo' && seed !== 'none') throw new TypeError('seed must be "demo" or "none"');
        resetState(state, seed);
        return sendJson(res, 200, { demo: state.demo });
      }
      case 'POST /__emulator/seed': {
        const body = await jsonBody(req);
        if (body.preset !== undefined) {
          if (body.preset !== 'demo') throw new TypeError('preset must be "demo"');
          state.demo = seedDemo(state.store, state.adminKey);
          return sendJson(res, 200, { demo: state.demo });
        }
        const { projectId, count, externalIdPrefix, labeled } = body;
        if (typeof projectId !== 'string') throw new TypeError('projectId must be a string');
        if (!Number.isInteger(count) || (count as number) < 0 || (count as number) > MAX_BULK) throw new TypeError(`count must be an integer from 0 to ${MAX_BULK}`);
        if (externalIdPrefix !== undefined && typeof externalIdPrefix !== 'string') throw new TypeError('externalIdPrefix must be a string');
        if (labeled !== undefined && typeof labeled !== 'boolean') throw new TypeError('labeled must be a boolean');
        const assetIds = seedBulk(state.store, { projectId, count: count as number, externalIdPrefix: externalIdPrefix as string | undefined, labeled: labeled as boolean | undefined });
        return sendJson(res, 200, { assetIds });
      }
      case 'POST /__emulator/faults': {
        const body = await jsonBody(req);
        state.faults.set(parseFaults(body.faults));
        return sendJson(res, 200, { faults: state.faults.list() });
      }
      case 'GET /__emulator/faults':
        return sendJson(res, 200, { faults: state.faults.list() });
      case 'DELETE /__emulator/faults':
        state.faults.clear();
        return sendJson(res, 200, { faults: [] });
      case 'GET /__emulator/requests':
        return sendJson(res, 200, state.requests.list());
      case 'DELETE /__emulator/requests':
        state.requests.clear();
        return sendJson(res, 200, { cleared: true });
      default:
        return sendJson(res, 404, { error: `No such control: ${route}` });
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return sendJson(res, /Unknown project/.test(message) ? 404 : 400, { error: message });
  }
}

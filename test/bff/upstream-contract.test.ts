/**
 * The upstream contract check: every document the BFF can send is validated against the schema
 * the upstream introspects to (at start, with UPSTREAM_CONTRACT_KEY); `/readyz` reports
 * `upstream_contract: ok | drift` with the failing document names, and the outcome is logged once.
 */
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { buildSchema, introspectionFromSchema, type IntrospectionObjectType, type IntrospectionQuery } from 'graphql';
import { pino } from 'pino';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createBffServer, type BffServer } from '../../src/server.js';
import type { Credential, UpstreamCall, UpstreamClient } from '../../src/upstream/client.js';
import { contractFailures } from '../../src/upstream/contract.js';
import { upstreamDocuments } from '../../src/upstream/documents.js';
import { startStack, type Stack } from '../helpers/stack.js';

const UPSTREAM_SDL = readFileSync(new URL('../../schema/kili-upstream.graphql', import.meta.url), 'utf8');

/** The upstream schema's introspection with `countAssets` renamed and `Asset.priority` renamed. */
function driftedIntrospection(): IntrospectionQuery {
  const introspection = structuredClone(introspectionFromSchema(buildSchema(UPSTREAM_SDL)));
  const type = (name: string) => introspection.__schema.types.find((t) => t.name === name) as IntrospectionObjectType;
  const rename = (typeName: string, from: string, to: string) => {
    const field = type(typeName).fields.find((f) => f.name === from);
    if (!field) throw new Error(`no ${typeName}.${from}`);
    (field as { name: string }).name = to;
  };
  rename('Query', 'countAssets', 'countAllAssets');
  rename('Asset', 'priority', 'rank');
  return introspection;
}

const readyz = async (origin: string) => (await fetch(`${origin}/readyz`)).json() as Promise<Record<string, unknown>>;

let stack: Stack | undefined;
let bff: BffServer | undefined;
let checked: BffServer | undefined;
afterAll(async () => {
  await stack?.close();
  await bff?.close();
  await checked?.close();
});

describe('upstream contract', () => {
  it('names each document the upstream schema rejects, and none against the emulator', () => {
    expect(upstreamDocuments().map((d) => d.name)).toHaveLength(10);
    expect(contractFailures(buildSchema(UPSTREAM_SDL))).toEqual([]);
    const drifted = buildSchema(UPSTREAM_SDL.replace(/\bfilterExistingAssets\(/, 'filterExisting('));
    expect(contractFailures(drifted)).toEqual(['filterExistingAssets']);
  });

  it('is checked at start with UPSTREAM_CONTRACT_KEY: ok against the emulator; unchecked without a key', async () => {
    stack = await startStack();
    expect(await readyz(stack.bff.origin)).toEqual({ status: 'ready', upstream_contract: 'unchecked' });
    await stack.clearRequests();
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', KILI_API_URL: stack.emulator.url, UPSTREAM_CONTRACT_KEY: stack.key });
    checked = await createBffServer(config, { skipWarmUp: true });
    await vi.waitFor(async () => expect(await readyz(checked!.origin)).toEqual({ status: 'ready', upstream_contract: 'ok' }));
    // One introspection (the other logged requests are /readyz's reachability probes).
    const log = await stack.requests();
    expect(log.filter((r) => r.rootFields.length > 0).map((r) => r.rootFields)).toEqual([['__schema']]);
  });

  it('reports drift with the failing documents at start (UPSTREAM_CONTRACT_KEY), logged once', async () => {
    const lines: Array<{ msg: string; failing?: string[] }> = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) });
    const upstream: UpstreamClient = {
      async execute<T>(_credential: Credential, call: UpstreamCall): Promise<T> {
        if (call.rootField === '__schema') return driftedIntrospection() as T;
        return { data: 0 } as T;
      },
    };
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', UPSTREAM_CONTRACT_KEY: 'operator-key' });
    bff = await createBffServer(config, { upstream, logger: pino({ level: 'info' }, sink), skipWarmUp: true });
    await vi.waitFor(async () => expect(await readyz(bff!.origin)).toEqual({ status: 'ready', upstream_contract: 'drift', upstream_contract_failures: ['assets', 'countAssets'] }));
    // Later readiness probes do not check (or log) again.
    for (let i = 0; i < 3; i += 1) expect((await readyz(bff.origin)).upstream_contract).toBe('drift');
    const drift = lines.filter((l) => l.msg.startsWith('upstream contract'));
    expect(drift).toEqual([expect.objectContaining({ msg: 'upstream contract drift: the upstream schema rejects these documents', failing: ['assets', 'countAssets'] })]);
  });
});

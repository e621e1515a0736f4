/**
 * Integration harness of the mutation tests: a dev emulator per file, and a way to run the six
 * mutation resolvers with a real BFF context (upstream client, loaders, caches) against it.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { GraphQLResolveInfo } from 'graphql';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createCache, type BffCache } from '../../src/cache/index.js';
import { createContext, type BffContext } from '../../src/context.js';
import { createUpstreamClient, type PooledUpstreamClient } from '../../src/upstream/client.js';
import { createRateLimiter } from '../../src/upstream/rateLimit.js';
import { hashCredential } from '../../src/upstream/credential.js';
import { mutationResolvers, type ResultParent } from '../../src/mutations/resolvers.js';

export const KEY = 'mutations-admin-key';
export const TEXT = 'project-demo-text';
export const IMAGE = 'project-demo-image';

export interface Harness {
  emu: Emulator;
  config: Readonly<Config>;
  upstream: PooledUpstreamClient;
  cache: BffCache;
}

/** Fast verification for tests: 50 ms → 200 ms backoff, 1.5 s deadline (override per test). */
export const FAST_ENV = {
  VERIFY_DEADLINE_MS: '1500', VERIFY_BACKOFF_MIN_MS: '50', VERIFY_BACKOFF_MAX_MS: '200',
  UPSTREAM_BACKOFF_MS: '5', UPSTREAM_TIMEOUT_MS: '1500', RATE_LIMIT_PER_MINUTE: '100000',
};
/** Settings keys the pipeline reads when the config has them (see src/mutations/settings.ts). */
const FAST_SETTINGS = { VERIFY_BACKOFF_MIN_MS: 50, VERIFY_BACKOFF_MAX_MS: 200 };

export function useHarness(): Harness {
  const h = {} as Harness;
  beforeAll(async () => {
    h.emu = await startEmulator({ port: 0, dev: true, apiKey: KEY, log: () => {} });
    h.config = { ...loadConfig({ ...FAST_ENV, KILI_API_URL: h.emu.url }), ...FAST_SETTINGS } as Config;
    h.upstream = createUpstreamClient({
      url: h.emu.url, timeoutMs: h.config.UPSTREAM_TIMEOUT_MS, deadlineMs: h.config.UPSTREAM_DEADLINE_MS, retries: h.config.UPSTREAM_RETRIES,
      backoffMs: h.config.UPSTREAM_BACKOFF_MS, connections: 8, rateLimiter: createRateLimiter(h.config.RATE_LIMIT_PER_MINUTE),
    });
    h.cache = await createCache(null);
  });
  beforeEach(async () => {
    await control(h, 'POST', '/__emulator/reset', { seed: 'demo' });
  });
  afterAll(async () => {
    await h.upstream?.close();
    await h.emu?.close();
  });
  return h;
}

export function context(h: Harness, opts: { idempotencyKey?: string; config?: Partial<Config>; key?: string } = {}): BffContext {
  const key = opts.key ?? KEY;
  return createContext({
    requestId: 'test',
    credential: { scheme: 'x-api-key', value: key, hash: hashCredential('test-secret', key) },
    upstream: h.upstream,
    config: { ...h.config, ...opts.config },
    cache: h.cache,
    idempotencyKey: opts.idempotencyKey ?? null,
  });
}

type MutationName = keyof typeof mutationResolvers.Mutation;

/** Runs one mutation resolver as Apollo would (info carries only what the resolvers read). */
export async function mutate(h: Harness, name: MutationName, args: Record<string, unknown>, ctx = context(h)): Promise<ResultParent> {
  const info = { path: { key: name, prev: undefined, typename: 'Mutation' } } as unknown as GraphQLResolveInfo;
  const resolver = mutationResolvers.Mutation[name] as (p: unknown, a: unknown, c: BffContext, i: GraphQLResolveInfo) => Promise<ResultParent>;
  return resolver(undefined, args, ctx, info);
}

/** The rejection's extensions (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (e) {
    return (e as { extensions: Record<string, unknown> }).extensions;
  }
  throw new Error('expected a rejection');
}

export async function control<T = unknown>(h: Harness, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${h.emu.origin}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

export interface Logged {
  credentialHash: string | null;
  rootFields: string[];
  variables: Record<string, unknown>;
  fault?: string;
}

export const requests = (h: Harness) => control<Logged[]>(h, 'GET', '/__emulator/requests');
export const clearRequests = (h: Harness) => control(h, 'DELETE', '/__emulator/requests');
export const setFaults = (h: Harness, faults: unknown[]) => control(h, 'POST', '/__emulator/faults', { faults });

/** Number of logged requests per root field. */
export function countBy(log: Logged[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of log) for (const f of entry.rootFields) out[f] = (out[f] ?? 0) + 1;
  return out;
}

/** Seeds `count` assets (external ids `${prefix}${i}`) and returns their ids. */
export async function seed(h: Harness, projectId: string, count: number, opts: { prefix?: string; labeled?: boolean } = {}): Promise<string[]> {
  const r = await control<{ assetIds: string[] }>(h, 'POST', '/__emulator/seed', { projectId, count, externalIdPrefix: opts.prefix ?? 'bulk-', labeled: opts.labeled ?? false });
  return r.assetIds;
}

/** Reads assets straight from the emulator (not through the pipeline). */
export async function readAssets(h: Harness, where: Record<string, unknown>, fields = 'id externalId status priority'): Promise<Array<Record<string, unknown>>> {
  const res = await fetch(h.emu.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `X-API-Key: ${KEY}` },
    body: JSON.stringify({ query: `query ($where: AssetWhere!) { data: assets(where: $where, first: 500, skip: 0) { ${fields} } }`, variables: { where } }),
  });
  const body = (await res.json()) as { data: { data: Array<Record<string, unknown>> } };
  return body.data.data;
}

/** `countAssets(where)` straight from the emulator. */
export async function countAssets(h: Harness, where: Record<string, unknown>): Promise<number> {
  const res = await fetch(h.emu.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `X-API-Key: ${KEY}` },
    body: JSON.stringify({ query: 'query ($where: AssetWhere!) { data: countAssets(where: $where) }', variables: { where } }),
  });
  return ((await res.json()) as { data: { data: number } }).data.data;
}

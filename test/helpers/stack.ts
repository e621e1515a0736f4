/**
 * Shared test helpers: an in-process emulator + BFF stack, a GraphQL request helper and the
 * emulator's dev controls (request log, faults, seeding). Used by test/bff, test/mutations and the
 * bench. Everything listens on 127.0.0.1 with ephemeral ports.
 *
 *   const stack = await startStack();                 // emulator (dev, demo seed) + BFF
 *   const { body } = await stack.gql('{ countAssets(projectId: $p) }', { p: stack.demo.projects.text.id });
 *   await stack.clearRequests();                      // empty the emulator's request log
 *   const log = await stack.requests();               // [{ rootFields, variables, fields, credentialHash, ... }]
 *   countRootField(log, 'assets');                    // upstream calls with that root field
 *   await stack.setFaults([{ kind: 'status', status: 503, nth: 1 }]);
 *   await stack.seed(projectId, 1000, { externalIdPrefix: 'bulk-' });
 *   await stack.close();
 *
 * `startStack({ env })` passes extra config keys (strings, as in process.env) to the BFF, e.g.
 * `{ UPSTREAM_TIMEOUT_MS: '300' }`. `gql(query, variables, { key, headers })`: `key` defaults to the
 * demo admin's key; pass `key: null` to send no credential.
 */
import { loadConfig, type Config } from '../../src/config.js';
import { EmulatorControl } from '../../src/emulator/control-client.js';
import { startEmulator, type DemoSeed, type Emulator, type Fault, type LoggedRequest } from '../../src/emulator/index.js';
import { createBffServer, type BffServer } from '../../src/server.js';

/** One entry of the emulator's request log (`GET /__emulator/requests`). */
export type UpstreamRequest = LoggedRequest;

export interface GqlResponse<D = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: {
    data?: D | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> & { code?: string } }[];
    extensions?: { warnings?: { code: string; message: string; field?: string; replacement?: string }[] } & Record<string, unknown>;
  };
}

export interface GqlOptions {
  /** API key sent as `Authorization: X-API-Key: <key>`; null = none. @default the demo admin's key */
  key?: string | null;
  headers?: Record<string, string>;
}

export type { Fault };

export interface Stack {
  emulator: Emulator;
  /** The emulator's dev controls (the methods below delegate to it). */
  control: EmulatorControl;
  bff: BffServer;
  config: Readonly<Config>;
  demo: DemoSeed;
  /** The demo admin's key. */
  key: string;
  gql<D = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, options?: GqlOptions): Promise<GqlResponse<D>>;
  /** The emulator's log of GraphQL requests received, oldest first. */
  requests(): Promise<UpstreamRequest[]>;
  clearRequests(): Promise<void>;
  setFaults(faults: Fault[]): Promise<void>;
  clearFaults(): Promise<void>;
  /** Creates `count` assets in a project; returns their ids in creation order. */
  seed(projectId: string, count: number, options?: { externalIdPrefix?: string; labeled?: boolean }): Promise<string[]>;
  /** Wipes and reseeds the emulator (demo by default); returns the new seed. */
  reset(seed?: 'demo' | 'none'): Promise<DemoSeed | null>;
  close(): Promise<void>;
}

/** Upstream calls in `log` whose root fields include `rootField`. */
export function countRootField(log: UpstreamRequest[], rootField: string): number {
  return log.filter((r) => r.rootFields.includes(rootField)).length;
}

/** Sends one GraphQL POST to `url`. */
export async function gqlRequest<D>(url: string, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<GqlResponse<D>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(variables ? { query, variables } : { query }),
  });
  const text = await response.text();
  let body: GqlResponse<D>['body'];
  try {
    body = JSON.parse(text) as GqlResponse<D>['body'];
  } catch {
    throw new Error(`non-JSON answer (${response.status}): ${text.slice(0, 200)}`);
  }
  return { status: response.status, headers: response.headers, body };
}

export async function startStack(options: { env?: Record<string, string> } = {}): Promise<Stack> {
  const emulator = await startEmulator({ port: 0, dev: true, log: () => {} });
  if (!emulator.demo) throw new Error('the emulator started without its demo seed');
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    KILI_API_URL: emulator.url,
    LOG_LEVEL: 'silent',
    UPSTREAM_BACKOFF_MS: '10',
    RATE_LIMIT_PER_MINUTE: '100000',
    ...options.env,
  });
  const bff = await createBffServer(config);
  const control = new EmulatorControl(emulator.origin, emulator.apiKey);
  const stack: Stack = {
    emulator,
    control,
    bff,
    config,
    demo: emulator.demo,
    key: emulator.apiKey,
    gql: (query, variables, gqlOptions = {}) => {
      const key = gqlOptions.key === undefined ? stack.key : gqlOptions.key;
      const headers = { ...(key ? { authorization: `X-API-Key: ${key}` } : {}), ...gqlOptions.headers };
      return gqlRequest(bff.url, query, variables, headers);
    },
    requests: () => control.requests(),
    clearRequests: () => control.clearRequests(),
    setFaults: (faults) => control.setFaults(faults),
    clearFaults: () => control.clearFaults(),
    seed: (projectId, count, seedOptions = {}) => control.seed(projectId, count, seedOptions),
    reset: async (seed = 'demo') => {
      const demo = await control.reset(seed);
      if (demo) stack.demo = demo;
      return demo;
    },
    close: async () => {
      await bff.close();
      await emulator.close();
    },
  };
  return stack;
}

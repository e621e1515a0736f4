/**
 * Kili emulator: a Kili-compatible upstream GraphQL server backed by SQLite (DESIGN §9).
 * `startEmulator()` is the programmatic entry point used by tests, benchmarks and `npm start`;
 * `npm run emulator` (src/emulator/main.ts) is the CLI. It never imports BFF code.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Store } from './db.js';
import { FaultSet } from './faults.js';
import { RequestLog } from './request-log.js';
import { buildEmulatorSchema } from './schema.js';
import { readDemo, seedBaseline, seedDemo } from './seed.js';
import { createHandler, GRAPHQL_PATH } from './http.js';
import type { EmulatorState } from './state.js';
import type { Emulator, EmulatorOptions } from './types.js';

export type { DemoSeed, Emulator, EmulatorOptions, SeedProject, SeedUser } from './types.js';
/** Wire types of the dev controls (`/__emulator/faults`, `/__emulator/requests`). */
export type { Fault } from './faults.js';
export type { LoggedRequest } from './request-log.js';
export { GRAPHQL_PATH } from './http.js';

let schema: ReturnType<typeof buildEmulatorSchema> | null = null;

/** Opens the database (migrating and seeding it when empty) and starts listening. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const store = new Store(options.db ?? ':memory:');
  const requestedKey = options.apiKey ?? process.env.EMULATOR_API_KEY;
  const fresh = store.isEmpty();
  const adminKey = requestedKey ?? store.getMeta('adminKey') ?? `kili-emu-${randomBytes(16).toString('hex')}`;
  const uploadSecret = store.getMeta('uploadSecret') ?? randomBytes(24).toString('hex');
  store.setMeta('uploadSecret', uploadSecret);
  let demo = readDemo(store);
  if (fresh) {
    seedBaseline(store, adminKey);
    if ((options.seed ?? 'demo') === 'demo') demo = seedDemo(store, adminKey);
  } else if (requestedKey && requestedKey !== store.getMeta('adminKey')) {
    seedBaseline(store, requestedKey); // an extra key for the existing admin
    if (demo) demo = { ...demo, users: { ...demo.users, admin: { ...demo.users.admin, apiKey: requestedKey } } };
  }
  schema ??= buildEmulatorSchema();
  const state: EmulatorState = {
    store, schema, faults: new FaultSet(), requests: new RequestLog(), dev: options.dev ?? false,
    origin: '', uploadSecret, adminKey, demo, timers: new Set(), hanging: new Set(),
  };
  const server = createServer(createHandler(state));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4001, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  state.origin = `http://${host}:${address.port}`;
  const url = `${state.origin}${GRAPHQL_PATH}`;
  const log = options.log ?? console.log;
  log(`Kili emulator listening on ${url}`);
  log(`API key: ${adminKey}`);
  let closed: Promise<void> | null = null;
  return {
    url,
    origin: state.origin,
    apiKey: adminKey,
    get demo() {
      return state.demo;
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const t of state.timers) clearTimeout(t);
        for (const res of state.hanging) res.destroy();
        server.close(() => {
          store.close();
          resolve();
        });
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

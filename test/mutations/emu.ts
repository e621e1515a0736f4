/**
 * Integration harness of the mutation tests: a dev emulator per file, and the real BFF server in
 * front of it (one per distinct configuration, started on first use). Mutations go through the
 * front door, over HTTP, with the caller's key and `Idempotency-Key` as headers.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { countByRootField, EmulatorControl } from '../../src/emulator/control-client.js';
import { startEmulator, type Emulator, type Fault, type LoggedRequest } from '../../src/emulator/index.js';
import { createBffServer, type BffServer } from '../../src/server.js';
import { gqlRequest } from '../helpers/stack.js';

export const KEY = 'mutations-admin-key';
export const TEXT = 'project-demo-text';
export const IMAGE = 'project-demo-image';

/** Fast verification for tests: 50 ms → 200 ms backoff, 1.5 s deadline (override per call with `env`). */
export const FAST_ENV: Record<string, string> = {
  VERIFY_DEADLINE_MS: '1500', VERIFY_BACKOFF_MIN_MS: '50', VERIFY_BACKOFF_MAX_MS: '200',
  UPSTREAM_BACKOFF_MS: '5', UPSTREAM_TIMEOUT_MS: '1500', RATE_LIMIT_PER_MINUTE: '100000',
  PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent',
};

export interface Harness {
  emu: Emulator;
  control: EmulatorControl;
  /** The configuration of the default server (FAST_ENV). */
  config: Readonly<Config>;
  /** Servers by configuration (JSON of the extra env), started on first use. */
  servers: Map<string, Promise<BffServer>>;
}

export function useHarness(): Harness {
  const h = { servers: new Map() } as Harness;
  beforeAll(async () => {
    h.emu = await startEmulator({ port: 0, dev: true, apiKey: KEY, log: () => {} });
    h.control = new EmulatorControl(h.emu.origin, KEY);
    h.config = loadConfig({ ...FAST_ENV, KILI_API_URL: h.emu.url });
  });
  beforeEach(async () => {
    await h.control.reset('demo');
  });
  afterAll(async () => {
    for (const server of h.servers.values()) await (await server).close();
    await h.emu?.close();
  });
  return h;
}

function server(h: Harness, env: Record<string, string> = {}): Promise<BffServer> {
  const id = JSON.stringify(env);
  let started = h.servers.get(id);
  if (!started) {
    started = createBffServer(loadConfig({ ...FAST_ENV, ...env, KILI_API_URL: h.emu.url }), { skipWarmUp: true });
    h.servers.set(id, started);
  }
  return started;
}

export type MutationName =
  | 'appendManyToDataset'
  | 'updatePropertiesInAssets'
  | 'changeAssetExternalIds'
  | 'deleteManyFromDataset'
  | 'addToReview'
  | 'sendBackToQueue';

const ID_LIST = '$projectId: ID, $assetIds: [ID!], $externalIds: [String!]';
const VARIABLES: Record<MutationName, [declared: string, passed: string]> = {
  appendManyToDataset: ['$projectId: ID!, $assets: [AssetInput!]!, $waitUntilAvailability: Boolean', 'projectId: $projectId, assets: $assets, waitUntilAvailability: $waitUntilAvailability'],
  updatePropertiesInAssets: ['$projectId: ID, $assets: [AssetPropertiesInput!]!', 'projectId: $projectId, assets: $assets'],
  changeAssetExternalIds: ['$projectId: ID, $assets: [ExternalIdChangeInput!]!', 'projectId: $projectId, assets: $assets'],
  deleteManyFromDataset: [ID_LIST, 'projectId: $projectId, assetIds: $assetIds, externalIds: $externalIds'],
  addToReview: [ID_LIST, 'projectId: $projectId, assetIds: $assetIds, externalIds: $externalIds'],
  sendBackToQueue: [ID_LIST, 'projectId: $projectId, assetIds: $assetIds, externalIds: $externalIds'],
};

/** `AssetMutationResult` as selected by `mutate`. */
export interface MutationResult {
  projectId: string | null;
  assetIds: string[];
  batches: number;
  verified: boolean;
  warnings: Array<{ code: string; message: string; field: string | null }>;
}

/** A mutation's GraphQL error: its message and `extensions` as the client receives them. */
export class MutationFailed extends Error {
  constructor(
    message: string,
    readonly extensions: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface MutateOptions {
  /** Sent as the `Idempotency-Key` header. */
  idempotencyKey?: string;
  /** Extra configuration (env strings): the mutation goes to a server started with it. */
  env?: Record<string, string>;
  /** API key. @default the emulator's admin key */
  key?: string;
}

/** Sends one mutation to the BFF over HTTP; resolves with its result, rejects with `MutationFailed`. */
export async function mutate(h: Harness, name: MutationName, args: Record<string, unknown>, options: MutateOptions = {}): Promise<MutationResult> {
  const bff = await server(h, options.env);
  const [declared, passed] = VARIABLES[name];
  const query = `mutation (${declared}) { ${name}(${passed}) { projectId assetIds batches verified warnings { code message field } } }`;
  const headers: Record<string, string> = { authorization: `X-API-Key: ${options.key ?? KEY}` };
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  const { body } = await gqlRequest<Record<MutationName, MutationResult | null>>(bff.url, query, args, headers);
  const error = body.errors?.[0];
  if (error) throw new MutationFailed(error.message, error.extensions ?? {});
  const result = body.data?.[name];
  if (!result) throw new Error(`no result and no error: ${JSON.stringify(body)}`);
  return result;
}

/** The rejection's extensions (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof MutationFailed) return e.extensions;
    throw e;
  }
  throw new Error('expected a rejection');
}

export const requests = (h: Harness): Promise<LoggedRequest[]> => h.control.requests();
export const clearRequests = (h: Harness): Promise<void> => h.control.clearRequests();
export const setFaults = (h: Harness, faults: Fault[]): Promise<void> => h.control.setFaults(faults);

/** Number of logged requests per root field. */
export const countBy = countByRootField;

/** Seeds `count` assets (external ids `${prefix}${i}`) and returns their ids. */
export function seed(h: Harness, projectId: string, count: number, opts: { prefix?: string; labeled?: boolean } = {}): Promise<string[]> {
  return h.control.seed(projectId, count, { externalIdPrefix: opts.prefix ?? 'bulk-', labeled: opts.labeled ?? false });
}

/** Reads assets straight from the emulator (not through the BFF). */
export async function readAssets(h: Harness, where: Record<string, unknown>, fields = 'id externalId status priority'): Promise<Array<Record<string, unknown>>> {
  const query = `query ($where: AssetWhere!) { data: assets(where: $where, first: 500, skip: 0) { ${fields} } }`;
  return (await h.control.graphql<{ data: Array<Record<string, unknown>> }>(query, { where })).data;
}

/** `countAssets(where)` straight from the emulator. */
export async function countAssets(h: Harness, where: Record<string, unknown>): Promise<number> {
  return (await h.control.graphql<{ data: number }>('query ($where: AssetWhere!) { data: countAssets(where: $where) }', { where })).data;
}

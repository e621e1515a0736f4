/**
 * The servers the GraphiQL tests drive, on 127.0.0.1 with ephemeral ports:
 * - `startGraphiqlTarget()`: the real BFF (`createBffServer`, which mounts `graphiqlRouter()` in
 *   front of Apollo at /graphql) over the Kili emulator with its demo seed, GraphiQL pre-filled
 *   with the demo admin's key and an `assets` query on the demo TEXT project.
 * - `startBareRouter(options)`: only `graphiqlRouter()` on an express app (escaping, no-build case).
 */
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { loadConfig } from '../../src/config.js';
import { EmulatorControl } from '../../src/emulator/control-client.js';
import { startEmulator } from '../../src/emulator/index.js';
import { graphiqlRouter, type GraphiqlRouterOptions } from '../../src/http/graphiql.js';
import { createBffServer } from '../../src/server.js';

export interface GraphiqlTarget {
  origin: string;
  endpoint: string;
  /** The demo TEXT project. */
  projectId: string;
  apiKey: string;
  /** Hashes (as the emulator logs them) of the credentials the emulator received so far. */
  upstreamCredentialHashes(): Promise<string[]>;
  close(): Promise<void>;
}

export interface BareRouter {
  origin: string;
  close(): Promise<void>;
}

export async function startGraphiqlTarget(): Promise<GraphiqlTarget> {
  const emulator = await startEmulator({ port: 0, dev: true, seed: 'demo', log: () => {} });
  if (!emulator.demo) throw new Error('the emulator started without its demo seed');
  const projectId = emulator.demo.projects.text.id;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    KILI_API_URL: emulator.url,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '100000',
  });
  const bff = await createBffServer(config, {
    graphiql: {
      defaultHeaders: { Authorization: `X-API-Key: ${emulator.apiKey}` },
      defaultQuery: `query Assets {\n  assets(projectId: "${projectId}", first: 5) {\n    id\n  }\n}\n`,
    },
  }).catch(async (error: unknown) => {
    await emulator.close();
    throw error;
  });
  return {
    origin: bff.origin,
    endpoint: new URL(bff.url).pathname,
    projectId,
    apiKey: emulator.apiKey,
    async upstreamCredentialHashes() {
      const log = await new EmulatorControl(emulator.origin, emulator.apiKey).requests();
      return log.map((entry) => entry.credentialHash as string);
    },
    async close() {
      await bff.close();
      await emulator.close();
    },
  };
}

/** The emulator's credential hash: sha256 of the key, hex, first 16 characters. */
export function emulatorCredentialHash(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

export async function startBareRouter(options: Omit<GraphiqlRouterOptions, 'endpoint'>): Promise<BareRouter> {
  const app = express();
  app.use(graphiqlRouter({ endpoint: '/graphql', ...options }));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * `npm start`. Without KILI_API_URL, starts the embedded Kili emulator in-process (demo seed,
 * SQLite file EMULATOR_DB, default ./.data/emulator.sqlite, key from EMULATOR_API_KEY or generated)
 * and points the BFF at it; with KILI_API_URL, proxies that upstream and starts no emulator. The
 * only BFF file that imports the emulator.
 *
 * SIGTERM and SIGINT stop the BFF (in-flight requests get SHUTDOWN_GRACE_MS) and the emulator,
 * then exit. `npm start` execs this process in place of its shell, so a signal sent to the
 * process npm starts, or forwarded by npm itself, reaches this handler.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadConfig } from './config.js';
import { createLogger } from './log.js';
import { createBffServer } from './server.js';

const exampleQuery = (projectId: string) => `# Assets of the demo TEXT project. Filters: see AssetWhere in the docs.
query DemoAssets {
  countAssets(projectId: "${projectId}")
  assets(projectId: "${projectId}", first: 5, where: { statusIn: [LABELED, TO_REVIEW] }) {
    id
    externalId
    status
    jsonMetadata
    labels {
      labelType
      author { email }
    }
  }
}
`;

async function main(): Promise<void> {
  let config = loadConfig(process.env);
  const logger = createLogger(config.LOG_LEVEL);
  let graphiql: { defaultHeaders?: Record<string, string>; defaultQuery?: string } | undefined;
  let closeEmulator = async () => {};
  const banner: string[] = [];

  if (!config.KILI_API_URL) {
    const { startEmulator } = await import('./emulator/index.js');
    const db = process.env.EMULATOR_DB?.trim() || './.data/emulator.sqlite';
    mkdirSync(dirname(db), { recursive: true });
    const emulator = await startEmulator({
      port: config.PORT === 0 ? 0 : config.PORT + 1,
      db,
      seed: 'demo',
      log: () => {},
    }).catch(() => startEmulator({ port: 0, db, seed: 'demo', log: () => {} }));
    closeEmulator = () => emulator.close();
    config = Object.freeze({ ...config, KILI_API_URL: emulator.url });
    graphiql = {
      defaultHeaders: { Authorization: `X-API-Key: ${emulator.apiKey}` },
      defaultQuery: emulator.demo ? exampleQuery(emulator.demo.projects.text.id) : undefined,
    };
    banner.push(`Kili emulator: ${emulator.url}`, `Demo API key: ${emulator.apiKey}`);
    if (emulator.demo) {
      banner.push(`Demo project (TEXT): ${emulator.demo.projects.text.id}`, `Demo project (IMAGE): ${emulator.demo.projects.image.id}`);
    }
  } else {
    banner.push(`Upstream: ${config.KILI_API_URL}`);
  }

  const server = await createBffServer(config, { logger, graphiql }).catch(async (error: unknown) => {
    await closeEmulator();
    throw error;
  });
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  console.log(`GraphiQL: http://${host}:${server.port}/graphql`);
  for (const line of banner) console.log(line);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // The BFF's close() bounds in-flight requests by SHUTDOWN_GRACE_MS; this bounds everything else.
    setTimeout(() => {
      logger.error({ signal, graceMs: config.SHUTDOWN_GRACE_MS }, 'shutdown did not finish in time, exiting');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS + 5000).unref();
    try {
      await server.close();
      await closeEmulator();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof TypeError ? error.message : error);
  process.exit(1);
});

/**
 * `npm run emulator`: the Kili emulator CLI.
 *   --port N (default 4001, 0 = ephemeral)  --host H (default 127.0.0.1)
 *   --db PATH (SQLite file, default :memory:)  --seed demo|none (default demo, only on an empty db)
 *   --api-key KEY (default env EMULATOR_API_KEY, else generated)  --dev (enables /__emulator/*)
 * Prints `Kili emulator listening on http://HOST:PORT/api/label/v2/graphql` and `API key: KEY`.
 */
import './production.js';
import { parseArgs } from 'node:util';
import { startEmulator } from './index.js';

function fail(message: string): never {
  console.error(`kili-emulator: ${message}`);
  process.exit(2);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        db: { type: 'string' },
        seed: { type: 'string' },
        'api-key': { type: 'string' },
        dev: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
})();

if (values.help) {
  console.log('Usage: npm run emulator -- [--port 4001] [--host 127.0.0.1] [--db :memory:|FILE] [--seed demo|none] [--api-key KEY] [--dev]');
  process.exit(0);
}
const port = values.port === undefined ? 4001 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be an integer from 0 to 65535, got ${values.port}`);
if (values.seed !== undefined && values.seed !== 'demo' && values.seed !== 'none') fail(`--seed must be demo or none, got ${values.seed}`);

const emulator = await startEmulator({
  port,
  host: values.host,
  db: values.db,
  seed: values.seed as 'demo' | 'none' | undefined,
  apiKey: values['api-key'],
  dev: values.dev ?? false,
});
if (values.dev) console.log(`Dev controls enabled under ${emulator.origin}/__emulator/`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void emulator.close().then(() => process.exit(0));
  });
}

/** A clean start: the start-up warm-up (in-process and over HTTP) logs nothing at warn level or above. */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createBffServer } from '../../src/server.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, log: () => {} });
});
afterAll(() => emulator?.close());

describe('start-up', () => {
  it('logs no warning or error while warming up', async () => {
    const lines: { level: number; msg?: string; requestId?: string }[] = [];
    const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const bff = await createBffServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', KILI_API_URL: emulator.url }), { logger });
    await bff.close();
    expect(lines.filter((l) => l.level >= 40)).toEqual([]);
  });
});

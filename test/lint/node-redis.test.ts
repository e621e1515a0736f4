/**
 * ESLint forbids node-redis in src/ and test/ (eslint.config.js): `@redis/client`, `redis` and
 * `@keyv/redis` (which loads it), statically or dynamically, beside the emulator-boundary rules
 * that share the same ESLint rules. ioredis is allowed.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

/** The messages of the import rules for `code` linted as if it were `filePath`. */
async function importMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

const NODE_REDIS =
  'node-redis defines `class VerbatimString extends String`, which makes V8 (Node 20) stop inlining String.prototype.charCodeAt process-wide (string scanning 4–6× slower): use ioredis (src/cache/redis.ts).';
const BFF_IMPORTS_EMULATOR = 'BFF code must not import the emulator (only src/main.ts starts it): DESIGN §2.';
/** ESLint's wording for a static import that a pattern restricts. */
const restricted = (source: string, message: string) => `'${source}' import is restricted from being used by a pattern. ${message}`;

describe('no node-redis (ESLint)', () => {
  it.each([
    ['src/cache/x.ts', '@redis/client', "import { createClient } from '@redis/client';\nvoid createClient;\n"],
    ['src/bulk/x.ts', 'redis', "import { createClient } from 'redis';\nvoid createClient;\n"],
    ['src/cache/x.ts', '@keyv/redis', "import KeyvRedis from '@keyv/redis';\nvoid KeyvRedis;\n"],
    ['src/emulator/x.ts', '@redis/client', "import type { RedisClientType } from '@redis/client';\nexport type R = RedisClientType;\n"],
    ['src/main.ts', 'redis', "export { createClient } from 'redis';\n"],
    ['test/bulk/x.test.ts', '@keyv/redis', "import { createClient } from '@keyv/redis';\nvoid createClient;\n"],
    ['test/x.ts', '@redis/client/dist/lib/RESP/verbatim-string.js', "import { VerbatimString } from '@redis/client/dist/lib/RESP/verbatim-string.js';\nvoid VerbatimString;\n"],
  ])('rejects a static import in %s (%s)', async (filePath, source, code) => {
    expect(await importMessages(filePath, code)).toEqual([restricted(source, NODE_REDIS)]);
  });

  it.each([
    ['src/plugins/x/index.ts', "export const load = () => import('@redis/client');\n"],
    ['src/emulator/x.ts', "export const load = () => import('redis');\n"],
    ['test/x.test.ts', "export const load = () => import('@keyv/redis');\n"],
  ])('rejects a dynamic import in %s', async (filePath, code) => {
    expect(await importMessages(filePath, code)).toEqual([NODE_REDIS]);
  });

  it('keeps the emulator boundary in the same files', async () => {
    const code = "import { createClient } from 'redis';\nimport { startEmulator } from '../emulator/index.js';\nvoid createClient;\nvoid startEmulator;\n";
    expect(await importMessages('src/upstream/x.ts', code)).toEqual([restricted('redis', NODE_REDIS), restricted('../emulator/index.js', BFF_IMPORTS_EMULATOR)]);
  });

  it('allows ioredis and modules whose names merely contain "redis"', async () => {
    const code = "import { Redis } from 'ioredis';\nimport { connectRedis } from './redis.js';\nimport { closeRedis } from '../cache/redis.js';\nvoid Redis;\nvoid connectRedis;\nvoid closeRedis;\n";
    expect(await importMessages('src/cache/x.ts', code)).toEqual([]);
    expect(await importMessages('test/bff/x.test.ts', code)).toEqual([]);
  });
});

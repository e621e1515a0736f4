/**
 * The emulator boundary is enforced by ESLint (eslint.config.js): the emulator imports no BFF code
 * and the BFF imports no emulator code, src/main.ts (which starts the embedded emulator) excepted.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

/** The messages of the boundary rules for `code` linted as if it were `filePath`. */
async function boundaryMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

const BFF_IMPORTS_EMULATOR = 'BFF code must not import the emulator (only src/main.ts starts it): DESIGN §2.';
const EMULATOR_IMPORTS_BFF = "The emulator must not import BFF code (only the upstream schema's generated types): DESIGN §2.";
/** ESLint's wording for a static import that a pattern restricts. */
const restricted = (source: string, message: string) => `'${source}' import is restricted from being used by a pattern. ${message}`;

describe('emulator boundary (ESLint)', () => {
  it.each([
    ['src/upstream/x.ts', "import { startEmulator } from '../emulator/index.js';\nvoid startEmulator;\n", restricted('../emulator/index.js', BFF_IMPORTS_EMULATOR)],
    ['src/server.ts', "import type { Emulator } from './emulator/index.js';\nexport type E = Emulator;\n", restricted('./emulator/index.js', BFF_IMPORTS_EMULATOR)],
    ['src/plugins/x/index.ts', "export const load = () => import('../../emulator/index.js');\n", BFF_IMPORTS_EMULATOR],
  ])('rejects an emulator import in BFF code (%s)', async (filePath, code, message) => {
    expect(await boundaryMessages(filePath, code)).toEqual([message]);
  });

  it.each([
    ["import { loadConfig } from '../config.js';\nvoid loadConfig;\n", '../config.js'],
    ["import type { BffError } from '../errors/index.js';\nexport type E = BffError;\n", '../errors/index.js'],
    ["import type { Asset } from '../__generated__/bff.js';\nexport type A = Asset;\n", '../__generated__/bff.js'],
    ["import type { Asset } from '../../src/__generated__/kili-upstream.js';\nexport type A = Asset;\n", '../../src/__generated__/kili-upstream.js'],
  ])('rejects a BFF import in the emulator (%s)', async (code, source) => {
    expect(await boundaryMessages('src/emulator/x.ts', code)).toEqual([restricted(source, EMULATOR_IMPORTS_BFF)]);
  });

  it('allows the shared generated upstream types, the emulator\'s own modules, and src/main.ts starting it', async () => {
    expect(await boundaryMessages('src/emulator/x.ts', "import type { AssetWhere } from '../__generated__/kili-upstream.js';\nimport { openDb } from './db.js';\nexport type W = AssetWhere;\nvoid openDb;\n")).toEqual([]);
    expect(await boundaryMessages('src/main.ts', "export const load = () => import('./emulator/index.js');\n")).toEqual([]);
  });
});

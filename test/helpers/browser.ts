/**
 * The Chromium the browser tests drive. `CHROMIUM_PATH` names it; otherwise the first of
 * `chromium`, `chromium-browser`, `google-chrome` on PATH. Without one, browser tests skip with a
 * message saying how to run them; with `CI` set a missing browser is a failure (.ci/run installs
 * Debian's `chromium`).
 *
 *   const chromiumPath = requireChromium('graphiql.test.ts');   // null → skip
 *   describe.skipIf(!chromiumPath)('…', () => { … launchChromium(chromiumPath!) … });
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The browser's path, or null when none is installed (`env` defaults to process.env). */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.CHROMIUM_PATH) return executable(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : null;
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of NAMES) if (executable(join(dir, name))) return join(dir, name);
  }
  return null;
}

/**
 * The browser's path; null (after a warning naming `file` and how to run it) when none is
 * installed. Throws in CI, where the browser tests must run.
 */
export function requireChromium(file: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const path = findChromium(env);
  if (path) return path;
  const where = env.CHROMIUM_PATH ? `CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable` : 'no chromium, chromium-browser or google-chrome on PATH';
  const message = `${file}: ${where}, skipping the browser tests (install Chromium, e.g. apt-get install chromium, or set CHROMIUM_PATH).`;
  if (env.CI) throw new Error(`${message} CI requires them.`);
  console.warn(message);
  return null;
}

/** Launches headless Chromium with the flags the tests need in containers. */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

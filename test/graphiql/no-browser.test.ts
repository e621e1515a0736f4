/**
 * `npm test` on a machine without Chromium: the GraphiQL browser tests skip with a message saying
 * how to run them, and the rest of the file runs; with `CI` set a missing browser fails the file.
 * Runs Vitest on test/graphiql/graphiql.test.ts in a child process with CHROMIUM_PATH pointing at
 * nothing.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const MISSING = '/nonexistent/chromium';

function runGraphiqlTests(ci: boolean) {
  const env: NodeJS.ProcessEnv = { ...process.env, CHROMIUM_PATH: MISSING, NO_COLOR: '1', FORCE_COLOR: '0' };
  delete env.CI;
  delete env.VITEST;
  delete env.VITEST_WORKER_ID;
  delete env.VITEST_POOL_ID;
  if (ci) env.CI = '1';
  const run = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/graphiql/graphiql.test.ts'], {
    cwd: ROOT, env, encoding: 'utf8', timeout: 120_000,
  });
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
}

const SKIP_MESSAGE = `graphiql.test.ts: CHROMIUM_PATH=${MISSING} is not an executable, skipping the browser tests (install Chromium, e.g. apt-get install chromium, or set CHROMIUM_PATH).`;

describe('GraphiQL browser tests without Chromium', () => {
  it('skip with a message saying how to run them, and the other tests still run', () => {
    const { status, output } = runGraphiqlTests(false);
    expect(output).toContain(SKIP_MESSAGE);
    expect(output).toMatch(/Tests\s+5 passed \| 3 skipped \(8\)/);
    expect(status).toBe(0);
  }, 180_000);

  it('fail in CI', () => {
    const { status, output } = runGraphiqlTests(true);
    expect(output).toContain(`${SKIP_MESSAGE} CI requires them.`);
    expect(status).toBe(1);
  }, 180_000);
});

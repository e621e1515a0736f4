/**
 * The first `npm start` is not silent: scripts/ensure-graphiql.mjs (npm's prestart) says that it
 * builds the GraphiQL assets and why, the build prints each step and what it built in how long,
 * and the next start prints nothing. Builds into a temporary directory (GRAPHIQL_OUT_DIR).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'graphiql-build-'));
const out = join(dir, 'out');
const shown = relative(ROOT, out);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ensure() {
  const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'ensure-graphiql.mjs')], {
    cwd: ROOT, env: { ...process.env, GRAPHIQL_OUT_DIR: out }, encoding: 'utf8', timeout: 240_000,
  });
  return { status: run.status, lines: run.stdout.split('\n').filter(Boolean), stderr: run.stderr };
}

describe('scripts/ensure-graphiql.mjs', () => {
  it('announces the one-time build, prints its steps and duration, then stays quiet', () => {
    const first = ensure();
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.lines).toHaveLength(5);
    expect(first.lines[0]).toBe(`GraphiQL assets not built yet: building them into ${shown}/ once (later starts skip this).`);
    expect(first.lines[1]).toMatch(new RegExp(`^graphiql: building GraphiQL \\d+\\.\\d+\\.\\d+ into ${shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/: bundling 3 Monaco workers \\(0\\.\\ds\\)$`));
    expect(first.lines[2]).toMatch(/^graphiql: bundling the app \(React, GraphiQL, styles, fonts\) \(\d+\.\ds\)$/);
    expect(first.lines[3]).toMatch(/^graphiql: precompressing \(brotli, gzip\) \(\d+\.\ds\)$/);
    expect(first.lines[4]).toMatch(/^graphiql \d+\.\d+\.\d+ built into .+ in \d+\.\ds: app-\w+\.js /);
    expect(existsSync(join(out, 'manifest.json'))).toBe(true);

    const second = ensure();
    expect(second).toEqual({ status: 0, lines: [], stderr: '' });
  }, 300_000);
});

/**
 * Smoke test of `npm run bench`: the harness starts the emulator and the BFF as processes, runs
 * scenario 1 (and the memory summary, which has no figures without 2 and 4), writes its files
 * and ends stdout with the one-line JSON summary. Structure only: no timing assertions.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
let out: string | null = null;

afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

describe('npm run bench (smoke)', () => {
  it('runs scenario 1 end to end and ends with the JSON summary line', async () => {
    out = await mkdtemp(join(tmpdir(), 'bench-smoke-'));
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'bench/run.ts', '--quick', '--only', '1', '--latency', '0', '--out', out],
      { cwd: join(import.meta.dirname, '..', '..'), timeout: 120_000, maxBuffer: 10 * 1024 * 1024 },
    );
    const lines = stdout.trim().split('\n');
    const summary = JSON.parse(lines.at(-1) as string) as Record<string, unknown>;
    expect(Object.keys(summary)).toEqual([
      'entityBatching',
      'largeReadSpeedup',
      'bulkMutationSpeedup',
      'proxyThroughputRatio',
      'proxyAddedP50Ms',
      'peakRssMb',
      'sdkQuery',
      'bulkOperation',
    ]);
    expect(summary['entityBatching']).toEqual({ k: 1000, upstreamCalls: 10, ideal: 10 });
    expect(stdout).toContain('== 1. Entity batching');

    const json = JSON.parse(await readFile(join(out, 'latest.json'), 'utf8')) as { scenarios: Array<{ id: string; error?: string }> };
    expect(json.scenarios.map((s) => s.id)).toEqual(['entityBatching']);
    expect(json.scenarios[0]?.error).toBeUndefined();
    expect(await readFile(join(out, 'latest.md'), 'utf8')).toContain('| 1. Entity batching | upstream calls, K=1000 |');
    expect(await readFile(join(out, 'latest.svg'), 'utf8')).toContain('</svg>');
  }, 150_000);
});

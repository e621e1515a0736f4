import { describe, expect, it } from 'vitest';
import { buildSummary } from '../../bench/report.js';
import { renderRunsTable } from '../../bench/runs.js';
import type { BenchResults, Summary } from '../../bench/types.js';

function run(at: string, load: number, summary: Partial<Summary>): BenchResults {
  return {
    run: { generatedAt: at, mode: 'full', latencyMs: 20, jitterMs: 0, node: '20.19.0', platform: 'linux x64', cpus: 2, loadAverage: { start: load, end: load }, bffEnv: {}, commit: 'abc', durationS: 200 },
    summary: { ...buildSummary([]), ...summary },
    scenarios: [],
  };
}

describe('renderRunsTable', () => {
  it('puts each run in a column, every headline figure with its verdict, then the target', () => {
    const table = renderRunsTable([
      run('2026-11-30T18:01:00.000Z', 1.04, {
        entityBatching: { k: 1000, upstreamCalls: 10, ideal: 10 },
        largeReadSpeedup: 8.4,
        bulkMutationSpeedup: 6.12,
        proxyThroughputRatio: 0.93,
        proxyAddedP50Ms: 1.4,
        peakRssMb: 251.3,
        sdkQuery: { ratio: 0.8, addedP50Ms: 9, bffCpuMsPerReq: 3, upstreamCpuMsPerReq: 4 },
        bulkOperation: { assets: 50_000, wallS: 11, floorS: 10, callsPerAsset: 0.011 },
      }),
      run('2026-11-30T18:05:00.000Z', 2.5, { largeReadSpeedup: 7.9 }),
    ]);
    expect(table.split('\n')).toEqual([
      '| Figure | 18:01 UTC, load 1 | 18:05 UTC, load 2.5 | Target |',
      '| --- | ---: | ---: | --- |',
      '| Entity batching: calls for K=1000 | 10 ✔ | — | = 10 |',
      '| Large read speedup vs SDK | 8.4× ✔ | 7.9× ✘ | ≥ 8× |',
      '| Bulk mutation speedup vs SDK | 6.12× ✔ | — | ≥ 6× |',
      '| Light query throughput, share of direct | 0.93 ✔ | — | ≥ 0.9 |',
      '| Light query added p50 latency | 1.4 ms ✔ | — | ≤ 2 ms |',
      '| SDK query throughput, share of direct | 0.8 ✘ | — | ≥ 0.85 |',
      '| SDK query BFF CPU, share of upstream | 0.75 ✘ | — | ≤ 0.6 |',
      '| Peak RSS of the BFF | 251.3 MB ✔ | — | ≤ 300 MB |',
      '| Bulk operation: wall ÷ rate-limit floor | 1.1 ✔ | — | ≤ 1.15 |',
      '',
    ]);
  });

  it('reads a latest.json written before the bulk operation scenario existed', () => {
    const old = run('2026-11-30T18:01:00.000Z', 1, {});
    delete (old.summary as Partial<Summary>).bulkOperation;
    expect(renderRunsTable([old])).toContain('| Bulk operation: wall ÷ rate-limit floor | — | ≤ 1.15 |');
  });

  it('renders nothing for no runs', () => {
    expect(renderRunsTable([])).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { buildSummary, chartBars, summaryLine } from '../../bench/report.js';
import { checkPassed, checkRun, cpuShare, NOISE_MARGINS, relaxed, renderCheck, TARGETS } from '../../bench/targets.js';
import type { Summary } from '../../bench/types.js';

function summary(overrides: Partial<Summary> = {}): Summary {
  return {
    ...buildSummary([]),
    entityBatching: { k: 1000, upstreamCalls: 10, ideal: 10 },
    largeReadSpeedup: 9.1,
    bulkMutationSpeedup: 6.4,
    proxyThroughputRatio: 0.93,
    proxyAddedP50Ms: 1.2,
    peakRssMb: 240,
    sdkQuery: { ratio: 0.88, addedP50Ms: 3.1, bffCpuMsPerReq: 2, upstreamCpuMsPerReq: 4 },
    ...overrides,
  };
}

describe('summary line with the SDK default query', () => {
  it('carries sdkQuery {ratio, addedP50Ms, bffCpuMsPerReq, upstreamCpuMsPerReq}, rounded, before bulkOperation', () => {
    const line = summaryLine(summary({ sdkQuery: { ratio: 0.8765, addedP50Ms: 3.14159, bffCpuMsPerReq: 2.345, upstreamCpuMsPerReq: 3.97 } }));
    expect(line).toBe(
      '{"entityBatching":{"k":1000,"upstreamCalls":10,"ideal":10},"largeReadSpeedup":9.1,"bulkMutationSpeedup":6.4,' +
        '"proxyThroughputRatio":0.93,"proxyAddedP50Ms":1.2,"peakRssMb":240,' +
        '"sdkQuery":{"ratio":0.88,"addedP50Ms":3.14,"bffCpuMsPerReq":2.35,"upstreamCpuMsPerReq":3.97},' +
        '"bulkOperation":{"assets":null,"wallS":null,"floorS":null,"callsPerAsset":null}}',
    );
  });

  it('charts the SDK query ratio and the CPU share against their targets', () => {
    const bars = chartBars(summary());
    expect(bars.map((b) => [b.label, b.value, b.target])).toEqual([
      ['Entity batching: calls for K=1000', 10, { op: '==', value: 10 }],
      ['Large read speedup vs SDK', 9.1, { op: '>=', value: 8 }],
      ['Bulk mutation speedup vs SDK', 6.4, { op: '>=', value: 6 }],
      ['Light query throughput, share of direct', 0.93, { op: '>=', value: 0.9 }],
      ['Light query added p50 latency', 1.2, { op: '<=', value: 2 }],
      ['SDK query throughput, share of direct', 0.88, { op: '>=', value: 0.85 }],
      ['SDK query BFF CPU, share of upstream', 0.5, { op: '<=', value: 0.6 }],
      ['Peak RSS of the BFF', 240, { op: '<=', value: 300 }],
      ['Bulk operation: wall ÷ rate-limit floor', null, { op: '<=', value: 1.15 }],
    ]);
  });
});

describe('cpuShare', () => {
  it('is BFF CPU per request over the emulator CPU per request', () => {
    expect(cpuShare(summary())).toBe(0.5);
  });
  it('is null without both figures or with no upstream CPU', () => {
    expect(cpuShare(summary({ sdkQuery: null }))).toBeNull();
    expect(cpuShare(summary({ sdkQuery: { ratio: 1, addedP50Ms: 0, bffCpuMsPerReq: null, upstreamCpuMsPerReq: 4 } }))).toBeNull();
    expect(cpuShare(summary({ sdkQuery: { ratio: 1, addedP50Ms: 0, bffCpuMsPerReq: 2, upstreamCpuMsPerReq: 0 } }))).toBeNull();
  });
});

describe('relaxed', () => {
  it('moves the target by the margin in the lenient direction; exact targets stay exact', () => {
    expect(relaxed({ op: '>=', value: 8 }, 1)).toEqual({ op: '>=', value: 7 });
    expect(relaxed({ op: '<=', value: 2 }, 1.5)).toEqual({ op: '<=', value: 3.5 });
    expect(relaxed({ op: '<', value: 300 }, 15)).toEqual({ op: '<', value: 315 });
    expect(relaxed({ op: '==', value: 10 }, 3)).toEqual({ op: '==', value: 10 });
  });
});

describe('checkRun', () => {
  it('passes a run meeting every target', () => {
    const lines = checkRun(summary());
    expect(lines.map((l) => [l.figure, l.verdict])).toEqual([
      ['largeReadSpeedup', 'met'],
      ['bulkMutationSpeedup', 'met'],
      ['proxyThroughputRatio', 'met'],
      ['proxyAddedP50Ms', 'met'],
      ['sdkQueryRatio', 'met'],
      ['sdkQueryCpuShare', 'met'],
      ['peakRssMb', 'met'],
      ['entityBatchingCalls', 'met'],
    ]);
    expect(checkPassed(lines)).toBe(true);
  });

  it('tolerates a shortfall within the margin and fails one beyond it', () => {
    const margins = { ...NOISE_MARGINS, largeReadSpeedup: 1, sdkQueryCpuShare: 0.05, proxyAddedP50Ms: 1 };
    const lines = checkRun(
      summary({ largeReadSpeedup: 7.2, proxyAddedP50Ms: 3.01, sdkQuery: { ratio: 0.88, addedP50Ms: 3, bffCpuMsPerReq: 2.5, upstreamCpuMsPerReq: 4 } }),
      margins,
    );
    const verdict = Object.fromEntries(lines.map((l) => [l.figure, l.verdict]));
    expect(verdict['largeReadSpeedup']).toBe('within noise');
    expect(verdict['proxyAddedP50Ms']).toBe('regressed');
    expect(verdict['sdkQueryCpuShare']).toBe('within noise');
    expect(checkPassed(lines)).toBe(false);
  });

  it('holds upstream calls to the ideal exactly and fails a figure that was not measured', () => {
    const lines = checkRun(summary({ entityBatching: { k: 1000, upstreamCalls: 11, ideal: 10 }, bulkMutationSpeedup: null }));
    const verdict = Object.fromEntries(lines.map((l) => [l.figure, l.verdict]));
    expect(verdict['entityBatchingCalls']).toBe('regressed');
    expect(verdict['bulkMutationSpeedup']).toBe('not measured');
  });

  it('judges only the figures of the scenarios run', () => {
    const lines = checkRun(summary({ largeReadSpeedup: null }), NOISE_MARGINS, new Set(['sdkQueryRatio', 'sdkQueryCpuShare'] as const));
    expect(lines.map((l) => l.figure)).toEqual(['sdkQueryRatio', 'sdkQueryCpuShare']);
    expect(checkPassed(lines)).toBe(true);
  });

  it('renders one line per figure and the outcome', () => {
    const text = renderCheck(checkRun(summary({ sdkQuery: { ratio: 0.7, addedP50Ms: 9, bffCpuMsPerReq: 2, upstreamCpuMsPerReq: 4 } }), NOISE_MARGINS, new Set(['sdkQueryRatio'] as const)));
    expect(text).toBe(
      [
        '== check: every figure against its target, with its noise margin',
        `   sdkQueryRatio: 0.7 (target ≥ 0.85, margin ${NOISE_MARGINS.sdkQueryRatio}): regressed`,
        'check: FAILED (a figure regressed beyond its noise margin, or was not measured)',
      ].join('\n'),
    );
  });

  it('uses the documented targets', () => {
    expect(TARGETS).toEqual({
      largeReadSpeedup: { op: '>=', value: 8 },
      bulkMutationSpeedup: { op: '>=', value: 6 },
      proxyThroughputRatio: { op: '>=', value: 0.9 },
      proxyAddedP50Ms: { op: '<=', value: 2 },
      sdkQueryRatio: { op: '>=', value: 0.85 },
      sdkQueryCpuShare: { op: '<=', value: 0.6 },
      peakRssMb: { op: '<=', value: 300 },
    });
  });
});

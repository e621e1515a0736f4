import { describe, expect, it } from 'vitest';
import { buildSummary, chartBars, renderMarkdown, renderScenarioText, renderSvg, summaryLine } from '../../bench/report.js';
import { meets, type BenchResults, type ScenarioResult } from '../../bench/types.js';

const scenarios: ScenarioResult[] = [
  {
    id: 'entityBatching',
    title: '1. Entity batching',
    sizes: 'K = 1, 100, 1000',
    rows: [
      { measure: 'upstream calls, K=1000', baselineLabel: 'ideal ⌈K/100⌉', baseline: 10, ours: 10, unit: 'calls', ratio: 1, ratioLabel: 'of ideal', target: { op: '==', value: 10 }, targetOn: 'ours' },
    ],
    notes: ['a | pipe'],
    summary: { entityBatching: { k: 1000, upstreamCalls: 10, ideal: 10 } },
  },
  {
    id: 'largeRead',
    title: '2. Large read',
    sizes: '5000 assets',
    rows: [
      { measure: 'wall time', baselineLabel: 'SDK', baseline: 1234.5678, ours: 200, unit: 'ms', ratio: 6.172839, ratioLabel: '×', target: { op: '>=', value: 5 }, targetOn: 'ratio' },
    ],
    notes: [],
    summary: { largeReadSpeedup: 6.172839 },
  },
  { id: 'bulkMutation', title: '3. Bulk mutation', sizes: '—', rows: [], notes: [], error: 'HTTP 400 <BAD_USER_INPUT>' },
  {
    id: 'proxyOverhead',
    title: '4. Proxy overhead',
    sizes: '100-asset page',
    rows: [
      { measure: 'throughput', baselineLabel: 'direct', baseline: 700, ours: 500, unit: 'req/s', ratio: 500 / 700, ratioLabel: 'of baseline', target: { op: '>=', value: 0.8 }, targetOn: 'ratio' },
    ],
    notes: [],
    summary: { proxyThroughputRatio: 500 / 700, proxyAddedP50Ms: 1.5 },
  },
];

const results: BenchResults = {
  run: { generatedAt: '2026-01-01T00:00:00.000Z', mode: 'quick', latencyMs: 20, jitterMs: 0, node: '20.19.0', platform: 'linux x64', cpus: 2, loadAverage: { start: 0.5, end: 1 }, bffEnv: { LOG_LEVEL: 'warn' }, commit: 'abc1234', durationS: 42.4 },
  summary: buildSummary(scenarios),
  scenarios,
};

describe('summary line', () => {
  it('is one JSON object with the documented keys in order; missing figures are null', () => {
    const line = summaryLine(results.summary);
    expect(line).not.toContain('\n');
    expect(line).toBe(
      '{"entityBatching":{"k":1000,"upstreamCalls":10,"ideal":10},"largeReadSpeedup":6.17,"bulkMutationSpeedup":null,' +
        '"proxyThroughputRatio":0.71,"proxyAddedP50Ms":1.5,"peakRssMb":null,"sdkQuery":null,' +
        '"bulkOperation":{"assets":null,"wallS":null,"floorS":null,"callsPerAsset":null}}',
    );
  });

  it('ends with bulkOperation (scenario 7) after sdkQuery (scenario 6), rounded', () => {
    const line = summaryLine({ ...results.summary, bulkOperation: { assets: 50_000, wallS: 12.3456, floorS: 11.2, callsPerAsset: 0.011_234_5 } });
    expect(line.endsWith('"sdkQuery":null,"bulkOperation":{"assets":50000,"wallS":12.35,"floorS":11.2,"callsPerAsset":0.0112}}')).toBe(true);
  });
});

describe('markdown', () => {
  it('renders one table row per figure, with verdicts, escaped cells and failed scenarios', () => {
    const md = renderMarkdown(results);
    expect(md).toContain('| Scenario | Measure | Baseline | Baseline figure | BFF | Ratio | Target | Met |');
    expect(md).toContain('| 2. Large read | wall time | SDK | 1,234.6 ms | 200 ms | 6.17× | ≥ 5× | ✔ |');
    expect(md).toContain('| 4. Proxy overhead | throughput | direct | 700 req/s | 500 req/s | 0.71 of baseline | ≥ 0.8 | ✘ |');
    expect(md).toContain('| 1. Entity batching | upstream calls, K=1000 | ideal ⌈K/100⌉ | 10 calls | 10 calls | 1 of ideal | = 10 calls | ✔ |');
    expect(md).toContain('✘ (HTTP 400 <BAD_USER_INPUT>)');
    expect(md).toContain('a \\| pipe');
  });

  it('prints a text block per scenario', () => {
    const text = renderScenarioText(scenarios[1] as ScenarioResult);
    expect(text).toContain('baseline (SDK) 1,234.6 ms | ours 200 ms | ratio 6.17×');
    expect(text).toContain('✔ target ≥ 5×');
  });
});

describe('svg', () => {
  it('draws one bar per headline figure against its target', () => {
    const svg = renderSvg(results);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    const bars = chartBars(results.summary);
    expect(bars).toHaveLength(9);
    expect(svg.match(/stroke-dasharray/g)).toHaveLength(9);
    expect(bars.at(-1)).toEqual({ label: 'Bulk operation: wall ÷ rate-limit floor', value: null, target: { op: '<=', value: 1.15 }, unit: '' });
    expect(svg).toContain('6.17×  (target ≥ 8×) ✘');
    expect(svg).toContain('n/a');
    expect(svg).toContain('1.5 ms  (target ≤ 2 ms) ✔');
  });

  it('judges targets', () => {
    expect(meets(10, { op: '==', value: 10 })).toBe(true);
    expect(meets(1.99, { op: '<', value: 2 })).toBe(true);
    expect(meets(null, { op: '<', value: 2 })).toBeNull();
  });
});

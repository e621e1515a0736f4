/**
 * Bench-internal: turns scenario results into the summary line, `latest.json`, a Markdown table
 * (`latest.md`) and a small hand-built SVG bar chart (`latest.svg`). Pure functions except
 * `writeResults`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BULK_OPERATION_WALL_RATIO, cpuShare, TARGETS } from './targets.js';
import { meets, round, type BenchResults, type Row, type ScenarioResult, type Summary, type Target } from './types.js';

/** The K of the summary line's `entityBatching` entry. */
export const SUMMARY_K = 1000;

/** Merges every scenario's share of the summary; missing figures stay null. */
export function buildSummary(scenarios: readonly ScenarioResult[]): Summary {
  const summary: Summary = {
    entityBatching: { k: SUMMARY_K, upstreamCalls: null, ideal: Math.ceil(SUMMARY_K / 100) },
    largeReadSpeedup: null,
    bulkMutationSpeedup: null,
    proxyThroughputRatio: null,
    proxyAddedP50Ms: null,
    peakRssMb: null,
    sdkQuery: null,
    bulkOperation: { assets: null, wallS: null, floorS: null, callsPerAsset: null },
  };
  for (const scenario of scenarios) Object.assign(summary, scenario.summary ?? {});
  return summary;
}

/** The summary as exactly one JSON line, keys in the documented order. */
export function summaryLine(summary: Summary): string {
  const r = (v: number | null): number | null => (v === null ? null : round(v));
  return JSON.stringify({
    entityBatching: {
      k: summary.entityBatching.k,
      upstreamCalls: summary.entityBatching.upstreamCalls,
      ideal: summary.entityBatching.ideal,
    },
    largeReadSpeedup: r(summary.largeReadSpeedup),
    bulkMutationSpeedup: r(summary.bulkMutationSpeedup),
    proxyThroughputRatio: r(summary.proxyThroughputRatio),
    proxyAddedP50Ms: r(summary.proxyAddedP50Ms),
    peakRssMb: r(summary.peakRssMb),
    sdkQuery:
      summary.sdkQuery === null
        ? null
        : {
            ratio: r(summary.sdkQuery.ratio),
            addedP50Ms: r(summary.sdkQuery.addedP50Ms),
            bffCpuMsPerReq: r(summary.sdkQuery.bffCpuMsPerReq),
            upstreamCpuMsPerReq: r(summary.sdkQuery.upstreamCpuMsPerReq),
          },
    bulkOperation: {
      assets: summary.bulkOperation.assets,
      wallS: r(summary.bulkOperation.wallS),
      floorS: r(summary.bulkOperation.floorS),
      callsPerAsset: summary.bulkOperation.callsPerAsset === null ? null : Math.round(summary.bulkOperation.callsPerAsset * 10_000) / 10_000,
    },
  });
}

function fmt(value: number | null, unit = ''): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const n = round(value);
  const text = Math.abs(n) >= 1000 ? n.toLocaleString('en-US') : String(n);
  return unit ? `${text} ${unit}` : text;
}

export function targetText(target: Target | undefined, unit: string): string {
  if (!target) return '';
  const op = { '>=': '≥', '<=': '≤', '==': '=', '<': '<' }[target.op];
  return `${op} ${target.value}${unit === '×' ? '×' : unit ? ` ${unit}` : ''}`;
}

function rowVerdict(row: Row): boolean | null {
  return meets(row.targetOn === 'ours' ? row.ours : row.ratio, row.target);
}

function targetUnit(row: Row): string {
  if (row.targetOn === 'ours') return row.unit;
  return row.ratioLabel === '×' ? '×' : row.ratioLabel === 'ms added' ? 'ms' : '';
}

function ratioCell(row: Row): string {
  if (row.ratio === null) return '—';
  if (row.ratioLabel === '×') return `${fmt(row.ratio)}×`;
  return `${fmt(row.ratio)} ${row.ratioLabel}`;
}

/** A line per row: scenario, measure, baseline, ours, ratio (stdout). */
export function renderScenarioText(scenario: ScenarioResult): string {
  const lines = [`== ${scenario.title}  [${scenario.sizes}]`];
  for (const row of scenario.rows) {
    const verdict = rowVerdict(row);
    const mark = verdict === null ? '  (no figure) target ' : verdict ? '  ✔ target ' : '  ✘ target ';
    lines.push(
      `   ${row.measure}: baseline (${row.baselineLabel}) ${fmt(row.baseline, row.unit)} | ours ${fmt(row.ours, row.unit)} | ratio ${ratioCell(row)}` +
        (row.target ? `${mark}${targetText(row.target, targetUnit(row))}` : ''),
    );
  }
  for (const note of scenario.notes) lines.push(`   note: ${note}`);
  if (scenario.error) lines.push(`   ERROR: ${scenario.error}`);
  return lines.join('\n');
}

const escapeMd = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The Markdown results table (plus sizes and notes), ready to paste in the README. */
export function renderMarkdown(results: BenchResults): string {
  const { run } = results;
  const out = [
    `# Benchmark results (${run.mode} run)`,
    '',
    `${run.generatedAt} · commit ${run.commit ?? 'unknown'} · upstream latency ${run.latencyMs} ms` +
      `${run.jitterMs ? ` ± ${run.jitterMs} ms` : ''} · Node ${run.node} · servers ${run.build === 'dist' ? 'compiled (dist/)' : 'from sources (tsx)'} · ${run.cpus} CPU(s) · 1-min load ${round(run.loadAverage.start)} → ${round(run.loadAverage.end)} · ${round(run.durationS, 0)} s`,
    '',
    `BFF settings: ${Object.entries(run.bffEnv).map(([k, v]) => `\`${k}=${v}\``).join(', ') || 'defaults'} (everything else at its default).`,
    '',
    '| Scenario | Measure | Baseline | Baseline figure | BFF | Ratio | Target | Met |',
    '| --- | --- | --- | ---: | ---: | ---: | --- | :---: |',
  ];
  for (const scenario of results.scenarios) {
    if (scenario.rows.length === 0) {
      out.push(`| ${escapeMd(scenario.title)} | — | — | — | — | — | — | ✘ (${escapeMd(scenario.error ?? 'no figures')}) |`);
      continue;
    }
    for (const row of scenario.rows) {
      const verdict = rowVerdict(row);
      out.push(
        `| ${escapeMd(scenario.title)} | ${escapeMd(row.measure)} | ${escapeMd(row.baselineLabel)} | ${fmt(row.baseline, row.unit)} | ` +
          `${fmt(row.ours, row.unit)} | ${ratioCell(row)} | ${escapeMd(targetText(row.target, targetUnit(row)))} | ` +
          `${verdict === null ? '' : verdict ? '✔' : '✘'} |`,
      );
    }
  }
  out.push('', '**Sizes used**', '');
  for (const scenario of results.scenarios) out.push(`- **${escapeMd(scenario.title)}**: ${escapeMd(scenario.sizes)}`);
  const notes = results.scenarios.flatMap((s) => [
    ...s.notes.map((n) => `- **${escapeMd(s.title)}**: ${escapeMd(n)}`),
    ...(s.error ? [`- **${escapeMd(s.title)}**: error: ${escapeMd(s.error)}`] : []),
  ]);
  if (notes.length > 0) out.push('', '**Notes**', '', ...notes);
  out.push('', 'Summary: `' + summaryLine(results.summary) + '`', '');
  return out.join('\n');
}

/** One bar of the chart: a headline figure against its target. */
export interface ChartBar {
  label: string;
  value: number | null;
  target: Target;
  unit: string;
}

/**
 * Scenario 7's wall time as a multiple of its rate-limit floor (null when either is unknown, or
 * for a latest.json written before scenario 7 existed).
 */
function bulkRatio(summary: Summary): number | null {
  const op = summary.bulkOperation as Summary['bulkOperation'] | undefined;
  if (!op || op.wallS === null || op.floorS === null || op.floorS === 0) return null;
  return op.wallS / op.floorS;
}

/** The headline figures of the summary line, each with its target (bench/targets.ts). */
export function chartBars(summary: Summary): ChartBar[] {
  const calls = summary.entityBatching.upstreamCalls;
  return [
    { label: `Entity batching: calls for K=${summary.entityBatching.k}`, value: calls, target: { op: '==', value: summary.entityBatching.ideal }, unit: '' },
    { label: 'Large read speedup vs SDK', value: summary.largeReadSpeedup, target: TARGETS.largeReadSpeedup, unit: '×' },
    { label: 'Bulk mutation speedup vs SDK', value: summary.bulkMutationSpeedup, target: TARGETS.bulkMutationSpeedup, unit: '×' },
    { label: 'Light query throughput, share of direct', value: summary.proxyThroughputRatio, target: TARGETS.proxyThroughputRatio, unit: '' },
    { label: 'Light query added p50 latency', value: summary.proxyAddedP50Ms, target: TARGETS.proxyAddedP50Ms, unit: 'ms' },
    { label: 'SDK query throughput, share of direct', value: summary.sdkQuery?.ratio ?? null, target: TARGETS.sdkQueryRatio, unit: '' },
    { label: 'SDK query BFF CPU, share of upstream', value: cpuShare(summary), target: TARGETS.sdkQueryCpuShare, unit: '' },
    { label: 'Peak RSS of the BFF', value: summary.peakRssMb, target: TARGETS.peakRssMb, unit: 'MB' },
    { label: 'Bulk operation: wall ÷ rate-limit floor', value: bulkRatio(summary), target: BULK_OPERATION_WALL_RATIO, unit: '' },
  ];
}

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A horizontal bar per headline figure, each on its own scale (0 … 1.25 × max(value, target)),
 * with the target drawn as a dashed line; green when met, red when not, grey when missing.
 */
export function renderSvg(results: BenchResults): string {
  const bars = chartBars(results.summary);
  const width = 820;
  const labelWidth = 280;
  const barArea = 330;
  const rowHeight = 34;
  const top = 44;
  const height = top + bars.length * rowHeight + 30;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="13">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="12" y="24" font-size="15" font-weight="600">${escapeXml(
      `Kili Asset BFF benchmark (${results.run.mode}, ${results.run.latencyMs} ms upstream latency): figures vs targets`,
    )}</text>`,
  ];
  bars.forEach((bar, i) => {
    const y = top + i * rowHeight;
    const met = meets(bar.value, bar.target);
    const scaleMax = Math.max(bar.value ?? 0, bar.target.value) * 1.25 || 1;
    const x0 = labelWidth;
    const barWidth = bar.value === null ? 0 : Math.max(1, (bar.value / scaleMax) * barArea);
    const targetX = x0 + (bar.target.value / scaleMax) * barArea;
    const color = met === null ? '#9e9e9e' : met ? '#2e7d32' : '#c62828';
    const valueText = bar.value === null ? 'n/a' : `${round(bar.value)}${bar.unit === '×' ? '×' : bar.unit ? ` ${bar.unit}` : ''}`;
    const goal = targetText(bar.target, bar.unit === '×' ? '×' : bar.unit);
    parts.push(
      `<text x="12" y="${y + 18}">${escapeXml(bar.label)}</text>`,
      `<rect x="${x0}" y="${y + 5}" width="${round(barArea, 1)}" height="18" fill="#f1f1f1"/>`,
      `<rect x="${x0}" y="${y + 5}" width="${round(barWidth, 1)}" height="18" fill="${color}"/>`,
      `<line x1="${round(targetX, 1)}" y1="${y + 1}" x2="${round(targetX, 1)}" y2="${y + 27}" stroke="#212121" stroke-width="2" stroke-dasharray="4 3"/>`,
      `<text x="${x0 + barArea + 10}" y="${y + 18}">${escapeXml(`${valueText}  (target ${goal}) ${met === null ? '' : met ? '✔' : '✘'}`)}</text>`,
    );
  });
  parts.push(
    `<text x="12" y="${height - 10}" font-size="11" fill="#555">${escapeXml(
      `Dashed line: target. Each bar on its own scale. ${results.run.generatedAt}`,
    )}</text>`,
    '</svg>',
  );
  return parts.join('\n') + '\n';
}

/** Writes latest.json, latest.md and latest.svg into `dir`; resolves with their paths. */
export async function writeResults(dir: string, results: BenchResults): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: Array<[string, string]> = [
    ['latest.json', JSON.stringify(results, null, 2) + '\n'],
    ['latest.md', renderMarkdown(results)],
    ['latest.svg', renderSvg(results)],
  ];
  const paths: string[] = [];
  for (const [name, content] of files) {
    const path = join(dir, name);
    await writeFile(path, content);
    paths.push(path);
  }
  return paths;
}

/**
 * Scenario 2, large read: `assets(projectId, first: 5000)` through the BFF against the SDK's
 * algorithm run directly on the upstream (countAssets, then sequential pages of 100; reference
 * §5.1). Both read the same fields of the same 5,000 assets. The BFF's memory is sampled
 * meanwhile (scenario 5).
 */
import { projectWhere, sdkPaginate } from '../baselines/sdk.js';
import { countByRootField, timeline, type LoggedRequest } from '../emulator-control.js';
import { bffData, median, READ_FIELDS, timed, type BenchContext } from '../context.js';
import { cpuMeter, sampleRss } from '../processes.js';
import type { ScenarioResult } from '../types.js';

export const LARGE_READ_SIZE = 5000;

export function bffAssetsQuery(first: number): string {
  return `query LargeRead($projectId: ID!) {\n  assets(projectId: $projectId, first: ${first}) { ${READ_FIELDS.join(' ')} }\n}`;
}

export async function runLargeRead(ctx: BenchContext): Promise<ScenarioResult> {
  const { emulator } = ctx;
  const size = LARGE_READ_SIZE;
  const reps = ctx.quick ? 2 : 5;
  const projectId = await emulator.createProject('bench: large read');
  const ids = await emulator.seed(projectId, size, { externalIdPrefix: 'read-' });
  const execute = emulator.executor();
  const where = projectWhere(projectId);
  const query = bffAssetsQuery(size);
  const readBff = async (): Promise<Array<{ id: string }>> =>
    (await bffData<{ assets: Array<{ id: string }> }>(ctx, query, { projectId })).assets;
  const readSdk = () => sdkPaginate(execute, { where, fields: READ_FIELDS, first: size });

  const rss = sampleRss(ctx.bff.pid);
  let peak: ReturnType<typeof rss.stop>;
  const bffTimes: number[] = [];
  const sdkTimes: number[] = [];
  let sdkCalls = 0;
  let sdkRows = 0;
  let bffCpuMs: Record<string, number | null> = {};
  let bffStart = 0;
  let counted: { value: { value: Array<{ id: string }>; ms: number }; requests: LoggedRequest[] };
  try {
    // Warm-up on a small page, both sides; not measured.
    await bffData(ctx, bffAssetsQuery(100), { projectId });
    await sdkPaginate(execute, { where, fields: READ_FIELDS, first: 100 });

    const cpu = cpuMeter({ emulator: ctx.emulatorPid, bff: ctx.bff.pid });
    bffStart = Date.now();
    counted = await emulator.counting(() => timed(readBff));
    bffCpuMs = cpu.stop();
    bffTimes.push(counted.value.ms);
    for (let i = 0; i < reps; i += 1) {
      const sdk = await timed(readSdk);
      sdkTimes.push(sdk.ms);
      sdkCalls = sdk.value.calls;
      sdkRows = sdk.value.rows.length;
      if (i > 0) bffTimes.push((await timed(readBff)).ms); // alternate the two sides
    }
  } finally {
    peak = rss.stop();
  }
  {
    const bffRows = counted.value.value;
    const oursMs = median(bffTimes);
    const baselineMs = median(sdkTimes);
    const speedup = baselineMs / oursMs;
    const bffCalls = counted.requests.length;
    const notes: string[] = [];
    if (bffRows.length !== size) notes.push(`the BFF returned ${bffRows.length} assets, expected ${size}.`);
    if (sdkRows !== size) notes.push(`the SDK algorithm returned ${sdkRows} assets, expected ${size}.`);
    const expected = new Set(ids);
    const missing = bffRows.filter((row) => !expected.has(row.id)).length;
    const c = (name: string): string => (bffCpuMs[name] == null ? '?' : String(Math.round(bffCpuMs[name] as number)));
    const phases = timeline(counted.requests, bffStart);
    notes.push(
      `CPU during one BFF read (${Math.round(counted.value.ms)} ms wall): BFF ${c('bff')} ms, emulator ${c('emulator')} ms. ` +
        'Upstream requests received (count, first and last arrival after the request was sent): ' +
        Object.entries(phases).map(([f, p]) => `${f} ×${p.count} ${p.firstMs}–${p.lastMs} ms`).join('; ') + '.',
    );
    if (missing > 0) notes.push(`${missing} assets returned by the BFF are not among the seeded ones.`);
    ctx.log(`  ${Math.round(baselineMs)} ms SDK (${sdkCalls} calls) vs ${Math.round(oursMs)} ms BFF (${bffCalls} calls): ${speedup.toFixed(2)}×`);
    return {
      id: 'largeRead',
      title: '2. Large read',
      sizes: `${size} assets, ${READ_FIELDS.length} scalar fields; median of ${reps} run(s) each`,
      rows: [
        {
          measure: `wall time, first: ${size}`,
          baselineLabel: 'SDK algorithm (count + sequential pages of 100), direct',
          baseline: baselineMs,
          ours: oursMs,
          unit: 'ms',
          ratio: speedup,
          ratioLabel: '×',
          target: { op: '>=', value: 5 },
          targetOn: 'ratio',
        },
        {
          measure: 'upstream calls',
          baselineLabel: 'SDK algorithm',
          baseline: sdkCalls,
          ours: bffCalls,
          unit: 'calls',
          ratio: bffCalls / sdkCalls,
          ratioLabel: 'of baseline',
        },
      ],
      notes,
      raw: {
        projectId,
        bffTimes,
        sdkTimes,
        bffCalls,
        bffByRootField: countByRootField(counted.requests),
        sdkCalls,
        pageSizes: counted.requests.map((r) => r.variables['first']).filter((v) => v !== undefined),
        peakRss: peak,
        cpuMsDuringBffRead: bffCpuMs,
        timeline: timeline(counted.requests, bffStart),
      },
      summary: { largeReadSpeedup: speedup },
    };
  }
}

/**
 * Scenario 5, memory: the BFF's peak resident set size while it served scenario 2 (large read)
 * and scenario 4 (proxy load), from /proc/<pid>/status (VmHWM, reset before each window when the
 * kernel allows it, cross-checked with VmRSS samples every 50 ms). No extra load is generated.
 */
import type { BenchContext } from '../context.js';
import { readMemory } from '../processes.js';
import type { Row, ScenarioResult } from '../types.js';

export const RSS_TARGET_MB = 300;

interface PeakRss {
  peakMb: number;
  samples: number;
  hwmMb: number | null;
  hwmReset: boolean;
}

function peakOf(scenario: ScenarioResult | undefined): PeakRss | null {
  const peak = scenario?.raw?.['peakRss'] as PeakRss | undefined;
  return peak && Number.isFinite(peak.peakMb) && peak.peakMb > 0 ? peak : null;
}

/** `idleMb`: the BFF's RSS right after start-up, shown as the baseline for context. */
export function memoryScenario(
  ctx: BenchContext,
  idleMb: number | null,
  largeRead: ScenarioResult | undefined,
  proxy: ScenarioResult | undefined,
): ScenarioResult {
  const windows: Array<[string, PeakRss | null]> = [
    ['peak RSS during scenario 2 (large read)', peakOf(largeRead)],
    ['peak RSS during scenario 4 (proxy load)', peakOf(proxy)],
  ];
  const rows: Row[] = windows.map(([measure, peak]) => ({
    measure,
    baselineLabel: 'RSS idle after start-up',
    baseline: idleMb,
    ours: peak?.peakMb ?? null,
    unit: 'MB',
    ratio: null,
    ratioLabel: '',
    target: { op: '<', value: RSS_TARGET_MB },
    targetOn: 'ours',
  }));
  const peaks = windows.map(([, p]) => p?.peakMb ?? null).filter((v): v is number => v !== null);
  const overall = peaks.length > 0 ? Math.max(...peaks) : null;
  const notes: string[] = [];
  const measured = windows.filter(([, p]) => p !== null);
  if (measured.some(([, p]) => p !== null && !p.hwmReset)) {
    notes.push('VmHWM could not be reset per window; the figure is the max of VmRSS samples every 50 ms.');
  } else if (measured.length > 0) {
    notes.push('VmHWM was reset (clear_refs) at the start of each window, so each figure covers that window only.');
  }
  const now = readMemory(ctx.bff.pid);
  if (now) notes.push(`BFF RSS at the end of the run: ${now.rssMb.toFixed(1)} MB.`);
  return {
    id: 'memory',
    title: '5. Memory',
    sizes: 'BFF process (node --import tsx src/main.ts), windows of scenarios 2 and 4',
    rows,
    notes,
    raw: { idleMb, windows: Object.fromEntries(windows) },
    summary: { peakRssMb: overall },
    ...(overall === null ? { error: 'no memory figures (scenarios 2 and 4 did not run, or /proc is unavailable)' } : {}),
  };
}

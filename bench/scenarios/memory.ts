/**
 * Scenario 5, memory: the BFF's peak resident set size during each scenario of the run (the
 * orchestrator samples every scenario's whole window), plus a window of its own: one
 * `assets(first: 10000)` read with the SDK's default selection on assets carrying 1–3 labels
 * each (about 7 MB from upstream). From /proc/<pid>/status: VmHWM, reset before each window when
 * the kernel allows it, cross-checked with VmRSS samples every 50 ms.
 */
import { bffData, timed, type BenchContext } from '../context.js';
import { cpuMeter, readMemory, sampleRss } from '../processes.js';
import { TARGETS } from '../targets.js';
import type { Row, ScenarioResult } from '../types.js';
import { LABELS_PER_ASSET, sdkDefaultBffQuery } from './sdk-query.js';

/** Assets of the labeled large read. */
export const LABELED_READ_SIZE = 10_000;

export interface MemoryWindow {
  measure: string;
  peakMb: number | null;
}

/** One row per window, each held to the RSS target; the overall peak is the largest. */
export function memoryRows(idleMb: number | null, windows: readonly MemoryWindow[]): { rows: Row[]; overall: number | null } {
  const rows: Row[] = windows.map((w) => ({
    measure: w.measure,
    baselineLabel: 'RSS idle after start-up',
    baseline: idleMb,
    ours: w.peakMb,
    unit: 'MB',
    ratio: null,
    ratioLabel: '',
    target: TARGETS.peakRssMb,
    targetOn: 'ours',
  }));
  const peaks = windows.map((w) => w.peakMb).filter((v): v is number => v !== null && Number.isFinite(v));
  return { rows, overall: peaks.length > 0 ? Math.max(...peaks) : null };
}

/** `idleMb`: the BFF's RSS right after start-up, shown as the baseline for context. */
export async function runMemory(ctx: BenchContext, idleMb: number | null, earlier: readonly ScenarioResult[]): Promise<ScenarioResult> {
  const size = ctx.quick ? 2000 : LABELED_READ_SIZE;
  const projectId = await ctx.emulator.createProject('bench: labeled large read');
  await ctx.emulator.seed(projectId, size, { externalIdPrefix: 'mem-', labels: LABELS_PER_ASSET });
  const query = sdkDefaultBffQuery(size);

  const rss = sampleRss(ctx.bff.pid);
  const cpu = cpuMeter({ bff: ctx.bff.pid, emulator: ctx.emulatorPid });
  let read: { value: { assets: Array<{ id: string }> }; ms: number };
  let peak: ReturnType<typeof rss.stop>;
  let cpuMs: Record<string, number | null>;
  try {
    read = await timed(() => bffData<{ assets: Array<{ id: string }> }>(ctx, query, { projectId }));
  } finally {
    cpuMs = cpu.stop();
    peak = rss.stop();
  }
  const windows: MemoryWindow[] = [
    ...earlier.map((s) => ({ measure: `peak RSS during ${s.title}`, peakMb: s.peakRssMb ?? null })),
    { measure: `peak RSS during one read of first: ${size} with labels (SDK default selection)`, peakMb: peak.peakMb },
  ];
  const { rows, overall } = memoryRows(idleMb, windows);
  const notes: string[] = [];
  if (read.value.assets.length !== size) notes.push(`the labeled read returned ${read.value.assets.length} assets, expected ${size}.`);
  const c = (v: number | null | undefined): string => (v == null ? '?' : String(Math.round(v)));
  notes.push(`labeled read of ${size} assets: ${Math.round(read.ms)} ms wall, BFF CPU ${c(cpuMs['bff'])} ms, emulator CPU ${c(cpuMs['emulator'])} ms.`);
  notes.push(
    peak.hwmReset
      ? 'VmHWM was reset (clear_refs) at the start of each window, so each figure covers that window only.'
      : 'VmHWM could not be reset per window; the figures are the max of VmRSS samples every 50 ms.',
  );
  const now = readMemory(ctx.bff.pid);
  if (now) notes.push(`BFF RSS at the end of the run: ${now.rssMb.toFixed(1)} MB.`);
  return {
    id: 'memory',
    title: '5. Memory',
    sizes: `BFF process (node --import tsx src/main.ts): every scenario's window, then one first: ${size} read with 1–3 labels per asset`,
    rows,
    notes,
    raw: { idleMb, windows, labeledRead: { size, ms: read.ms, cpuMs, peakRss: peak } },
    summary: { peakRssMb: overall },
  };
}

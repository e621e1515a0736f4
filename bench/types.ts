/** Bench-internal: the shapes every scenario returns and the report renders. */
import type { ServerBuild } from './processes.js';

export type ScenarioId = 'entityBatching' | 'largeRead' | 'bulkMutation' | 'proxyOverhead' | 'memory' | 'sdkQuery' | 'bulkOperation';

/** A target a figure should reach (bench/targets.ts). */
export interface Target {
  op: '>=' | '<=' | '==' | '<';
  value: number;
}

/** One line of the results table: a baseline, our figure, and how they compare. */
export interface Row {
  measure: string;
  /** What the baseline is, e.g. "SDK algorithm, direct" or "ideal ⌈K/100⌉". */
  baselineLabel: string;
  baseline: number | null;
  ours: number | null;
  unit: string;
  /** The comparison shown in the Ratio column (already computed; null when not applicable). */
  ratio: number | null;
  /** How `ratio` reads: "×" speedup (baseline / ours), "of baseline" (ours / baseline), "ms added". */
  ratioLabel: string;
  /** The target applies to `ratio` when `targetOn` is "ratio", to `ours` otherwise. */
  target?: Target;
  targetOn?: 'ratio' | 'ours';
}

export interface ScenarioResult {
  id: ScenarioId;
  title: string;
  /** Sizes and durations actually used (quick mode shrinks some). */
  sizes: string;
  rows: Row[];
  notes: string[];
  /** Set when the scenario could not run to the end. */
  error?: string;
  /** Scenario-specific raw figures kept in latest.json. */
  raw?: Record<string, unknown>;
  /** This scenario's share of the final summary line. */
  summary?: Partial<Summary>;
  /** The BFF's peak RSS over the whole scenario, MB (set by the orchestrator). */
  peakRssMb?: number;
}

/** Scenario 6's figures in the summary line. */
export interface SdkQuerySummary {
  /** BFF req/s / direct req/s. */
  ratio: number | null;
  /** BFF p50 − direct p50, ms. */
  addedP50Ms: number | null;
  /** BFF CPU per answered request in the BFF segments, ms. */
  bffCpuMsPerReq: number | null;
  /** The emulator's CPU per answered request in the same (BFF) segments, ms. */
  upstreamCpuMsPerReq: number | null;
}

/** The one-line summary that ends stdout. */
export interface Summary {
  entityBatching: { k: number; upstreamCalls: number | null; ideal: number };
  largeReadSpeedup: number | null;
  bulkMutationSpeedup: number | null;
  proxyThroughputRatio: number | null;
  proxyAddedP50Ms: number | null;
  peakRssMb: number | null;
  sdkQuery: SdkQuerySummary | null;
  /** Scenario 7: assets, wall time and rate-limit floor in seconds, upstream calls per asset. */
  bulkOperation: { assets: number | null; wallS: number | null; floorS: number | null; callsPerAsset: number | null };
}

export interface RunInfo {
  generatedAt: string;
  mode: 'full' | 'quick';
  latencyMs: number;
  jitterMs: number;
  node: string;
  platform: string;
  cpus: number;
  /** 1-minute load average of the machine when the run started and ended (shared machines drift). */
  loadAverage: { start: number; end: number };
  /** Environment given to the BFF beyond KILI_API_URL, PORT and HOST. */
  bffEnv: Record<string, string>;
  /** What the servers ran: the compiled build (`dist`) or the TypeScript sources through tsx (`source`); runs before it was recorded ran `source`. */
  build?: ServerBuild;
  commit: string | null;
  durationS: number;
}

export interface BenchResults {
  run: RunInfo;
  summary: Summary;
  scenarios: ScenarioResult[];
}

/** True when `value` meets `target`; null when there is nothing to judge. */
export function meets(value: number | null, target: Target | undefined): boolean | null {
  if (value === null || target === undefined || !Number.isFinite(value)) return null;
  switch (target.op) {
    case '>=':
      return value >= target.value;
    case '<=':
      return value <= target.value;
    case '<':
      return value < target.value;
    case '==':
      return value === target.value;
    default: {
      const never: never = target.op;
      throw new Error(`unknown target op ${String(never)}`);
    }
  }
}

/** Rounds for display and JSON: 2 decimals under 100, 1 decimal above. */
export function round(value: number, digits?: number): number {
  const d = digits ?? (Math.abs(value) >= 100 ? 1 : 2);
  const f = 10 ** d;
  return Math.round(value * f) / f;
}

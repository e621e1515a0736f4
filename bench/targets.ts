/**
 * Bench-internal: the performance targets (each a figure of one run, compared with its baseline
 * measured in the same run), the noise margins of `--check`, and the check itself. Pure functions.
 */
import { meets, round, type Summary, type Target } from './types.js';

/** The targets every full run must meet. */
export const TARGETS = {
  /** Large read `first: 5000`: SDK way time / BFF time. */
  largeReadSpeedup: { op: '>=', value: 8 },
  /** Bulk mutation of 10,000 assets: SDK way time / BFF time (every asset verified besides). */
  bulkMutationSpeedup: { op: '>=', value: 6 },
  /** Light query (scenario 4): BFF req/s / direct req/s. */
  proxyThroughputRatio: { op: '>=', value: 0.9 },
  /** Light query (scenario 4): BFF p50 − direct p50 at 20 ms upstream latency, ms. */
  proxyAddedP50Ms: { op: '<=', value: 2 },
  /** SDK default query (scenario 6): BFF req/s / direct req/s. */
  sdkQueryRatio: { op: '>=', value: 0.85 },
  /** SDK default query: BFF CPU per request / the emulator's CPU per request for the same answers. */
  sdkQueryCpuShare: { op: '<=', value: 0.6 },
  /** Peak RSS of the BFF in every scenario, MB. */
  peakRssMb: { op: '<=', value: 300 },
} as const satisfies Record<string, Target>;

/**
 * Bulk operation (scenario 7): wall time / rate-limit floor. Shown in the report and the chart;
 * not judged by `--check`, which has no measured noise margin for it.
 */
export const BULK_OPERATION_WALL_RATIO = { op: '<=', value: 1.15 } as const satisfies Target;

export type CheckedFigure = keyof typeof TARGETS | 'entityBatchingCalls';

/**
 * How far a figure may fall short of its target before `--check` fails, in the figure's own unit:
 * the largest run-to-run spread measured for that figure over consecutive full runs of one commit
 * on the 2-core bench machine, rounded up (README "No regression gate" gives each source): four
 * quiet runs of an earlier commit, three loaded runs (load 10–14), and six quiet runs on the
 * evening of 2026-11-30 (two configurations), which stay within these margins except one large
 * read (6.34× with a larger young generation). Upstream call counts are exact.
 */
export const NOISE_MARGINS: Readonly<Record<CheckedFigure, number>> = {
  largeReadSpeedup: 1.3,
  bulkMutationSpeedup: 1.4,
  proxyThroughputRatio: 0.18,
  proxyAddedP50Ms: 3,
  sdkQueryRatio: 0.07,
  sdkQueryCpuShare: 0.15,
  peakRssMb: 15,
  entityBatchingCalls: 0,
};

/** BFF CPU per request as a share of the emulator's (null when either is unknown or zero). */
export function cpuShare(summary: Summary): number | null {
  const q = summary.sdkQuery;
  if (!q || q.bffCpuMsPerReq === null || q.upstreamCpuMsPerReq === null || !(q.upstreamCpuMsPerReq > 0)) return null;
  return q.bffCpuMsPerReq / q.upstreamCpuMsPerReq;
}

/** The figures `--check` judges, read from a run's summary (null: not measured). */
export function checkedFigures(summary: Summary): Record<CheckedFigure, number | null> {
  return {
    largeReadSpeedup: summary.largeReadSpeedup,
    bulkMutationSpeedup: summary.bulkMutationSpeedup,
    proxyThroughputRatio: summary.proxyThroughputRatio,
    proxyAddedP50Ms: summary.proxyAddedP50Ms,
    sdkQueryRatio: summary.sdkQuery?.ratio ?? null,
    sdkQueryCpuShare: cpuShare(summary),
    peakRssMb: summary.peakRssMb,
    entityBatchingCalls: summary.entityBatching.upstreamCalls,
  };
}

export type Verdict = 'met' | 'within noise' | 'regressed' | 'not measured';

export interface CheckLine {
  figure: CheckedFigure;
  value: number | null;
  target: Target;
  margin: number;
  verdict: Verdict;
}

/** The target a figure is held to (entity batching: exactly the ideal call count). */
function targetOf(figure: CheckedFigure, summary: Summary): Target {
  return figure === 'entityBatchingCalls' ? { op: '==', value: summary.entityBatching.ideal } : TARGETS[figure];
}

/**
 * The target moved by the margin in the lenient direction: `>= 8` with margin 1 → `>= 7`;
 * `<= 2` with margin 1.5 → `<= 3.5`; `==` stays exact.
 */
export function relaxed(target: Target, margin: number): Target {
  switch (target.op) {
    case '>=':
      return { op: '>=', value: target.value - margin };
    case '<=':
    case '<':
      return { op: target.op, value: target.value + margin };
    case '==':
      return target;
    default: {
      const never: never = target.op;
      throw new Error(`unknown target op ${String(never)}`);
    }
  }
}

/**
 * Judges every figure measured by the run: met, short of the target but within the noise margin,
 * regressed (short by more than the margin), or not measured. `only`: the figures the run was
 * meant to measure (others are left out instead of reported as not measured).
 */
export function checkRun(summary: Summary, margins: Readonly<Record<CheckedFigure, number>> = NOISE_MARGINS, only?: ReadonlySet<CheckedFigure>): CheckLine[] {
  const figures = checkedFigures(summary);
  return (Object.keys(figures) as CheckedFigure[])
    .filter((figure) => !only || only.has(figure))
    .map((figure) => {
      const value = figures[figure];
      const target = targetOf(figure, summary);
      const margin = margins[figure];
      const verdict: Verdict =
        value === null || !Number.isFinite(value) ? 'not measured' : meets(value, target) ? 'met' : meets(value, relaxed(target, margin)) ? 'within noise' : 'regressed';
      return { figure, value, target, margin, verdict };
    });
}

/** The figures each scenario produces (for `--only` runs). */
export const FIGURES_BY_SCENARIO: Readonly<Record<number, readonly CheckedFigure[]>> = {
  1: ['entityBatchingCalls'],
  2: ['largeReadSpeedup'],
  3: ['bulkMutationSpeedup'],
  4: ['proxyThroughputRatio', 'proxyAddedP50Ms'],
  5: ['peakRssMb'],
  6: ['sdkQueryRatio', 'sdkQueryCpuShare'],
};

/** True when no figure regressed and every figure the run was meant to measure was measured. */
export function checkPassed(lines: readonly CheckLine[]): boolean {
  return lines.every((line) => line.verdict === 'met' || line.verdict === 'within noise');
}

/** The check as text lines (stdout), one per figure, then the outcome. */
export function renderCheck(lines: readonly CheckLine[]): string {
  const op = (t: Target): string => ({ '>=': '≥', '<=': '≤', '==': '=', '<': '<' })[t.op];
  const out = ['== check: every figure against its target, with its noise margin'];
  for (const line of lines) {
    const value = line.value === null || !Number.isFinite(line.value) ? '—' : String(round(line.value));
    out.push(`   ${line.figure}: ${value} (target ${op(line.target)} ${line.target.value}, margin ${line.margin}): ${line.verdict}`);
  }
  out.push(checkPassed(lines) ? 'check: passed' : 'check: FAILED (a figure regressed beyond its noise margin, or was not measured)');
  return out.join('\n');
}

/**
 * Scenario 4, proxy overhead: a 100-asset `assets` query at concurrency 16 for 20 s (5 s in quick
 * mode), through the BFF and sent directly to the upstream as the SDK would (same fields, same
 * assets), with autocannon. Reports requests/s (ratio BFF / direct) and the added p50/p99 latency.
 * Every response body is checked (no GraphQL `errors`, 100 ids), so failures cannot pass for
 * throughput. The BFF's memory is sampled meanwhile (scenario 5).
 */
import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { assetsDocument, projectWhere } from '../baselines/sdk.js';
import { countByRootField } from '../emulator-control.js';
import { kiliHeaders } from '../gql.js';
import { errorMessage, READ_FIELDS, type BenchContext } from '../context.js';
import { cpuMeter, sampleRss } from '../processes.js';
import type { ScenarioResult } from '../types.js';
import { TARGETS } from '../targets.js';

export const PAGE = 100;
export const CONNECTIONS = 16;

export interface LoadFigures {
  /** Good answers per second (2xx with a checked body). */
  rps: number;
  /** Latency percentiles over every answer, ms (exact, from per-response times). */
  p50: number;
  p99: number;
  mean: number;
  ok: number;
  bad: number;
  errors: number;
  durationS: number;
  segments: number;
}

/** How many times `"key"` occurs in `body` (a JSON text). */
export function keyCount(body: string, key: string): number {
  const needle = `"${key}"`;
  let count = 0;
  for (let i = body.indexOf(needle); i !== -1; i = body.indexOf(needle, i + needle.length)) count += 1;
  return count;
}

/** A body is good when it has no `errors` and holds exactly `PAGE` asset ids. */
export function goodBody(body: string): boolean {
  return !body.includes('"errors"') && keyCount(body, 'id') === PAGE;
}

/** The q-quantile (0..1) of ascending `sorted`, nearest rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] as number;
}

export interface Segment {
  times: number[];
  ok: number;
  bad: number;
  errors: number;
  durationS: number;
}

export interface Target {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Whether an answer's body is a good one; default `goodBody`. */
  verify?: (body: string) => boolean;
}

export async function segment(target: Target, seconds: number, connections: number): Promise<Segment> {
  const verify = target.verify ?? goodBody;
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        method: 'POST',
        headers: target.headers,
        body: target.body,
        connections,
        pipelining: 1,
        duration: seconds,
        verifyBody: (b: string | Buffer | undefined) => verify(String(b ?? '')),
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      times.push(responseTime);
    });
  });
  return {
    times,
    ok: result['2xx'] - result.mismatches,
    bad: result.non2xx + result.mismatches,
    errors: result.errors,
    durationS: (result.finish.getTime() - result.start.getTime()) / 1000,
  };
}

export function combine(segments: readonly Segment[]): LoadFigures {
  const times = segments.flatMap((s) => s.times).sort((a, b) => a - b);
  const sum = (key: 'ok' | 'bad' | 'errors' | 'durationS'): number => segments.reduce((acc, s) => acc + s[key], 0);
  const durationS = sum('durationS');
  return {
    rps: sum('ok') / durationS,
    p50: quantile(times, 0.5),
    p99: quantile(times, 0.99),
    mean: times.reduce((a, b) => a + b, 0) / Math.max(1, times.length),
    ok: sum('ok'),
    bad: sum('bad'),
    errors: sum('errors'),
    durationS,
    segments: segments.length,
  };
}

/** One segment of `interleaved`: its side, answered requests, and CPU ms per answered request of each process. */
export interface SegmentFigures {
  side: 'direct' | 'bff';
  ok: number;
  cpuMsPerRequest: Record<string, number>;
}

/**
 * Loads both sides in alternating segments (direct, BFF, direct, BFF…), so a slow drift in the
 * machine's load (it is shared) hits both sides alike. CPU is accounted per side, and per segment
 * in the order run (`segments`).
 */
export async function interleaved(
  ctx: BenchContext,
  direct: Target,
  bff: Target,
  totalSeconds: number,
  segments: number,
  connections: number,
  onBffSegment?: { start(): void; stop(): void },
): Promise<{ direct: LoadFigures; bff: LoadFigures; cpuMs: Record<'direct' | 'bff', Record<string, number>>; segments: SegmentFigures[] }> {
  const pids = { emulator: ctx.emulatorPid, bff: ctx.bff.pid };
  const seconds = Math.max(1, Math.round(totalSeconds / segments));
  const out: Record<'direct' | 'bff', Segment[]> = { direct: [], bff: [] };
  const cpuMs: Record<'direct' | 'bff', Record<string, number>> = { direct: { emulator: 0, bff: 0 }, bff: { emulator: 0, bff: 0 } };
  const perSegment: SegmentFigures[] = [];
  for (let i = 0; i < segments; i += 1) {
    for (const side of ['direct', 'bff'] as const) {
      const meter = cpuMeter(pids);
      if (side === 'bff') onBffSegment?.start();
      const run = await segment(side === 'direct' ? direct : bff, seconds, connections);
      out[side].push(run);
      if (side === 'bff') onBffSegment?.stop();
      const used = meter.stop();
      for (const [name, ms] of Object.entries(used)) cpuMs[side][name] = (cpuMs[side][name] ?? 0) + (ms ?? NaN);
      perSegment.push({ side, ok: run.ok, cpuMsPerRequest: Object.fromEntries(Object.entries(used).map(([name, ms]) => [name, Math.round(((ms ?? NaN) / Math.max(1, run.ok)) * 1000) / 1000])) });
      await ctx.emulator.clearRequests().catch((error: unknown) => ctx.log(`  clear log: ${errorMessage(error)}`));
    }
  }
  return { direct: combine(out.direct), bff: combine(out.bff), cpuMs, segments: perSegment };
}

export async function runProxyOverhead(ctx: BenchContext): Promise<ScenarioResult> {
  const { emulator } = ctx;
  const seconds = ctx.quick ? 5 : 20;
  const segments = ctx.quick ? 1 : 4;
  const warmup = ctx.quick ? 1 : 3;
  const projectId = await emulator.createProject('bench: proxy overhead');
  await emulator.seed(projectId, PAGE, { externalIdPrefix: 'proxy-' });

  const directHeaders = kiliHeaders(emulator.apiKey);
  const directBody = JSON.stringify({
    query: assetsDocument(READ_FIELDS),
    variables: { where: projectWhere(projectId), skip: 0, first: PAGE },
  });
  const bffBody = JSON.stringify({
    query: `query ProxyPage($projectId: ID!) {\n  assets(projectId: $projectId, first: ${PAGE}) { ${READ_FIELDS.join(' ')} }\n}`,
    variables: { projectId },
  });

  // Upstream calls per BFF request, measured on a few sequential requests.
  const probe = await emulator.counting(async () => {
    for (let i = 0; i < 5; i += 1) {
      const res = await fetch(ctx.bff.url, { method: 'POST', headers: ctx.bff.headers, body: bffBody });
      const text = await res.text();
      if (!goodBody(text)) throw new Error(`BFF answer is not 100 assets: HTTP ${res.status} ${text.slice(0, 300)}`);
    }
  });
  const callsPerRequest = probe.requests.length / 5;

  const directTarget: Target = { url: emulator.graphqlUrl, headers: directHeaders, body: directBody };
  const bffTarget: Target = { url: ctx.bff.url, headers: ctx.bff.headers, body: bffBody };
  ctx.log(`  warm-up ${warmup} s each side`);
  await segment(directTarget, warmup, CONNECTIONS);
  await segment(bffTarget, warmup, CONNECTIONS);
  await emulator.clearRequests();

  ctx.log(`  ${seconds} s per side at concurrency ${CONNECTIONS}, in ${segments} alternating segment(s)`);
  // Peak RSS over the BFF's load segments only (VmHWM reset at each BFF segment start).
  let peakRss = { peakMb: 0, samples: 0, hwmMb: null as number | null, hwmReset: true };
  let sampler: ReturnType<typeof sampleRss> | null = null;
  const loaded = await interleaved(ctx, directTarget, bffTarget, seconds, segments, CONNECTIONS, {
    start: () => {
      sampler = sampleRss(ctx.bff.pid);
    },
    stop: () => {
      const r = sampler?.stop();
      if (r) {
        peakRss = {
          peakMb: Math.max(peakRss.peakMb, r.peakMb),
          samples: peakRss.samples + r.samples,
          hwmMb: Math.max(peakRss.hwmMb ?? 0, r.hwmMb ?? 0),
          hwmReset: peakRss.hwmReset && r.hwmReset,
        };
      }
    },
  });
  const { direct, bff } = loaded;
  // CPU ms per answered request, per process: the cost that bounds throughput once the cores are busy.
  const cpuPerRequest = {
    direct: { emulator: loaded.cpuMs.direct['emulator']! / Math.max(1, direct.ok) },
    bff: {
      emulator: loaded.cpuMs.bff['emulator']! / Math.max(1, bff.ok),
      bff: loaded.cpuMs.bff['bff']! / Math.max(1, bff.ok),
    },
  };

  // Context for the latency figures: one connection, so nothing queues and the difference is
  // the BFF's own per-request cost (at concurrency 16 a CPU-bound box adds queueing on top).
  const serialSeconds = ctx.quick ? 2 : 6;
  ctx.log(`  unsaturated latency: ${serialSeconds} s per side at concurrency 1`);
  const serial = await interleaved(ctx, directTarget, bffTarget, serialSeconds, ctx.quick ? 1 : 2, 1);
  const directSerial = serial.direct;
  const bffSerial = serial.bff;

  const ratio = bff.rps / direct.rps;
  const addedP50 = bff.p50 - direct.p50;
  const addedP99 = bff.p99 - direct.p99;
  const notes: string[] = [];
  if (direct.bad + direct.errors > 0) notes.push(`direct: ${direct.bad} bad answers, ${direct.errors} connection errors.`);
  if (bff.bad + bff.errors > 0) notes.push(`BFF: ${bff.bad} bad answers (non-2xx or not 100 assets), ${bff.errors} connection errors; only good answers count.`);
  const f = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : '?');
  notes.push(
    `CPU per request: direct, emulator ${f(cpuPerRequest.direct.emulator)} ms; through the BFF, emulator ` +
      `${f(cpuPerRequest.bff.emulator)} ms + BFF ${f(cpuPerRequest.bff.bff)} ms (${cpus().length} cores shared with the load generator` +
      `; 1-min load ${(loadavg()[0] ?? 0).toFixed(2)}).`,
  );
  if (callsPerRequest !== 1) notes.push(`the BFF made ${callsPerRequest} upstream calls per request (${JSON.stringify(countByRootField(probe.requests))} over 5 requests).`);
  ctx.log(`  ${direct.rps.toFixed(0)} req/s direct vs ${bff.rps.toFixed(0)} req/s BFF (${ratio.toFixed(2)}); p50 ${direct.p50.toFixed(1)} → ${bff.p50.toFixed(1)} ms`);
  return {
    id: 'proxyOverhead',
    title: '4. Proxy overhead',
    sizes:
      `${PAGE}-asset page, ${READ_FIELDS.length} fields, concurrency ${CONNECTIONS}, ${seconds} s per side in ${segments} alternating segment(s) ` +
      `after ${warmup} s warm-up; then ${serialSeconds} s per side at concurrency 1`,
    rows: [
      {
        measure: 'throughput',
        baselineLabel: 'same query sent directly upstream',
        baseline: direct.rps,
        ours: bff.rps,
        unit: 'req/s',
        ratio,
        ratioLabel: 'of baseline',
        target: TARGETS.proxyThroughputRatio,
        targetOn: 'ratio',
      },
      {
        measure: 'latency p50',
        baselineLabel: 'direct',
        baseline: direct.p50,
        ours: bff.p50,
        unit: 'ms',
        ratio: addedP50,
        ratioLabel: 'ms added',
        target: TARGETS.proxyAddedP50Ms,
        targetOn: 'ratio',
      },
      {
        measure: 'latency p50 at concurrency 1 (no queueing)',
        baselineLabel: 'direct',
        baseline: directSerial.p50,
        ours: bffSerial.p50,
        unit: 'ms',
        ratio: bffSerial.p50 - directSerial.p50,
        ratioLabel: 'ms added',
      },
      {
        measure: 'latency p99',
        baselineLabel: 'direct',
        baseline: direct.p99,
        ours: bff.p99,
        unit: 'ms',
        ratio: addedP99,
        ratioLabel: 'ms added',
      },
    ],
    notes,
    raw: { projectId, direct, bff, directSerial, bffSerial, callsPerRequest, peakRss, cpuMs: loaded.cpuMs, cpuPerRequest },
    summary: { proxyThroughputRatio: ratio, proxyAddedP50Ms: addedP50 },
  };
}

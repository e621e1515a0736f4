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

export const PAGE = 100;
export const CONNECTIONS = 16;

export interface LoadFigures {
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  ok: number;
  bad: number;
  errors: number;
  durationS: number;
}

/** A body is good when it has no `errors` and holds exactly `PAGE` asset ids. */
export function goodBody(body: string): boolean {
  if (body.includes('"errors"')) return false;
  let count = 0;
  for (let i = body.indexOf('"id"'); i !== -1; i = body.indexOf('"id"', i + 4)) count += 1;
  return count === PAGE;
}

async function load(
  url: string,
  headers: Record<string, string>,
  body: string,
  seconds: number,
  connections = CONNECTIONS,
): Promise<LoadFigures> {
  const result = await autocannon({
    url,
    method: 'POST',
    headers,
    body,
    connections,
    pipelining: 1,
    duration: seconds,
    verifyBody: (b: string | Buffer | undefined) => goodBody(String(b ?? '')),
  });
  const durationS = (result.finish.getTime() - result.start.getTime()) / 1000;
  const ok = result['2xx'] - result.mismatches;
  return {
    rps: ok / durationS,
    p50: result.latency.p50,
    p99: result.latency.p99,
    mean: result.latency.average,
    ok,
    bad: result.non2xx + result.mismatches,
    errors: result.errors,
    durationS,
  };
}

export async function runProxyOverhead(ctx: BenchContext): Promise<ScenarioResult> {
  const { emulator } = ctx;
  const seconds = ctx.quick ? 5 : 20;
  const warmup = ctx.quick ? 1 : 3;
  const projectId = await emulator.createProject('bench: proxy overhead');
  await emulator.seed(projectId, PAGE, 'proxy-');

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

  ctx.log(`  warm-up ${warmup} s each side`);
  await load(emulator.graphqlUrl, directHeaders, directBody, warmup);
  await load(ctx.bff.url, ctx.bff.headers, bffBody, warmup);
  await emulator.clearRequests();

  const pids = { emulator: ctx.emulatorPid, bff: ctx.bff.pid };
  ctx.log(`  direct upstream, ${seconds} s at concurrency ${CONNECTIONS}`);
  const directCpu = cpuMeter(pids);
  const direct = await load(emulator.graphqlUrl, directHeaders, directBody, seconds);
  const directCpuMs = directCpu.stop();
  await emulator.clearRequests();
  ctx.log(`  through the BFF, ${seconds} s at concurrency ${CONNECTIONS}`);
  const rss = sampleRss(ctx.bff.pid);
  const bffCpu = cpuMeter(pids);
  let bff: LoadFigures;
  let peakRss: ReturnType<typeof rss.stop>;
  try {
    bff = await load(ctx.bff.url, ctx.bff.headers, bffBody, seconds);
  } finally {
    peakRss = rss.stop();
  }
  const bffCpuMs = bffCpu.stop();
  // CPU ms per answered request, per process: the cost that bounds throughput once the cores are busy.
  const perRequest = (cpu: Record<string, number | null>, figures: LoadFigures, name: string): number | null => {
    const ms = cpu[name];
    return ms === null || ms === undefined || figures.ok === 0 ? null : ms / figures.ok;
  };
  const cpuPerRequest = {
    direct: { emulator: perRequest(directCpuMs, direct, 'emulator') },
    bff: { emulator: perRequest(bffCpuMs, bff, 'emulator'), bff: perRequest(bffCpuMs, bff, 'bff') },
  };
  await emulator.clearRequests().catch((error: unknown) => ctx.log(`  clear log: ${errorMessage(error)}`));

  // Context for the latency figures: one connection, so nothing queues and the difference is
  // the BFF's own per-request cost (at concurrency 16 a CPU-bound box adds queueing on top).
  const serialSeconds = ctx.quick ? 2 : 5;
  ctx.log(`  unsaturated latency: ${serialSeconds} s per side at concurrency 1`);
  const directSerial = await load(emulator.graphqlUrl, directHeaders, directBody, serialSeconds, 1);
  const bffSerial = await load(ctx.bff.url, ctx.bff.headers, bffBody, serialSeconds, 1);
  await emulator.clearRequests().catch(() => undefined);

  const ratio = bff.rps / direct.rps;
  const addedP50 = bff.p50 - direct.p50;
  const addedP99 = bff.p99 - direct.p99;
  const notes: string[] = [];
  if (direct.bad + direct.errors > 0) notes.push(`direct: ${direct.bad} bad answers, ${direct.errors} connection errors.`);
  if (bff.bad + bff.errors > 0) notes.push(`BFF: ${bff.bad} bad answers (non-2xx or not 100 assets), ${bff.errors} connection errors; only good answers count.`);
  const f = (v: number | null): string => (v === null ? '?' : v.toFixed(2));
  notes.push(
    `CPU per request: direct, emulator ${f(cpuPerRequest.direct.emulator)} ms; through the BFF, emulator ` +
      `${f(cpuPerRequest.bff.emulator)} ms + BFF ${f(cpuPerRequest.bff.bff)} ms (${cpus().length} cores shared with the load generator` +
      `; 1-min load ${(loadavg()[0] ?? 0).toFixed(2)}).`,
  );
  if (callsPerRequest !== 1) notes.push(`the BFF made ${callsPerRequest} upstream calls per request (${JSON.stringify(countByRootField(probe.requests))} over 5 requests).`);
  ctx.log(`  ${direct.rps.toFixed(0)} req/s direct vs ${bff.rps.toFixed(0)} req/s BFF (${ratio.toFixed(2)}); p50 ${direct.p50} → ${bff.p50} ms`);
  return {
    id: 'proxyOverhead',
    title: '4. Proxy overhead',
    sizes: `${PAGE}-asset page, ${READ_FIELDS.length} fields, concurrency ${CONNECTIONS}, ${seconds} s per side after ${warmup} s warm-up; then ${serialSeconds} s per side at concurrency 1`,
    rows: [
      {
        measure: 'throughput',
        baselineLabel: 'same query sent directly upstream',
        baseline: direct.rps,
        ours: bff.rps,
        unit: 'req/s',
        ratio,
        ratioLabel: 'of baseline',
        target: { op: '>=', value: 0.8 },
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
        target: { op: '<', value: 2 },
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
    raw: { projectId, direct, bff, directSerial, bffSerial, callsPerRequest, peakRss, cpuMs: { direct: directCpuMs, bff: bffCpuMs }, cpuPerRequest },
    summary: { proxyThroughputRatio: ratio, proxyAddedP50Ms: addedP50 },
  };
}

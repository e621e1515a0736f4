/**
 * Scenario 6, SDK default query: the selection the Kili SDK's `assets()` sends by default
 * (content, createdAt, externalId, id, isHoneypot, jsonMetadata, skipped, status and
 * `labels { author { id email } createdAt id jsonResponse }`) on a 100-asset page whose assets
 * carry 1–3 labels each with annotated `jsonResponse`s, at zero upstream latency and concurrency 16,
 * through the BFF and sent directly to the upstream, in alternating segments (as scenario 4).
 * Reports the throughput ratio, the added p50 and the CPU milliseconds per request of the BFF and
 * of the emulator in the same segments: with no latency to hide behind, CPU decides throughput.
 */
import { cpus, loadavg } from 'node:os';
import { assetsDocument, projectWhere } from '../baselines/sdk.js';
import { kiliHeaders } from '../gql.js';
import type { BenchContext } from '../context.js';
import { interleaved, keyCount, segment, PAGE, CONNECTIONS, type Target } from './proxy-overhead.js';
import { TARGETS } from '../targets.js';
import type { ScenarioResult } from '../types.js';

/** The SDK's default `assets()` fields, as dotted paths (its `fields` argument). */
export const SDK_DEFAULT_FIELDS = [
  'content',
  'createdAt',
  'externalId',
  'id',
  'isHoneypot',
  'jsonMetadata',
  'skipped',
  'status',
  'labels.author.id',
  'labels.author.email',
  'labels.createdAt',
  'labels.id',
  'labels.jsonResponse',
] as const;

/** Labels per seeded asset: asset i has 1 + i % 3. */
export const LABELS_PER_ASSET = { min: 1, max: 3 } as const;

/** The same selection as a BFF query. */
export function sdkDefaultBffQuery(first: number): string {
  return (
    'query SdkDefault($projectId: ID!) {\n' +
    `  assets(projectId: $projectId, first: ${first}) {\n` +
    '    content createdAt externalId id isHoneypot jsonMetadata skipped status\n' +
    '    labels { author { id email } createdAt id jsonResponse }\n' +
    '  }\n}'
  );
}

/** A good answer: no `errors` and exactly `PAGE` assets (each has one `externalId`; labels have none). */
export function goodSdkBody(body: string): boolean {
  return !body.includes('"errors"') && keyCount(body, 'externalId') === PAGE;
}

/** CPU ms per answered request of each process, from the summed CPU of a side's segments. */
export function perRequest(cpuMs: Readonly<Record<string, number>>, answered: number): Record<string, number | null> {
  return Object.fromEntries(Object.entries(cpuMs).map(([name, ms]) => [name, answered > 0 && Number.isFinite(ms) ? ms / answered : null]));
}

export async function runSdkQuery(ctx: BenchContext): Promise<ScenarioResult> {
  const { emulator } = ctx;
  const seconds = ctx.quick ? 5 : 20;
  const segments = ctx.quick ? 1 : 4;
  const warmup = ctx.quick ? 1 : 3;
  const projectId = await emulator.createProject('bench: SDK default query');
  await emulator.seed(projectId, PAGE, { externalIdPrefix: 'sdk-', labels: LABELS_PER_ASSET });

  const directTarget: Target = {
    url: emulator.graphqlUrl,
    headers: kiliHeaders(emulator.apiKey),
    body: JSON.stringify({ query: assetsDocument(SDK_DEFAULT_FIELDS), variables: { where: projectWhere(projectId), skip: 0, first: PAGE } }),
    verify: goodSdkBody,
  };
  const bffTarget: Target = {
    url: ctx.bff.url,
    headers: ctx.bff.headers,
    body: JSON.stringify({ query: sdkDefaultBffQuery(PAGE), variables: { projectId } }),
    verify: goodSdkBody,
  };

  // Zero upstream latency for this scenario only; the run's latency is restored afterwards.
  await emulator.setLatency(0);
  try {
    // One answer each, checked and measured (sizes shown in the report).
    const sizes: Record<'direct' | 'bff', number> = { direct: 0, bff: 0 };
    for (const [side, target] of [['direct', directTarget], ['bff', bffTarget]] as const) {
      const res = await fetch(target.url, { method: 'POST', headers: target.headers, body: target.body });
      const text = await res.text();
      if (!goodSdkBody(text)) throw new Error(`${side} answer is not ${PAGE} assets: HTTP ${res.status} ${text.slice(0, 300)}`);
      sizes[side] = Buffer.byteLength(text);
    }
    ctx.log(`  warm-up ${warmup} s each side`);
    await segment(directTarget, warmup, CONNECTIONS);
    await segment(bffTarget, warmup, CONNECTIONS);
    await emulator.clearRequests();

    ctx.log(`  ${seconds} s per side at concurrency ${CONNECTIONS}, zero latency, in ${segments} alternating segment(s)`);
    const loaded = await interleaved(ctx, directTarget, bffTarget, seconds, segments, CONNECTIONS);
    const { direct, bff } = loaded;
    const directCpu = perRequest(loaded.cpuMs.direct, direct.ok);
    const bffCpu = perRequest(loaded.cpuMs.bff, bff.ok);
    const bffMs = bffCpu['bff'] ?? null;
    const upstreamMs = bffCpu['emulator'] ?? null;
    const ratio = bff.rps / direct.rps;
    const addedP50 = bff.p50 - direct.p50;
    const share = bffMs !== null && upstreamMs !== null && upstreamMs > 0 ? bffMs / upstreamMs : null;

    const f = (v: number | null | undefined): string => (v != null && Number.isFinite(v) ? v.toFixed(2) : '?');
    const notes = [
      `answer sizes: direct ${(sizes.direct / 1024).toFixed(1)} KB (JSON fields as strings), BFF ${(sizes.bff / 1024).toFixed(1)} KB (JSON fields as objects).`,
      `CPU per request: direct segments, emulator ${f(directCpu['emulator'])} ms; BFF segments, emulator ${f(upstreamMs)} ms + BFF ${f(bffMs)} ms ` +
        `(${cpus().length} cores shared with the load generator; 1-min load ${(loadavg()[0] ?? 0).toFixed(2)}).`,
    ];
    if (direct.bad + direct.errors > 0) notes.push(`direct: ${direct.bad} bad answers, ${direct.errors} connection errors.`);
    if (bff.bad + bff.errors > 0) notes.push(`BFF: ${bff.bad} bad answers, ${bff.errors} connection errors; only good answers count.`);
    ctx.log(
      `  ${direct.rps.toFixed(0)} req/s direct vs ${bff.rps.toFixed(0)} req/s BFF (${ratio.toFixed(2)}); p50 ${direct.p50.toFixed(1)} → ${bff.p50.toFixed(1)} ms; ` +
        `CPU/req BFF ${f(bffMs)} ms, emulator ${f(upstreamMs)} ms`,
    );
    return {
      id: 'sdkQuery',
      title: '6. SDK default query',
      sizes:
        `${PAGE}-asset page with ${LABELS_PER_ASSET.min}–${LABELS_PER_ASSET.max} labels per asset, the SDK's default selection (${SDK_DEFAULT_FIELDS.length} fields), ` +
        `zero upstream latency, concurrency ${CONNECTIONS}, ${seconds} s per side in ${segments} alternating segment(s) after ${warmup} s warm-up`,
      rows: [
        {
          measure: 'throughput',
          baselineLabel: 'same selection sent directly upstream',
          baseline: direct.rps,
          ours: bff.rps,
          unit: 'req/s',
          ratio,
          ratioLabel: 'of baseline',
          target: TARGETS.sdkQueryRatio,
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
        },
        {
          measure: 'CPU per request',
          baselineLabel: 'emulator, same segments',
          baseline: upstreamMs,
          ours: bffMs,
          unit: 'ms',
          ratio: share,
          ratioLabel: 'of baseline',
          target: TARGETS.sdkQueryCpuShare,
          targetOn: 'ratio',
        },
      ],
      notes,
      raw: { projectId, direct, bff, cpuMs: loaded.cpuMs, cpuPerRequest: { direct: directCpu, bff: bffCpu }, segments: loaded.segments, answerBytes: sizes },
      summary: { sdkQuery: { ratio, addedP50Ms: addedP50, bffCpuMsPerReq: bffMs, upstreamCpuMsPerReq: upstreamMs } },
    };
  } finally {
    await emulator.setLatency(ctx.latencyMs, ctx.jitterMs);
  }
}

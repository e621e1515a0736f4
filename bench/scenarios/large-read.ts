/**
 * Scenario 2, large read: `assets(projectId, first: 5000)` through the BFF against the SDK's
 * algorithm run directly on the upstream (countAssets, then sequential pages of 100; reference
 * §5.1). Both read the same fields of the same 5,000 assets. Beside it, the floor: the BFF's own
 * upstream calls replayed directly with the same concurrency by a client that does nothing with
 * the answers (time from the first request to the last page received), and the BFF's CPU per
 * asset. Both sides are warmed by one unmeasured full read first (after which the BFF remembers
 * the count, unless COUNT_HINT_TTL_MS=0, and the floor replays its calls as it sends them then:
 * the pages with the count, not after it). The BFF's memory is sampled
 * meanwhile (scenario 5). Each measured BFF read also records when its answer's headers, last
 * byte and parse were done at the client: the floor plus the client's receiving and parsing of
 * that answer is the least any server answering in one body could take.
 */
import { loadConfig } from '../../src/config.js';
import { assetsDocument, COUNT_ASSETS_DOCUMENT, projectWhere, sdkPaginate } from '../baselines/sdk.js';
import { countByRootField, timeline, type LoggedRequest } from '../emulator-control.js';
import { agentRequestText, dataOf, kiliHeaders, type ResponseTiming } from '../gql.js';
import { bffRaw, median, READ_FIELDS, timed, type BenchContext } from '../context.js';
import { cpuMeter, sampleRss } from '../processes.js';
import { TARGETS } from '../targets.js';
import type { ScenarioResult } from '../types.js';

export const LARGE_READ_SIZE = 5000;

export function bffAssetsQuery(first: number): string {
  return `query LargeRead($projectId: ID!) {\n  assets(projectId: $projectId, first: ${first}) { ${READ_FIELDS.join(' ')} }\n}`;
}

/** The BFF's page concurrency (its PAGE_CONCURRENCY default), used by the floor replay. */
export const FLOOR_CONCURRENCY = 32;

/** One upstream call of a logged BFF read, to replay. */
export interface ReplayCall {
  rootField: 'countAssets' | 'assets';
  variables: Record<string, unknown>;
}

/** The `countAssets` and `assets` calls of a request log, in arrival order. */
export function replayPlan(requests: readonly LoggedRequest[]): ReplayCall[] {
  return requests.flatMap((r): ReplayCall[] => {
    const field = r.rootFields[0];
    return r.rootFields.length === 1 && (field === 'countAssets' || field === 'assets') ? [{ rootField: field, variables: r.variables }] : [];
  });
}

/**
 * Runs `calls` as the BFF's paging does, through `send`: the count and the first page at once,
 * then the other pages with `concurrency` in flight, as soon as the count is in (`countFirst`), or
 * at once with it (a read of the same assets whose count the BFF remembers: COUNT_HINT_TTL_MS).
 * Resolves with the time from the first request to the last answer received, ms.
 */
export async function replay(calls: readonly ReplayCall[], concurrency: number, send: (call: ReplayCall) => Promise<void>, countFirst = true): Promise<number> {
  const started = performance.now();
  const firstPage = calls.findIndex((c) => c.rootField === 'assets');
  const counts = calls.filter((c) => c.rootField === 'countAssets');
  const rest = calls.filter((c, i) => c.rootField === 'assets' && i !== firstPage);
  const head = firstPage < 0 ? Promise.resolve() : send(calls[firstPage] as ReplayCall);
  const counted = Promise.all(counts.map(send));
  if (countFirst) await counted;
  let next = 0;
  await Promise.all([
    head,
    counted,
    ...Array.from({ length: Math.min(concurrency, rest.length) }, async () => {
      while (next < rest.length) await send(rest[next++] as ReplayCall);
    }),
  ]);
  return performance.now() - started;
}

/** Whether a BFF started with `env` remembers counts (its COUNT_HINT_TTL_MS, read as the BFF reads it, is not 0). */
export function remembersCounts(env: Readonly<Record<string, string>>): boolean {
  return loadConfig(env).COUNT_HINT_TTL_MS > 0;
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
  const bffTimings: ResponseTiming[] = [];
  const readBff = async (): Promise<Array<{ id: string }>> => {
    const res = await bffRaw<{ assets: Array<{ id: string }> }>(ctx, query, { projectId });
    bffTimings.push(res.timing);
    return dataOf(res).assets;
  };
  const readSdk = () => sdkPaginate(execute, { where, fields: READ_FIELDS, first: size });
  const headers = kiliHeaders(emulator.apiKey);
  const pageDocument = assetsDocument(READ_FIELDS);
  const sendDirect = async (call: ReplayCall): Promise<void> => {
    await agentRequestText(emulator.graphqlUrl, headers, JSON.stringify({ query: call.rootField === 'assets' ? pageDocument : COUNT_ASSETS_DOCUMENT, variables: call.variables }));
  };

  // Measured reads follow a read of the same assets: a BFF that remembers counts sends their pages with the count.
  const hinted = remembersCounts(ctx.bffEnv);
  const rss = sampleRss(ctx.bff.pid);
  let peak: ReturnType<typeof rss.stop>;
  const bffTimes: number[] = [];
  const sdkTimes: number[] = [];
  const floorTimes: number[] = [];
  let sdkCalls = 0;
  let sdkRows = 0;
  const bffCpuMs = { bff: 0, emulator: 0 };
  let bffStart = 0;
  let counted: { value: { value: Array<{ id: string }>; ms: number }; requests: LoggedRequest[] };
  const measuredBffRead = async (): Promise<{ value: Array<{ id: string }>; ms: number }> => {
    const cpu = cpuMeter({ emulator: ctx.emulatorPid, bff: ctx.bff.pid });
    const read = await timed(readBff);
    const used = cpu.stop();
    bffCpuMs.bff += used['bff'] ?? NaN;
    bffCpuMs.emulator += used['emulator'] ?? NaN;
    bffTimes.push(read.ms);
    return read;
  };
  try {
    // Warm-up, not measured: one full read on each side, so that the measured reads find the paging
    // code warm for this size, as a server that serves such reads does. (The BFF's first read of a
    // document runs on graphql-js, with its paging code new to V8: 224 ms against 136-173 ms for
    // the four next ones. Compiled from its second sighting, the first measured read is the first
    // compiled one, still the slowest or nearly: 180-242 ms, against medians of 155-192 ms.)
    await readBff();
    await readSdk();
    bffTimings.length = 0; // the measured reads' only

    bffStart = Date.now();
    counted = await emulator.counting(measuredBffRead);
    const plan = replayPlan(counted.requests);
    for (let i = 0; i < reps; i += 1) {
      const sdk = await timed(readSdk);
      sdkTimes.push(sdk.ms);
      sdkCalls = sdk.value.calls;
      sdkRows = sdk.value.rows.length;
      floorTimes.push(await replay(plan, FLOOR_CONCURRENCY, sendDirect, !hinted));
      if (i > 0) await measuredBffRead(); // alternate the sides
    }
  } finally {
    peak = rss.stop();
  }
  {
    const bffRows = counted.value.value;
    const oursMs = median(bffTimes);
    const baselineMs = median(sdkTimes);
    const floorMs = median(floorTimes);
    const speedup = baselineMs / oursMs;
    const bffCalls = counted.requests.length;
    const reads = bffTimes.length;
    const cpuPerAssetUs = { bff: (bffCpuMs.bff * 1000) / (reads * size), emulator: (bffCpuMs.emulator * 1000) / (reads * size) };
    const notes: string[] = [];
    if (bffRows.length !== size) notes.push(`the BFF returned ${bffRows.length} assets, expected ${size}.`);
    if (sdkRows !== size) notes.push(`the SDK algorithm returned ${sdkRows} assets, expected ${size}.`);
    const expected = new Set(ids);
    const missing = bffRows.filter((row) => !expected.has(row.id)).length;
    const phases = timeline(counted.requests, bffStart);
    // The BFF writes its headers with the body (Apollo answers once the answer is serialised).
    const answer = {
      headersMs: median(bffTimings.map((t) => t.headersMs)),
      receivingMs: median(bffTimings.map((t) => t.bodyMs - t.headersMs)),
      parsingMs: median(bffTimings.map((t) => t.parsedMs - t.bodyMs)),
    };
    const answerFloorMs = floorMs + answer.receivingMs + answer.parsingMs;
    notes.push(
      `CPU over ${reads} BFF reads: BFF ${Math.round(bffCpuMs.bff)} ms, emulator ${Math.round(bffCpuMs.emulator)} ms ` +
        `(${Math.round(bffCpuMs.bff / reads)} and ${Math.round(bffCpuMs.emulator / reads)} ms per read). ` +
        'Upstream requests received during the first (count, first and last arrival after the request was sent): ' +
        Object.entries(phases).map(([f, p]) => `${f} ×${p.count} ${p.firstMs}–${p.lastMs} ms`).join('; ') + '.',
      `floor: the BFF's ${bffCalls} upstream calls replayed directly, count and first page at once, then, ${hinted ? 'at once too (the BFF remembers the count of the warm-up read: COUNT_HINT_TTL_MS)' : 'once the count is in'}, ${FLOOR_CONCURRENCY} in flight, ` +
        `answers read but not parsed (median of ${floorTimes.length}); the BFF's time above it is its own work.`,
      `the BFF's answer at the client (medians of ${bffTimings.length} reads): headers, sent with the body once it is serialised, ${answer.headersMs.toFixed(1)} ms after the request; ` +
        `then ${answer.receivingMs.toFixed(1)} ms receiving the body and ${answer.parsingMs.toFixed(1)} ms parsing it. ` +
        `Floor plus that receiving and parsing: ${answerFloorMs.toFixed(1)} ms (${(baselineMs / answerFloorMs).toFixed(2)}×), the least a server answering in one body could take.`,
    );
    if (missing > 0) notes.push(`${missing} assets returned by the BFF are not among the seeded ones.`);
    ctx.log(`  ${Math.round(baselineMs)} ms SDK (${sdkCalls} calls) vs ${Math.round(oursMs)} ms BFF (${bffCalls} calls): ${speedup.toFixed(2)}×; floor ${Math.round(floorMs)} ms`);
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
          target: TARGETS.largeReadSpeedup,
          targetOn: 'ratio',
        },
        {
          measure: 'floor: last upstream page received, same calls replayed directly',
          baselineLabel: 'SDK algorithm, direct',
          baseline: baselineMs,
          ours: floorMs,
          unit: 'ms',
          ratio: baselineMs / floorMs,
          ratioLabel: '×',
        },
        {
          measure: "floor + the client's receiving and parsing of the BFF's answer (one body)",
          baselineLabel: 'SDK algorithm, direct',
          baseline: baselineMs,
          ours: answerFloorMs,
          unit: 'ms',
          ratio: baselineMs / answerFloorMs,
          ratioLabel: '×',
        },
        {
          measure: 'CPU per asset read',
          baselineLabel: 'emulator, same reads',
          baseline: cpuPerAssetUs.emulator,
          ours: cpuPerAssetUs.bff,
          unit: 'µs',
          ratio: cpuPerAssetUs.bff / cpuPerAssetUs.emulator,
          ratioLabel: 'of baseline',
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
        floorTimes,
        floorMs,
        bffTimings,
        answer,
        answerFloorMs,
        bffCalls,
        bffByRootField: countByRootField(counted.requests),
        sdkCalls,
        pageSizes: counted.requests.map((r) => r.variables['first']).filter((v) => v !== undefined),
        peakRss: peak,
        cpuMsOverBffReads: bffCpuMs,
        bffReads: reads,
        cpuPerAssetUs,
        timeline: phases,
      },
      summary: { largeReadSpeedup: speedup },
    };
  }
}

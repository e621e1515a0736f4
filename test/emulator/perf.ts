/**
 * Emulator cost probe (not a test): an in-process emulator with no injected latency, a 10,000-asset
 * project (one DEFAULT label each), and the SDK's documents. For each operation it prints the
 * median and mean wall time per call over HTTP (the emulator's CPU cost plus the client's HTTP
 * overhead, since nothing waits), and the process CPU time per call. Medians resist the noise of
 * a shared machine.
 *
 *   npx tsx test/emulator/perf.ts            # everything
 *   npx tsx test/emulator/perf.ts reads      # only the ones whose name contains "reads"
 *   PERF_PROFILE=/tmp/p npx tsx test/emulator/perf.ts update   # also writes a .cpuprofile per measure
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { EmulatorControl } from '../../src/emulator/control-client.js';
import { startEmulator } from '../../src/emulator/index.js';
import * as D from './sdk-documents.js';

const KEY = 'perf-admin-key';
const filter = process.argv[2] ?? '';
const emu = await startEmulator({ port: 0, dev: true, apiKey: KEY, log: () => {} });

async function post(query: string, variables: Record<string, unknown>): Promise<unknown> {
  const res = await fetch(emu.url, {
    method: 'POST',
    headers: { Authorization: `X-API-Key: ${KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: unknown; errors?: unknown[] };
  if (res.status !== 200 || body.errors) throw new Error(`${res.status} ${JSON.stringify(body).slice(0, 500)}`);
  return body.data;
}


async function newProject(count: number, labeled = true): Promise<{ id: string; assetIds: string[] }> {
  const r = (await post('mutation { createProject(data: {title: "perf", inputType: TEXT}) { id } }', {})) as { createProject: { id: string } };
  const id = r.createProject.id;
  const assetIds = await new EmulatorControl(emu.origin, emu.apiKey).seed(id, count, { labeled });
  return { id, assetIds };
}

const chunks = <T>(xs: T[], n: number): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

/** Runs `calls` with `inFlight` concurrency; prints the median and mean ms per call. */
async function measure(name: string, calls: (() => Promise<unknown>)[], inFlight = 1): Promise<void> {
  if (filter && !name.includes(filter)) return;
  const queue = [...calls];
  const session = process.env.PERF_PROFILE ? new Session() : null;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const times: number[] = [];
  await Promise.all(Array.from({ length: inFlight }, async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      const t = performance.now();
      await c();
      times.push(performance.now() - t);
    }
  }));
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(`${process.env.PERF_PROFILE}-${name.replace(/\W+/g, '_').slice(0, 40)}.cpuprofile`, JSON.stringify(profile));
    session.disconnect();
  }
  const per = (v: number) => v.toFixed(2).padStart(6);
  console.log(`${name.padEnd(62)} ${String(calls.length).padStart(4)} calls  median ${per(median)}  mean ${per(ms / calls.length)}  cpu ${per((cpu.user + cpu.system) / 1000 / calls.length)} ms/call`);
}

const main = await newProject(10_000);
const ids = main.assetIds;
const batches = chunks(ids, 100);

// Warm up (statement and document caches, JIT).
for (const b of batches.slice(0, 5)) {
  await post(D.UPDATE_PROPERTIES, { whereArray: b.map((id) => ({ id })), dataArray: b.map(() => ({ priority: 1 })) });
  await post(D.ASSETS, { where: D.where(main.id), first: 100, skip: 0 });
  await post(D.COUNT_ASSETS, { where: D.where(main.id, { idIn: b }) });
}

const update = (b: string[], p: number) => () => post(D.UPDATE_PROPERTIES, { whereArray: b.map((id) => ({ id })), dataArray: b.map(() => ({ priority: p })) });
await measure('updatePropertiesInAssets ×100 (priority), 1 in flight', batches.map((b) => update(b, 2)));
await measure('updatePropertiesInAssets ×100 (priority), 4 in flight', batches.map((b) => update(b, 3)), 4);
await measure('countAssets idIn 100', batches.map((b) => () => post(D.COUNT_ASSETS, { where: D.where(main.id, { idIn: b }) })));
const thousands = chunks(ids, 1000);
await measure('countAssets idIn 1000', [...thousands, ...thousands].map((b) => () => post(D.COUNT_ASSETS, { where: D.where(main.id, { idIn: b }) })));
await measure('addAllLabeledAssetsToReview idIn 100', batches.map((b) => () => post(D.ADD_TO_REVIEW, { where: { idIn: b } })));
await measure('sendBackAssetsToQueue idIn 100', batches.map((b) => () => post(D.SEND_BACK_TO_QUEUE, { where: { idIn: b } })));

const ASSETS_SEL = `query assets($where: AssetWhere!, $first: PageSize!, $skip: Int!) {
  data: assets(where: $where, skip: $skip, first: $first) { id externalId content jsonMetadata labels { id author { email } } }
}`;
const pages = Array.from({ length: 100 }, (_, k) => k * 100);
await measure('reads: assets first 100 skip k, id externalId content … labels', pages.map((skip) => () => post(ASSETS_SEL, { where: D.where(main.id), first: 100, skip })));
await measure('reads: assets first 100 skip k, id only', pages.map((skip) => () => post(D.ASSET_IDS, { where: D.where(main.id), first: 100, skip })));

let n = 0;
const appendBatch = () => {
  const ext = Array.from({ length: 100 }, () => `perf-${n++}`);
  return post(D.APPEND_MANY_ASSETS, {
    data: { contentArray: ext.map((e) => `text ${e}`), externalIDArray: ext, jsonMetadataArray: ext.map((e) => JSON.stringify({ e })), jsonContentArray: ext.map(() => '') },
    where: { id: main.id },
  });
};
await measure('appendManyAssets ×100', Array.from({ length: 100 }, () => appendBatch));

const victims = await newProject(10_000, false);
await measure('deleteManyFromDataset idIn 100', chunks(victims.assetIds, 100).map((b) => () => post(D.DELETE_MANY, { where: { idIn: b } })));

await emu.close();

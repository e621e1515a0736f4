/**
 * Emulator cost probe without HTTP (not a test): the emulator's schema executed directly on its
 * store (variable coercion, resolvers, SQL), a 10,000-asset project with one label per asset.
 * Each call is synchronous, so its median wall time is the emulator's CPU cost per call, little
 * disturbed by other processes. Complements test/emulator/perf.ts (the same operations over HTTP).
 *
 *   npx tsx test/emulator/perf-exec.ts [name-filter]
 */
import { execute, parse, type ExecutionResult } from 'graphql';
import { Store } from '../../src/emulator/db.js';
import { buildEmulatorSchema } from '../../src/emulator/schema.js';
import { seedBulk, seedDemo } from '../../src/emulator/seed.js';
import { newId } from '../../src/emulator/util.js';
import type { EmuContext, UserRow } from '../../src/emulator/context.js';
import * as D from './sdk-documents.js';

const filter = process.argv[2] ?? '';
const store = new Store(':memory:');
seedDemo(store, 'perf-admin-key');
const schema = buildEmulatorSchema();
const user = store.get<UserRow>('SELECT id, email, firstname, lastname, organization_id FROM users WHERE id = ?', 'user-demo-admin')!;
const context = (): EmuContext => ({ store, user, newId, origin: 'http://127.0.0.1:0', uploadSecret: 'x', cache: new Map() });
const docs = new Map<string, ReturnType<typeof parse>>();

function run(query: string, variables: Record<string, unknown>): unknown {
  let doc = docs.get(query);
  if (!doc) docs.set(query, (doc = parse(query)));
  const r = execute({ schema, document: doc, variableValues: variables, contextValue: context() }) as ExecutionResult;
  if (r.errors) throw new Error(JSON.stringify(r.errors).slice(0, 500));
  JSON.stringify(r.data); // the response body is part of the cost
  return r.data;
}

function measure(name: string, calls: (() => unknown)[]): void {
  if (filter && !name.includes(filter)) return;
  const times = calls.map((c) => {
    const t = performance.now();
    c();
    return performance.now() - t;
  }).sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(`${name.padEnd(62)} ${String(calls.length).padStart(4)} calls  median ${median.toFixed(2).padStart(6)}  mean ${mean.toFixed(2).padStart(6)} ms/call`);
}

function project(count: number, labeled: boolean): { id: string; ids: string[] } {
  const r = run('mutation { createProject(data: {title: "perf", inputType: TEXT}) { id } }', {}) as { createProject: { id: string } };
  return { id: r.createProject.id, ids: seedBulk(store, { projectId: r.createProject.id, count, labeled }) };
}

const chunks = <T>(xs: T[], n: number): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));
const main = project(10_000, true);
const batches = chunks(main.ids, 100);
const update = (b: string[], p: number) => () => run(D.UPDATE_PROPERTIES, { whereArray: b.map((id) => ({ id })), dataArray: b.map(() => ({ priority: p })) });
for (const b of batches.slice(0, 10)) update(b, 1)(); // warm-up

measure('updatePropertiesInAssets ×100 (priority)', batches.map((b) => update(b, 2)));
measure('countAssets idIn 100', batches.map((b) => () => run(D.COUNT_ASSETS, { where: D.where(main.id, { idIn: b }) })));
measure('countAssets idIn 1000', chunks(main.ids, 1000).map((b) => () => run(D.COUNT_ASSETS, { where: D.where(main.id, { idIn: b }) })));
measure('addAllLabeledAssetsToReview idIn 100', batches.map((b) => () => run(D.ADD_TO_REVIEW, { where: { idIn: b } })));
measure('sendBackAssetsToQueue idIn 100', batches.map((b) => () => run(D.SEND_BACK_TO_QUEUE, { where: { idIn: b } })));
const ASSETS_SEL = `query assets($where: AssetWhere!, $first: PageSize!, $skip: Int!) {
  data: assets(where: $where, skip: $skip, first: $first) { id externalId content jsonMetadata labels { id author { email } } }
}`;
const pages = Array.from({ length: 100 }, (_, k) => k * 100);
measure('reads: assets first 100 skip k, id externalId content … labels', pages.map((skip) => () => run(ASSETS_SEL, { where: D.where(main.id), first: 100, skip })));
measure('reads: assets first 100 skip k, id only', pages.map((skip) => () => run(D.ASSET_IDS, { where: D.where(main.id), first: 100, skip })));
let n = 0;
measure('appendManyAssets ×100', Array.from({ length: 100 }, () => () => {
  const ext = Array.from({ length: 100 }, () => `perf-${n++}`);
  return run(D.APPEND_MANY_ASSETS, {
    data: { contentArray: ext.map((e) => `text ${e}`), externalIDArray: ext, jsonMetadataArray: ext.map((e) => JSON.stringify({ e })), jsonContentArray: ext.map(() => '') },
    where: { id: main.id },
  });
}));
const victims = project(10_000, false);
measure('deleteManyFromDataset idIn 100', chunks(victims.ids, 100).map((b) => () => run(D.DELETE_MANY, { where: { idIn: b } })));
store.close();

/**
 * Scenario 1, entity batching: one BFF request holding K `asset(id:)` lookups (K = 1, 100, 1000).
 * Measures the upstream calls it causes (ideal ⌈K/100⌉: the by-id loader's batches) and its wall
 * time against K sequential direct upstream calls (one `assets(where: {id})` per asset).
 */
import { sdkAssetById } from '../baselines/sdk.js';
import { countByRootField } from '../emulator-control.js';
import { bffRaw, median, timed, type BenchContext } from '../context.js';
import { SUMMARY_K } from '../report.js';
import type { Row, ScenarioResult } from '../types.js';

const KS = [1, 100, SUMMARY_K] as const;
const FIELDS = ['id', 'externalId', 'status'] as const;

/** `{ a0: asset(id: "…") { id externalId status } a1: … }` */
export function aliasedAssetQuery(ids: readonly string[]): string {
  const selection = FIELDS.join(' ');
  return `query EntityBatch {\n${ids.map((id, i) => `  a${i}: asset(id: ${JSON.stringify(id)}) { ${selection} }`).join('\n')}\n}`;
}

/** The same lookups as a federation gateway sends them: one `_entities` field, no aliases. */
export const ENTITIES_QUERY = `query EntityBatch($representations: [_Any!]!) {\n  _entities(representations: $representations) { ... on Asset { ${FIELDS.join(' ')} } }\n}`;

type Method = 'aliases' | '_entities';

interface Lookup {
  found: number;
  error?: string;
}

async function lookUp(ctx: BenchContext, ids: readonly string[], method: Method): Promise<Lookup> {
  const res =
    method === 'aliases'
      ? await bffRaw<Record<string, { id: string } | null>>(ctx, aliasedAssetQuery(ids))
      : await bffRaw<{ _entities: Array<{ id: string } | null> }>(ctx, ENTITIES_QUERY, {
          representations: ids.map((id) => ({ __typename: 'Asset', id })),
        });
  if (res.errors && res.errors.length > 0) {
    const code = res.errors[0]?.extensions?.['code'];
    return { found: 0, error: `HTTP ${res.status} ${String(code ?? '')}: ${res.errors[0]?.message ?? ''}`.trim() };
  }
  const values = method === 'aliases' ? Object.values(res.data ?? {}) : ((res.data as { _entities?: unknown[] } | null)?._entities ?? []);
  return { found: values.filter((v) => v !== null && v !== undefined).length };
}

export async function runEntityBatching(ctx: BenchContext): Promise<ScenarioResult> {
  const { emulator } = ctx;
  const maxK = Math.max(...KS);
  const sampleCap = ctx.quick ? 100 : Infinity;
  const reps = ctx.quick ? 1 : 3;
  const result: ScenarioResult = {
    id: 'entityBatching',
    title: '1. Entity batching',
    sizes: `K = ${KS.join(', ')}; BFF wall time: median of ${reps}; baseline: K sequential direct calls` +
      (ctx.quick ? ' (quick: at most 100 measured, then scaled linearly to K)' : ''),
    rows: [],
    notes: [],
    raw: {},
  };
  const projectId = await emulator.createProject('bench: entity batching');
  const ids = await emulator.seed(projectId, maxK, { externalIdPrefix: 'entity-' });
  const execute = emulator.executor();

  // Warm-up (module caches, connection pools); not measured.
  let method: Method = 'aliases';
  const warm = await lookUp(ctx, ids.slice(0, 2), method);
  if (warm.error) throw new Error(`asset(id:) lookup failed: ${warm.error}`);
  await sdkAssetById(execute, projectId, ids[0] as string, FIELDS);

  const raw: Record<string, unknown> = {};
  for (const k of KS) {
    const keys = ids.slice(0, k);
    const ideal = Math.ceil(k / 100);
    let counted = await emulator.counting(() => timed(() => lookUp(ctx, keys, method)));
    if (counted.value.value.error && method === 'aliases') {
      result.notes.push(
        `K=${k}: the aliased query was refused (${counted.value.value.error}); measured the same lookups through ` +
          '`_entities(representations:)` (what a federation gateway sends), served by the same by-id loader.',
      );
      method = '_entities';
      counted = await emulator.counting(() => timed(() => lookUp(ctx, keys, method)));
    }
    const lookup = counted.value.value;
    if (lookup.error) throw new Error(`K=${k}: ${lookup.error}`);
    if (lookup.found !== k) result.notes.push(`K=${k}: only ${lookup.found} of ${k} assets came back.`);
    const calls = counted.requests.length;
    const times = [counted.value.ms];
    for (let i = 1; i < reps; i += 1) times.push((await timed(() => lookUp(ctx, keys, method))).ms);
    const oursMs = median(times);

    const measured = Math.min(k, sampleCap);
    const base = await timed(async () => {
      for (const id of keys.slice(0, measured)) await sdkAssetById(execute, projectId, id, FIELDS);
    });
    const baselineMs = (base.ms * k) / measured;

    const breakdown = countByRootField(counted.requests);
    raw[`k${k}`] = { method, upstreamCalls: calls, byRootField: breakdown, ideal, oursMs, oursRuns: times, baselineMs, baselineMeasured: measured };
    const callRow: Row = {
      measure: `upstream calls, K=${k}`,
      baselineLabel: 'ideal ⌈K/100⌉',
      baseline: ideal,
      ours: calls,
      unit: 'calls',
      ratio: calls / ideal,
      ratioLabel: 'of ideal',
      target: { op: '==', value: ideal },
      targetOn: 'ours',
    };
    const timeRow: Row = {
      measure: `wall time, K=${k}`,
      baselineLabel: measured < k ? `${k} sequential direct calls (${measured} measured)` : `${k} sequential direct calls`,
      baseline: baselineMs,
      ours: oursMs,
      unit: 'ms',
      ratio: baselineMs / oursMs,
      ratioLabel: '×',
    };
    result.rows.push(callRow, timeRow);
    if (calls !== ideal) {
      result.notes.push(`K=${k}: ${calls} upstream calls (${JSON.stringify(breakdown)}) instead of ${ideal}.`);
    }
    if (k === SUMMARY_K) result.summary = { entityBatching: { k, upstreamCalls: calls, ideal } };
    ctx.log(`  K=${k}: ${calls} upstream calls (ideal ${ideal}), ${Math.round(oursMs)} ms vs ${Math.round(baselineMs)} ms sequential`);
  }
  result.raw = { projectId, method, ...raw };
  return result;
}

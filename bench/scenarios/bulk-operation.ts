/**
 * Scenario 7, bulk operation: `updatePropertiesInAssets(async: true)` on 50,000 assets (5,000 in
 * quick mode) through a BFF of its own started with `RATE_LIMIT_PER_MINUTE=6000`, polled with
 * `bulkOperation(id)` until final. Reports the wall time (request sent → final status seen)
 * against the rate-limit floor (upstream calls made ÷ the per-minute budget), upstream calls per
 * asset, and checks every asset independently afterwards (priorities read back).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bffClient, timed, type BenchContext } from '../context.js';
import { countByRootField } from '../emulator-control.js';
import { readPriorities } from './bulk-mutation.js';
import { gqlData } from '../gql.js';
import { freePort, spawnService, startFlags, waitForHttp } from '../processes.js';
import { BULK_OPERATION_WALL_RATIO } from '../targets.js';
import type { ScenarioResult } from '../types.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The per-credential upstream budget of this scenario's BFF (calls per minute). */
export const BULK_RATE_PER_MINUTE = 6000;

const START = `mutation Start($projectId: ID, $assets: [AssetPropertiesInput!]!) {
  updatePropertiesInAssets(projectId: $projectId, assets: $assets, async: true) { operation { id status total } }
}`;
const POLL = `query Poll($id: ID!) {
  bulkOperation(id: $id) { status total processed appliedCount failedCount unknownOutcomeCount verified error { code message } result { batches } }
}`;

interface Polled {
  status: string;
  total: number;
  processed: number;
  appliedCount: number;
  failedCount: number;
  unknownOutcomeCount: number;
  verified: boolean;
  error: { code: string; message: string } | null;
  result: { batches: number } | null;
}

const FINAL = new Set(['COMPLETED', 'PARTIAL_FAILURE', 'FAILED', 'CANCELED']);

export async function runBulkOperation(ctx: BenchContext): Promise<ScenarioResult> {
  const size = ctx.quick ? 5000 : 50_000;
  const projectId = await ctx.emulator.createProject('bench: bulk operation');
  const ids = await ctx.emulator.seed(projectId, size, { externalIdPrefix: 'op-' });
  const port = await freePort();
  const service = spawnService({
    name: 'bff-bulk',
    entry: ctx.bffEntry,
    cwd: ROOT,
    nodeArgs: startFlags(ROOT),
    env: { LOG_LEVEL: 'warn', NODE_ENV: 'production', RATE_LIMIT_PER_MINUTE: String(BULK_RATE_PER_MINUTE), KILI_API_URL: ctx.emulator.graphqlUrl, PORT: String(port), HOST: '127.0.0.1' },
  });
  const notes: string[] = [];
  try {
    await waitForHttp(service, `http://127.0.0.1:${port}/readyz`);
    const bff = bffClient(`http://127.0.0.1:${port}/graphql`, service.pid, ctx.emulator.apiKey);
    const priority = 31;
    await ctx.emulator.clearRequests();
    const run = await timed(async () => {
      const started = await gqlData<{ updatePropertiesInAssets: { operation: { id: string } } }>(bff.url, bff.headers, START, {
        projectId,
        assets: ids.map((id) => ({ id, priority })),
      });
      const id = started.updatePropertiesInAssets.operation.id;
      for (;;) {
        const { bulkOperation } = await gqlData<{ bulkOperation: Polled }>(bff.url, bff.headers, POLL, { id });
        if (FINAL.has(bulkOperation.status)) return bulkOperation;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    });
    const requests = await ctx.emulator.requests();
    const op = run.value;
    const calls = requests.length;
    const wallS = run.ms / 1000;
    const floorS = (calls / BULK_RATE_PER_MINUTE) * 60;
    const callsPerAsset = calls / size;
    const priorities = await readPriorities(ctx, projectId, size);
    const independentlyVerified = ids.filter((id) => priorities.get(id) === priority).length;
    if (op.status !== 'COMPLETED') notes.push(`the operation ended ${op.status}${op.error ? ` (${op.error.code}: ${op.error.message})` : ''}.`);
    if (!op.verified) notes.push('the operation reports verified: false.');
    if (independentlyVerified !== size) notes.push(`read back directly: ${independentlyVerified} of ${size} assets carry the new priority.`);
    notes.push(
      `Upstream calls by root field: ${Object.entries(countByRootField(requests)).map(([f, n]) => `${f} ×${n}`).join(', ')}; ` +
        `the budget is ${BULK_RATE_PER_MINUTE} calls per minute per credential.`,
    );
    ctx.log(`  ${size} assets in ${wallS.toFixed(1)} s (floor ${floorS.toFixed(1)} s, ${calls} calls, verified ${op.verified}, read back ${independentlyVerified})`);
    return {
      id: 'bulkOperation',
      title: '7. Bulk operation',
      sizes: `${size} assets${ctx.quick ? ' (quick mode; 50,000 in a full run)' : ''}, priority update as an operation (async: true), RATE_LIMIT_PER_MINUTE=${BULK_RATE_PER_MINUTE}`,
      rows: [
        {
          measure: `wall time, ${size} assets`,
          baselineLabel: 'rate-limit floor (calls ÷ budget)',
          baseline: floorS,
          ours: wallS,
          unit: 's',
          ratio: wallS / floorS,
          ratioLabel: 'of baseline',
          target: BULK_OPERATION_WALL_RATIO,
          targetOn: 'ratio',
        },
        {
          measure: 'upstream calls per asset',
          baselineLabel: 'target',
          baseline: 0.014,
          ours: callsPerAsset,
          unit: '',
          ratio: null,
          ratioLabel: '',
          target: { op: '<=', value: 0.014 },
          targetOn: 'ours',
        },
        {
          measure: 'assets verified (operation, then read back)',
          baselineLabel: 'all',
          baseline: size,
          ours: op.verified ? independentlyVerified : 0,
          unit: '',
          ratio: null,
          ratioLabel: '',
          target: { op: '==', value: size },
          targetOn: 'ours',
        },
      ],
      notes,
      raw: { size, calls, wallS, floorS, callsPerAsset, operation: op, independentlyVerified },
      summary: { bulkOperation: { assets: size, wallS, floorS, callsPerAsset } },
    };
  } finally {
    await service.stop();
  }
}

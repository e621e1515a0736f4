/**
 * Hostile inputs, mutation reports under faults: what a mutation answers must be true of what the
 * upstream holds, whatever fails. Table-driven: each case states its bound (the promise it keeps),
 * injects the emulator's faults, runs one mutation through the real BFF over HTTP, and asserts the
 * code, the per-asset report and what the upstream holds; bad input is refused with no upstream
 * mutation call. (Test MUTATION_CONCURRENCY is 1 where batch order matters.)
 */
import { describe, expect, it } from 'vitest';
import type { Fault } from '../../src/emulator/index.js';
import {
  clearRequests,
  countAssets,
  countBy,
  IMAGE,
  mutate,
  query,
  readAssets,
  rejection,
  requests,
  seed,
  setFaults,
  TEXT,
  useHarness,
  type Harness,
} from '../mutations/emu.js';

const h = useHarness();
const SERIAL = { MUTATION_CONCURRENCY: '1' };
/** Every call of `rootField` from the `from`-th on fails with `status` (5 covers the retries). */
const failFrom = (rootField: string, from: number, status: 500 | 503): Fault[] =>
  Array.from({ length: 5 }, (_, i) => ({ rootField, nth: from + i, kind: 'status', status }));
const sorted = (ids: unknown): string[] => [...(ids as string[])].sort();

interface Case {
  name: string;
  /** The promise the case keeps. */
  bound: string;
  run(h: Harness): Promise<void>;
}

const CASES: Case[] = [
  {
    name: 'update: HTTP 500 after the write of batch 2 of 3',
    bound: 'a 5xx leaves the outcome unknown: the batch is re-checked and its changed assets are reported applied, the unsent batch failed',
    async run(h) {
      const ids = await seed(h, IMAGE, 250);
      await setFaults(h, [{ rootField: 'updatePropertiesInAssets', nth: 2, kind: 'status', status: 500, afterWrite: true }]);
      const ext = await rejection(mutate(h, 'updatePropertiesInAssets', { assets: ids.map((id) => ({ id, priority: 7 })) }, { env: SERIAL }));
      expect(ext).toMatchObject({ code: 'PARTIAL_FAILURE', failedBatch: 1, causeCode: 'UPSTREAM_ERROR', appliedAssetIds: ids.slice(0, 200), failedAssetIds: ids.slice(200) });
      expect(ext).not.toHaveProperty('unknownOutcomeAssetIds');
      const stored = await readAssets(h, { idIn: ids }, 'id priority');
      expect(sorted(stored.filter((a) => a.priority === 7).map((a) => a.id))).toEqual(sorted(ids.slice(0, 200)));
    },
  },
  {
    name: 'delete: HTTP 500 after the write of its only batch',
    bound: 'when the re-check finds every asset changed, the mutation succeeded and says so',
    async run(h) {
      const ids = await seed(h, IMAGE, 40);
      await setFaults(h, [{ rootField: 'deleteManyFromDataset', nth: 1, kind: 'status', status: 500, afterWrite: true }]);
      const out = await mutate(h, 'deleteManyFromDataset', { projectId: IMAGE, assetIds: ids });
      expect(out).toMatchObject({ projectId: IMAGE, projectIds: [IMAGE], assetIds: ids, batches: 1, verified: true });
      expect(await countAssets(h, { idIn: ids })).toBe(0);
    },
  },
  {
    name: 'update: HTTP 500 after the write, and the re-check cannot read',
    bound: 'assets whose outcome nobody could check are unknownOutcomeAssetIds, never "not applied"',
    async run(h) {
      const ids = await seed(h, IMAGE, 30);
      await setFaults(h, [{ rootField: 'updatePropertiesInAssets', nth: 1, kind: 'status', status: 500, afterWrite: true }, { rootField: 'assets', kind: 'status', status: 500 }]);
      const ext = await rejection(mutate(h, 'updatePropertiesInAssets', { projectId: IMAGE, assets: ids.map((id) => ({ id, priority: 5 })) }));
      expect(ext).toMatchObject({ code: 'UPSTREAM_ERROR', outcomeUnknown: true, unknownOutcomeAssetIds: ids });
      expect(ext).not.toHaveProperty('failedAssetIds');
      await setFaults(h, []);
      const stored = await readAssets(h, { idIn: ids }, 'id priority');
      expect(stored.filter((a) => a.priority === 5)).toHaveLength(30);
    },
  },
  {
    name: 'append: 503 after the write, and the existence re-check fails',
    bound: 'the batch whose outcome stays unknown is unknownOutcomeAssetIds (its assets exist), never "not applied"',
    async run(h) {
      const assets = Array.from({ length: 30 }, (_, i) => ({ content: `https://cdn.test/${i}.png`, externalId: `unk-${i}` }));
      // filterExistingAssets call 1 is the check of the given external ids before anything is sent.
      await setFaults(h, [{ rootField: 'appendManyAssets', nth: 1, kind: 'status', status: 503, afterWrite: true }, ...failFrom('filterExistingAssets', 2, 500)]);
      const ext = await rejection(mutate(h, 'appendManyToDataset', { projectId: IMAGE, assets }));
      const stored = await readAssets(h, { project: { id: IMAGE }, externalIdStrictlyIn: assets.map((a) => a.externalId) }, 'id externalId');
      expect(stored).toHaveLength(30);
      expect(ext).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', outcomeUnknown: true });
      expect(sorted(ext.unknownOutcomeAssetIds)).toEqual(sorted(stored.map((a) => a.id)));
      expect(countBy(await requests(h)).appendManyAssets).toBe(1);
    },
  },
  {
    name: 'append: batch 2 of 3 unknown (503 after the write), re-check failing',
    bound: 'applied, unknown and not-applied ids together match what the upstream holds',
    async run(h) {
      const assets = Array.from({ length: 250 }, (_, i) => ({ content: `https://cdn.test/${i}.png`, externalId: `mix-${i}` }));
      await setFaults(h, [{ rootField: 'appendManyAssets', nth: 2, kind: 'status', status: 503, afterWrite: true }, ...failFrom('filterExistingAssets', 2, 500)]);
      const ext = await rejection(mutate(h, 'appendManyToDataset', { projectId: IMAGE, assets }, { env: SERIAL }));
      const stored = await readAssets(h, { project: { id: IMAGE }, externalIdIn: ['mix-'] }, 'id externalId');
      expect(stored).toHaveLength(200);
      expect(ext).toMatchObject({ code: 'PARTIAL_FAILURE', failedBatch: 1, causeCode: 'UPSTREAM_UNAVAILABLE' });
      const applied = ext.appliedAssetIds as string[];
      const unknown = ext.unknownOutcomeAssetIds as string[];
      expect([applied.length, unknown.length, (ext.failedAssetIds as string[]).length]).toEqual([100, 100, 150]);
      expect(sorted([...applied, ...unknown])).toEqual(sorted(stored.map((a) => a.id)));
    },
  },
  {
    name: 'delete without projectId, assets of two projects',
    bound: 'every affected project is reported, and the cached reads of each are invalidated',
    async run(h) {
      const env = { RESPONSE_CACHE_TTL_MS: '60000' };
      const image = await seed(h, IMAGE, 2, { prefix: 'two-' });
      const text = await seed(h, TEXT, 3, { prefix: 'two-' });
      const count = async (projectId: string) => (await query<{ countAssets: number }>(h, 'query ($p: ID!) { countAssets(projectId: $p) }', { p: projectId }, { env })).countAssets;
      const before = { image: await count(IMAGE), text: await count(TEXT) };
      const out = await mutate(h, 'deleteManyFromDataset', { assetIds: [...image, ...text] }, { env });
      expect(out).toMatchObject({ projectId: null, projectIds: [IMAGE, TEXT], assetIds: [...image, ...text], verified: true });
      expect({ image: await count(IMAGE), text: await count(TEXT) }).toEqual({ image: before.image - 2, text: before.text - 3 });
    },
  },
  {
    name: 'addToReview: the upstream answers batch 1 with GraphQL errors',
    bound: 'a GraphQL errors answer means "not applied": the upstream error itself, no unknown ids',
    async run(h) {
      const ids = await seed(h, TEXT, 5, { labeled: true });
      await setFaults(h, [{ rootField: 'addAllLabeledAssetsToReview', nth: 1, kind: 'graphqlError' }]);
      const ext = await rejection(mutate(h, 'addToReview', { assetIds: ids }));
      expect(ext).toMatchObject({ code: 'UPSTREAM_ERROR' });
      expect(Object.keys(ext).filter((k) => ['outcomeUnknown', 'unknownOutcomeAssetIds', 'appliedAssetIds'].includes(k))).toEqual([]);
      expect(await countAssets(h, { idIn: ids, statusIn: ['TO_REVIEW'] })).toBe(0);
    },
  },
  {
    name: 'bad input: assetIds and externalIds together',
    bound: 'BAD_USER_INPUT naming the field, before any upstream call',
    async run(h) {
      const ext = await rejection(mutate(h, 'deleteManyFromDataset', { projectId: IMAGE, assetIds: ['a'], externalIds: ['b'] }));
      expect(ext).toMatchObject({ code: 'BAD_USER_INPUT', field: 'assetIds' });
      expect(await requests(h)).toEqual([]);
    },
  },
  {
    name: 'bad input: externalIds without projectId',
    bound: 'BAD_USER_INPUT naming projectId, before any upstream call',
    async run(h) {
      const ext = await rejection(mutate(h, 'sendBackToQueue', { externalIds: ['x'] }));
      expect(ext).toMatchObject({ code: 'BAD_USER_INPUT', field: 'projectId' });
      expect(await requests(h)).toEqual([]);
    },
  },
  {
    name: 'an unknown asset id among known ones',
    bound: 'ASSET_NOT_FOUND listing it, and no upstream mutation call',
    async run(h) {
      const ids = await seed(h, IMAGE, 3);
      await clearRequests(h);
      const ext = await rejection(mutate(h, 'updatePropertiesInAssets', { assets: [...ids, 'no-such-asset'].map((id) => ({ id, priority: 2 })) }));
      expect(ext).toMatchObject({ code: 'ASSET_NOT_FOUND', missingIds: ['no-such-asset'] });
      expect(countBy(await requests(h)).updatePropertiesInAssets).toBeUndefined();
    },
  },
];

describe('mutation reports under faults', () => {
  it.each(CASES.map((c) => [c.name, c.bound, c] as const))('%s: %s', async (_name, _bound, c) => {
    await clearRequests(h);
    await c.run(h);
  });
});


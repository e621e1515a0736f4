/**
 * Pipelines over the in-memory fake upstream: batch counts, resolution, failures, verification.
 */
import { describe, expect, it } from 'vitest';
import { runIdList, runUpdate } from '../../src/mutations/pipeline.js';
import { dispatchBatches } from '../../src/mutations/dispatch.js';
import { streamingVerifier, verifyAll } from '../../src/mutations/verify.js';
import { BffError, BffErrorCode } from '../../src/errors/index.js';
import { FakeUpstream, rejection, testSettings } from './fake-upstream.js';
import { recordingClock } from '../helpers/clock.js';

const P = 'proj';

describe('batch counts', () => {
  it.each([
    [1, 1],
    [100, 1],
    [101, 2],
    [250, 3],
  ])('updates %i assets in %i batches, verified with few reads', async (n, batches) => {
    const up = new FakeUpstream();
    const ids = up.seed(P, n);
    const out = await runUpdate('updatePropertiesInAssets', { assets: ids.map((id, i) => ({ id, priority: i })) }, { upstream: up, settings: testSettings(), clock: recordingClock() });
    expect(out).toMatchObject({ assetIds: ids, batches, verified: true, warnings: [] });
    expect(up.count('updatePropertiesInAssets')).toBe(batches);
    expect(up.count('countAssets')).toBe(1); // existence check: one count per 1000 ids
    expect(up.count('readAssets')).toBe(Math.ceil(n / 500)); // read-back: one page per 500 ids
    expect(up.assets.get(ids[n - 1] as string)?.priority).toBe(n - 1);
  });

  it.each(['deleteManyFromDataset', 'addToReview', 'sendBackToQueue'] as const)('%s: 250 ids → 3 batches, 2 counts', async (kind) => {
    const up = new FakeUpstream();
    const ids = up.seed(P, 250, { labeled: true });
    const out = await runIdList(kind, { assetIds: ids }, { upstream: up, settings: testSettings(), clock: recordingClock() });
    expect(out).toMatchObject({ projectId: P, assetIds: ids, batches: 3, verified: true });
    expect(up.calls.filter((c) => !['countAssets'].includes(c.method)).map((c) => c.method)).toHaveLength(3);
    expect(up.count('countAssets')).toBe(2); // existence + verification
  });
});

describe('resolve ids', () => {
  it('resolves external ids in one lookup and reports missing ones before changing anything', async () => {
    const up = new FakeUpstream();
    up.seed(P, 3);
    const ext = await rejection(runIdList('deleteManyFromDataset', { projectId: P, externalIds: ['ext-0', 'nope', 'ext-2'] }, { upstream: up, settings: testSettings() }));
    expect(ext).toMatchObject({ code: 'ASSET_NOT_FOUND', missingExternalIds: ['nope'], missingIds: [] });
    expect(up.assets.size).toBe(3);
    expect(up.count('deleteManyFromDataset')).toBe(0);
  });
  it('reports missing ids', async () => {
    const up = new FakeUpstream();
    const ids = up.seed(P, 2);
    const ext = await rejection(runUpdate('updatePropertiesInAssets', { projectId: P, assets: [{ id: ids[0], priority: 1 }, { id: 'ghost', priority: 1 }] }, { upstream: up, settings: testSettings() }));
    expect(ext).toMatchObject({ code: 'ASSET_NOT_FOUND', missingIds: ['ghost'] });
    expect(up.count('updatePropertiesInAssets')).toBe(0);
  });
  it('rejects an external id shared by two assets', async () => {
    const up = new FakeUpstream();
    up.seed(P, 1, { prefix: 'dup-' });
    up.seed(P, 1, { prefix: 'dup-' });
    const ext = await rejection(runIdList('addToReview', { projectId: P, externalIds: ['dup-0'] }, { upstream: up, settings: testSettings() }));
    expect(ext).toMatchObject({ code: 'BAD_USER_INPUT', ambiguousExternalIds: ['dup-0'] });
  });
  it('rejects two items naming the same asset', async () => {
    const up = new FakeUpstream();
    const [id] = up.seed(P, 1);
    const ext = await rejection(runUpdate('updatePropertiesInAssets', { projectId: P, assets: [{ id, priority: 1 }, { externalId: 'ext-0', priority: 2 }] }, { upstream: up, settings: testSettings() }));
    expect(ext).toMatchObject({ code: 'BAD_USER_INPUT', duplicateIds: [id] });
  });
  it('changes external ids found by external id', async () => {
    const up = new FakeUpstream();
    const ids = up.seed(P, 2);
    const out = await runUpdate('changeAssetExternalIds', { projectId: P, assets: [{ externalId: 'ext-0', newExternalId: 'n0' }, { id: ids[1], newExternalId: 'n1' }] }, { upstream: up, settings: testSettings() });
    expect(out).toMatchObject({ assetIds: ids, batches: 1, verified: true });
    expect([...up.assets.values()].map((a) => a.externalId)).toEqual(['n0', 'n1']);
  });
});

describe('failures', () => {
  it('hard failure on batch 2 of 3 → PARTIAL_FAILURE listing applied and failed assets', async () => {
    const up = new FakeUpstream();
    const ids = up.seed(P, 250);
    up.hooks.set('updatePropertiesInAssets', (_c, nth) => {
      if (nth === 2) throw new BffError(BffErrorCode.UPSTREAM_ERROR, 'boom');
    });
    const ext = await rejection(
      runUpdate('updatePropertiesInAssets', { assets: ids.map((id) => ({ id, priority: 7 })) }, { upstream: up, settings: testSettings({ concurrency: 1 }) }),
    );
    expect(ext).toMatchObject({ code: 'PARTIAL_FAILURE', failedBatch: 1, causeCode: 'UPSTREAM_ERROR' });
    expect(ext.appliedAssetIds).toEqual(ids.slice(0, 100));
    expect(ext.failedAssetIds).toEqual(ids.slice(100));
    const applied = ids.filter((id) => up.assets.get(id)?.priority === 7);
    expect(applied).toEqual(ext.appliedAssetIds);
  });
  it('a failure of the only batch is the upstream error itself', async () => {
    const up = new FakeUpstream();
    const ids = up.seed(P, 5);
    up.hooks.set('deleteManyFromDataset', () => {
      throw new BffError(BffErrorCode.UPSTREAM_UNAVAILABLE, 'down');
    });
    expect(await rejection(runIdList('deleteManyFromDataset', { assetIds: ids }, { upstream: up, settings: testSettings() }))).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      // A 5xx/timeout after retries may have been applied: said so, never "nothing was changed".
      unknownOutcomeAssetIds: ids,
    });
  });
  it('a failure with a GraphQL error answer is the upstream error, nothing listed as unknown', async () => {
    const up = new FakeUpstream();
    const ids = up.seed(P, 5);
    up.hooks.set('deleteManyFromDataset', () => {
      throw new BffError(BffErrorCode.UPSTREAM_ERROR, 'refused');
    });
    const ext = await rejection(runIdList('deleteManyFromDataset', { assetIds: ids }, { upstream: up, settings: testSettings() }));
    expect(ext).toMatchObject({ code: 'UPSTREAM_ERROR' });
    expect(ext.unknownOutcomeAssetIds).toBeUndefined();
  });
  it('dropped writes → VERIFICATION_FAILED at the deadline, with backoff 1, 2, 4, 8, 8… s', async () => {
    const up = new FakeUpstream();
    const ids = up.seed(P, 3);
    up.hooks.set('updatePropertiesInAssets', () => 'drop');
    const clock = recordingClock();
    const ext = await rejection(runUpdate('updatePropertiesInAssets', { assets: ids.map((id) => ({ id, priority: 9 })) }, { upstream: up, settings: testSettings(), clock }));
    expect(ext).toMatchObject({ code: 'VERIFICATION_FAILED', unverifiedAssetIds: ids });
    expect(clock.sleeps).toEqual([1000, 2000, 4000, 8000, 8000, 7000]);
    expect(clock.now()).toBe(30_000);
  });
  it('a consistency delay is absorbed by later probes', async () => {
    const up = new FakeUpstream();
    const ids = up.seed(P, 4, { labeled: true });
    const clock = recordingClock();
    const realRead = up.readAssets.bind(up);
    const realCount = up.countAssets.bind(up);
    const visibleAt = 2500;
    const stale = new Map(ids.map((id) => [id, 'LABELED']));
    up.countAssets = async (where) => (where.statusIn && clock.now() < visibleAt ? 0 : realCount(where));
    up.readAssets = async (w, f, first, skip) => (await realRead(w, f, first, skip)).map((a) => (clock.now() < visibleAt ? { ...a, status: stale.get(a.id) ?? a.status } : a));
    const out = await runIdList('addToReview', { assetIds: ids }, { upstream: up, settings: testSettings(), clock });
    expect(out).toMatchObject({ verified: true, assetIds: ids });
    expect(clock.sleeps).toEqual([1000, 2000]);
  });
  it('addToReview skips unlabeled assets with a warning', async () => {
    const up = new FakeUpstream();
    const labeled = up.seed(P, 2, { labeled: true });
    const bare = up.seed(P, 1);
    const out = await runIdList('addToReview', { assetIds: [...labeled, ...bare] }, { upstream: up, settings: testSettings(), clock: recordingClock() });
    expect(out.assetIds).toEqual(labeled);
    expect(out.warnings).toMatchObject([{ code: 'UNLABELED_ASSETS_IGNORED' }]);
  });
});

describe('dispatch and verify units', () => {
  it('never runs more than `concurrency` batches at once and stops after a failure', async () => {
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    const batches = Array.from({ length: 10 }, (_, index) => ({ index, ids: [`a${index}`], payload: null }));
    const report = await dispatchBatches(batches, 3, async (b) => {
      started.push(b.index);
      active += 1;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 5));
      active -= 1;
      if (b.index === 4) throw new Error('x');
      return { projectId: null };
    });
    expect(peak).toBe(3);
    expect(report.failedBatch).toBe(4);
    expect(report.sent).toBeLessThan(10);
    expect(report.applied.length + report.failed.length).toBe(10);
  });
  it('treats a failing probe as pending until the deadline', async () => {
    const clock = recordingClock();
    let n = 0;
    const result = await verifyAll(['a'], async (ids) => {
      n += 1;
      if (n < 3) throw new BffError(BffErrorCode.UPSTREAM_UNAVAILABLE, 'x');
      return { confirmed: ids, skipped: [], pending: [] };
    }, testSettings(), clock);
    expect(result).toMatchObject({ confirmed: ['a'], rounds: 3 });
  });
});

describe('streamed verification', () => {
  const methods = (up: FakeUpstream) => up.calls.map((c) => c.method);

  it('update: read-backs start before the last batch is sent, with no extra upstream call', async () => {
    const up = new FakeUpstream();
    const ids = up.seed(P, 1000);
    const out = await runUpdate('updatePropertiesInAssets', { projectId: P, assets: ids.map((id) => ({ id, priority: 5 })) }, { upstream: up, settings: testSettings({ concurrency: 2 }), clock: recordingClock() });
    expect(out).toMatchObject({ assetIds: ids, batches: 10, verified: true });
    const order = methods(up);
    expect(order.indexOf('readAssets')).toBeLessThan(order.lastIndexOf('updatePropertiesInAssets'));
    expect(order.indexOf('countAssets')).toBeLessThan(order.indexOf('updatePropertiesInAssets')); // the id check comes first
    expect(up.count('countAssets')).toBe(1);
    expect(up.count('readAssets')).toBe(2); // groups of 500 ids: one read-back each
    const read = up.calls.filter((c) => c.method === 'readAssets').map((c) => (c.args[0] as { idIn: string[] }).idIn);
    expect(read.flat().sort()).toEqual([...ids].sort());
  });

  it('delete: each 1000-id count runs as soon as its 10 batches are applied', async () => {
    const up = new FakeUpstream();
    const ids = up.seed(P, 2500);
    const out = await runIdList('deleteManyFromDataset', { assetIds: ids }, { upstream: up, settings: testSettings({ concurrency: 3 }), clock: recordingClock() });
    expect(out).toMatchObject({ projectId: P, batches: 25, verified: true });
    const order = methods(up);
    const firstVerifyCount = order.indexOf('countAssets', order.indexOf('deleteManyFromDataset'));
    expect(firstVerifyCount).toBeLessThan(order.lastIndexOf('deleteManyFromDataset'));
    expect(up.count('countAssets')).toBe(3 + 3); // existence (3) + verification (3)
    expect(up.assets.size).toBe(0);
  });

  it('a failure after a verified group is still an exact PARTIAL_FAILURE', async () => {
    const up = new FakeUpstream();
    const ids = up.seed(P, 1000);
    up.hooks.set('updatePropertiesInAssets', (_c, nth) => {
      if (nth === 8) throw new BffError(BffErrorCode.UPSTREAM_ERROR, 'boom');
    });
    const ext = await rejection(
      runUpdate('updatePropertiesInAssets', { assets: ids.map((id) => ({ id, priority: 3 })) }, { upstream: up, settings: testSettings({ concurrency: 1 }), clock: recordingClock() }),
    );
    expect(ext).toMatchObject({ code: 'PARTIAL_FAILURE', failedBatch: 7 });
    expect(ext.appliedAssetIds).toEqual(ids.slice(0, 700));
    expect(ext.failedAssetIds).toEqual(ids.slice(700));
    expect(up.count('readAssets')).toBe(1); // the first 500 were checked while batches 6-8 were sent
    expect(ids.filter((id) => up.assets.get(id)?.priority === 3)).toEqual(ext.appliedAssetIds);
  });

  it('dropped writes in several groups → one VERIFICATION_FAILED listing every asset in order', async () => {
    const up = new FakeUpstream();
    const ids = up.seed(P, 700);
    up.hooks.set('updatePropertiesInAssets', () => 'drop');
    const clock = recordingClock();
    const ext = await rejection(runUpdate('updatePropertiesInAssets', { assets: ids.map((id) => ({ id, priority: 9 })) }, { upstream: up, settings: testSettings({ concurrency: 4 }), clock }));
    expect(ext).toMatchObject({ code: 'VERIFICATION_FAILED', unverifiedAssetIds: ids, deadlineMs: 30_000 });
    expect(clock.sleeps).toEqual([1000, 2000, 4000, 8000, 8000, 7000]);
  });

  it('re-probes the pending assets of every group together, with backoff from the end of dispatch', async () => {
    const clock = recordingClock();
    const probes: string[][] = [];
    let visible = false;
    const verifier = streamingVerifier(async (ids) => {
      probes.push(ids);
      const late = visible ? [] : ids.filter((id) => id.endsWith('9'));
      return { confirmed: ids.filter((id) => !late.includes(id)), skipped: [], pending: late };
    }, testSettings(), 10, clock);
    const ids = Array.from({ length: 25 }, (_, i) => `a${i}`);
    verifier.add(ids.slice(0, 12)); // one full group probed at once
    expect(probes).toHaveLength(1);
    verifier.add(ids.slice(12)); // a second full group; 5 ids wait for `finish`
    expect(probes).toHaveLength(2);
    await verifier.settle();
    visible = true;
    const result = await verifier.finish();
    expect(probes.map((p) => p.length)).toEqual([10, 10, 5, 2]);
    expect(probes[3]).toEqual(['a9', 'a19']);
    expect(clock.sleeps).toEqual([1000]);
    expect(result.confirmed.sort()).toEqual([...ids].sort());
    expect(result.rounds).toBe(2);
  });
});

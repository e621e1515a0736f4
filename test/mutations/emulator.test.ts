/**
 * The six mutations against the real emulator, through the real BFF server over HTTP: upstream
 * batch counts from the request log, read-back of the results, faults.
 */
import { describe, expect, it } from 'vitest';
import { clearRequests, countAssets, countBy, IMAGE, mutate, readAssets, rejection, requests, seed, setFaults, TEXT, useHarness } from './emu.js';

const h = useHarness();
const SIZES = [
  [1, 1],
  [100, 1],
  [101, 2],
  [250, 3],
] as const;

describe.each(SIZES)('%i items → %i upstream batches', (n, batches) => {
  it('appendManyToDataset', async () => {
    await clearRequests(h);
    const assets = Array.from({ length: n }, (_, i) => ({ content: `https://cdn.test/${i}.png`, externalId: `new-${i}`, jsonMetadata: { i } }));
    const out = await mutate(h, 'appendManyToDataset', { projectId: IMAGE, assets, waitUntilAvailability: true });
    expect(out).toMatchObject({ projectId: IMAGE, batches, verified: true, warnings: [] });
    const log = countBy(await requests(h));
    expect(log.appendManyAssets).toBe(batches);
    const stored = await readAssets(h, { project: { id: IMAGE }, idIn: out.assetIds }, 'id externalId jsonMetadata');
    expect(stored).toHaveLength(n);
    expect(stored.map((a) => a.externalId).sort()).toEqual(assets.map((a) => a.externalId).sort());
  });

  it('updatePropertiesInAssets', async () => {
    const ids = await seed(h, IMAGE, n);
    await clearRequests(h);
    const out = await mutate(h, 'updatePropertiesInAssets', { assets: ids.map((id, i) => ({ id, priority: i + 1, jsonMetadata: { n: i } })) });
    expect(out).toMatchObject({ assetIds: ids, batches, verified: true });
    expect(countBy(await requests(h)).updatePropertiesInAssets).toBe(batches);
    const stored = await readAssets(h, { idIn: ids }, 'id priority jsonMetadata');
    for (const a of stored) expect(a.priority).toBe(ids.indexOf(a.id as string) + 1);
  });

  it('changeAssetExternalIds', async () => {
    const ids = await seed(h, IMAGE, n);
    await clearRequests(h);
    const out = await mutate(h, 'changeAssetExternalIds', { assets: ids.map((id, i) => ({ id, newExternalId: `renamed-${i}` })) });
    expect(out).toMatchObject({ assetIds: ids, batches, verified: true });
    expect(countBy(await requests(h)).updatePropertiesInAssets).toBe(batches);
    const stored = await readAssets(h, { idIn: ids });
    expect(stored.map((a) => a.externalId).sort()).toEqual(ids.map((_, i) => `renamed-${i}`).sort());
  });

  it('deleteManyFromDataset', async () => {
    const ids = await seed(h, IMAGE, n);
    await clearRequests(h);
    const out = await mutate(h, 'deleteManyFromDataset', { assetIds: ids });
    expect(out).toMatchObject({ projectId: IMAGE, assetIds: ids, batches, verified: true });
    expect(countBy(await requests(h)).deleteManyFromDataset).toBe(batches);
    expect(await readAssets(h, { idIn: ids })).toEqual([]);
  });

  it('addToReview', async () => {
    const ids = await seed(h, TEXT, n, { labeled: true });
    await clearRequests(h);
    const out = await mutate(h, 'addToReview', { assetIds: ids });
    expect(out).toMatchObject({ projectId: TEXT, assetIds: ids, batches, verified: true });
    expect(countBy(await requests(h)).addAllLabeledAssetsToReview).toBe(batches);
    const stored = await readAssets(h, { idIn: ids });
    expect(new Set(stored.map((a) => a.status))).toEqual(new Set(['TO_REVIEW']));
  });

  it('sendBackToQueue', async () => {
    const ids = await seed(h, TEXT, n, { labeled: true });
    await clearRequests(h);
    const out = await mutate(h, 'sendBackToQueue', { assetIds: ids });
    expect(out).toMatchObject({ assetIds: ids, batches, verified: true });
    expect(countBy(await requests(h)).sendBackAssetsToQueue).toBe(batches);
    const stored = await readAssets(h, { idIn: ids });
    expect(new Set(stored.map((a) => a.status))).toEqual(new Set(['ONGOING']));
  });
});

describe('external ids', () => {
  it('resolves 250 external ids in ⌈250/100⌉ = 3 lookups', async () => {
    const ids = await seed(h, IMAGE, 250, { prefix: 'x-' });
    await clearRequests(h);
    const out = await mutate(h, 'addToReview', { projectId: IMAGE, externalIds: ids.map((_, i) => `x-${i}`) });
    expect(out.assetIds).toEqual([]); // unlabeled: upstream ignores them
    expect(out.warnings).toMatchObject([{ code: 'UNLABELED_ASSETS_IGNORED' }]);
    const lookups = (await requests(h)).filter((r) => r.rootFields.includes('assets') && JSON.stringify(r.variables).includes('externalIdStrictlyIn'));
    // One lookup per loader batch of 100 external ids, and no second page.
    expect(lookups.filter((r) => r.variables.skip === 0)).toHaveLength(3);
    expect(lookups).toHaveLength(3);
  });

  it('missing external ids → ASSET_NOT_FOUND, nothing changed', async () => {
    await seed(h, IMAGE, 3, { prefix: 'm-' });
    await clearRequests(h);
    const ext = await rejection(mutate(h, 'deleteManyFromDataset', { projectId: IMAGE, externalIds: ['m-0', 'm-9', 'm-2', 'zz'] }));
    expect(ext).toMatchObject({ code: 'ASSET_NOT_FOUND', missingExternalIds: ['m-9', 'zz'] });
    expect(countBy(await requests(h)).deleteManyFromDataset).toBeUndefined();
    expect(await readAssets(h, { project: { id: IMAGE }, externalIdStrictlyIn: ['m-0', 'm-1', 'm-2'] })).toHaveLength(3);
  });

  it('changeAssetExternalIds rejects a new external id another asset of the project has, before any change', async () => {
    const ids = await seed(h, IMAGE, 2, { prefix: 'cx-' });
    await clearRequests(h);
    for (const projectId of [IMAGE, undefined]) {
      const ext = await rejection(mutate(h, 'changeAssetExternalIds', { projectId, assets: [{ id: ids[0], newExternalId: 'cx-1' }] }));
      expect(ext).toMatchObject({ code: 'BAD_USER_INPUT', field: 'assets.newExternalId', conflictingExternalIds: ['cx-1'] });
    }
    expect(countBy(await requests(h)).updatePropertiesInAssets).toBeUndefined();
    // Renaming an asset to its own external id, or to a free one, is fine.
    const out = await mutate(h, 'changeAssetExternalIds', { projectId: IMAGE, assets: [{ id: ids[0], newExternalId: 'cx-0' }, { id: ids[1], newExternalId: 'cx-free' }] });
    expect(out).toMatchObject({ assetIds: ids, verified: true });
  });

  it('missing ids → ASSET_NOT_FOUND, nothing changed', async () => {
    const ids = await seed(h, IMAGE, 2);
    await clearRequests(h);
    const ext = await rejection(mutate(h, 'updatePropertiesInAssets', { assets: [{ id: ids[0], priority: 5 }, { id: 'no-such-asset', priority: 5 }] }));
    expect(ext).toMatchObject({ code: 'ASSET_NOT_FOUND', missingIds: ['no-such-asset'] });
    expect(countBy(await requests(h)).updatePropertiesInAssets).toBeUndefined();
  });
});

describe('faults', () => {
  it('a 503 on batch 2 of 3 (idempotent) is retried and succeeds', async () => {
    const ids = await seed(h, IMAGE, 250);
    await clearRequests(h);
    await setFaults(h, [{ rootField: 'updatePropertiesInAssets', nth: 2, kind: 'status', status: 503 }]);
    const out = await mutate(h, 'updatePropertiesInAssets', { assets: ids.map((id) => ({ id, priority: 42 })) });
    expect(out).toMatchObject({ batches: 3, verified: true });
    const log = await requests(h);
    expect(countBy(log).updatePropertiesInAssets).toBe(4);
    expect(log.filter((r) => r.fault)).toHaveLength(1);
    expect((await readAssets(h, { idIn: ids })).every((a) => a.priority === 42)).toBe(true);
  });

  it('a hard failure on batch 2 of 3 → PARTIAL_FAILURE matching what the upstream holds', async () => {
    const ids = await seed(h, IMAGE, 250);
    await setFaults(h, [{ rootField: 'updatePropertiesInAssets', nth: 2, kind: 'graphqlError' }]);
    const ext = await rejection(mutate(h, 'updatePropertiesInAssets', { assets: ids.map((id) => ({ id, priority: 9 })) }));
    expect(ext).toMatchObject({ code: 'PARTIAL_FAILURE', failedBatch: 1 });
    const stored = await readAssets(h, { idIn: ids }, 'id priority');
    const applied = stored.filter((a) => a.priority === 9).map((a) => a.id).sort();
    expect([...(ext.appliedAssetIds as string[])].sort()).toEqual(applied);
    expect((ext.failedAssetIds as string[]).length + applied.length).toBe(250);
    expect(ext.failedAssetIds).toEqual(expect.arrayContaining(ids.slice(100, 200)));
  });

  it('a batch failing with an unknown outcome (503 after the write, every attempt): its changed assets are reported applied', async () => {
    const ids = await seed(h, IMAGE, 250);
    const attempts = (h.config.UPSTREAM_RETRIES) + 1;
    await setFaults(h, Array.from({ length: attempts }, (_, i) => ({ rootField: 'updatePropertiesInAssets', nth: i + 2, kind: 'status', status: 503, afterWrite: true })));
    const options = { env: { MUTATION_CONCURRENCY: '1' } };
    const out = await rejection(mutate(h, 'updatePropertiesInAssets', { assets: ids.map((id) => ({ id, priority: 7 })) }, options));
    const stored = await readAssets(h, { idIn: ids }, 'id priority');
    expect(stored.filter((a) => a.priority === 7).map((a) => a.id).sort()).toEqual(ids.slice(0, 200).sort());
    // Batch 2 was applied (the 503 came after the write), batch 3 was not sent: the check after
    // the failure moves batch 2 to appliedAssetIds.
    expect(out).toMatchObject({ code: 'PARTIAL_FAILURE', failedBatch: 1 });
    expect(out.appliedAssetIds).toEqual(ids.slice(0, 200));
    expect(out.failedAssetIds).toEqual(ids.slice(200));
  });

  it('a batch failing with an unknown outcome that did not land is reported as possibly applied, never as not applied', async () => {
    const ids = await seed(h, IMAGE, 150);
    const attempts = (h.config.UPSTREAM_RETRIES) + 1;
    await setFaults(h, Array.from({ length: attempts }, (_, i) => ({ rootField: 'updatePropertiesInAssets', nth: i + 2, kind: 'status', status: 503 })));
    const options = { env: { MUTATION_CONCURRENCY: '1' } };
    const ext = await rejection(mutate(h, 'updatePropertiesInAssets', { assets: ids.map((id) => ({ id, priority: 8 })) }, options));
    expect(ext).toMatchObject({ code: 'PARTIAL_FAILURE', appliedAssetIds: ids.slice(0, 100), failedAssetIds: ids.slice(100), unknownOutcomeAssetIds: ids.slice(100) });
  });

  it('dropped writes → VERIFICATION_FAILED within the deadline', async () => {
    const ids = await seed(h, TEXT, 5, { labeled: true });
    await setFaults(h, [{ rootField: 'sendBackAssetsToQueue', kind: 'dropWrites' }]);
    const ext = await rejection(mutate(h, 'sendBackToQueue', { assetIds: ids }));
    expect(ext).toMatchObject({ code: 'VERIFICATION_FAILED', unverifiedAssetIds: ids, deadlineMs: 1500 });
  });

  it('a consistency delay of 2 s is verified after retries', async () => {
    const ids = await seed(h, IMAGE, 120);
    await setFaults(h, [{ rootField: 'deleteManyFromDataset', kind: 'consistencyDelay', ms: 2000 }]);
    await clearRequests(h);
    const options = { env: { VERIFY_DEADLINE_MS: '8000' } };
    const out = await mutate(h, 'deleteManyFromDataset', { assetIds: ids }, options);
    expect(out).toMatchObject({ verified: true, batches: 2 });
    expect(countBy(await requests(h)).countAssets).toBeGreaterThan(2);
    expect(await readAssets(h, { idIn: ids })).toEqual([]);
  });

  it('append: a timeout after the upstream stored the batch leaves no duplicates', async () => {
    await setFaults(h, [{ rootField: 'appendManyAssets', nth: 2, kind: 'hang', afterWrite: true }]);
    const assets = Array.from({ length: 250 }, (_, i) => ({ content: `https://cdn.test/${i}.png`, externalId: `t-${i}` }));
    const out = await mutate(h, 'appendManyToDataset', { projectId: IMAGE, assets, waitUntilAvailability: true });
    expect(out).toMatchObject({ verified: true, batches: 3 });
    expect(out.assetIds).toHaveLength(250);
    const stored = await readAssets(h, { project: { id: IMAGE }, externalIdIn: ['t-'] }, 'id externalId');
    expect(stored).toHaveLength(250);
    const log = await requests(h);
    expect(log.filter((r) => r.fault)).toHaveLength(1);
  });

  it('append: a 503 after the write on a batch leaves no duplicates', async () => {
    await setFaults(h, [{ rootField: 'appendManyAssets', nth: 1, kind: 'status', status: 503, afterWrite: true }]);
    const assets = Array.from({ length: 30 }, (_, i) => ({ content: `https://cdn.test/${i}.png`, externalId: `u-${i}` }));
    const out = await mutate(h, 'appendManyToDataset', { projectId: IMAGE, assets });
    expect(out.assetIds).toHaveLength(30);
    expect(countBy(await requests(h)).appendManyAssets).toBe(1);
    expect(await readAssets(h, { project: { id: IMAGE }, externalIdIn: ['u-'] })).toHaveLength(30);
  });
});

describe('append content', () => {
  it('uploads raw text and rich text for a TEXT project', async () => {
    await clearRequests(h);
    const out = await mutate(h, 'appendManyToDataset', {
      projectId: TEXT,
      assets: [{ content: 'Hello, world', externalId: 'raw-1' }, { jsonContent: [{ text: 'rich' }], externalId: 'rich-1' }],
    });
    expect(out.assetIds).toHaveLength(2);
    const [raw, rich] = await readAssets(h, { idIn: out.assetIds }, 'id externalId content jsonContent');
    const byExt = Object.fromEntries([raw, rich].map((a) => [a?.externalId, a]));
    const text = await (await fetch(byExt['raw-1']?.content as string)).text();
    expect(text).toBe('Hello, world');
    const json = await (await fetch(byExt['rich-1']?.jsonContent as string)).json();
    expect(json).toEqual([{ text: 'rich' }]);
    expect(countBy(await requests(h)).createUploadBucketSignedUrls).toBe(1);
  });

  it('skips existing external ids with a warning and rejects duplicates in the input', async () => {
    await seed(h, IMAGE, 2, { prefix: 'e-' });
    const out = await mutate(h, 'appendManyToDataset', {
      projectId: IMAGE,
      assets: [0, 1, 2].map((i) => ({ content: `https://cdn.test/${i}.png`, externalId: `e-${i}` })),
    });
    expect(out.assetIds).toHaveLength(1);
    expect(out.warnings).toMatchObject([{ code: 'EXISTING_EXTERNAL_IDS_SKIPPED' }]);
    const ext = await rejection(
      mutate(h, 'appendManyToDataset', { projectId: IMAGE, assets: [{ content: 'https://a.test/1', externalId: 'd' }, { content: 'https://a.test/2', externalId: 'd' }] }),
    );
    expect(ext).toMatchObject({ code: 'BAD_USER_INPUT', duplicateExternalIds: ['d'] });
  });
});

describe('Idempotency-Key', () => {
  it('append without external ids: a retry with the same key after PARTIAL_FAILURE creates no duplicates', async () => {
    const before = await countAssets(h, { project: { id: IMAGE } });
    const assets = Array.from({ length: 250 }, (_, i) => ({ content: `https://cdn.test/g${i}.png` }));
    const args = { projectId: IMAGE, assets };
    const options = () => ({ idempotencyKey: 'append-1', env: { MUTATION_CONCURRENCY: '1' } });
    await setFaults(h, [{ rootField: 'appendManyAssets', nth: 2, kind: 'graphqlError' }]);
    const ext = await rejection(mutate(h, 'appendManyToDataset', args, options()));
    expect(ext).toMatchObject({ code: 'PARTIAL_FAILURE' });
    expect(await countAssets(h, { project: { id: IMAGE } })).toBe(before + 100);
    await setFaults(h, []);
    const out = await mutate(h, 'appendManyToDataset', args, options());
    expect(await countAssets(h, { project: { id: IMAGE } })).toBe(before + 250);
    expect(out.assetIds).toHaveLength(150);
    expect(out.warnings).toMatchObject([{ code: 'EXISTING_EXTERNAL_IDS_SKIPPED' }]);
    // Another key (or none) is another request: its generated external ids are new.
    const other = await mutate(h, 'appendManyToDataset', { projectId: IMAGE, assets: assets.slice(0, 2) }, { idempotencyKey: 'append-2' });
    expect(other.assetIds).toHaveLength(2);
  });

  it('replays the stored result without a second upstream mutation', async () => {
    const ids = await seed(h, IMAGE, 3);
    await clearRequests(h);
    const args = { assets: ids.map((id) => ({ id, priority: 3 })) };
    const first = await mutate(h, 'updatePropertiesInAssets', args, { idempotencyKey: 'key-1' });
    const second = await mutate(h, 'updatePropertiesInAssets', args, { idempotencyKey: 'key-1' });
    expect(second).toEqual(first);
    expect(countBy(await requests(h)).updatePropertiesInAssets).toBe(1);
    const ext = await rejection(mutate(h, 'updatePropertiesInAssets', { assets: [{ id: ids[0], priority: 4 }] }, { idempotencyKey: 'key-1' }));
    expect(ext).toMatchObject({ code: 'BAD_USER_INPUT', field: 'Idempotency-Key' });
  });

  it('is scoped by credential: the same key from another caller runs again', async () => {
    const ids = await seed(h, TEXT, 1, { labeled: true });
    await clearRequests(h);
    const args = { assetIds: ids };
    await mutate(h, 'sendBackToQueue', args, { idempotencyKey: 'k2' });
    const other = await mutate(h, 'sendBackToQueue', args, { idempotencyKey: 'k2', key: 'demo-reviewer-key' });
    // Not a replay of the first caller's result: the reviewer's own run, with its own upstream calls.
    expect(other.assetIds).toEqual(ids);
    const log = await requests(h);
    expect(new Set(log.map((r) => r.credentialHash)).size).toBe(2);
    expect(countBy(log).sendBackAssetsToQueue).toBe(2);
  });
});

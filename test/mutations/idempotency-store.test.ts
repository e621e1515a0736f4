/**
 * What an Idempotency-Key stores, seen through HTTP: nothing for a credential the upstream never
 * accepted (an empty mutation makes no upstream call, so the key can be reused with other
 * arguments), the result once the upstream accepted it (the same key with other arguments is then
 * refused); oversized keys are refused before any upstream call; the in-memory store is bounded.
 */
import { describe, expect, it } from 'vitest';
import { LruMap } from '../../src/cache/lru.js';
import { clearRequests, IMAGE, mutate, rejection, requests, seed, useHarness } from './emu.js';

describe('Idempotency-Key storage', () => {
  const h = useHarness();

  it('stores nothing for a made-up key (no upstream call vouched for it), and the result for a real one', async () => {
    const idem = `k-${Date.now()}`;
    const madeUp = { key: 'made-up-key-that-upstream-never-saw', idempotencyKey: idem };
    expect((await mutate(h, 'addToReview', { assetIds: [] }, madeUp)).assetIds).toEqual([]);
    // Not stored: the same key with other arguments runs (and is again an empty no-op).
    expect((await mutate(h, 'addToReview', { projectId: IMAGE, assetIds: [] }, madeUp)).assetIds).toEqual([]);

    const ids = await seed(h, IMAGE, 3);
    const real = { idempotencyKey: `${idem}-real` };
    expect((await mutate(h, 'updatePropertiesInAssets', { assets: ids.map((id) => ({ id, priority: 3 })) }, real)).assetIds).toEqual(ids);
    const reused = await rejection(mutate(h, 'updatePropertiesInAssets', { assets: ids.map((id) => ({ id, priority: 4 })) }, real));
    expect(reused).toMatchObject({ code: 'BAD_USER_INPUT', field: 'Idempotency-Key' });
  });

  it('rejects an oversized Idempotency-Key before any upstream call', async () => {
    await clearRequests(h);
    expect(await rejection(mutate(h, 'addToReview', { assetIds: ['x'] }, { idempotencyKey: 'k'.repeat(256) }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'Idempotency-Key',
    });
    expect(await requests(h)).toEqual([]);
  });

  it('the in-memory store drops its oldest results beyond its byte bound', () => {
    const map = new LruMap({ maxBytes: 100 });
    map.set('a', 'x'.repeat(60));
    map.set('b', 'y'.repeat(30));
    map.set('c', 'z'.repeat(30));
    expect([...map.keys()]).toEqual(['b', 'c']);
    map.set('b', 'w'.repeat(10));
    map.set('d', 'v'.repeat(55));
    expect([...map.keys()]).toEqual(['c', 'b', 'd']);
  });
});

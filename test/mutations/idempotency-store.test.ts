/**
 * What an Idempotency-Key stores, through the mutation resolvers against the emulator: nothing for
 * a credential the upstream never accepted (an empty mutation makes no upstream call), the result
 * once the upstream accepted it; the in-memory store is bounded by bytes.
 */
import { describe, expect, it } from 'vitest';
import { ByteBoundedMap } from '../../src/cache/index.js';
import { idempotencyStoreKey } from '../../src/mutations/idempotency.js';
import { hashCredential } from '../../src/upstream/credential.js';
import { clearRequests, context, KEY, mutate, requests, seed, useHarness, IMAGE } from './emu.js';

describe('Idempotency-Key storage', () => {
  const h = useHarness();

  it('stores nothing for a made-up key (no upstream call vouched for it), and the result for a real one', async () => {
    const madeUp = 'made-up-key-that-upstream-never-saw';
    const idem = `k-${Date.now()}`;
    const empty = await mutate(h, 'addToReview', { assetIds: [] }, context(h, { key: madeUp, idempotencyKey: idem }));
    expect(empty.assetIds).toEqual([]);
    const madeUpScope = { credentialHash: hashCredential('test-secret', madeUp), key: idem, responseKey: 'addToReview' };
    expect(await h.cache.idem.get(idempotencyStoreKey(madeUpScope))).toBeUndefined();

    const ids = await seed(h, IMAGE, 3);
    const real = await mutate(h, 'updatePropertiesInAssets', { assets: ids.map((id) => ({ id, priority: 3 })) }, context(h, { idempotencyKey: idem }));
    const realScope = { credentialHash: hashCredential('test-secret', KEY), key: idem, responseKey: 'updatePropertiesInAssets' };
    expect(await h.cache.idem.get(idempotencyStoreKey(realScope))).toMatchObject({ v: 1, outcome: { assetIds: real.assetIds } });
  });

  it('rejects an oversized Idempotency-Key before any upstream call', async () => {
    await clearRequests(h);
    await expect(mutate(h, 'addToReview', { assetIds: ['x'] }, context(h, { idempotencyKey: 'k'.repeat(256) }))).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'Idempotency-Key' },
    });
    expect(await requests(h)).toEqual([]);
  });

  it('the in-memory store drops its oldest results beyond its byte bound', () => {
    const map = new ByteBoundedMap<string>(100);
    map.set('a', 'x'.repeat(60));
    map.set('b', 'y'.repeat(30));
    map.set('c', 'z'.repeat(30));
    expect([...map.keys()]).toEqual(['b', 'c']);
    map.set('b', 'w'.repeat(10));
    map.set('d', 'v'.repeat(55));
    expect([...map.keys()]).toEqual(['c', 'b', 'd']);
  });
});

/**
 * Idempotency-Key: replay, scope, different body.
 */
import { describe, expect, it } from 'vitest';
import { bodyHash, withIdempotency, type IdempotencyStore } from '../../src/mutations/idempotency.js';
import type { MutationOutcome } from '../../src/mutations/types.js';

function memoryStore(): IdempotencyStore & { ttl: number[] } {
  const map = new Map<string, unknown>();
  const ttl: number[] = [];
  return {
    ttl,
    get: async (k) => map.get(k),
    set: async (k, v, t) => {
      ttl.push(t);
      map.set(k, JSON.parse(JSON.stringify(v)));
    },
  };
}

const outcome = (n: number): MutationOutcome => ({ projectId: 'p', assetIds: [`a${n}`], batches: 1, verified: true, warnings: [] });
const scope = { credentialHash: 'h1', key: 'k', responseKey: 'addToReview' };

describe('withIdempotency', () => {
  it('runs once and replays the stored result', async () => {
    const store = memoryStore();
    let runs = 0;
    const run = async () => outcome(++runs);
    const hash = bodyHash('addToReview', { assetIds: ['a'] });
    expect(await withIdempotency(store, scope, hash, 1000, run)).toEqual(outcome(1));
    expect(await withIdempotency(store, scope, hash, 1000, run)).toEqual(outcome(1));
    expect(runs).toBe(1);
    expect(store.ttl).toEqual([1000]);
  });
  it('shares one run between concurrent duplicates', async () => {
    const store = memoryStore();
    let runs = 0;
    const run = async () => (await new Promise((r) => setTimeout(r, 5)), outcome(++runs));
    const hash = bodyHash('addToReview', {});
    const [a, b] = await Promise.all([withIdempotency(store, scope, hash, 1, run), withIdempotency(store, scope, hash, 1, run)]);
    expect(a).toEqual(b);
    expect(runs).toBe(1);
  });
  it('scopes keys by credential, and rejects the same key with another body', async () => {
    const store = memoryStore();
    let runs = 0;
    const run = async () => outcome(++runs);
    await withIdempotency(store, scope, bodyHash('addToReview', { assetIds: ['a'] }), 1, run);
    await withIdempotency(store, { ...scope, credentialHash: 'h2' }, bodyHash('addToReview', { assetIds: ['a'] }), 1, run);
    expect(runs).toBe(2);
    await expect(withIdempotency(store, scope, bodyHash('addToReview', { assetIds: ['b'] }), 1, run)).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'Idempotency-Key' },
    });
  });
  it('does not store failures', async () => {
    const store = memoryStore();
    const hash = bodyHash('x', {});
    await expect(withIdempotency(store, scope, hash, 1, async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(await withIdempotency(store, scope, hash, 1, async () => outcome(5))).toEqual(outcome(5));
  });
  it('hashes arguments independently of key order', () => {
    expect(bodyHash('m', { a: 1, b: { c: 2, d: 3 } })).toBe(bodyHash('m', { b: { d: 3, c: 2 }, a: 1 }));
  });
});

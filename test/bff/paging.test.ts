/**
 * Paginated reads (src/upstream/assets.ts `listAssets`): which upstream calls go out and when, and
 * what comes back, against a scripted upstream whose every answer waits until the test releases it.
 */
import { describe, expect, it } from 'vitest';
import type { UpstreamCall, UpstreamClient } from '../../src/upstream/client.js';
import { listAssets, type PagingOptions, type UpstreamAsset } from '../../src/upstream/assets.js';
import { CountHints } from '../../src/upstream/count-hints.js';

interface Pending {
  name: string;
  resolve: (data: unknown) => void;
  reject: (error: Error) => void;
}

/** An upstream of `rows` ids whose answers are released by the test, one call at a time. */
function scriptedUpstream(rows: string[]) {
  const pending: Pending[] = [];
  const sent: string[] = [];
  const upstream: UpstreamClient = {
    execute<T>(_credential: unknown, call: UpstreamCall): Promise<T> {
      const variables = (call.variables ?? {}) as { first?: number; skip?: number };
      const name = call.rootField === 'countAssets' ? 'count' : `page ${variables.skip ?? 0}+${variables.first ?? 0}`;
      sent.push(name);
      return new Promise<T>((resolve, reject) => pending.push({ name, resolve: resolve as (data: unknown) => void, reject }));
    },
  };
  const answer = (name: string, page?: string[]): void => {
    const at = pending.findIndex((p) => p.name === name);
    if (at < 0) throw new Error(`no pending call ${name}; pending: ${pending.map((p) => p.name).join(', ')}`);
    const [call] = pending.splice(at, 1) as [Pending];
    if (name === 'count') return call.resolve({ data: rows.length });
    const [skip, first] = name.slice('page '.length).split('+').map(Number) as [number, number];
    call.resolve({ data: (page ?? rows.slice(skip, skip + first)).map((id): UpstreamAsset => ({ id })) });
  };
  const fail = (name: string): void => {
    const at = pending.findIndex((p) => p.name === name);
    const [call] = pending.splice(at, 1) as [Pending];
    call.reject(new Error(`${name} failed`));
  };
  return { upstream, sent, pending, answer, fail };
}

const ids = (n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => `a${from + i}`);
const settle = () => new Promise((resolve) => setImmediate(resolve));
const credential = (hash = 'h') => ({ scheme: 'x-api-key' as const, value: 'k', hash });
const read = (upstream: UpstreamClient, first: number, concurrency = 2, skip = 0, hints?: PagingOptions['hints'], hash = 'h') =>
  listAssets({ upstream, credential: credential(hash) }, { project: { id: 'p' } }, { id: true }, { first, skip, pageSize: 100, concurrency, hints });

describe('listAssets', () => {
  it('asks for the remaining pages as soon as the count is in, before the first page answers', async () => {
    const up = scriptedUpstream(ids(450));
    const result = read(up.upstream, 1000);
    await settle();
    expect(up.sent).toEqual(['count', 'page 0+100']);
    up.answer('count');
    await settle();
    // 350 more assets, two pages in flight at most besides the first.
    expect(up.sent).toEqual(['count', 'page 0+100', 'page 100+100', 'page 200+100']);
    up.answer('page 200+100');
    await settle();
    expect(up.sent.at(-1)).toBe('page 300+100');
    up.answer('page 300+100');
    await settle();
    expect(up.sent.at(-1)).toBe('page 400+50');
    up.answer('page 400+50');
    up.answer('page 100+100');
    up.answer('page 0+100');
    // Pages answered out of order, assets in upstream order.
    expect((await result).map((a) => a.id)).toEqual(ids(450));
    expect(up.sent).toHaveLength(6);
  });

  it('keeps each id once, at its first place, when rows shift between pages', async () => {
    const up = scriptedUpstream(ids(300));
    const result = read(up.upstream, 250, 4);
    await settle();
    up.answer('count');
    await settle();
    expect(up.sent).toEqual(['count', 'page 0+100', 'page 100+100', 'page 200+50']);
    // A row inserted at the top pushed a100 into the second page, whose first row repeats a99.
    up.answer('page 100+100', ids(100, 99));
    up.answer('page 200+50', ids(50, 199));
    up.answer('page 0+100');
    expect((await result).map((a) => a.id)).toEqual(ids(249));
  });

  it('asks for no more pages than the count calls for, from skip on', async () => {
    const up = scriptedUpstream(ids(130));
    const result = read(up.upstream, 5000, 32, 20);
    await settle();
    up.answer('count');
    await settle();
    expect(up.sent).toEqual(['count', 'page 20+100', 'page 120+10']);
    up.answer('page 20+100');
    up.answer('page 120+10');
    expect((await result).map((a) => a.id)).toEqual(ids(110, 20));
  });

  it('one page and no count when first fits in a page', async () => {
    const up = scriptedUpstream(ids(500));
    const result = read(up.upstream, 100);
    await settle();
    expect(up.sent).toEqual(['page 0+100']);
    up.answer('page 0+100');
    expect(await result).toHaveLength(100);
  });

  it('a first page that fails before the count is in ends the read at once, with no further call', async () => {
    const up = scriptedUpstream(ids(1000));
    const result = read(up.upstream, 1000);
    await settle();
    up.fail('page 0+100');
    await expect(result).rejects.toThrow('page 0+100 failed');
    up.answer('count');
    await settle();
    expect(up.sent).toEqual(['count', 'page 0+100']);
  });

  it('a page that fails leaves the pages not yet sent unsent', async () => {
    const up = scriptedUpstream(ids(1000));
    const result = read(up.upstream, 1000);
    await settle();
    up.answer('count');
    await settle();
    expect(up.sent).toHaveLength(4);
    up.fail('page 100+100');
    await expect(result).rejects.toThrow('page 100+100 failed');
    up.answer('page 200+100');
    up.answer('page 0+100');
    await settle();
    // Pages 300 to 900 were queued behind the limit and are never sent.
    expect(up.pending).toEqual([]);
    expect(up.sent).toEqual(['count', 'page 0+100', 'page 100+100', 'page 200+100']);
  });

  describe('with the count remembered from an earlier read', () => {
    /** Hints holding `count` for the test's credential and filter (as a read that saw it leaves them). */
    const remembering = (count: number, ttlMs = 60_000) => {
      const store = new CountHints();
      store.set(store.key(credential(), { project: { id: 'p' } }), count, ttlMs);
      return { store, ttlMs };
    };

    it('sends the pages it calls for with the count, not after it, and returns the same assets', async () => {
      const up = scriptedUpstream(ids(450));
      const result = read(up.upstream, 1000, 2, 0, remembering(450));
      await settle();
      // Two pages in flight besides the first, before the count is in.
      expect(up.sent).toEqual(['count', 'page 0+100', 'page 100+100', 'page 200+100']);
      up.answer('page 100+100');
      await settle();
      expect(up.sent.at(-1)).toBe('page 300+100');
      up.answer('count');
      up.answer('page 300+100');
      await settle();
      // Whole pages up to the remembered count: the last one reads past the end (nothing there).
      expect(up.sent.slice(4)).toEqual(['page 300+100', 'page 400+100']);
      for (const name of ['page 400+100', 'page 200+100', 'page 0+100']) up.answer(name);
      expect((await result).map((a) => a.id)).toEqual(ids(450));
      expect(up.sent).toHaveLength(6);
    });

    it('a count that fell: pages past it are cut, and those not sent when it comes in never are', async () => {
      const up = scriptedUpstream(ids(250));
      const result = read(up.upstream, 5000, 2, 0, remembering(1000));
      await settle();
      expect(up.sent).toEqual(['count', 'page 0+100', 'page 100+100', 'page 200+100']);
      up.answer('count'); // 250
      // Rows added since the count: the page holds more than the count called for.
      up.answer('page 200+100', ids(100, 200));
      up.answer('page 100+100');
      up.answer('page 0+100');
      const assets = await result;
      expect(assets.map((a) => a.id)).toEqual(ids(250));
      await settle();
      expect(up.pending).toEqual([]);
      expect(up.sent).toHaveLength(4);
    });

    it('a count that fell: a page past it that fails, before or after the count is in, does not fail the read', async () => {
      const up = scriptedUpstream(ids(150));
      const result = read(up.upstream, 5000, 3, 0, remembering(450));
      await settle();
      expect(up.sent).toEqual(['count', 'page 0+100', 'page 100+100', 'page 200+100', 'page 300+100']);
      up.fail('page 300+100');
      await settle();
      up.answer('count'); // 150
      await settle();
      up.fail('page 200+100');
      up.answer('page 100+100');
      up.answer('page 0+100');
      expect((await result).map((a) => a.id)).toEqual(ids(150));
    });

    it('a page the count calls for that fails before the count is in fails the read once the count is in', async () => {
      const up = scriptedUpstream(ids(450));
      const result = read(up.upstream, 1000, 2, 0, remembering(450));
      await settle();
      up.fail('page 100+100');
      await settle();
      up.answer('count');
      await expect(result).rejects.toThrow('page 100+100 failed');
      up.answer('page 200+100');
      up.answer('page 0+100');
      await settle();
      // The pages queued behind the limit were never sent.
      expect(up.sent).toEqual(['count', 'page 0+100', 'page 100+100', 'page 200+100']);
    });

    it('a count that grew: the pages it adds start where the remembered ones end', async () => {
      const up = scriptedUpstream(ids(450));
      const result = read(up.upstream, 1000, 8, 0, remembering(150));
      await settle();
      expect(up.sent).toEqual(['count', 'page 0+100', 'page 100+100']);
      up.answer('count');
      await settle();
      expect(up.sent.slice(3)).toEqual(['page 200+100', 'page 300+100', 'page 400+50']);
      for (const name of ['page 400+50', 'page 300+100', 'page 200+100', 'page 100+100', 'page 0+100']) up.answer(name);
      expect((await result).map((a) => a.id)).toEqual(ids(450));
    });

    it('a read remembers its count for the next read by the same credential with the same filter only', async () => {
      const hints = { store: new CountHints(), ttlMs: 60_000 };
      const first = scriptedUpstream(ids(300));
      const done = read(first.upstream, 1000, 4, 0, hints);
      await settle();
      expect(first.sent).toEqual(['count', 'page 0+100']);
      first.answer('count');
      await settle();
      for (const name of ['page 0+100', 'page 100+100', 'page 200+100']) first.answer(name);
      await done;

      const again = scriptedUpstream(ids(300));
      void read(again.upstream, 1000, 4, 0, hints);
      await settle();
      expect(again.sent).toEqual(['count', 'page 0+100', 'page 100+100', 'page 200+100']);

      const other = scriptedUpstream(ids(300));
      void read(other.upstream, 1000, 4, 0, hints, 'another credential');
      await settle();
      expect(other.sent).toEqual(['count', 'page 0+100']);
    });

    it('a count that fails ends the read at once; pages queued behind the limit are never sent', async () => {
      const up = scriptedUpstream(ids(1000));
      const result = read(up.upstream, 1000, 2, 0, remembering(1000));
      await settle();
      expect(up.sent).toEqual(['count', 'page 0+100', 'page 100+100', 'page 200+100']);
      up.fail('count');
      await expect(result).rejects.toThrow('count failed');
      up.answer('page 100+100');
      up.answer('page 200+100');
      up.answer('page 0+100');
      await settle();
      expect(up.pending).toEqual([]);
      expect(up.sent).toHaveLength(4);
    });
  });
});

describe('CountHints', () => {
  const who = { scheme: 'x-api-key' as const, value: 'k', hash: 'h' };

  it('keys by credential and filter, whatever the order of the filter keys', () => {
    const hints = new CountHints();
    expect(hints.key(who, { a: 1, b: [2] })).toBe(hints.key(who, { b: [2], a: 1 }));
    expect(hints.key(who, { a: 1 })).not.toBe(hints.key({ ...who, hash: 'other' }, { a: 1 }));
    expect(hints.key(who, { a: 1 })).not.toBe(hints.key(who, { a: 2 }));
    // Fixed size, whatever the filter's.
    expect(hints.key(who, { idIn: ids(10_000) })).toHaveLength(43);
  });

  it('forgets a count when its time is up, and keeps none for a time of 0', () => {
    let now = 1_000;
    const hints = new CountHints(10, () => now);
    hints.set('a', 5, 100);
    hints.set('b', 6, 0);
    now = 1_099;
    expect(hints.get('a')).toBe(5);
    expect(hints.get('b')).toBeUndefined();
    now = 1_100;
    expect(hints.get('a')).toBeUndefined();
    expect(hints.size).toBe(0);
  });

  it('keeps at most its bound, dropping the least recently used first', () => {
    const hints = new CountHints(2);
    hints.set('a', 1, 60_000);
    hints.set('b', 2, 60_000);
    expect(hints.get('a')).toBe(1); // a is now the most recently used
    hints.set('c', 3, 60_000);
    expect(hints.size).toBe(2);
    expect(hints.get('b')).toBeUndefined();
    expect(hints.get('a')).toBe(1);
    expect(hints.get('c')).toBe(3);
  });
});

/**
 * Paginated reads (src/upstream/assets.ts `listAssets`): which upstream calls go out and when, and
 * what comes back, against a scripted upstream whose every answer waits until the test releases it.
 */
import { describe, expect, it } from 'vitest';
import type { UpstreamCall, UpstreamClient } from '../../src/upstream/client.js';
import { listAssets, type UpstreamAsset } from '../../src/upstream/assets.js';

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
const read = (upstream: UpstreamClient, first: number, concurrency = 2, skip = 0) =>
  listAssets({ upstream, credential: { scheme: 'x-api-key', value: 'k', hash: 'h' } }, { project: { id: 'p' } }, { id: true }, { first, skip, pageSize: 100, concurrency });

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
});

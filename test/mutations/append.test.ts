/**
 * Append over the fake upstream: ids, duplicates, existing external ids, uploads, unknown outcomes.
 */
import { describe, expect, it } from 'vitest';
import { runAppend } from '../../src/mutations/append.js';
import { FakeUpstream, outcomeUnknownError, rejection, testSettings } from './fake-upstream.js';
import { recordingClock } from '../helpers/clock.js';

const P = 'proj';
const deps = (up: FakeUpstream, overrides = {}) => ({ upstream: up, settings: testSettings(overrides), clock: recordingClock() });
const urls = (n: number, prefix = 'x') => Array.from({ length: n }, (_, i) => ({ content: `https://cdn.test/${i}.png`, externalId: `${prefix}${i}` }));

describe('appendManyToDataset', () => {
  it.each([
    [1, 1],
    [100, 1],
    [101, 2],
    [250, 3],
  ])('creates %i hosted assets in %i batches with client ids', async (n, batches) => {
    const up = new FakeUpstream();
    const out = await runAppend({ projectId: P, assets: urls(n) }, deps(up));
    expect(out).toMatchObject({ projectId: P, batches, verified: true, warnings: [] });
    expect(out.assetIds).toHaveLength(n);
    for (const id of out.assetIds) expect(id).toMatch(/^c[0-9a-z]{24}$/);
    expect(up.count('appendManyAssets')).toBe(batches);
    expect(up.count('filterExistingAssets')).toBe(1);
    expect(up.count('countAssets')).toBe(1);
    expect(up.count('projectInputType')).toBe(0); // hosted URLs need no project lookup
  });

  it('generates uuid hex external ids and skips the existence check for them', async () => {
    const up = new FakeUpstream();
    const out = await runAppend({ projectId: P, assets: [{ content: 'https://a.test/1.png' }] }, deps(up));
    expect(up.assets.get(out.assetIds[0] as string)?.externalId).toMatch(/^[0-9a-f]{32}$/);
    expect(up.count('filterExistingAssets')).toBe(0);
  });

  it('rejects external ids repeated in the input, listing them', async () => {
    const up = new FakeUpstream();
    const ext = await rejection(runAppend({ projectId: P, assets: [...urls(3, 'd'), ...urls(2, 'd')] }, deps(up)));
    expect(ext).toMatchObject({ code: 'BAD_USER_INPUT', duplicateExternalIds: ['d0', 'd1'] });
    expect(up.calls).toEqual([]);
  });

  it('skips external ids that already exist, with a warning', async () => {
    const up = new FakeUpstream();
    up.seed(P, 2, { prefix: 'x' });
    const out = await runAppend({ projectId: P, assets: urls(5) }, deps(up));
    expect(out.assetIds).toHaveLength(3);
    expect(out.warnings).toMatchObject([{ code: 'EXISTING_EXTERNAL_IDS_SKIPPED', field: 'assets.externalId' }]);
    expect(out.warnings[0]?.message).toContain('x0, x1');
  });

  it('checks existing external ids 1000 at a time', async () => {
    const up = new FakeUpstream();
    await runAppend({ projectId: P, assets: urls(2500) }, deps(up, { concurrency: 8 }));
    expect(up.count('filterExistingAssets')).toBe(3);
    expect(up.count('appendManyAssets')).toBe(25);
  });

  it('uploads raw text (30 paths per signed-URL call) and rich text; URLs go into the arrays', async () => {
    const up = new FakeUpstream();
    up.inputType = 'TEXT';
    const assets = [
      ...Array.from({ length: 40 }, (_, i) => ({ content: `text number ${i}` })),
      { jsonContent: { blocks: [1] } },
      { content: 'https://cdn.test/a.txt' },
    ];
    const out = await runAppend({ projectId: P, assets }, deps(up));
    expect(out.assetIds).toHaveLength(42);
    expect(up.count('createUploadBucketSignedUrls')).toBe(2);
    expect(up.count('upload')).toBe(41);
    const first = up.assets.get(out.assetIds[0] as string);
    expect(first?.content).toBe(`https://bucket.test/projects/${P}/assets/${out.assetIds[0]}/content?sig=x&id=${encodeURIComponent(`projects/${P}/assets/${out.assetIds[0]}/content`)}`);
    expect(up.uploads.get(first?.content as string)).toEqual({ body: 'text number 0', contentType: 'text/plain; charset=utf-8' });
    const rich = up.assets.get(out.assetIds[40] as string);
    expect(rich?.content).toBe('');
    expect(up.uploads.get(rich?.jsonContent as string)).toEqual({ body: '{"blocks":[1]}', contentType: 'application/json' });
    expect(up.assets.get(out.assetIds[41] as string)?.content).toBe('https://cdn.test/a.txt');
  });

  it('refuses raw content for a non-TEXT project', async () => {
    const up = new FakeUpstream();
    up.inputType = 'IMAGE';
    expect(await rejection(runAppend({ projectId: P, assets: [{ content: '/tmp/a.png' }] }, deps(up)))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'assets[0].content',
    });
    expect(up.count('appendManyAssets')).toBe(0);
  });

  it('retries a failed upload PUT', async () => {
    const up = new FakeUpstream();
    up.hooks.set('upload', (_c, nth) => {
      if (nth === 1) throw new Error('reset');
    });
    const out = await runAppend({ projectId: P, assets: [{ content: 'hello' }] }, deps(up));
    expect(out.assetIds).toHaveLength(1);
    expect(up.count('upload')).toBe(2);
  });

  it('a batch stored upstream but answered with an unknown outcome is not resent (no duplicates)', async () => {
    const up = new FakeUpstream();
    const real = up.appendManyAssets.bind(up);
    let n = 0;
    up.appendManyAssets = async (projectId, data) => {
      n += 1;
      const ids = await real(projectId, data);
      if (n === 2) throw outcomeUnknownError(); // stored, then the answer is lost
      return ids;
    };
    const out = await runAppend({ projectId: P, assets: urls(250) }, deps(up, { concurrency: 1 }));
    expect(out).toMatchObject({ batches: 3, verified: true });
    expect(up.assets.size).toBe(250);
    expect(n).toBe(3);
    expect(up.count('filterExistingAssets')).toBe(2); // the pre-check + the unknown-outcome check
  });

  it('an unknown outcome where nothing was stored resends the batch once', async () => {
    const up = new FakeUpstream();
    up.hooks.set('appendManyAssets', (_c, nth) => {
      if (nth === 1) throw outcomeUnknownError();
    });
    const out = await runAppend({ projectId: P, assets: urls(3) }, deps(up));
    expect(out.assetIds).toHaveLength(3);
    expect(up.count('appendManyAssets')).toBe(2);
    expect(up.assets.size).toBe(3);
  });

  it('waitUntilAvailability false → verified false, no verification reads', async () => {
    const up = new FakeUpstream();
    const out = await runAppend({ projectId: P, assets: urls(3), waitUntilAvailability: false }, deps(up));
    expect(out).toMatchObject({ verified: false, warnings: [{ code: 'NOT_VERIFIED' }] });
    expect(up.count('countAssets')).toBe(0);
  });

  it('needs content or jsonContent on every asset; deprecated status is ignored with a warning', async () => {
    const up = new FakeUpstream();
    expect(await rejection(runAppend({ projectId: P, assets: [{ externalId: 'a' }] }, deps(up)))).toMatchObject({ field: 'assets[0]' });
    const out = await runAppend({ projectId: P, assets: [{ content: 'https://a.test/x', status: 'LABELED' }] }, deps(up));
    expect(out.warnings).toMatchObject([{ code: 'DEPRECATED_FIELD' }]);
  });
});

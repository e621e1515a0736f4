/**
 * Dev controls reset/seed, dev mode off, and persistence of a file database across restarts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import * as D from './sdk-documents.js';
import { ADMIN_KEY, control, data, TEXT, useEmulator } from './helpers.js';

const ctx = useEmulator();

describe('seed and reset controls', () => {
  it('bulk seed: N assets in creation order, external ids prefix+i, optionally labeled', async () => {
    const { assetIds } = await control<{ assetIds: string[] }>(ctx.emu, 'POST', '/__emulator/seed', { projectId: TEXT, count: 10_000, externalIdPrefix: 'b-', labeled: true });
    expect(assetIds).toHaveLength(10_000);
    const where = D.where(TEXT, { externalIdIn: ['b-'] });
    expect((await data<{ data: number }>(ctx.emu, D.COUNT_ASSETS, { where })).data).toBe(10_000);
    const page = await data<{ data: { id: string; externalId: string; status: string; labels: unknown[] }[] }>(ctx.emu, D.ASSETS, { where, first: 100, skip: 9_900 });
    expect(page.data.map((a) => a.id)).toEqual(assetIds.slice(9_900));
    expect(page.data[0]).toMatchObject({ externalId: 'b-9900', status: 'LABELED' });
    expect(page.data[0]!.labels).toHaveLength(1);
  });

  it('bulk seed with labels {min, max}: asset i has min + i % (max-min+1) labels with annotated responses and metadata', async () => {
    const { assetIds } = await control<{ assetIds: string[] }>(ctx.emu, 'POST', '/__emulator/seed', { projectId: TEXT, count: 6, externalIdPrefix: 'multi-', labels: { min: 1, max: 3 } });
    const where = D.where(TEXT, { externalIdIn: ['multi-'] });
    const query = 'query ($where: AssetWhere!, $first: PageSize!, $skip: Int!) { data: assets(where: $where, skip: $skip, first: $first) { id jsonMetadata status labels { labelType jsonResponse author { email } } } }';
    const page = await data<{ data: { id: string; jsonMetadata: string; status: string; labels: { labelType: string; jsonResponse: string; author: { email: string } }[] }[] }>(ctx.emu, query, { where, first: 10, skip: 0 });
    expect(page.data.map((a) => a.id)).toEqual(assetIds);
    expect(page.data.map((a) => a.labels.length)).toEqual([1, 2, 3, 1, 2, 3]);
    expect(page.data.map((a) => a.status)).toEqual(['LABELED', 'LABELED', 'LABELED', 'LABELED', 'LABELED', 'LABELED']);
    expect(JSON.parse(page.data[1]!.jsonMetadata)).toEqual({ source: 'mobile', batch: 1, score: 37, language: 'fr' });
    const label = page.data[1]!.labels[0]!;
    expect(label.labelType).toBe('DEFAULT');
    expect(JSON.parse(label.jsonResponse)).toEqual({
      CLASSIFICATION_JOB: { categories: [{ name: 'NEGATIVE', confidence: 100 }] },
      NAMED_ENTITIES_RECOGNITION_JOB: {
        annotations: [{ mid: 'ner-1-0', beginOffset: 0, content: 'entity0', categories: [{ name: 'ORGANIZATION', confidence: 100 }] }],
      },
    });
    await expect(control(ctx.emu, 'POST', '/__emulator/seed', { projectId: TEXT, count: 1, labels: { min: 2, max: 1 } })).rejects.toThrow(/400/);
  });

  it('reset with seed none keeps only the admin; preset demo adds the demo back', async () => {
    expect(await control(ctx.emu, 'POST', '/__emulator/reset', { seed: 'none' })).toEqual({ demo: null });
    expect(ctx.emu.demo).toBeNull();
    expect((await data<{ data: number }>(ctx.emu, D.COUNT_ASSETS, { where: D.where(TEXT) })).data).toBe(0);
    const { demo } = await control<{ demo: { projects: { text: { assetCount: number } } } }>(ctx.emu, 'POST', '/__emulator/seed', { preset: 'demo' });
    expect(demo.projects.text.assetCount).toBe(200);
    expect((await data<{ data: number }>(ctx.emu, D.COUNT_ASSETS, { where: D.where(TEXT) })).data).toBe(200);
  });

  it('unknown project → 404; bad count → 400', async () => {
    await expect(control(ctx.emu, 'POST', '/__emulator/seed', { projectId: 'nope', count: 1 })).rejects.toThrow(/404/);
    await expect(control(ctx.emu, 'POST', '/__emulator/seed', { projectId: TEXT, count: -1 })).rejects.toThrow(/400/);
  });
});

describe('without dev mode', () => {
  it('every /__emulator/ path is 404', async () => {
    const emu = await startEmulator({ port: 0, log: () => {}, apiKey: ADMIN_KEY });
    try {
      for (const [method, path] of [['POST', '/__emulator/reset'], ['GET', '/__emulator/requests'], ['POST', '/__emulator/faults']]) {
        expect((await fetch(`${emu.origin}${path}`, { method })).status).toBe(404);
      }
    } finally {
      await emu.close();
    }
  });
});

describe('file database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kili-emulator-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps data, the demo description and the admin key across a restart', async () => {
    const db = join(dir, 'emu.db');
    const lines: string[] = [];
    const first = await startEmulator({ port: 0, db, log: (l) => lines.push(l) });
    expect(lines[0]).toBe(`Kili emulator listening on ${first.url}`);
    expect(lines[1]).toBe(`API key: ${first.apiKey}`);
    const added = await data<{ data: { id: string }[] }>(first, D.APPEND_MANY_ASSETS, { data: { contentArray: ['x'], externalIDArray: ['persisted'] }, where: { id: TEXT } }, first.apiKey);
    await first.close();

    const second = await startEmulator({ port: 0, db, log: () => {} });
    try {
      expect(second.apiKey).toBe(first.apiKey);
      expect(second.demo).toEqual(first.demo);
      const n = await data<{ data: number }>(second, D.COUNT_ASSETS, { where: D.where(TEXT, { idIn: [added.data[0]!.id] }) }, second.apiKey);
      expect(n.data).toBe(1);
      expect((await data<{ data: number }>(second, D.COUNT_ASSETS, { where: D.where(TEXT) }, second.apiKey)).data).toBe(201);
    } finally {
      await second.close();
    }
  });
});

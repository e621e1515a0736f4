/**
 * The SDK's asset mutations (reference §2.2, §4, §6), each followed by the check the SDK runs.
 */
import { describe, expect, it } from 'vitest';
import * as D from './sdk-documents.js';
import { data, gql, IMAGE, OUTSIDER, OUTSIDER_KEY, TEXT, textId, useEmulator } from './helpers.js';

const ctx = useEmulator();

type Asset = { id: string; externalId: string; priority: number; jsonMetadata: string; consensusMark: number | null; toBeLabeledBy: { email: string }[]; status: string; isHoneypot: boolean; skipped: boolean; isUsedForConsensus: boolean; resolution: unknown; pageResolutions: unknown; labels: { isSentBackToQueue: boolean }[] };
const FIELDS = `query assets($where: AssetWhere!, $first: PageSize!, $skip: Int!) {
  data: assets(where: $where, skip: $skip, first: $first) {
    id
    externalId
    priority
    jsonMetadata
    consensusMark
    toBeLabeledBy {
      email
    }
    status
    isHoneypot
    skipped
    isUsedForConsensus
    resolution {
      width
      height
    }
    pageResolutions {
      pageNumber
      width
      height
      rotation
    }
    labels {
      isSentBackToQueue
    }
  }
}`;
const get = async (ids: string[], project = TEXT) => (await data<{ data: Asset[] }>(ctx.emu, FIELDS, { where: D.where(project, { idIn: ids }), first: 100, skip: 0 })).data;
const checkCount = async (ids: string[], statusIn?: string[]) => (await data<{ data: number }>(ctx.emu, D.COUNT_ASSETS, { where: D.where(TEXT, { idIn: ids, ...(statusIn ? { statusIn } : {}) }) })).data;

describe('updatePropertiesInAssets', () => {
  it('applies positional data; nulls leave values unchanged; shouldResetToBeLabeledBy clears', async () => {
    const [a, b] = [textId(0), textId(1)];
    const r = await data<{ data: { id: string }[] }>(ctx.emu, D.UPDATE_PROPERTIES, {
      whereArray: [{ id: a }, { id: b }],
      dataArray: [
        { priority: 7, jsonMetadata: '{"x": 1}', consensusMark: null, honeypotMark: null, toBeLabeledBy: ['reviewer@demo.kili.local'], shouldResetToBeLabeledBy: false, content: null, jsonContent: null, isUsedForConsensus: null, isHoneypot: null, pageResolutions: [{ width: 10, height: 20, pageNumber: 1 }], resolution: { width: 100, height: 200 } },
        { priority: null, jsonMetadata: null, consensusMark: 0.42, honeypotMark: null, toBeLabeledBy: null, shouldResetToBeLabeledBy: true, content: null, jsonContent: null, isUsedForConsensus: true, isHoneypot: null, pageResolutions: null, resolution: null },
      ],
    });
    expect(r.data).toEqual([{ id: a }, { id: b }]);
    const [x, y] = await get([a, b]);
    expect(x).toMatchObject({ priority: 7, jsonMetadata: '{"x": 1}', toBeLabeledBy: [{ email: 'labeler@demo.kili.local' }, { email: 'reviewer@demo.kili.local' }], resolution: { width: 100, height: 200 }, pageResolutions: [{ pageNumber: 1, width: 10, height: 20, rotation: null }] });
    expect(y).toMatchObject({ priority: 1, consensusMark: 0.42, toBeLabeledBy: [], isUsedForConsensus: true });
    expect(JSON.parse(y!.jsonMetadata)).toEqual({ source: 'mobile', batch: 1, score: 37, language: 'fr' });
  });

  it('change_asset_external_ids sends dataArray [{externalId}]', async () => {
    await data(ctx.emu, D.UPDATE_PROPERTIES, { whereArray: [{ id: textId(3) }], dataArray: [{ externalId: 'renamed-3' }] });
    expect((await get([textId(3)]))[0]!.externalId).toBe('renamed-3');
  });

  it('an empty dataArray next to a non-empty whereArray changes nothing', async () => {
    const r = await data<{ data: { id: string }[] }>(ctx.emu, D.UPDATE_PROPERTIES, { whereArray: [{ id: textId(4) }], dataArray: [] });
    expect(r.data).toEqual([{ id: textId(4) }]);
  });

  it('is transactional: one bad item (invalid JSON, unknown asset) applies nothing', async () => {
    const bad = await gql(ctx.emu, D.UPDATE_PROPERTIES, { whereArray: [{ id: textId(5) }, { id: textId(6) }], dataArray: [{ priority: 99 }, { jsonMetadata: 'NaN' }] });
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const missing = await gql(ctx.emu, D.UPDATE_PROPERTIES, { whereArray: [{ id: textId(5) }, { id: 'nope' }], dataArray: [{ priority: 99 }, { priority: 1 }] });
    expect(missing.body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', missingIds: ['nope'] });
    expect((await get([textId(5)]))[0]!.priority).toBe(1);
  });

  it('lists every missing id of the call; a where naming another project matches nothing', async () => {
    const r = await gql(ctx.emu, D.UPDATE_PROPERTIES, { whereArray: [{ id: 'a1' }, { id: textId(5) }, { idIn: ['a2', textId(6)] }, { id: 'demo-outsider-asset-0001' }], dataArray: [{}, {}, {}, {}] });
    expect(r.body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', missingIds: ['a1', 'a2', 'demo-outsider-asset-0001'] });
    const other = await gql(ctx.emu, D.UPDATE_PROPERTIES, { whereArray: [{ id: textId(5), project: { id: IMAGE } }], dataArray: [{ priority: 9 }] });
    expect(other.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('answers with any selected field, read after the write', async () => {
    const q = 'mutation ($w: [AssetWhere!]!, $d: [AssetData!]!) { data: updatePropertiesInAssets(where: $w, data: $d) { id externalId priority status labels { labelType author { email } } currentStep { name } } }';
    const r = await data<{ data: unknown[] }>(ctx.emu, q, { w: [{ id: textId(8) }, { idIn: [textId(0)], project: { id: TEXT } }], d: [{ priority: 5 }, { externalId: 'zero' }] });
    expect(r.data).toEqual([
      { id: textId(8), externalId: 'text-8', priority: 5, status: 'REVIEWED', labels: [{ labelType: 'DEFAULT', author: { email: 'labeler@demo.kili.local' } }, { labelType: 'REVIEW', author: { email: 'reviewer@demo.kili.local' } }], currentStep: null },
      { id: textId(0), externalId: 'zero', priority: 0, status: 'TODO', labels: [], currentStep: null },
    ]);
  });

  it('rejects where/data arrays of different lengths', async () => {
    const r = await gql(ctx.emu, D.UPDATE_PROPERTIES, { whereArray: [{ id: textId(5) }, { id: textId(6) }], dataArray: [{ priority: 1 }] });
    expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('deleteManyFromDataset', () => {
  it('deletes, returns the project, and the SDK check (count == 0) passes', async () => {
    const ids = [textId(10), textId(11)];
    const r = await data<{ data: { id: string } | null }>(ctx.emu, D.DELETE_MANY, { where: { idIn: ids } });
    expect(r.data).toEqual({ id: TEXT });
    expect(await checkCount([ids[1]!])).toBe(0);
    expect((await data<{ data: number }>(ctx.emu, D.COUNT_ASSETS, { where: D.where(TEXT) })).data).toBe(198);
  });

  it('is a filter: a resend (ids already deleted) answers null without error; missing ids are skipped', async () => {
    const ids = [textId(10), textId(11)];
    expect((await data<{ data: { id: string } | null }>(ctx.emu, D.DELETE_MANY, { where: { idIn: ids } })).data).toEqual({ id: TEXT });
    const again = await gql(ctx.emu, D.DELETE_MANY, { where: { idIn: ids } });
    expect(again.body).toEqual({ data: { data: null } });
    const mixed = await data<{ data: { id: string } | null }>(ctx.emu, D.DELETE_MANY, { where: { idIn: [textId(10), 'never-existed', textId(12), 'demo-outsider-asset-0001'] } });
    expect(mixed.data).toEqual({ id: TEXT });
    expect(await checkCount([textId(12)])).toBe(0);
    expect((await data<{ data: number }>(ctx.emu, D.COUNT_ASSETS, { where: D.where(TEXT) })).data).toBe(197);
    expect((await data<{ data: number }>(ctx.emu, D.COUNT_ASSETS, { where: D.where(OUTSIDER) }, OUTSIDER_KEY)).data).toBe(20);
  });

  it('deletes labels, issues (with comments) and assignees too', async () => {
    await data(ctx.emu, D.DELETE_MANY, { where: { idIn: [textId(0), textId(15)] } }); // assigned, issue + comment, no label / labeled
    await data(ctx.emu, D.APPEND_MANY_ASSETS, { data: { contentArray: ['a', 'b'], externalIDArray: ['x0', 'x15'], idArray: [textId(0), textId(15)] }, where: { id: TEXT } });
    const r = await data<{ data: { labels: unknown[]; toBeLabeledBy: unknown[]; issues: unknown[] }[] }>(ctx.emu, 'query ($where: AssetWhere!) { data: assets(where: $where, first: 10, skip: 0) { labels { id } toBeLabeledBy { id } issues { id comments { id } } } }', { where: D.where(TEXT, { idIn: [textId(0), textId(15)] }) });
    expect(r.data).toEqual([{ labels: [], toBeLabeledBy: [], issues: [] }, { labels: [], toBeLabeledBy: [], issues: [] }]);
  });
});

describe('addAllLabeledAssetsToReview', () => {
  it('moves only assets with at least one label; null when nothing changed', async () => {
    const ids = [textId(0), textId(4), textId(6)]; // TODO (no label), LABELED, LABELED
    const r = await data<{ data: { id: string } | null }>(ctx.emu, D.ADD_TO_REVIEW, { where: { idIn: ids } });
    expect(r.data).toEqual({ id: TEXT });
    expect((await get(ids)).map((a) => a.status)).toEqual(['TODO', 'TO_REVIEW', 'TO_REVIEW']);
    expect(await checkCount([textId(6)], ['TO_REVIEW'])).toBe(1);
    expect((await data<{ data: unknown }>(ctx.emu, D.ADD_TO_REVIEW, { where: { idIn: ids } })).data).toBeNull();
  });

  it('skips ids that do not exist or are not visible', async () => {
    const r = await data<{ data: { id: string } | null }>(ctx.emu, D.ADD_TO_REVIEW, { where: { idIn: ['gone', textId(4), 'demo-outsider-asset-0004'] } });
    expect(r.data).toEqual({ id: TEXT });
    expect(await checkCount([textId(4)], ['TO_REVIEW'])).toBe(1);
    expect((await data<{ data: unknown }>(ctx.emu, D.ADD_TO_REVIEW, { where: { idIn: ['gone'] } })).data).toBeNull();
  });

  it('moves V2 assets to the review step', async () => {
    await data(ctx.emu, D.ADD_TO_REVIEW, { where: { idIn: ['demo-image-asset-0003'] } });
    const q = D.ASSETS.replace('content\n', 'currentStep {\n      name\n      status\n    }\n');
    const r = await data<{ data: { currentStep: unknown; status: string }[] }>(ctx.emu, q, { where: D.where(IMAGE, { idIn: ['demo-image-asset-0003'] }), first: 1, skip: 0 });
    expect(r.data[0]).toMatchObject({ status: 'TO_REVIEW', currentStep: { name: 'Review', status: 'TO_DO' } });
  });
});

describe('sendBackAssetsToQueue', () => {
  it('sets ONGOING, keeps labels and flags the latest one', async () => {
    const r = await data<{ data: { id: string } | null }>(ctx.emu, D.SEND_BACK_TO_QUEUE, { where: { idIn: [textId(8)] } });
    expect(r.data).toEqual({ id: TEXT });
    const [a] = await get([textId(8)]);
    expect(a!.status).toBe('ONGOING');
    expect(a!.labels.map((l) => l.isSentBackToQueue)).toEqual([false, true]);
    expect(await checkCount([textId(8)], ['ONGOING'])).toBe(1);
  });

  it('skips ids that do not exist; V2 assets go back to the first step (REDO)', async () => {
    const r = await data<{ data: { id: string } | null }>(ctx.emu, D.SEND_BACK_TO_QUEUE, { where: { idIn: ['gone', 'demo-image-asset-0004'] } });
    expect(r.data).toEqual({ id: IMAGE });
    const q = D.ASSETS.replace('content\n', 'currentStep {\n      name\n      status\n    }\n');
    const a = await data<{ data: { currentStep: unknown; status: string; labels: unknown[] }[] }>(ctx.emu, q, { where: D.where(IMAGE, { idIn: ['demo-image-asset-0004'] }), first: 1, skip: 0 });
    expect(a.data[0]).toMatchObject({ status: 'ONGOING', currentStep: { name: 'Labeling', status: 'REDO' } });
    expect(a.data[0]!.labels).toHaveLength(1);
    expect((await data<{ data: unknown }>(ctx.emu, D.SEND_BACK_TO_QUEUE, { where: { idIn: ['gone'] } })).data).toBeNull();
  });
});

describe('other asset-module mutations', () => {
  it('setAssetConsensus by id and by external id', async () => {
    expect((await data<{ data: boolean }>(ctx.emu, D.SET_CONSENSUS, { assetId: textId(1), projectId: TEXT, isConsensus: true })).data).toBe(true);
    expect((await data<{ data: boolean }>(ctx.emu, D.SET_CONSENSUS, { externalId: 'text-2', projectId: TEXT, isConsensus: true })).data).toBe(true);
    expect((await get([textId(1), textId(2)])).map((a) => a.isUsedForConsensus)).toEqual([true, true]);
  });

  it('assignAssetsToLabelers adds assignees by user id', async () => {
    await data(ctx.emu, D.ASSIGN, { where: { id: textId(2) }, userIds: ['user-demo-admin'] });
    expect((await get([textId(2)]))[0]!.toBeLabeledBy).toEqual([{ email: 'admin@demo.kili.local' }]);
  });

  it('SkipAsset / UnskipAsset (no alias)', async () => {
    const s = await gql<{ skipAsset: { id: string } }>(ctx.emu, D.SKIP, { reason: 'blurry', where: { id: textId(2), project: { id: TEXT } } });
    expect(s.body.data?.skipAsset).toEqual({ id: textId(2) });
    expect((await get([textId(2)]))[0]!.skipped).toBe(true);
    const u = await gql<{ unskipAsset: boolean }>(ctx.emu, D.UNSKIP, { projectId: TEXT, assetId: textId(2) });
    expect(u.body.data?.unskipAsset).toBe(true);
    expect((await get([textId(2)]))[0]!.skipped).toBe(false);
  });

  it('createProject makes the caller ADMIN of a new V1 project', async () => {
    const r = await data<{ createProject: { id: string; title: string; workflowVersion: string; roles: { role: string; user: { email: string } }[] } }>(ctx.emu, 'mutation { createProject(data: {title: "P", inputType: IMAGE}) { id title workflowVersion roles { role user { email } } } }');
    expect(r.createProject).toMatchObject({ title: 'P', workflowVersion: 'V1', roles: [{ role: 'ADMIN', user: { email: 'admin@demo.kili.local' } }] });
    const appended = await data<{ data: { id: string }[] }>(ctx.emu, D.APPEND_MANY_ASSETS, { data: { contentArray: ['https://x/a.png'], externalIDArray: ['a'] }, where: { id: r.createProject.id } });
    expect(appended.data).toHaveLength(1);
  });
});

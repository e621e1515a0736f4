/**
 * Every operation of reference §2, sent exactly as the Kili Python SDK sends it, with the
 * responses the SDK relies on (start-up checks, pagination, imports, mutations and their checks).
 */
import { describe, expect, it } from 'vitest';
import { buildClientSchema, getIntrospectionQuery, parse, validate, type IntrospectionQuery } from 'graphql';
import * as D from './sdk-documents.js';
import { ADMIN_KEY, data, gql, IMAGE, sdkHeaders, TEXT, textId, useEmulator } from './helpers.js';

const ctx = useEmulator();
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const cuid = () => `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 18)}`.slice(0, 25);

describe('Kili() start-up checks (reference §1.4)', () => {
  it('answers the raw viewer check with 200 and a body containing id and email', async () => {
    const res = await fetch(ctx.emu.url, { method: 'POST', headers: sdkHeaders(ADMIN_KEY), body: JSON.stringify({ query: D.RAW_VIEWER }) });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('email');
    expect(text).toContain('id');
    expect(JSON.parse(text)).toEqual({ data: { viewer: { id: 'user-demo-admin', email: 'admin@demo.kili.local' } } });
  });

  it('serves GET /api/label/v2/version with a "version": field', async () => {
    const res = await fetch(ctx.emu.url.replace('/graphql', '/version'));
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('"version":');
    expect(JSON.parse(text).version).toMatch(/^1\.0\.0-emulator\.[0-9a-f]{10}$/);
  });

  it('answers the introspection query gql sends, and every SDK document validates against it', async () => {
    const query = getIntrospectionQuery({ descriptions: true, specifiedByUrl: false, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true });
    expect(query).toContain('includeDeprecated: true');
    const r = await data<IntrospectionQuery>(ctx.emu, query);
    expect(r.__schema.description).toMatch(/Kili/);
    const schema = buildClientSchema(r);
    for (const [name, doc] of Object.entries(D.ALL_DOCUMENTS)) {
      expect(validate(schema, parse(doc)).map((e) => e.message), name).toEqual([]);
    }
    for (const t of ['AssetWhere', 'PageSize', 'JSON', 'ProjectWhere', 'AssetData', 'AppendManyAssetsData', 'ApiKeyWhere', 'OrganizationWhere', 'NotificationWhere', 'AppendManyFramesToDatasetAsynchronouslyData']) {
      expect(schema.getType(t)?.name, t).toBe(t);
    }
  });

  it('apiKeys { expiryDate } returns one row formatted YYYY-MM-DDTHH:MM:SS.fffZ', async () => {
    const r = await data<{ data: { expiryDate: string }[] }>(ctx.emu, D.API_KEYS, { where: { key: ADMIN_KEY } });
    expect(r.data).toHaveLength(1);
    expect(r.data[0]!.expiryDate).toMatch(ISO_MS);
  });
});

describe('queries', () => {
  it('assets with the default V1 fields: JSON strings, never null; labels a list', async () => {
    const r = await data<{ data: Record<string, unknown>[] }>(ctx.emu, D.ASSETS, { where: D.where(TEXT), first: 100, skip: 0 });
    expect(r.data).toHaveLength(100);
    const [todo, , , ongoing] = r.data as { labels: { jsonResponse: string; createdAt: string }[]; jsonMetadata: string; createdAt: string; status: string }[];
    expect(todo!.labels).toEqual([]);
    expect(JSON.parse(todo!.jsonMetadata)).toEqual({ source: 'web', batch: 0, score: 0, language: 'en' });
    expect(todo!.createdAt).toBe('2024-01-01T00:00:00.000Z');
    expect(ongoing!.status).toBe('ONGOING');
    expect(typeof ongoing!.labels[0]!.jsonResponse).toBe('string');
    expect(JSON.parse(ongoing!.labels[0]!.jsonResponse)).toHaveProperty('CLASSIFICATION_JOB');
    expect(ongoing!.labels[0]!.createdAt).toMatch(ISO_MS);
  });

  it('assets with the V2 fields and the rest of the asset field catalogue', async () => {
    const q = `query assets($where: AssetWhere!, $first: PageSize!, $skip: Int!) {
  data: assets(where: $where, skip: $skip, first: $first) {
    id
    currentStep {
      name
      status
    }
    toBeLabeledBy {
      email
    }
    latestLabel {
      id
      labelType
    }
    latestLabels {
      id
      isLatestLabelForUser
    }
    issues {
      comments {
        text
      }
    }
    resolution {
      width
      height
    }
    pageResolutions {
      pageNumber
    }
    priority
    consensusMark
    honeypotMark
    inferenceMark
    isUsedForConsensus
    jsonContent
    updatedAt
    projectId
    assetProjectModels {
      id
    }
  }
}`;
    const r = await data<{ data: Record<string, unknown>[] }>(ctx.emu, q, { where: D.where(IMAGE), first: 10, skip: 0 });
    expect(r.data[0]).toMatchObject({ id: 'demo-image-asset-0000', currentStep: { name: 'Labeling', status: 'TO_DO' }, toBeLabeledBy: [{ email: 'labeler@demo.kili.local' }], latestLabel: null, latestLabels: [], issues: [{ comments: [{ text: 'The label looks wrong.' }] }], resolution: null, jsonContent: '', assetProjectModels: [] });
    expect(r.data[8]).toMatchObject({ currentStep: { name: 'Review', status: 'DONE' }, latestLabel: { labelType: 'REVIEW' } });
    expect(r.data[9]!.latestLabels).toHaveLength(2);
  });

  it('countAssets', async () => {
    expect((await data<{ data: number }>(ctx.emu, D.COUNT_ASSETS, { where: D.where(TEXT) })).data).toBe(200);
    expect((await data<{ data: number }>(ctx.emu, D.COUNT_ASSETS, { where: D.where(TEXT, { idIn: [textId(7)], statusIn: ['TO_REVIEW'] }) })).data).toBe(1);
  });

  it('projects with each selection the SDK uses; an unknown project gives []', async () => {
    const steps = await data<{ data: { steps: unknown[]; workflowVersion: string }[] }>(ctx.emu, D.ALL_DOCUMENTS.PROJECTS_STEPS!, { where: { id: IMAGE }, first: 1, skip: 0 });
    expect(steps.data).toEqual([{ steps: [{ id: 'step-image-labeling', name: 'Labeling' }, { id: 'step-image-review', name: 'Review' }], workflowVersion: 'V2' }]);
    const v1 = await data<{ data: { steps: unknown[]; workflowVersion: string }[] }>(ctx.emu, D.ALL_DOCUMENTS.PROJECTS_STEPS!, { where: { id: TEXT }, first: 1, skip: 0 });
    expect(v1.data).toEqual([{ steps: [], workflowVersion: 'V1' }]);
    const ji = await data<{ data: { inputType: string; jsonInterface: string }[] }>(ctx.emu, D.ALL_DOCUMENTS.PROJECTS_INTERFACE!, { where: { id: TEXT }, first: 1, skip: 0 });
    expect(ji.data[0]!.inputType).toBe('TEXT');
    expect(Object.keys(JSON.parse(ji.data[0]!.jsonInterface).jobs)).toEqual(['CLASSIFICATION_JOB', 'NAMED_ENTITIES_RECOGNITION_JOB']);
    const dc = await data<{ data: unknown[] }>(ctx.emu, D.ALL_DOCUMENTS.PROJECTS_CONNECTIONS!, { where: { id: TEXT }, first: 1, skip: 0 });
    expect(dc.data).toEqual([{ inputType: 'TEXT', dataConnections: [] }]);
    expect((await data<{ data: unknown[] }>(ctx.emu, D.ALL_DOCUMENTS.PROJECTS_INPUT!, { where: { id: 'nope' }, first: 1, skip: 0 })).data).toEqual([]);
  });

  it('FilterExistingAssets returns the given external ids that exist', async () => {
    const r = await data<{ external_ids: string[] }>(ctx.emu, D.FILTER_EXISTING, { projectID: TEXT, externalIDs: ['text-1', 'new-1', 'text-2'] });
    expect(r.external_ids).toEqual(['text-1', 'text-2']);
  });

  it('local-data check: me, countOrganizations, organizations', async () => {
    const me = await gql<{ data: { email: string } }>(ctx.emu, D.ME);
    expect(me.body.data?.data.email).toBe('admin@demo.kili.local');
    const where = { user: { email: 'admin@demo.kili.local' } };
    expect((await data<{ data: number }>(ctx.emu, D.COUNT_ORGANIZATIONS, { where })).data).toBe(1);
    expect((await data<{ data: unknown[] }>(ctx.emu, D.ORGANIZATIONS, { where, first: 1, skip: 0 })).data).toEqual([{ license: { uploadLocalData: true } }]);
  });
});

describe('import (append_many_to_dataset)', () => {
  it('raw text: signed URLs, PUT, serving back, appendManyAssets with client ids', async () => {
    const ids = [cuid(), cuid()];
    const { urls } = await data<{ urls: string[] }>(ctx.emu, D.SIGNED_URLS, { filePaths: ids.map((id) => `projects/${TEXT}/assets/${id}/content`) });
    expect(urls).toHaveLength(2);
    for (const [i, url] of urls.entries()) {
      expect(new URL(url).searchParams.get('id')).toBe(`projects/${TEXT}/assets/${ids[i]}/content`);
      const put = await fetch(url.split('&id=')[0]!, { method: 'PUT', headers: { 'Content-type': 'text/plain; charset=utf-8' }, body: `hello ${i}` });
      expect(put.ok).toBe(true);
    }
    expect(await (await fetch(urls[1]!)).text()).toBe('hello 1');
    const files = ctx.emu.url.replace('/graphql', '/files') + `?id=${new URL(urls[0]!).searchParams.get('id')}`;
    expect(await (await fetch(files)).text()).toBe('hello 0');
    const r = await data<{ data: { id: string }[] }>(ctx.emu, D.APPEND_MANY_ASSETS, {
      data: { contentArray: urls, externalIDArray: ['new-a', 'new-b'], idArray: ids, isHoneypotArray: [false, true], jsonContentArray: ['', ''], jsonMetadataArray: ['{"k": 1}', '{}'] },
      where: { id: TEXT },
    });
    expect(r.data).toEqual(ids.map((id) => ({ id })));
    const listed = await data<{ data: { id: string; status: string; isHoneypot: boolean; jsonMetadata: string; content: string }[] }>(ctx.emu, D.ASSETS, { where: D.where(TEXT, { externalIdStrictlyIn: ['new-a', 'new-b'] }), first: 100, skip: 0 });
    // One batch shares one creation time: the order is then by id (contract: createdAt, then id).
    const rows = listed.data.map((a) => [a.id, a.status, a.isHoneypot, a.jsonMetadata, a.content]);
    const expected = [[ids[0], 'TODO', false, '{"k": 1}', urls[0]], [ids[1], 'TODO', true, '{}', urls[1]]];
    expect(rows).toEqual(expected.sort((x, y) => String(x[0]).localeCompare(String(y[0]))));
  });

  it('generates cuid-like ids when idArray is absent; rejects an existing id', async () => {
    const r = await data<{ data: { id: string }[] }>(ctx.emu, D.APPEND_MANY_ASSETS, { data: { contentArray: ['https://x/1.txt'], externalIDArray: ['gen'] }, where: { id: TEXT } });
    expect(r.data[0]!.id).toMatch(/^c[0-9a-z]{24}$/);
    const dup = await gql(ctx.emu, D.APPEND_MANY_ASSETS, { data: { contentArray: ['a'], idArray: [textId(0)], externalIDArray: ['x'] }, where: { id: TEXT } });
    expect(dup.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('async frames import returns a notification the SDK can poll', async () => {
    const r = await data<{ data: { id: string } }>(ctx.emu, D.APPEND_FRAMES_ASYNC, { data: { contentArray: ['https://x/v.mp4'], externalIDArray: ['video-1'], idArray: [cuid()], jsonMetadataArray: ['{"processingParameters": {}}'], uploadType: 'NATIVE_VIDEO' }, where: { id: IMAGE } });
    const where = { id: r.data.id };
    expect((await data<{ data: number }>(ctx.emu, D.COUNT_NOTIFICATIONS, { where })).data).toBe(1);
    const n = await data<{ data: { status: string; createdAt: string }[] }>(ctx.emu, D.NOTIFICATIONS, { where, first: 1, skip: 0 });
    expect(n.data[0]!.status).toBe('SUCCESS');
    expect((await data<{ data: number }>(ctx.emu, D.COUNT_ASSETS, { where: D.where(IMAGE, { externalIdStrictlyIn: ['video-1'] }) })).data).toBe(1);
  });
});

/**
 * Pure stages: chunking, validation, read-back comparison, documents.
 */
import { describe, expect, it } from 'vitest';
import { chunk, duplicates, listForMessage } from '../../src/mutations/lists.js';
import { validateChangeExternalIds, validateIdList, validateUpdate } from '../../src/mutations/validate.js';
import { buildAssetData, readBackSelection, showsData } from '../../src/mutations/asset-data.js';
import { assetsDocument, UPDATE_PROPERTIES_IN_ASSETS } from '../../src/upstream/documents.js';
import { newAssetId, newExternalId, seededExternalId } from '../../src/mutations/client-ids.js';
import { printSelection } from '../../src/upstream/selection.js';
import { loadConfig } from '../../src/config.js';
import type { BffError } from '../../src/errors/index.js';

function codeOf(fn: () => unknown): { code: unknown; field: unknown; ext: Record<string, unknown> } {
  try {
    fn();
  } catch (e) {
    const ext = (e as BffError).extensions as Record<string, unknown>;
    return { code: ext.code, field: ext.field, ext };
  }
  throw new Error('expected a throw');
}

describe('chunk', () => {
  it('cuts 250 ids into 100, 100, 50 and keeps order', () => {
    const ids = Array.from({ length: 250 }, (_, i) => i);
    const parts = chunk(ids, 100);
    expect(parts.map((p) => p.length)).toEqual([100, 100, 50]);
    expect(parts.flat()).toEqual(ids);
    expect(chunk([], 100)).toEqual([]);
    expect(() => chunk([1], 0)).toThrow(TypeError);
  });
  it('lists duplicates once and shortens long lists', () => {
    expect(duplicates(['a', 'b', 'a', 'c', 'b', 'a'])).toEqual(['a', 'b']);
    expect(listForMessage(['a', 'b', 'c'], 2)).toBe('a, b and 1 more');
  });
});

describe('validate', () => {
  it('rejects both assetIds and externalIds, and neither', () => {
    expect(codeOf(() => validateIdList('addToReview', { assetIds: ['a'], externalIds: ['b'] }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'assetIds' });
    expect(codeOf(() => validateIdList('addToReview', {}))).toMatchObject({ code: 'BAD_USER_INPUT' });
  });
  it('needs projectId for external ids', () => {
    expect(codeOf(() => validateIdList('addToReview', { externalIds: ['x'] }))).toMatchObject({ field: 'projectId' });
    expect(codeOf(() => validateUpdate({ assets: [{ externalId: 'x', priority: 1 }] }))).toMatchObject({ field: 'projectId' });
  });
  it('turns an empty list into a no-op warning', () => {
    expect(validateIdList('sendBackToQueue', { assetIds: [] })).toMatchObject({ kind: 'empty', warnings: [{ code: 'EMPTY_INPUT', field: 'assetIds' }] });
    expect(validateUpdate({ assets: [] })).toMatchObject({ kind: 'empty' });
    // The deprecated-status warning is kept when every item is otherwise empty.
    expect(validateUpdate({ assets: [{ id: 'a', status: 'LABELED' }] })).toMatchObject({
      kind: 'empty',
      warnings: [{ code: 'DEPRECATED_FIELD', field: 'assets.status' }, { code: 'NOTHING_TO_UPDATE' }],
    });
  });
  it('deduplicates ids of id-list mutations', () => {
    const v = validateIdList('deleteManyFromDataset', { assetIds: ['a', 'b', 'a'] });
    expect(v.kind === 'ok' && v.value).toEqual([{ kind: 'id', id: 'a' }, { kind: 'id', id: 'b' }]);
  });
  it('wants exactly one of id / externalId per item', () => {
    expect(codeOf(() => validateUpdate({ projectId: 'p', assets: [{ id: 'a', externalId: 'x', priority: 1 }] }))).toMatchObject({ field: 'assets[0]' });
    expect(codeOf(() => validateUpdate({ assets: [{ priority: 1 }] }))).toMatchObject({ field: 'assets[0]' });
  });
  it('checks marks are within 0..1 and metadata is an object', () => {
    expect(codeOf(() => validateUpdate({ assets: [{ id: 'a', consensusMark: 1.5 }] }))).toMatchObject({ field: 'assets[0].consensusMark' });
    expect(codeOf(() => validateUpdate({ assets: [{ id: 'a', honeypotMark: -0.1 }] }))).toMatchObject({ field: 'assets[0].honeypotMark' });
    expect(codeOf(() => validateUpdate({ assets: [{ id: 'a', jsonMetadata: [1] }] }))).toMatchObject({ field: 'assets[0].jsonMetadata' });
    expect(codeOf(() => validateUpdate({ assets: [{ id: 'a', jsonMetadata: '{bad' }] }))).toMatchObject({ field: 'assets[0].jsonMetadata' });
  });
  it('ignores a deprecated status with a warning and skips items with nothing to update', () => {
    const v = validateUpdate({ assets: [{ id: 'a', status: 'LABELED' }, { id: 'b', priority: 3 }] });
    expect(v.kind).toBe('ok');
    if (v.kind !== 'ok') return;
    expect(v.value).toEqual([{ ref: { kind: 'id', id: 'b' }, data: { priority: 3 }, index: 1 }]);
    expect(v.warnings.map((w) => w.code)).toEqual(['DEPRECATED_FIELD', 'NOTHING_TO_UPDATE']);
  });
  it('rejects two assets given the same new external id', () => {
    const r = codeOf(() => validateChangeExternalIds({ assets: [{ id: 'a', newExternalId: 'n' }, { id: 'b', newExternalId: 'n' }] }));
    expect(r).toMatchObject({ code: 'BAD_USER_INPUT', ext: { duplicateExternalIds: ['n'] } });
  });
});

describe('AssetData and read-back', () => {
  it('builds the SDK keys and checks every value read back', () => {
    const data = buildAssetData(
      { id: 'a', priority: 2, jsonMetadata: { k: [1, 2] }, consensusMark: 0.5, toBeLabeledBy: ['L@x.io'], resolution: { width: 3, height: 4 } },
      'assets[0]',
    );
    expect(data).toEqual({
      priority: 2, jsonMetadata: '{"k":[1,2]}', consensusMark: 0.5, toBeLabeledBy: ['L@x.io'], shouldResetToBeLabeledBy: true, resolution: { width: 3, height: 4 },
    });
    expect(printSelection(readBackSelection(data))).toBe('consensusMark jsonMetadata priority resolution { height width } toBeLabeledBy { email }');
    const read = { id: 'a', priority: 2, jsonMetadata: { k: [1, 2] }, consensusMark: 0.5, toBeLabeledBy: [{ email: 'l@x.io' }], resolution: { width: 3, height: 4 } };
    expect(showsData(read, data)).toBe(true);
    expect(showsData({ ...read, priority: 1 }, data)).toBe(false);
    expect(showsData({ ...read, toBeLabeledBy: [{ email: 'l@x.io' }, { email: 'o@x.io' }] }, data)).toBe(false);
    expect(showsData({ ...read, jsonMetadata: { k: [2, 1] } }, data)).toBe(false);
  });
});

describe('documents and ids', () => {
  it('prints the mutation documents as the SDK does, and the assets document from a selection', () => {
    expect(UPDATE_PROPERTIES_IN_ASSETS).toBe(
      'mutation ($whereArray: [AssetWhere!]!, $dataArray: [AssetData!]!) {\n  data: updatePropertiesInAssets(where: $whereArray, data: $dataArray) {\n    id\n  }\n}',
    );
    expect(assetsDocument({ id: true, status: true, labels: { id: true } })).toBe(
      'query assets($where: AssetWhere!, $first: PageSize!, $skip: Int!) { data: assets(where: $where, skip: $skip, first: $first) { id labels { id } status } }',
    );
  });
  it('generates cuid-like asset ids and uuid hex external ids', () => {
    const ids = new Set(Array.from({ length: 1000 }, newAssetId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^c[0-9a-z]{24}$/);
    expect(newExternalId()).toMatch(/^[0-9a-f]{32}$/);
    expect(seededExternalId('seed', 3)).toMatch(/^[0-9a-f]{32}$/);
    expect(seededExternalId('seed', 3)).toBe(seededExternalId('seed', 3));
    expect(seededExternalId('seed', 4)).not.toBe(seededExternalId('seed', 3));
  });
  it('builds the settings once from config, and names a bad key', () => {
    expect(loadConfig({ MUTATION_CONCURRENCY: '2', VERIFY_DEADLINE_MS: '500' }).mutations).toMatchObject({ concurrency: 2, verifyDeadlineMs: 500, batchSize: 100 });
    expect(() => loadConfig({ VERIFY_DEADLINE_MS: 'x' })).toThrow(/VERIFY_DEADLINE_MS/);
  });
});

/** Filters through the BFF against the emulator: same ids as the equivalent direct upstream query. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALIASES, translateWhere } from '../../src/filters/index.js';
import { gqlRequest, startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;
let projectId: string;
let allIds: string[];

beforeAll(async () => {
  stack = await startStack();
  projectId = stack.demo.projects.text.id;
  allIds = (await bffIds({})).ids;
});
afterAll(() => stack.close());

async function bffIds(where: Record<string, unknown>) {
  const { body } = await stack.gql<{ assets: { id: string }[] }>(
    'query($p: ID!, $w: AssetWhere) { assets(projectId: $p, where: $w, first: 1000) { id } }',
    { p: projectId, w: where },
  );
  expect(body.errors).toBeUndefined();
  return { ids: body.data!.assets.map((a) => a.id), warnings: body.extensions?.warnings ?? [] };
}

async function directIds(where: unknown): Promise<string[]> {
  const { body } = await gqlRequest<{ data: { id: string }[] }>(
    stack.emulator.url,
    'query($w: AssetWhere!) { data: assets(where: $w, first: 500, skip: 0) { id } }',
    { w: where },
    { authorization: `X-API-Key: ${stack.key}` },
  );
  expect(body.errors).toBeUndefined();
  return body.data!.data.map((a) => a.id);
}

const CANONICAL: Record<string, unknown>[] = [
  { assetId: 'demo-text-asset-0003' },
  { assetIdIn: ['demo-text-asset-0001', 'demo-text-asset-0002', 'missing'] },
  { assetIdNotIn: ['demo-text-asset-0001'] },
  { externalIdStrictlyIn: ['text-1', 'text-2'] },
  { externalIdIn: ['text-1'] },
  { statusIn: ['LABELED'] },
  { statusIn: ['TO_REVIEW', 'REVIEWED'] },
  { skipped: true },
  { metadataWhere: { source: 'web' } },
  { metadataWhere: { score: [10, 50] } },
  { metadataWhere: { source: ['web', 'scan'], language: 'fr' } },
  { consensusMarkGte: 0.5 },
  { consensusMarkLte: 0.5 },
  { honeypotMarkGte: 0.3 },
  { honeypotMarkLte: 0.7 },
  { inferenceMarkGte: 0.5 },
  { inferenceMarkLte: 0.5 },
  { createdAtGte: '2024-01-03' },
  { createdAtLte: '2024-01-03T12:00:00.000Z' },
  { updatedAtGte: '2024-01-03' },
  { updatedAtLte: '2024-01-05' },
  { labelTypeIn: ['REVIEW'] },
  { labelTypeIn: ['DEFAULT', 'PREDICTION'] },
  { labelAuthorIn: ['Lea'] },
  { labelReviewerIn: ['reviewer@demo.kili.local'] },
  { labelConsensusMarkGte: 0.5 },
  { labelConsensusMarkLte: 0.5 },
  { labelHoneypotMarkGte: 0.5 },
  { labelHoneypotMarkLte: 0.5 },
  { labelCreatedAt: '2024-01-02' },
  { labelCreatedAtGte: '2024-01-05' },
  { labelCreatedAtLte: '2024-01-05' },
  { labelCategorySearch: 'CLASSIFICATION_JOB.POSITIVE.count == 1' },
  { labelCategorySearch: 'CLASSIFICATION_JOB.POSITIVE.count == 1 OR NAMED_ENTITIES_RECOGNITION_JOB.PERSON.count > 1' },
  { issueType: 'QUESTION' },
  { issueStatus: 'OPEN' },
  { issueStatus: 'SOLVED' },
  { issueStatus: 'CANCELLED' },
  { issueType: 'ISSUE', issueStatus: 'SOLVED' },
  { statusIn: ['LABELED', 'REVIEWED'], metadataWhere: { language: 'en' }, createdAtGte: '2024-01-02' },
];

describe('filters against the emulator', () => {
  it('every canonical filter gives the same ids as the direct upstream query', async () => {
    let selective = 0;
    for (const where of CANONICAL) {
      const [bff, direct] = await Promise.all([bffIds(where), directIds(translateWhere(projectId, where as never).where)]);
      expect(bff.ids, JSON.stringify(where)).toEqual(direct);
      expect(bff.warnings).toEqual([]);
      if (direct.length > 0 && direct.length < allIds.length) selective++;
    }
    // The comparison is meaningful only if each filter selects a proper, non-empty subset of the
    // demo project: every one of them does.
    expect(selective).toBe(CANONICAL.length);
  });

  it('every alias gives the same ids as its canonical field, plus exactly one warning', async () => {
    for (const [alias, canonical] of Object.entries(ALIASES)) {
      const value = alias === 'externalIdContains' ? ['text-3', 'text-4'] : alias.startsWith('labelCreatedAt') ? '2024-01-05' : 0.5;
      const [viaAlias, viaCanonical] = await Promise.all([bffIds({ [alias]: value }), bffIds({ [canonical]: value })]);
      expect(viaAlias.ids, alias).toEqual(viaCanonical.ids);
      expect(viaAlias.warnings).toEqual([expect.objectContaining({ code: 'DEPRECATED_FILTER', field: `where.${alias}`, replacement: canonical })]);
    }
  });

  it('an empty assetIdIn matches nothing (unlike the SDK)', async () => {
    await stack.clearRequests();
    expect((await bffIds({ assetIdIn: [] })).ids).toEqual([]);
    expect(await stack.requests()).toEqual([]);
  });
});

describe('invalid filters', () => {
  const CASES: [string, Record<string, unknown>, string][] = [
    ['alias conflict', { consensusMarkGt: 0.1, consensusMarkGte: 0.2 }, 'where.consensusMarkGt'],
    ['gte above lte', { honeypotMarkGte: 0.9, honeypotMarkLte: 0.1 }, 'where.honeypotMarkGte'],
    ['bad date', { createdAtGte: '31/01/2024' }, 'w.createdAtGte'],
    ['bad category search', { labelCategorySearch: 'A.B.count != 1' }, 'where.labelCategorySearch'],
    ['nested metadata', { metadataWhere: { a: { b: 1 } } }, 'where.metadataWhere.a'],
  ];

  it.each(CASES)('%s → BAD_USER_INPUT naming the field, no upstream call', async (_name, where, field) => {
    await stack.clearRequests();
    const { body } = await stack.gql('query($p: ID!, $w: AssetWhere) { countAssets(projectId: $p, where: $w) }', { p: projectId, w: where });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await stack.requests()).toEqual([]);
  });

  it('names every rejected DateTime of a variable, and a DateTime variable by its name', async () => {
    await stack.clearRequests();
    const query = 'query($p: ID!, $w: AssetWhere, $d: DateTime) { a: countAssets(projectId: $p, where: $w) b: countAssets(projectId: $p, where: { updatedAtGte: $d }) }';
    const { status, body } = await stack.gql(query, { p: projectId, w: { createdAtGte: '31/01/2024', labelCreatedAtLte: 'soon' }, d: 'tomorrow' });
    expect(status).toBe(400);
    expect(body.errors?.map((e) => e.extensions)).toEqual([
      { code: 'BAD_USER_INPUT', field: 'w.createdAtGte' },
      { code: 'BAD_USER_INPUT', field: 'w.labelCreatedAtLte' },
      { code: 'BAD_USER_INPUT', field: 'd' },
    ]);
    expect(await stack.requests()).toEqual([]);
  });

  it('names the field of a bad literal date and reports the category-search position', async () => {
    await stack.clearRequests();
    const date = await stack.gql(`{ assets(projectId: "${projectId}", where: { labelCreatedAtLte: "soon" }) { id } }`);
    expect(date.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'where.labelCreatedAtLte' });
    const search = await stack.gql(`{ countAssets(projectId: "${projectId}", where: { labelCategorySearch: "A.B.count > 1 AND" }) }`);
    expect(search.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', position: 18 });
    const first = await stack.gql(`{ assets(projectId: "${projectId}", first: 10001) { id } }`);
    expect(first.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(await stack.requests()).toEqual([]);
  });
});

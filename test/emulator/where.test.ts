/**
 * AssetWhere semantics, table-driven: each row sends a where (as the SDK builds it) against the
 * demo TEXT project (200 assets) and expects exactly the demo assets the oracle selects, in
 * creation order. Boundaries are inclusive.
 */
import { describe, expect, it } from 'vitest';
import { ASSET_IDS, COUNT_ASSETS, where } from './sdk-documents.js';
import { data, gql, IMAGE, imageId, range, TEXT, textId, useEmulator } from './helpers.js';
import { count, facts, HOUR, TEXT_BASE, type DemoLabel } from './demo-oracle.js';

const ctx = useEmulator();
const N = 200;
const ALL = range(N);
type Facts = ReturnType<typeof facts>;
const anyLabel = (f: Facts, p: (l: DemoLabel) => boolean) => f.labels.some(p);
const inRange = (v: number | null, lo = -Infinity, hi = Infinity) => v !== null && v >= lo && v <= hi;
const hoursOf = (iso: string) => (Date.parse(iso) - TEXT_BASE) / HOUR;
const USERS = { admin: 'admin@demo.kili.local', labeler: 'labeler@demo.kili.local', reviewer: 'reviewer@demo.kili.local' };

interface Row { name: string; where: Record<string, unknown>; expect: (f: Facts, i: number) => boolean }

const rows: Row[] = [
  { name: 'no filter (label: {}, issue: {})', where: {}, expect: () => true },
  { name: 'id', where: { id: textId(5) }, expect: (_, i) => i === 5 },
  { name: 'idIn', where: { idIn: [textId(1), textId(3), 'unknown'] }, expect: (_, i) => i === 1 || i === 3 },
  { name: 'idIn empty matches nothing', where: { idIn: [] }, expect: () => false },
  { name: 'idNotIn', where: { idNotIn: [textId(0), textId(199)] }, expect: (_, i) => i !== 0 && i !== 199 },
  { name: 'idNotIn empty excludes nothing', where: { idNotIn: [] }, expect: () => true },
  { name: 'externalIdStrictlyIn (exact)', where: { externalIdStrictlyIn: ['text-1', 'text-19'] }, expect: (_, i) => i === 1 || i === 19 },
  { name: 'externalIdStrictlyIn empty', where: { externalIdStrictlyIn: [] }, expect: () => false },
  { name: 'externalIdIn (substring)', where: { externalIdIn: ['text-19'] }, expect: (f) => f.externalId.includes('text-19') },
  { name: 'externalIdIn several', where: { externalIdIn: ['t-5', 'xt-12'] }, expect: (f) => f.externalId.includes('t-5') || f.externalId.includes('xt-12') },
  { name: 'externalIdIn empty', where: { externalIdIn: [] }, expect: () => false },
  { name: 'statusIn TODO', where: { statusIn: ['TODO'] }, expect: (f) => f.status === 'TODO' },
  { name: 'statusIn two', where: { statusIn: ['REVIEWED', 'TO_REVIEW'] }, expect: (f) => f.status === 'REVIEWED' || f.status === 'TO_REVIEW' },
  { name: 'statusIn ONGOING', where: { statusIn: ['ONGOING'] }, expect: (f) => f.status === 'ONGOING' },
  { name: 'statusIn empty', where: { statusIn: [] }, expect: () => false },
  { name: 'consensusMarkGte (inclusive)', where: { consensusMarkGte: 0.7 }, expect: (f) => inRange(f.consensusMark, 0.7) },
  { name: 'consensusMarkLte (inclusive)', where: { consensusMarkLte: 0.7 }, expect: (f) => inRange(f.consensusMark, -Infinity, 0.7) },
  { name: 'consensusMark range', where: { consensusMarkGte: 0.6, consensusMarkLte: 0.8 }, expect: (f) => inRange(f.consensusMark, 0.6, 0.8) },
  { name: 'honeypotMarkGte', where: { honeypotMarkGte: 0.5 }, expect: (f) => inRange(f.honeypotMark, 0.5) },
  { name: 'honeypotMarkLte (0 included)', where: { honeypotMarkLte: 0.25 }, expect: (f) => inRange(f.honeypotMark, -Infinity, 0.25) },
  { name: 'inferenceMarkGte', where: { inferenceMarkGte: 0.5 }, expect: (f) => inRange(f.inferenceMark, 0.5) },
  { name: 'inferenceMarkLte', where: { inferenceMarkLte: 0.39 }, expect: (f) => inRange(f.inferenceMark, -Infinity, 0.39) },
  { name: 'metadata scalar string', where: { metadata: { source: 'web' } }, expect: (f) => f.metadata.source === 'web' },
  { name: 'metadata scalar number', where: { metadata: { batch: 2 } }, expect: (f) => f.metadata.batch === 2 },
  { name: 'metadata number vs string is strict', where: { metadata: { batch: '2' } }, expect: () => false },
  { name: 'metadata list membership', where: { metadata: { source: ['web', 'scan'] } }, expect: (f) => f.metadata.source !== 'mobile' },
  { name: 'metadata two-number range (inclusive)', where: { metadata: { score: [10, 20] } }, expect: (f) => f.metadata.score >= 10 && f.metadata.score <= 20 },
  { name: 'metadata several keys (AND)', where: { metadata: { language: 'fr', batch: 1 } }, expect: (f) => f.metadata.language === 'fr' && f.metadata.batch === 1 },
  { name: 'metadata empty list', where: { metadata: { source: [] } }, expect: () => false },
  { name: 'metadata missing key = null', where: { metadata: { nope: null } }, expect: () => true },
  { name: 'assigneeIn by email', where: { assigneeIn: [USERS.labeler] }, expect: (f) => f.assignees.includes('labeler') },
  { name: 'assigneeIn by id', where: { assigneeIn: ['user-demo-reviewer'] }, expect: (f) => f.assignees.includes('reviewer') },
  { name: 'assigneeNotIn', where: { assigneeNotIn: [USERS.labeler] }, expect: (f) => !f.assignees.includes('labeler') },
  { name: 'assigneeIn empty', where: { assigneeIn: [] }, expect: () => false },
  { name: 'skipped true', where: { skipped: true }, expect: (f) => f.skipped },
  { name: 'skipped false', where: { skipped: false }, expect: (f) => !f.skipped },
  { name: 'createdAtGte date-only (start of day)', where: { createdAtGte: '2024-01-02' }, expect: (f) => f.createdHours >= 24 },
  { name: 'createdAtLte date-only includes that whole day', where: { createdAtLte: '2024-01-02' }, expect: (f) => f.createdHours <= 47 },
  { name: 'createdAt ISO bounds inclusive', where: { createdAtGte: '2024-01-01T05:00:00.000Z', createdAtLte: '2024-01-01T07:00:00Z' }, expect: (f) => f.createdHours >= 5 && f.createdHours <= 7 },
  { name: 'updatedAtGte ISO (inclusive)', where: { updatedAtGte: '2024-01-08T05:30:00.000Z' }, expect: (f) => f.createdHours + 0.5 >= 173 },
  { name: 'updatedAtLte ISO (inclusive)', where: { updatedAtLte: '2024-01-01T05:30:00.000Z' }, expect: (f) => f.createdHours <= 5 },
  { name: 'label.typeIn REVIEW', where: { label: { typeIn: ['REVIEW'] } }, expect: (f) => anyLabel(f, (l) => l.type === 'REVIEW') },
  { name: 'label.typeIn AUTOSAVE', where: { label: { typeIn: ['AUTOSAVE'] } }, expect: (f) => anyLabel(f, (l) => l.type === 'AUTOSAVE') },
  { name: 'label.typeIn empty', where: { label: { typeIn: [] } }, expect: () => false },
  { name: 'label.authorIn firstname', where: { label: { authorIn: ['Rex'] } }, expect: (f) => anyLabel(f, (l) => l.author === 'reviewer') },
  { name: 'label.authorIn "first last"', where: { label: { authorIn: ['Ada Admin'] } }, expect: (f) => anyLabel(f, (l) => l.author === 'admin') },
  { name: 'label.authorIn lastname', where: { label: { authorIn: ['Labeler'] } }, expect: (f) => anyLabel(f, (l) => l.author === 'labeler') },
  { name: 'label.consensusMarkGte', where: { label: { consensusMarkGte: 0.8 } }, expect: (f) => f.labels.length > 0 && inRange(f.consensusMark, 0.8) },
  { name: 'label.consensusMarkLte', where: { label: { consensusMarkLte: 0.6 } }, expect: (f) => f.labels.length > 0 && inRange(f.consensusMark, -Infinity, 0.6) },
  { name: 'label.honeypotMarkGte', where: { label: { honeypotMarkGte: 0.5 } }, expect: (f) => f.labels.length > 0 && inRange(f.honeypotMark, 0.5) },
  { name: 'label.honeypotMarkLte', where: { label: { honeypotMarkLte: 0.25 } }, expect: (f) => f.labels.length > 0 && inRange(f.honeypotMark, -Infinity, 0.25) },
  { name: 'label.createdAt date-only = that day', where: { label: { createdAt: '2024-01-02' } }, expect: (f) => anyLabel(f, (l) => l.createdHours >= 24 && l.createdHours < 48) },
  { name: 'label.createdAtGte/Lte', where: { label: { createdAtGte: '2024-01-03', createdAtLte: '2024-01-03T10:00:00.000Z' } }, expect: (f) => anyLabel(f, (l) => l.createdHours >= 48 && l.createdHours <= 58) },
  { name: 'label.search classification ==', where: { label: { search: 'CLASSIFICATION_JOB.POSITIVE.count == 1' } }, expect: (f, i) => anyLabel(f, (l) => count(i, l, 'CLASSIFICATION_JOB', 'POSITIVE') === 1) },
  { name: 'label.search NER AND', where: { label: { search: 'NAMED_ENTITIES_RECOGNITION_JOB.PERSON.count >= 1 AND CLASSIFICATION_JOB.NEGATIVE.count > 0' } }, expect: (f, i) => anyLabel(f, (l) => count(i, l, 'NAMED_ENTITIES_RECOGNITION_JOB', 'PERSON') >= 1 && count(i, l, 'CLASSIFICATION_JOB', 'NEGATIVE') > 0) },
  { name: 'label.search AND binds tighter than OR', where: { label: { search: 'CLASSIFICATION_JOB.NEUTRAL.count == 1 OR NAMED_ENTITIES_RECOGNITION_JOB.LOCATION.count > 0 AND CLASSIFICATION_JOB.POSITIVE.count == 1' } }, expect: (f, i) => anyLabel(f, (l) => count(i, l, 'CLASSIFICATION_JOB', 'NEUTRAL') === 1 || (count(i, l, 'NAMED_ENTITIES_RECOGNITION_JOB', 'LOCATION') > 0 && count(i, l, 'CLASSIFICATION_JOB', 'POSITIVE') === 1)) },
  { name: 'label.search parentheses, <, <=', where: { label: { search: '(NAMED_ENTITIES_RECOGNITION_JOB.ORGANIZATION.count < 1 OR CLASSIFICATION_JOB.NEUTRAL.count <= 0) AND NAMED_ENTITIES_RECOGNITION_JOB.PERSON.count >= 1' } }, expect: (f, i) => anyLabel(f, (l) => (count(i, l, 'NAMED_ENTITIES_RECOGNITION_JOB', 'ORGANIZATION') < 1 || count(i, l, 'CLASSIFICATION_JOB', 'NEUTRAL') <= 0) && count(i, l, 'NAMED_ENTITIES_RECOGNITION_JOB', 'PERSON') >= 1) },
  { name: 'label.labelerIn', where: { label: { labelerIn: [USERS.labeler] } }, expect: (f) => anyLabel(f, (l) => l.type !== 'REVIEW' && l.author === 'labeler') },
  { name: 'label.labelerNotIn', where: { label: { labelerNotIn: [USERS.labeler] } }, expect: (f) => anyLabel(f, (l) => l.type !== 'REVIEW' && l.author !== 'labeler') },
  { name: 'label.reviewerIn', where: { label: { reviewerIn: [USERS.reviewer] } }, expect: (f) => anyLabel(f, (l) => l.type === 'REVIEW' && l.author === 'reviewer') },
  { name: 'label.reviewerNotIn', where: { label: { reviewerNotIn: [USERS.reviewer] } }, expect: () => false },
  { name: 'one label must match all label criteria', where: { label: { typeIn: ['DEFAULT'], authorIn: ['Rex'] } }, expect: () => false },
  { name: 'label criteria on the same label', where: { label: { typeIn: ['DEFAULT'], authorIn: ['Ada'] } }, expect: (f) => anyLabel(f, (l) => l.type === 'DEFAULT' && l.author === 'admin') },
  { name: 'issue.type QUESTION', where: { issue: { type: 'QUESTION' } }, expect: (f) => f.issue?.[0] === 'QUESTION' },
  { name: 'issue.status OPEN', where: { issue: { status: 'OPEN' } }, expect: (f) => f.issue?.[1] === 'OPEN' },
  { name: 'issue type and status', where: { issue: { type: 'ISSUE', status: 'SOLVED' } }, expect: (f) => f.issue?.[0] === 'ISSUE' && f.issue[1] === 'SOLVED' },
  { name: 'combination (AND)', where: { statusIn: ['LABELED'], metadata: { language: 'en' }, skipped: false }, expect: (f) => f.status === 'LABELED' && f.metadata.language === 'en' && !f.skipped },
];

describe('AssetWhere on the demo TEXT project', () => {
  it.each(rows)('$name', async (row) => {
    const expected = ALL.filter((i) => row.expect(facts(i), i)).map(textId);
    // A row matching nothing must say so by its expectation, not by accident of the data.
    if (row.expect.toString() !== '() => false') expect(expected.length).toBeGreaterThan(0);
    const w = where(TEXT, row.where.label || row.where.issue ? { ...row.where, label: row.where.label ?? {}, issue: row.where.issue ?? {} } : row.where);
    const { data: n } = await data<{ data: number }>(ctx.emu, COUNT_ASSETS, { where: w });
    expect(n).toBe(expected.length);
    const ids: string[] = [];
    for (let skip = 0; skip < n; skip += 100) {
      const page = await data<{ data: { id: string }[] }>(ctx.emu, ASSET_IDS, { where: w, first: 100, skip });
      ids.push(...page.data.map((a) => a.id));
    }
    expect(ids).toEqual(expected);
  });

  it('sanity: the oracle and the seed agree on label dates and statuses', () => {
    expect(hoursOf('2024-01-02T00:00:00.000Z')).toBe(24);
    expect(ALL.filter((i) => facts(i).status === 'TODO')).toHaveLength(60);
  });
});

describe('AssetWhere on the demo IMAGE project (workflow V2 steps)', () => {
  const imageRows: Row[] = [
    { name: 'stepIdIn review', where: { stepIdIn: ['step-image-review'] }, expect: (f) => f.k >= 4 },
    { name: 'stepIdNotIn labeling', where: { stepIdNotIn: ['step-image-labeling'] }, expect: (f) => f.k >= 4 },
    { name: 'stepStatusIn DONE', where: { stepStatusIn: ['DONE'] }, expect: (f) => f.k === 8 && !f.skipped },
    { name: 'stepStatusIn SKIPPED', where: { stepStatusIn: ['SKIPPED'] }, expect: (f) => f.skipped },
    { name: 'stepStatusNotIn TO_DO, DOING', where: { stepStatusNotIn: ['TO_DO', 'DOING'] }, expect: (f) => f.skipped || f.k === 8 || f.sentBack },
    { name: 'stepIdIn empty', where: { stepIdIn: [] }, expect: () => false },
  ];
  it.each(imageRows)('$name', async (row) => {
    const expected = range(120).filter((i) => row.expect(facts(i), i)).map(imageId);
    const page = await data<{ data: { id: string }[] }>(ctx.emu, ASSET_IDS, { where: where(IMAGE, row.where), first: 500, skip: 0 });
    expect(page.data.map((a) => a.id)).toEqual(expected);
  });
});

describe('filter input errors and paging', () => {
  it('rejects an invalid label.search with BAD_USER_INPUT', async () => {
    for (const search of ['foo', 'A.B.count != 1', 'A.B.count > 1 and C.D.count > 1', '1A.B.count > 0', 'A.B.count >']) {
      const r = await gql(ctx.emu, COUNT_ASSETS, { where: where(TEXT, { label: { search } }) });
      expect(r.body.errors?.[0]?.extensions?.code, search).toBe('BAD_USER_INPUT');
    }
  });

  it('rejects an invalid date', async () => {
    const r = await gql(ctx.emu, COUNT_ASSETS, { where: where(TEXT, { createdAtGte: 'yesterday' }) });
    expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('PageSize accepts 1..500 and rejects 0, 501 and non-integers', async () => {
    for (const first of [1, 500]) expect((await gql(ctx.emu, ASSET_IDS, { where: where(TEXT), first, skip: 0 })).body.errors).toBeUndefined();
    for (const first of [0, 501, 1.5, '10']) {
      const r = await gql(ctx.emu, ASSET_IDS, { where: where(TEXT), first, skip: 0 });
      expect(r.body.errors?.[0]?.message, String(first)).toMatch(/PageSize/);
    }
  });

  it('rejects a negative skip', async () => {
    const r = await gql(ctx.emu, ASSET_IDS, { where: where(TEXT), first: 1, skip: -1 });
    expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('skip beyond the end gives an empty page; order is creation time then id', async () => {
    expect((await data<{ data: unknown[] }>(ctx.emu, ASSET_IDS, { where: where(TEXT), first: 10, skip: 500 })).data).toEqual([]);
    const page = await data<{ data: { id: string }[] }>(ctx.emu, ASSET_IDS, { where: where(TEXT), first: 3, skip: 10 });
    expect(page.data.map((a) => a.id)).toEqual([textId(10), textId(11), textId(12)]);
  });
});

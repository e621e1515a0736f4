import { describe, expect, it } from 'vitest';
import { BffError } from '../../src/errors/index.js';
import { ALIASES, checkCategorySearch, checkMetadataWhere, translateWhere } from '../../src/filters/index.js';
import { isDateInput } from '../../src/plugins/date-time-input/index.js';

function fails(fn: () => unknown): BffError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BffError);
    return error as BffError;
  }
  throw new Error('expected a BffError');
}

describe('translateWhere', () => {
  it('always sends project, label and issue like the SDK', () => {
    expect(translateWhere('p1', undefined).where).toEqual({ project: { id: 'p1' }, label: {}, issue: {} });
  });

  it('maps every canonical field to its upstream key', () => {
    const { where, warnings } = translateWhere('p', {
      assetId: 'a', assetIdIn: ['a'], assetIdNotIn: ['b'], externalIdStrictlyIn: ['x'], externalIdIn: ['y'],
      statusIn: ['TODO'], skipped: false, metadataWhere: { k: 1 }, consensusMarkGte: 0, consensusMarkLte: 1,
      honeypotMarkGte: 0.1, honeypotMarkLte: 0.9, inferenceMarkGte: 0.2, inferenceMarkLte: 0.8,
      createdAtGte: '2024-01-01', createdAtLte: '2024-12-31', updatedAtGte: '2024-02-01', updatedAtLte: '2024-03-01',
      labelTypeIn: ['DEFAULT'], labelAuthorIn: ['Ann'], labelReviewerIn: ['r@x'], labelConsensusMarkGte: 0.3,
      labelConsensusMarkLte: 0.4, labelHoneypotMarkGte: 0.5, labelHoneypotMarkLte: 0.6, labelCreatedAt: '2024-05-05',
      labelCreatedAtGte: '2024-05-01', labelCreatedAtLte: '2024-05-31', labelCategorySearch: 'A.B.count > 0',
      issueType: 'QUESTION', issueStatus: 'OPEN',
    });
    expect(warnings).toEqual([]);
    expect(where).toEqual({
      project: { id: 'p' }, id: 'a', idIn: ['a'], idNotIn: ['b'], externalIdStrictlyIn: ['x'], externalIdIn: ['y'],
      statusIn: ['TODO'], skipped: false, metadata: { k: 1 }, consensusMarkGte: 0, consensusMarkLte: 1,
      honeypotMarkGte: 0.1, honeypotMarkLte: 0.9, inferenceMarkGte: 0.2, inferenceMarkLte: 0.8,
      createdAtGte: '2024-01-01', createdAtLte: '2024-12-31', updatedAtGte: '2024-02-01', updatedAtLte: '2024-03-01',
      label: {
        typeIn: ['DEFAULT'], authorIn: ['Ann'], reviewerIn: ['r@x'], consensusMarkGte: 0.3, consensusMarkLte: 0.4,
        honeypotMarkGte: 0.5, honeypotMarkLte: 0.6, createdAt: '2024-05-05', createdAtGte: '2024-05-01',
        createdAtLte: '2024-05-31', search: 'A.B.count > 0',
      },
      issue: { type: 'QUESTION', status: 'OPEN' },
    });
  });

  it.each(Object.entries(ALIASES))('alias %s behaves as %s with one DEPRECATED_FILTER warning', (alias, canonical) => {
    const value = alias === 'externalIdContains' ? ['e1'] : alias.startsWith('labelCreatedAt') ? '2024-03-01' : 0.5;
    const viaAlias = translateWhere('p', { [alias]: value });
    const viaCanonical = translateWhere('p', { [canonical]: value });
    expect(viaAlias.where).toEqual(viaCanonical.where);
    expect(viaAlias.warnings).toEqual([
      expect.objectContaining({ code: 'DEPRECATED_FILTER', field: `where.${alias}`, replacement: canonical }),
    ]);
    expect(viaAlias.warnings[0]!.message).toMatch(alias === 'externalIdContains' ? /exactly/ : /inclusive/);
  });

  it('keeps 0 as a real value, also for aliases (unlike the SDK)', () => {
    expect(translateWhere('p', { consensusMarkGt: 0 }).where.consensusMarkGte).toBe(0);
    expect(translateWhere('p', { honeypotMarkLte: 0 }).where.honeypotMarkLte).toBe(0);
  });

  it('rejects an alias and its canonical field with different values, naming the alias', () => {
    const error = fails(() => translateWhere('p', { consensusMarkGt: 0.2, consensusMarkGte: 0.3 }));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'where.consensusMarkGt' });
    expect(translateWhere('p', { consensusMarkGt: 0.3, consensusMarkGte: 0.3 }).where.consensusMarkGte).toBe(0.3);
  });

  it('compares an alias with its canonical field by instant for dates (a date-only upper bound is its whole day) and as sets for lists', () => {
    expect(translateWhere('p', { labelCreatedAtGt: '2024-01-01', labelCreatedAtGte: '2024-01-01T00:00:00Z' }).where.label).toMatchObject({
      createdAtGte: '2024-01-01T00:00:00Z',
    });
    expect(translateWhere('p', { labelCreatedAtGt: '2024-01-01T01:00:00+01:00', labelCreatedAtGte: '2024-01-01T00:00:00.000Z' }).where.label).toMatchObject({
      createdAtGte: '2024-01-01T00:00:00.000Z',
    });
    expect(translateWhere('p', { labelCreatedAtLt: '2024-01-01', labelCreatedAtLte: '2024-01-01T23:59:59.999Z' }).where.label).toMatchObject({
      createdAtLte: '2024-01-01T23:59:59.999Z',
    });
    expect(fails(() => translateWhere('p', { labelCreatedAtLt: '2024-01-01', labelCreatedAtLte: '2024-01-01T00:00:00Z' })).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'where.labelCreatedAtLt',
    });
    expect(fails(() => translateWhere('p', { labelCreatedAtGt: '2024-01-02', labelCreatedAtGte: '2024-01-01' })).extensions).toMatchObject({
      field: 'where.labelCreatedAtGt',
    });
    expect(translateWhere('p', { externalIdContains: ['b', 'a'], externalIdStrictlyIn: ['a', 'b'] }).where.externalIdStrictlyIn).toEqual(['a', 'b']);
  });

  it.each([
    [{ consensusMarkGte: 0.9, consensusMarkLte: 0.1 }, 'where.consensusMarkGte'],
    [{ labelHoneypotMarkGt: 0.9, labelHoneypotMarkLte: 0.1 }, 'where.labelHoneypotMarkGte'],
    [{ createdAtGte: '2024-02-01', createdAtLte: '2024-01-01' }, 'where.createdAtGte'],
    [{ createdAtGte: '2024-13-01' }, 'where.createdAtGte'],
    [{ updatedAtLte: 'yesterday' }, 'where.updatedAtLte'],
    [{ labelCategorySearch: 'A.B.count >' }, 'where.labelCategorySearch'],
    [{ metadataWhere: { a: { nested: true } } }, 'where.metadataWhere.a'],
    [{ metadataWhere: [1, 2] }, 'where.metadataWhere'],
    [{ metadataWhere: { r: [5, 1] } }, 'where.metadataWhere.r'],
  ])('rejects %j naming %s', (input, field) => {
    expect(fails(() => translateWhere('p', input as never)).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('accepts equal bounds and a same-day date-time under a date-only upper bound', () => {
    expect(() => translateWhere('p', { consensusMarkGte: 0.5, consensusMarkLte: 0.5 })).not.toThrow();
    expect(() => translateWhere('p', { createdAtGte: '2024-01-31T12:00:00Z', createdAtLte: '2024-01-31' })).not.toThrow();
  });

  it('reports the position of a labelCategorySearch error', () => {
    const error = fails(() => translateWhere('p', { labelCategorySearch: 'JOB.CAT.count >= 1 AND JOB.CAT.cnt > 2' }));
    expect(error.extensions).toMatchObject({ field: 'where.labelCategorySearch', position: 32 });
  });

  it('warns above 10 partial external ids', () => {
    const ten = translateWhere('p', { externalIdIn: Array.from({ length: 10 }, (_, i) => `e${i}`) });
    const eleven = translateWhere('p', { externalIdIn: Array.from({ length: 11 }, (_, i) => `e${i}`) });
    expect(ten.warnings).toEqual([]);
    expect(eleven.warnings).toEqual([expect.objectContaining({ code: 'TOO_MANY_PARTIAL_EXTERNAL_IDS', field: 'where.externalIdIn' })]);
  });

  it('treats an empty In list as matching nothing, and explicit nulls as absent', () => {
    expect(translateWhere('p', { assetIdIn: [] }).matchesNothing).toBe(true);
    expect(translateWhere('p', { assetIdNotIn: [] }).matchesNothing).toBe(false);
    expect(translateWhere('p', { statusIn: null, consensusMarkGt: null }).where).toEqual({ project: { id: 'p' }, label: {}, issue: {} });
  });
});

describe('checkCategorySearch', () => {
  it.each([
    'JOB.CAT.count == 1',
    '(JOB_CLASSIF.CATEGORY_A.count == 1 OR JOB_NER.CATEGORY_B.count > 0) AND JOB_BBOX.CATEGORY_C.count > 10',
    'A.B.count >= 1.5e2',
    'A-1.B*.count < 3 OR A.B.count <= 0',
  ])('accepts %s', (query) => {
    expect(checkCategorySearch(query)).toBeNull();
  });

  it.each([
    ['A.B.count != 1', 11],
    ['A.B.count == 1 and C.D.count > 0', 16],
    ['1A.B.count == 1', 1],
    ['(A.B.count == 1', 16],
    ['A.B.count == 1)', 15],
    ['', 1],
    ['A.B.total > 1', 5],
  ])('rejects %j at position %i', (query, position) => {
    expect(checkCategorySearch(query)?.position).toBe(position);
  });
});

describe('value checks', () => {
  it.each(['2024-01-31', '2024-01-31T10:00:00Z', '2024-01-31T10:00:00.123+02:00', '2024-02-29'])('accepts date %s', (v) => {
    expect(isDateInput(v)).toBe(true);
  });
  it.each(['2023-02-29', '2024-1-1', '31/01/2024', '2024-01-31T25:00:00Z', 'now', ''])('rejects date %j', (v) => {
    expect(isDateInput(v)).toBe(false);
  });
  it('accepts scalar, list and range metadata conditions', () => {
    expect(checkMetadataWhere({ a: 'x', b: 1, c: true, d: ['x', 'y'], e: [1, 10], f: null })).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import {
  assetsDocument,
  buildSelection,
  COUNT_ASSETS_DOCUMENT,
  deletedCheck,
  projectWhere,
  sdkPaginate,
  sdkUpdatePropertiesInAssets,
  statusCheck,
  UPDATE_PROPERTIES_DOCUMENT,
  type Execute,
} from '../../bench/baselines/sdk.js';

interface Call { query: string; variables: Record<string, unknown> | undefined }

/** An upstream stub holding `n` assets `a0…a(n-1)`; records every call. */
function stubUpstream(n: number, options: { countOverride?: number } = {}) {
  const assets = Array.from({ length: n }, (_, i) => ({ id: `a${i}`, externalId: `e${i}` }));
  const calls: Call[] = [];
  const execute: Execute = async (query, variables) => {
    calls.push({ query, variables });
    if (query === COUNT_ASSETS_DOCUMENT) return { data: options.countOverride ?? assets.length };
    if (query.startsWith('query assets')) {
      const skip = Number(variables?.['skip']);
      const first = Number(variables?.['first']);
      return { data: assets.slice(skip, skip + first) };
    }
    if (query === UPDATE_PROPERTIES_DOCUMENT) {
      const where = variables?.['whereArray'] as Array<{ id: string }>;
      return { data: where.map(({ id }) => ({ id })) };
    }
    throw new Error(`unexpected document ${query}`);
  };
  return { execute, calls };
}

describe('SDK documents', () => {
  it('prints the assets query as gql print_ast does, with nested dotted fields', () => {
    expect(buildSelection(['id', 'labels.author.id', 'labels.id'], 2)).toBe('  id\n  labels {\n    author {\n      id\n    }\n    id\n  }');
    expect(assetsDocument(['id', 'externalId'])).toBe(
      'query assets($where: AssetWhere!, $first: PageSize!, $skip: Int!) {\n' +
        '  data: assets(where: $where, skip: $skip, first: $first) {\n    id\n    externalId\n  }\n}',
    );
  });

  it('builds the minimal project where with empty label and issue filters', () => {
    expect(projectWhere('p1')).toEqual({ project: { id: 'p1' }, label: {}, issue: {} });
  });
});

describe('sdkPaginate (reference §5.1)', () => {
  it('counts first, then reads sequential pages of 100 until an empty page', async () => {
    const { execute, calls } = stubUpstream(5000);
    const result = await sdkPaginate(execute, { where: projectWhere('p'), fields: ['id'], first: 5000 });
    expect(result.rows).toHaveLength(5000);
    expect(new Set(result.rows.map((r) => r.id)).size).toBe(5000);
    expect(calls[0]?.query).toBe(COUNT_ASSETS_DOCUMENT);
    // 50 full pages, then an empty one ends the unicity loop.
    expect(result.pages).toBe(51);
    expect(result.calls).toBe(52);
    expect(calls.slice(1).map((c) => [c.variables?.['skip'], c.variables?.['first']])).toEqual(
      Array.from({ length: 51 }, (_, i) => [i * 100, 100]),
    );
  });

  it('stops on a short page', async () => {
    const { execute } = stubUpstream(250);
    const result = await sdkPaginate(execute, { where: {}, fields: ['id'] });
    expect(result.rows).toHaveLength(250);
    expect(result.pages).toBe(3);
  });

  it('reproduces the unicity quirk: first=5 over 1000 assets gives 14 assets from 11 pages', async () => {
    const { execute } = stubUpstream(1000);
    const result = await sdkPaginate(execute, { where: {}, fields: ['id', 'externalId'], first: 5 });
    expect(result.rows).toHaveLength(14);
    expect(result.pages).toBe(11);
  });

  it('without id among the fields, asks for exactly what is left', async () => {
    const { execute, calls } = stubUpstream(1000);
    const result = await sdkPaginate(execute, { where: {}, fields: ['externalId'], first: 5 });
    expect(result.rows).toHaveLength(5);
    expect(calls.slice(1).map((c) => [c.variables?.['skip'], c.variables?.['first']])).toEqual([[0, 5]]);
  });

  it('makes no page request when the count is zero', async () => {
    const { execute, calls } = stubUpstream(0);
    const result = await sdkPaginate(execute, { where: {}, fields: ['id'] });
    expect(result).toEqual({ rows: [], calls: 1, pages: 0 });
    expect(calls).toHaveLength(1);
  });
});

describe('sdkUpdatePropertiesInAssets (reference §6.1, §6.2)', () => {
  it('sends sequential batches of 100 in input order, then sleeps 1 s once', async () => {
    const { execute, calls } = stubUpstream(0);
    const sleeps: number[] = [];
    const ids = Array.from({ length: 250 }, (_, i) => `a${i}`);
    const result = await sdkUpdatePropertiesInAssets(execute, {
      assetIds: ids,
      data: ids.map(() => ({ priority: 3 })),
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    expect(result.batches).toBe(3);
    expect(result.calls).toBe(3);
    expect(result.ids).toEqual(ids);
    expect(sleeps).toEqual([1000]);
    expect(calls.map((c) => (c.variables?.['whereArray'] as unknown[]).length)).toEqual([100, 100, 50]);
    expect((calls[2]?.variables?.['whereArray'] as unknown[])[0]).toEqual({ id: 'a200' });
    expect((calls[0]?.variables?.['dataArray'] as unknown[])[0]).toEqual({ priority: 3 });
  });

  it('retries the last-asset check with exponential waits until it passes', async () => {
    const { execute } = stubUpstream(0);
    const sleeps: number[] = [];
    let attempts = 0;
    const result = await sdkUpdatePropertiesInAssets(execute, {
      assetIds: ['x', 'y'],
      data: [{}, {}],
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      lastAssetCheck: async (_execute, last) => {
        expect(last).toBe('y');
        attempts += 1;
        return attempts === 4;
      },
    });
    expect(result.checkAttempts).toBe(4);
    expect(sleeps).toEqual([1000, 1000, 2000, 4000]);
  });

  it('reports the failing batch index as the SDK does', async () => {
    const execute: Execute = async (_q, variables) => {
      if ((variables?.['whereArray'] as Array<{ id: string }>)[0]?.id === 'a100') throw new Error('boom');
      return { data: [] };
    };
    const ids = Array.from({ length: 150 }, (_, i) => `a${i}`);
    await expect(
      sdkUpdatePropertiesInAssets(execute, { assetIds: ids, data: ids.map(() => ({})), sleep: async () => {} }),
    ).rejects.toThrow('GraphQL error at index 100: boom"');
  });

  it('builds the count checks of delete, review and queue', async () => {
    const seen: unknown[] = [];
    const execute: Execute = async (_q, variables) => {
      seen.push(variables?.['where']);
      return { data: 1 };
    };
    expect(await deletedCheck('p')(execute, 'z')).toBe(false);
    expect(await statusCheck('p', 'TO_REVIEW')(execute, 'z')).toBe(true);
    expect(seen[1]).toEqual({ idIn: ['z'], statusIn: ['TO_REVIEW'], project: { id: 'p' }, label: {}, issue: {} });
  });
});

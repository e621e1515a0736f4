import { describe, expect, it } from 'vitest';
import { assetsDocument } from '../../bench/baselines/sdk.js';
import type { LoggedRequest } from '../../bench/emulator-control.js';
import { remembersCounts, replay, replayPlan, type ReplayCall } from '../../bench/scenarios/large-read.js';
import { memoryRows } from '../../bench/scenarios/memory.js';
import { goodBody, keyCount } from '../../bench/scenarios/proxy-overhead.js';
import { goodSdkBody, perRequest, SDK_DEFAULT_FIELDS, sdkDefaultBffQuery } from '../../bench/scenarios/sdk-query.js';

describe('SDK default query', () => {
  it('sends the SDK default selection directly, as print_ast lays it out', () => {
    expect(assetsDocument(SDK_DEFAULT_FIELDS)).toBe(
      [
        'query assets($where: AssetWhere!, $first: PageSize!, $skip: Int!) {',
        '  data: assets(where: $where, skip: $skip, first: $first) {',
        '    content',
        '    createdAt',
        '    externalId',
        '    id',
        '    isHoneypot',
        '    jsonMetadata',
        '    skipped',
        '    status',
        '    labels {',
        '      author {',
        '        id',
        '        email',
        '      }',
        '      createdAt',
        '      id',
        '      jsonResponse',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    );
    expect(sdkDefaultBffQuery(100)).toContain('assets(projectId: $projectId, first: 100)');
    expect(sdkDefaultBffQuery(100)).toContain('labels { author { id email } createdAt id jsonResponse }');
  });

  it('counts a good answer by its assets, not by the ids of labels and authors', () => {
    const asset = (i: number) => ({ id: `a${i}`, externalId: `e${i}`, labels: [{ id: `l${i}`, author: { id: 'u' } }] });
    const body = JSON.stringify({ data: { assets: Array.from({ length: 100 }, (_, i) => asset(i)) } });
    expect(keyCount(body, 'id')).toBe(300);
    expect(keyCount(body, 'externalId')).toBe(100);
    expect(goodSdkBody(body)).toBe(true);
    expect(goodBody(body)).toBe(false);
    expect(goodSdkBody(JSON.stringify({ data: { assets: Array.from({ length: 99 }, (_, i) => asset(i)) } }))).toBe(false);
    expect(goodSdkBody(body.replace('{"data"', '{"errors":[],"data"'))).toBe(false);
  });

  it('divides each process CPU by the answered requests', () => {
    expect(perRequest({ bff: 500, emulator: 800 }, 200)).toEqual({ bff: 2.5, emulator: 4 });
    expect(perRequest({ bff: 500, emulator: NaN }, 200)).toEqual({ bff: 2.5, emulator: null });
    expect(perRequest({ bff: 500 }, 0)).toEqual({ bff: null });
  });
});

describe('large read floor', () => {
  const logged = (rootFields: string[], variables: Record<string, unknown>): LoggedRequest => ({ time: '2026-01-01T00:00:00.000Z', credentialHash: null, rootFields, variables, fields: {} });

  it('replays the count and the asset pages of the BFF read, in arrival order', () => {
    const plan = replayPlan([
      logged(['countAssets'], { where: { w: 1 } }),
      logged(['assets'], { first: 100, skip: 0 }),
      logged(['viewer'], {}),
      logged(['assets'], { first: 100, skip: 100 }),
    ]);
    expect(plan).toEqual([
      { rootField: 'countAssets', variables: { where: { w: 1 } } },
      { rootField: 'assets', variables: { first: 100, skip: 0 } },
      { rootField: 'assets', variables: { first: 100, skip: 100 } },
    ]);
  });

  it('sends the count and the first page together, then, once the count is in, the rest with bounded concurrency', async () => {
    const calls: ReplayCall[] = [
      { rootField: 'countAssets', variables: {} },
      ...Array.from({ length: 6 }, (_, i): ReplayCall => ({ rootField: 'assets', variables: { skip: i * 100 } })),
    ];
    const events: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const ms = await replay(calls, 2, async (call) => {
      const name = call.rootField === 'assets' ? `p${String(call.variables['skip'])}` : 'count';
      events.push(`start ${name}`);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // The first page answers last of the first three (as a slow first page would).
      await new Promise((resolve) => setTimeout(resolve, name === 'p0' ? 30 : 1));
      inFlight -= 1;
      events.push(`end ${name}`);
    });
    expect(events.slice(0, 2).sort()).toEqual(['start count', 'start p0']);
    expect(events.indexOf('start p100')).toBeGreaterThan(events.indexOf('end count'));
    // The rest did not wait for the first page.
    expect(events.indexOf('start p100')).toBeLessThan(events.indexOf('end p0'));
    expect(events.filter((e) => e.startsWith('start')).length).toBe(7);
    // The first page, and at most two others.
    expect(maxInFlight).toBe(3);
    // It ends with the last answer, the first page's here.
    expect(events.at(-1)).toBe('end p0');
    expect(ms).toBeGreaterThan(0);
  });

  it('when the BFF remembers the count, sends the pages with it, not after it', async () => {
    const calls: ReplayCall[] = [
      { rootField: 'countAssets', variables: {} },
      ...Array.from({ length: 4 }, (_, i): ReplayCall => ({ rootField: 'assets', variables: { skip: i * 100 } })),
    ];
    const events: string[] = [];
    await replay(
      calls,
      2,
      async (call) => {
        const name = call.rootField === 'assets' ? `p${String(call.variables['skip'])}` : 'count';
        events.push(`start ${name}`);
        await new Promise((resolve) => setTimeout(resolve, name === 'count' ? 30 : 1));
        events.push(`end ${name}`);
      },
      false,
    );
    expect(events.slice(0, 4).sort()).toEqual(['start count', 'start p0', 'start p100', 'start p200']);
    expect(events.indexOf('start p300')).toBeLessThan(events.indexOf('end count'));
    // It ends with the last answer, the count's here.
    expect(events.at(-1)).toBe('end count');
  });

  it('reads whether the BFF remembers counts from its environment (on by default)', () => {
    expect(remembersCounts({})).toBe(true);
    expect(remembersCounts({ COUNT_HINT_TTL_MS: '1000' })).toBe(true);
    expect(remembersCounts({ COUNT_HINT_TTL_MS: '0' })).toBe(false);
  });
});

describe('memory rows', () => {
  it('holds every window to the RSS target and reports the largest peak', () => {
    const { rows, overall } = memoryRows(150, [
      { measure: 'peak RSS during 2. Large read', peakMb: 180 },
      { measure: 'peak RSS during 3. Bulk mutation', peakMb: null },
      { measure: 'peak RSS during one read of first: 10000 with labels', peakMb: 310.5 },
    ]);
    expect(overall).toBe(310.5);
    expect(rows.map((r) => [r.measure, r.baseline, r.ours, r.target, r.targetOn])).toEqual([
      ['peak RSS during 2. Large read', 150, 180, { op: '<=', value: 300 }, 'ours'],
      ['peak RSS during 3. Bulk mutation', 150, null, { op: '<=', value: 300 }, 'ours'],
      ['peak RSS during one read of first: 10000 with labels', 150, 310.5, { op: '<=', value: 300 }, 'ours'],
    ]);
    expect(memoryRows(null, []).overall).toBeNull();
  });
});

/**
 * Dev controls: every fault kind, its scoping (rootField, nth, rate), and the request log.
 */
import { describe, expect, it, vi } from 'vitest';
import * as D from './sdk-documents.js';
import { control, data, gql, TEXT, textId, useEmulator } from './helpers.js';

const ctx = useEmulator();
const setFaults = (faults: unknown[]) => control(ctx.emu, 'POST', '/__emulator/faults', { faults });
const count = () => gql<{ data: number }>(ctx.emu, D.COUNT_ASSETS, { where: D.where(TEXT) });
const update = (priority: number) => gql(ctx.emu, D.UPDATE_PROPERTIES, { whereArray: [{ id: textId(0) }], dataArray: [{ priority }] });
const priority = async () => {
  const q = 'query assets($where: AssetWhere!, $first: PageSize!, $skip: Int!) { data: assets(where: $where, skip: $skip, first: $first) { priority } }';
  return (await data<{ data: { priority: number }[] }>(ctx.emu, q, { where: D.where(TEXT, { id: textId(0) }), first: 1, skip: 0 })).data[0]!.priority;
};
type Logged = { rootFields: string[]; fault?: string; credentialHash: string | null; variables: unknown; fields: Record<string, string[]> };
const requests = () => control<Logged[]>(ctx.emu, 'GET', '/__emulator/requests');

describe('faults', () => {
  it('status: answers the HTTP status without executing', async () => {
    await setFaults([{ kind: 'status', status: 503, rootField: 'updatePropertiesInAssets' }]);
    expect((await update(9)).status).toBe(503);
    expect((await count()).status).toBe(200);
    expect(await priority()).toBe(0);
    expect((await requests()).find((r) => r.rootFields.includes('updatePropertiesInAssets'))?.fault).toBe('status:503');
  });

  it('status afterWrite: applies the mutation, then fails', async () => {
    await setFaults([{ kind: 'status', status: 502, afterWrite: true, rootField: 'updatePropertiesInAssets' }]);
    expect((await update(9)).status).toBe(502);
    expect(await priority()).toBe(9);
  });

  it('nth: only the n-th matching request fails', async () => {
    await setFaults([{ kind: 'status', status: 500, nth: 2, rootField: 'countAssets' }]);
    expect((await Promise.all([count(), count(), count()].map(async (p) => (await p).status))).sort()).toEqual([200, 200, 500]);
  });

  it('rate 0 never applies; rate 1 (default) always', async () => {
    await setFaults([{ kind: 'status', status: 504, rate: 0 }]);
    expect((await count()).status).toBe(200);
    await setFaults([{ kind: 'status', status: 504 }]);
    expect((await count()).status).toBe(504);
  });

  it('rateLimit: 429 with Retry-After', async () => {
    await setFaults([{ kind: 'rateLimit', retryAfterSeconds: 7 }]);
    const r = await count();
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('7');
  });

  it('graphqlError: HTTP 200 with data null and errors', async () => {
    await setFaults([{ kind: 'graphqlError', message: 'boom' }]);
    const r = await update(5);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ data: null, errors: [{ message: 'boom', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    expect(await (setFaults([]), priority())).toBe(0);
  });

  it('latency: delays and is logged, the answer is normal', async () => {
    await setFaults([{ kind: 'latency', ms: 30, jitterMs: 10, rootField: 'countAssets' }]);
    expect((await count()).body.data?.data).toBe(200);
    expect((await requests()).at(-1)?.fault).toBe('latency:30');
  });

  it('hang: never answers until the client aborts', async () => {
    await setFaults([{ kind: 'hang', rootField: 'countAssets' }]);
    const ac = new AbortController();
    const pending = gql(ctx.emu, D.COUNT_ASSETS, { where: D.where(TEXT) }, undefined, ac.signal);
    await vi.waitFor(async () => expect((await requests()).some((r) => r.fault === 'hang')).toBe(true));
    ac.abort();
    await expect(pending).rejects.toThrow();
  });

  it('hang afterWrite: the write is applied', async () => {
    await setFaults([{ kind: 'hang', afterWrite: true, rootField: 'updatePropertiesInAssets' }]);
    const ac = new AbortController();
    const pending = gql(ctx.emu, D.UPDATE_PROPERTIES, { whereArray: [{ id: textId(0) }], dataArray: [{ priority: 3 }] }, undefined, ac.signal);
    await vi.waitFor(async () => expect(await priority()).toBe(3));
    ac.abort();
    await expect(pending).rejects.toThrow();
  });

  it('dropWrites: mutations answer success and store nothing', async () => {
    await setFaults([{ kind: 'dropWrites' }]);
    const r = await update(4);
    expect(r.body).toEqual({ data: { data: [{ id: textId(0) }] } });
    const added = await data<{ data: { id: string }[] }>(ctx.emu, D.APPEND_MANY_ASSETS, { data: { contentArray: ['x'], externalIDArray: ['dropped'] }, where: { id: TEXT } });
    expect(added.data).toHaveLength(1);
    expect(await priority()).toBe(0);
    expect((await count()).body.data?.data).toBe(200);
  });

  it('consistencyDelay: answered now, visible later, with the ids that were answered', async () => {
    await setFaults([{ kind: 'consistencyDelay', ms: 150 }]);
    const added = await data<{ data: { id: string }[] }>(ctx.emu, D.APPEND_MANY_ASSETS, { data: { contentArray: ['x'], externalIDArray: ['late'] }, where: { id: TEXT } });
    expect((await data<{ data: number }>(ctx.emu, D.COUNT_ASSETS, { where: D.where(TEXT, { idIn: [added.data[0]!.id] }) })).data).toBe(0);
    await vi.waitFor(async () => {
      expect((await data<{ data: number }>(ctx.emu, D.COUNT_ASSETS, { where: D.where(TEXT, { idIn: [added.data[0]!.id] }) })).data).toBe(1);
    }, { timeout: 5000, interval: 50 });
  });

  it('GET lists, DELETE clears, bad input is a 400 naming the entry', async () => {
    await setFaults([{ kind: 'latency', ms: 1 }]);
    expect(await control(ctx.emu, 'GET', '/__emulator/faults')).toEqual({ faults: [{ kind: 'latency', ms: 1 }] });
    await control(ctx.emu, 'DELETE', '/__emulator/faults');
    expect(await control(ctx.emu, 'GET', '/__emulator/faults')).toEqual({ faults: [] });
    const res = await fetch(`${ctx.emu.origin}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ faults: [{ kind: 'status', status: 418 }] }) });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/faults\[0\]/);
  });
});

describe('request log', () => {
  it('records root fields, variables, credential hash and dotted selection paths', async () => {
    await control(ctx.emu, 'DELETE', '/__emulator/requests');
    const q = `query assets($where: AssetWhere!, $first: PageSize!, $skip: Int!) {
  data: assets(where: $where, skip: $skip, first: $first) {
    ...F
    labels { a: author { email __typename } ... on Label { id } }
    __typename
  }
  n: countAssets(where: $where)
}
fragment F on Asset { id externalId }`;
    await data(ctx.emu, q, { where: D.where(TEXT), first: 1, skip: 0 });
    const log = await requests();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      credentialHash: expect.stringMatching(/^[0-9a-f]{16}$/),
      rootFields: ['assets', 'countAssets'],
      variables: { where: D.where(TEXT), first: 1, skip: 0 },
      fields: { assets: ['id', 'externalId', 'labels.author.email', 'labels.id'], countAssets: [] },
    });
  });
});

/**
 * Authentication (the three accepted header forms, 401 bodies) and isolation between users:
 * other projects and their assets behave as if they did not exist.
 */
import { describe, expect, it } from 'vitest';
import * as D from './sdk-documents.js';
import { ADMIN_KEY, data, gql, IMAGE, LABELER_KEY, OUTSIDER, OUTSIDER_KEY, REVIEWER_KEY, TEXT, textId, useEmulator } from './helpers.js';

const ctx = useEmulator();

const post = (headers: Record<string, string>) =>
  fetch(ctx.emu.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ viewer { email } }' }) });

describe('authentication', () => {
  it('accepts Authorization: X-API-Key, Authorization: Bearer and X-API-Key', async () => {
    for (const headers of [{ authorization: `X-API-Key: ${ADMIN_KEY}` }, { authorization: `Bearer ${ADMIN_KEY}` }, { 'x-api-key': ADMIN_KEY }] as Record<string, string>[]) {
      const res = await post(headers);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ data: { viewer: { email: 'admin@demo.kili.local' } } });
    }
  });

  it('answers 401 with a GraphQL-shaped body for a missing or unknown key', async () => {
    for (const headers of [{}, { authorization: 'X-API-Key: wrong' }] as Record<string, string>[]) {
      const res = await post(headers);
      expect(res.status).toBe(401);
      const body = await res.json();
      expect(body).toMatchObject({ data: null, errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    }
  });

  it('serves the demo keys of every seeded user', async () => {
    for (const [key, email] of [[LABELER_KEY, 'labeler@demo.kili.local'], [REVIEWER_KEY, 'reviewer@demo.kili.local'], [OUTSIDER_KEY, 'outsider@other.kili.local']] as const) {
      expect((await data<{ data: { email: string } }>(ctx.emu, D.ME, undefined, key)).data.email).toBe(email);
    }
  });

  it('exposes the demo seed description', () => {
    expect(ctx.emu.demo).toMatchObject({
      organizationId: 'org-demo',
      users: { admin: { apiKey: ADMIN_KEY }, labeler: { apiKey: LABELER_KEY }, outsider: { email: 'outsider@other.kili.local' } },
      projects: { text: { id: TEXT, assetCount: 200 }, image: { id: IMAGE, assetCount: 120 }, outsider: { id: OUTSIDER, assetCount: 20 } },
    });
  });
});

describe('isolation between users', () => {
  it('a user only sees the projects they are a member of', async () => {
    const ids = async (key: string) => (await data<{ data: { id: string }[] }>(ctx.emu, 'query projects($where: ProjectWhere!, $first: PageSize!, $skip: Int!) { data: projects(where: $where, first: $first, skip: $skip) { id } }', { where: {}, first: 10, skip: 0 }, key)).data.map((p) => p.id);
    expect(await ids(ADMIN_KEY)).toEqual([TEXT, IMAGE]);
    expect(await ids(LABELER_KEY)).toEqual([TEXT, IMAGE]);
    expect(await ids(OUTSIDER_KEY)).toEqual([OUTSIDER]);
  });

  it("other projects' assets are invisible to reads", async () => {
    const count = async (projectId: string, key: string) => (await data<{ data: number }>(ctx.emu, D.COUNT_ASSETS, { where: D.where(projectId) }, key)).data;
    expect(await count(TEXT, OUTSIDER_KEY)).toBe(0);
    expect(await count(OUTSIDER, ADMIN_KEY)).toBe(0);
    expect(await count(OUTSIDER, OUTSIDER_KEY)).toBe(20);
    expect((await data<{ data: number }>(ctx.emu, D.COUNT_ASSETS, { where: { idIn: [textId(1)] } }, OUTSIDER_KEY)).data).toBe(0);
    expect((await data<{ external_ids: string[] }>(ctx.emu, D.FILTER_EXISTING, { projectID: TEXT, externalIDs: ['text-1'] }, OUTSIDER_KEY)).external_ids).toEqual([]);
  });

  it("mutations on other projects' assets apply nothing: NOT_FOUND for positional ones, no match for filters", async () => {
    const positional: [string, Record<string, unknown>][] = [
      [D.UPDATE_PROPERTIES, { whereArray: [{ id: textId(1) }], dataArray: [{ priority: 42 }] }],
      [D.APPEND_MANY_ASSETS, { data: { contentArray: ['x'], externalIDArray: ['x'] }, where: { id: TEXT } }],
    ];
    for (const [query, variables] of positional) {
      const r = await gql(ctx.emu, query, variables, OUTSIDER_KEY);
      expect(r.body.errors?.[0]?.extensions?.code, query).toBe('NOT_FOUND');
    }
    const filters: [string, Record<string, unknown>][] = [
      [D.DELETE_MANY, { where: { idIn: [textId(1)] } }],
      [D.ADD_TO_REVIEW, { where: { idIn: [textId(4)] } }],
      [D.SEND_BACK_TO_QUEUE, { where: { idIn: [textId(4)] } }],
      [D.DELETE_MANY, { where: { project: { id: TEXT } } }],
    ];
    for (const [query, variables] of filters) {
      const r = await gql(ctx.emu, query, variables, OUTSIDER_KEY);
      expect(r.body, query).toEqual({ data: { data: null } });
    }
    const q = 'query assets($where: AssetWhere!, $first: PageSize!, $skip: Int!) { data: assets(where: $where, skip: $skip, first: $first) { id priority status } }';
    const r = await data<{ data: unknown[] }>(ctx.emu, q, { where: D.where(TEXT, { idIn: [textId(1), textId(4)] }), first: 10, skip: 0 });
    expect(r.data).toEqual([{ id: textId(1), priority: 1, status: 'TODO' }, { id: textId(4), priority: 0, status: 'LABELED' }]);
    expect((await data<{ data: number }>(ctx.emu, D.COUNT_ASSETS, { where: D.where(TEXT) })).data).toBe(200);
  });

  it('signed upload URLs only for accessible projects; apiKeys only for the caller', async () => {
    const r = await gql(ctx.emu, D.SIGNED_URLS, { filePaths: [`projects/${TEXT}/assets/x/content`] }, OUTSIDER_KEY);
    expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await data<{ data: unknown[] }>(ctx.emu, D.API_KEYS, { where: { key: ADMIN_KEY } }, OUTSIDER_KEY)).data).toEqual([]);
  });
});

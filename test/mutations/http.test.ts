/**
 * The mutations through the front door: BFF over HTTP in front of the emulator (test/helpers).
 * Checks the schema wiring, `AssetMutationResult.assets`, error extensions, and the
 * `Idempotency-Key` header. Pipeline behaviour in depth is in emulator.test.ts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countRootField, startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { VERIFY_DEADLINE_MS: '3000' } });
});
beforeEach(async () => {
  await stack.reset();
  await stack.clearRequests();
});
afterAll(async () => {
  await stack?.close();
});

const RESULT = 'projectId assetIds batches verified warnings { code message field }';

describe('mutations over HTTP', () => {
  it('appendManyToDataset returns the created assets, read through the by-id loader', async () => {
    const project = stack.demo.projects.image.id;
    const { body } = await stack.gql(
      `mutation ($p: ID!, $a: [AssetInput!]!) { appendManyToDataset(projectId: $p, assets: $a) { ${RESULT} assets { id externalId jsonMetadata } } }`,
      { p: project, a: [{ content: 'https://cdn.test/1.png', externalId: 'h-1', jsonMetadata: { k: 1 } }, { content: 'https://cdn.test/2.png' }] },
    );
    expect(body.errors).toBeUndefined();
    const result = (body.data as { appendManyToDataset: { assetIds: string[]; assets: Array<{ id: string; externalId: string; jsonMetadata: unknown }> } }).appendManyToDataset;
    expect(result).toMatchObject({ projectId: project, batches: 1, verified: true, warnings: [] });
    expect(result.assets.map((a) => a.id)).toEqual(result.assetIds);
    expect(result.assets[0]).toMatchObject({ externalId: 'h-1', jsonMetadata: { k: 1 } });
    expect(result.assets[1]?.externalId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('a second mutation of the same operation returns fresh assets, not those cached by the first', async () => {
    const [id] = await stack.seed(stack.demo.projects.image.id, 1);
    const { body } = await stack.gql(
      `mutation ($id: ID!) { m1: updatePropertiesInAssets(assets: [{ id: $id, priority: 11 }]) { assets { priority } } m2: updatePropertiesInAssets(assets: [{ id: $id, priority: 22 }]) { assets { priority } } }`,
      { id },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ m1: { assets: [{ priority: 11 }] }, m2: { assets: [{ priority: 22 }] } });
  });

  it('does not read assets when they are not selected, nor after a delete', async () => {
    const ids = await stack.seed(stack.demo.projects.image.id, 3);
    await stack.clearRequests();
    const { body } = await stack.gql(`mutation ($ids: [ID!]) { deleteManyFromDataset(assetIds: $ids) { ${RESULT} assets { id } } }`, { ids });
    expect(body.data?.deleteManyFromDataset).toMatchObject({ assetIds: ids, assets: [], verified: true });
    const log = await stack.requests();
    expect(countRootField(log, 'deleteManyFromDataset')).toBe(1);
    expect(countRootField(log, 'assets')).toBe(0);
  });

  it('an empty list is a no-op with a warning and no upstream call', async () => {
    const { body } = await stack.gql(`mutation { sendBackToQueue(assetIds: []) { ${RESULT} } }`);
    expect(body.data?.sendBackToQueue).toMatchObject({ assetIds: [], batches: 0, warnings: [{ code: 'EMPTY_INPUT', field: 'assetIds' }] });
    expect(await stack.requests()).toEqual([]);
  });

  it("a mutation's warnings are also listed in the response's extensions.warnings (as the schema header says)", async () => {
    const [id] = await stack.seed(stack.demo.projects.image.id, 1);
    type Warned = { warnings: { code: string; message: string; field: string }[] };
    const { body } = await stack.gql<{ u: Warned; e: Warned }>(
      `mutation ($id: ID!) {
        u: updatePropertiesInAssets(assets: [{ id: $id, status: TODO, priority: 3 }]) { warnings { code message field } }
        e: sendBackToQueue(assetIds: []) { warnings { code message field } }
      }`,
      { id },
    );
    expect(body.errors).toBeUndefined();
    const ignored = { code: 'DEPRECATED_FIELD', field: 'assets.status', message: 'status is computed from labels and cannot be set; it was ignored on 1 asset(s).' };
    const empty = { code: 'EMPTY_INPUT', field: 'assetIds', message: "Mutation 'sendBackToQueue' did nothing because the following argument is empty: assetIds." };
    expect(body.data).toEqual({ u: { warnings: [ignored] }, e: { warnings: [empty] } });
    expect(body.extensions?.warnings).toEqual([ignored, empty]);
  });

  it('ASSET_NOT_FOUND lists the missing external ids', async () => {
    const { body } = await stack.gql(`mutation ($p: ID) { addToReview(projectId: $p, externalIds: ["nope-1"]) { ${RESULT} } }`, { p: stack.demo.projects.text.id });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'ASSET_NOT_FOUND', missingExternalIds: ['nope-1'] });
  });

  it('BAD_USER_INPUT for both assetIds and externalIds, before any upstream call', async () => {
    const { body } = await stack.gql(`mutation { addToReview(assetIds: ["a"], externalIds: ["b"]) { ${RESULT} } }`);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'assetIds' });
    expect(await stack.requests()).toEqual([]);
  });

  it('UNAUTHENTICATED without a credential, with no upstream call', async () => {
    const { body } = await stack.gql(`mutation { deleteManyFromDataset(assetIds: ["a"]) { ${RESULT} } }`, undefined, { key: null });
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await stack.requests()).toEqual([]);
  });

  it('PARTIAL_FAILURE carries applied and failed ids to the client', async () => {
    const ids = await stack.seed(stack.demo.projects.image.id, 150);
    await stack.setFaults([{ rootField: 'updatePropertiesInAssets', nth: 2, kind: 'graphqlError' }]);
    const assets = ids.map((id) => ({ id, priority: 2 }));
    const { body } = await stack.gql(`mutation ($a: [AssetPropertiesInput!]!) { updatePropertiesInAssets(assets: $a) { ${RESULT} } }`, { a: assets });
    const ext = body.errors?.[0]?.extensions as Record<string, unknown>;
    expect(ext).toMatchObject({ code: 'PARTIAL_FAILURE', failedBatch: 1, appliedAssetIds: ids.slice(0, 100), failedAssetIds: ids.slice(100) });
    expect(JSON.stringify(body)).not.toMatch(/stack|injected/i);
    await stack.clearFaults();
  });

  it('Idempotency-Key: a replay returns the same result and sends no second mutation', async () => {
    const ids = await stack.seed(stack.demo.projects.text.id, 2, { labeled: true });
    await stack.clearRequests();
    const query = `mutation ($ids: [ID!]) { addToReview(assetIds: $ids) { ${RESULT} assets { id status } } }`;
    const headers = { 'idempotency-key': 'replay-1' };
    const first = await stack.gql(query, { ids }, { headers });
    const second = await stack.gql(query, { ids }, { headers });
    expect(first.body.errors).toBeUndefined();
    expect(second.body.data).toEqual(first.body.data);
    expect(countRootField(await stack.requests(), 'addAllLabeledAssetsToReview')).toBe(1);
    const other = await stack.gql(query, { ids: ids.slice(0, 1) }, { headers });
    expect(other.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'Idempotency-Key' });
  });
});

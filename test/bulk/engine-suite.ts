/**
 * The bulk-operation behaviour every engine must have, run against the in-process engine
 * (engine-memory.test.ts) and the BullMQ engine on Redis (engine-redis.test.ts): a real BFF over
 * HTTP and WebSocket, the emulator with faults, the emulator's request log as the oracle.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countRootField, startStack, type Stack, type UpstreamRequest } from '../helpers/stack.js';
import { GET, isFinal, pollOperation, subscribeOperation, UPDATE, type Operation } from './helpers.js';

const OTHER_KEY = 'demo-reviewer-key';

/** The asset ids each logged `updatePropertiesInAssets` request carried. */
function updateBatches(log: UpstreamRequest[]): string[][] {
  return log
    .filter((r) => r.rootFields.includes('updatePropertiesInAssets'))
    .map((r) => ((r.variables.whereArray as Array<{ id: string }>) ?? []).map((w) => w.id));
}

async function priorities(stack: Stack, ids: string[]): Promise<Map<string, number>> {
  const { body } = await stack.gql<{ assets: Array<{ id: string; priority: number }> }>(
    'query ($p: ID!, $ids: [ID!]) { assets(projectId: $p, where: { assetIdIn: $ids }, first: 10000) { id priority } }',
    { p: stack.demo.projects.image.id, ids },
  );
  return new Map((body.data?.assets ?? []).map((a) => [a.id, a.priority]));
}

export function bulkEngineSuite(name: string, env: () => Record<string, string>): void {
  describe(`bulk operations (${name})`, () => {
    let stack: Stack;
    let project: string;
    beforeAll(async () => {
      stack = await startStack({
        env: { VERIFY_BACKOFF_MIN_MS: '20', VERIFY_BACKOFF_MAX_MS: '100', VERIFY_DEADLINE_MS: '3000', MUTATION_CONCURRENCY: '1', ...env() },
      });
    });
    afterAll(async () => {
      await stack?.close();
    });
    beforeEach(async () => {
      await stack.reset('demo');
      await stack.clearFaults();
      await stack.clearRequests();
      project = stack.demo.projects.image.id;
    });

    const seedIds = (count: number) => stack.seed(project, count, { externalIdPrefix: `e-${Math.random().toString(36).slice(2, 8)}-` });
    const startUpdate = async (ids: string[], priority: number, headers: Record<string, string> = {}, key?: string) => {
      const { body } = await stack.gql<{ updatePropertiesInAssets: { operation: { id: string; status: string; total: number; kind: string } | null; verified: boolean; assetIds: string[] } }>(
        UPDATE,
        { p: project, a: ids.map((id) => ({ id, priority })), async: true },
        { headers, ...(key ? { key } : {}) },
      );
      if (!body.data?.updatePropertiesInAssets?.operation) throw new Error(`no operation: ${JSON.stringify(body)}`);
      return body.data.updatePropertiesInAssets;
    };

    it('async: true plans now, returns the queued operation at once, and the operation completes verified', async () => {
      const ids = await seedIds(1000);
      const started = await startUpdate(ids, 42);
      expect(started.verified).toBe(false);
      expect(started.assetIds).toEqual([]);
      expect(started.operation).toMatchObject({ kind: 'updatePropertiesInAssets', total: 1000 });
      expect(['QUEUED', 'RUNNING']).toContain(started.operation?.status);
      const done = await pollOperation(stack.gql, started.operation!.id, isFinal);
      expect(done).toMatchObject({ status: 'COMPLETED', total: 1000, processed: 1000, appliedCount: 1000, failedCount: 0, unknownOutcomeCount: 0, verified: true, error: null });
      expect(done.appliedAssetIds).toEqual(ids);
      expect(done.failedAssetIds).toEqual([]);
      expect(done.result).toEqual({ projectId: project, assetIds: ids, batches: 10, verified: true });
      const stored = await priorities(stack, ids);
      expect([...stored.values()].every((p) => p === 42)).toBe(true);
      const log = await stack.requests();
      expect(updateBatches(log).flat().sort()).toEqual([...ids].sort());
      const listed = await stack.gql<{ bulkOperations: Array<{ id: string; status: string }> }>('{ bulkOperations(first: 5) { id status } }');
      expect(listed.body.data?.bulkOperations[0]).toEqual({ id: done.id, status: 'COMPLETED' });
    });

    it('async: true with bad input is an error and queues nothing', async () => {
      const before = await stack.gql<{ bulkOperations: unknown[] }>('{ bulkOperations(first: 100) { id } }');
      const { body } = await stack.gql(UPDATE, { p: project, a: [{ id: 'no-such-asset', priority: 1 }], async: true });
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'ASSET_NOT_FOUND', missingIds: ['no-such-asset'] });
      const after = await stack.gql<{ bulkOperations: unknown[] }>('{ bulkOperations(first: 100) { id } }');
      expect(after.body.data?.bulkOperations.length).toBe(before.body.data?.bulkOperations.length);
      expect(countRootField(await stack.requests(), 'updatePropertiesInAssets')).toBe(0);
    });

    it('cancel mid-way: CANCELED, nothing sent after the cancel was acknowledged, appliedAssetIds = what changed upstream', async () => {
      const ids = await seedIds(2000);
      await stack.setFaults([{ kind: 'latency', ms: 60, rootField: 'updatePropertiesInAssets' }]);
      const started = await startUpdate(ids, 77);
      const id = started.operation!.id;
      await pollOperation(stack.gql, id, (op) => op.processed >= 300);
      const cancel = await stack.gql<{ cancelBulkOperation: { status: string } }>('mutation ($id: ID!) { cancelBulkOperation(id: $id) { status } }', { id });
      const acknowledged = new Date().toISOString();
      expect(['CANCELING', 'CANCELED']).toContain(cancel.body.data?.cancelBulkOperation.status);
      const done = await pollOperation(stack.gql, id, isFinal);
      expect(done.status).toBe('CANCELED');
      const log = await stack.requests();
      const sentAfter = log.filter((r) => r.rootFields.includes('updatePropertiesInAssets') && r.time > acknowledged);
      expect(sentAfter).toEqual([]);
      const stored = await priorities(stack, ids);
      const changed = ids.filter((a) => stored.get(a) === 77);
      expect(done.appliedAssetIds).toEqual(changed);
      expect(done.appliedCount).toBe(changed.length);
      expect(changed.length).toBeGreaterThanOrEqual(300);
      expect(changed.length).toBeLessThan(2000);
      expect(done.processed).toBe(changed.length);
      // Cancelling a finished operation returns it unchanged.
      const again = await stack.gql<{ cancelBulkOperation: { status: string } }>('mutation ($id: ID!) { cancelBulkOperation(id: $id) { status } }', { id });
      expect(again.body.data?.cancelBulkOperation.status).toBe('CANCELED');
    });

    it('an upstream hard failure mid-way: PARTIAL_FAILURE with lists equal to the upstream state', async () => {
      const ids = await seedIds(500);
      await stack.setFaults([{ rootField: 'updatePropertiesInAssets', nth: 3, kind: 'graphqlError' }]);
      const started = await startUpdate(ids, 5);
      const done = await pollOperation(stack.gql, started.operation!.id, isFinal);
      expect(done.status).toBe('PARTIAL_FAILURE');
      expect(done.error?.code).toBe('PARTIAL_FAILURE');
      const stored = await priorities(stack, ids);
      const changed = ids.filter((a) => stored.get(a) === 5);
      expect(changed).toEqual(ids.slice(0, 200));
      expect(done.appliedAssetIds).toEqual(changed);
      expect(done.failedAssetIds).toEqual(ids.slice(200));
      expect(done.unknownOutcomeAssetIds).toEqual([]);
      expect(done).toMatchObject({ appliedCount: 200, failedCount: 300, unknownOutcomeCount: 0, verified: false });
    });

    it('credential isolation: another credential cannot see, list, cancel or subscribe to an operation', async () => {
      const ids = await seedIds(300);
      await stack.setFaults([{ kind: 'latency', ms: 100, rootField: 'updatePropertiesInAssets' }]);
      const id = (await startUpdate(ids, 3)).operation!.id;
      const unknown = 'bop_00000000000000000000000000000000';
      for (const target of [id, unknown]) {
        const seen = await stack.gql(GET, { id: target }, { key: OTHER_KEY });
        expect(seen.body).toEqual({ data: { bulkOperation: null } });
        const cancel = await stack.gql('mutation ($id: ID!) { cancelBulkOperation(id: $id) { id } }', { id: target }, { key: OTHER_KEY });
        expect(cancel.body.errors?.map((e) => [e.extensions?.code, e.message.replace(target, 'ID')])).toEqual([
          ['BULK_OPERATION_NOT_FOUND', 'No bulk operation "ID" exists for this credential.'],
        ]);
        const sub = subscribeOperation(stack.bff.url, target, { Authorization: `X-API-Key: ${OTHER_KEY}` });
        await sub.done;
        expect(sub.received.map((r) => [r.data ?? null, r.errors?.map((e) => e.extensions?.code)])).toEqual([[null, ['BULK_OPERATION_NOT_FOUND']]]);
        await sub.close();
      }
      const listed = await stack.gql('{ bulkOperations(first: 100) { id } }', undefined, { key: OTHER_KEY });
      expect(listed.body).toEqual({ data: { bulkOperations: [] } });
      // Without a credential: UNAUTHENTICATED, not an empty answer.
      const anonymous = await stack.gql(GET, { id }, { key: null });
      expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const done = await pollOperation(stack.gql, id, isFinal);
      expect(done.status).toBe('COMPLETED');
    });

    it('subscription: a graphql-ws client receives increasing processed values and the final status', async () => {
      const ids = await seedIds(800);
      await stack.setFaults([{ kind: 'latency', ms: 40, rootField: 'updatePropertiesInAssets' }]);
      const id = (await startUpdate(ids, 8)).operation!.id;
      const sub = subscribeOperation(stack.bff.url, id, { authorization: `X-API-Key: ${stack.key}` });
      // A gateway propagating headers: the credential on the WebSocket upgrade request only.
      const viaHeaders = subscribeOperation(stack.bff.url, id, {}, { authorization: `X-API-Key: ${stack.key}` });
      const anonymous = subscribeOperation(stack.bff.url, id, {});
      await Promise.all([sub.done, viaHeaders.done, anonymous.done]);
      await Promise.all([sub.close(), viaHeaders.close(), anonymous.close()]);
      expect(viaHeaders.received.at(-1)?.data?.bulkOperation).toEqual({ status: 'COMPLETED', processed: 800 });
      expect(anonymous.received.map((r) => r.errors?.map((e) => e.extensions?.code))).toEqual([['UNAUTHENTICATED']]);
      const values = sub.received.map((r) => r.data?.bulkOperation);
      expect(sub.received.every((r) => r.errors === undefined)).toBe(true);
      const processed = values.map((v) => v?.processed ?? -1);
      expect(processed.length).toBeGreaterThanOrEqual(3);
      for (let i = 1; i < processed.length; i += 1) expect(processed[i]!).toBeGreaterThanOrEqual(processed[i - 1]!);
      expect(new Set(processed).size).toBeGreaterThanOrEqual(3);
      expect(values.at(-1)).toEqual({ status: 'COMPLETED', processed: 800 });
    });

    it('subscriptions: one credential follows at most 20 operations at once, and a client that leaves frees its place', async () => {
      const ids = await seedIds(300);
      await stack.setFaults([{ kind: 'latency', ms: 1500, rootField: 'updatePropertiesInAssets' }]);
      const id = (await startUpdate(ids, 5)).operation!.id;
      const auth = { authorization: `X-API-Key: ${stack.key}` };
      const firstPayload = async (sub: ReturnType<typeof subscribeOperation>) => {
        for (let i = 0; i < 250 && sub.received.length === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
        return sub.received[0];
      };
      const open: ReturnType<typeof subscribeOperation>[] = [];
      try {
        for (let i = 0; i < 20; i += 1) {
          const sub = subscribeOperation(stack.bff.url, id, auth);
          open.push(sub);
          expect((await firstPayload(sub))?.errors).toBeUndefined();
        }
        const refused = subscribeOperation(stack.bff.url, id, auth);
        await refused.done;
        await refused.close();
        expect(refused.received.map((r) => r.errors?.map((e) => e.extensions?.code))).toEqual([['RATE_LIMITED']]);
        // Another credential is not affected by this one's subscriptions.
        const other = subscribeOperation(stack.bff.url, id, { authorization: `X-API-Key: ${OTHER_KEY}` });
        await other.done;
        await other.close();
        expect(other.received.map((r) => r.errors?.map((e) => e.extensions?.code))).toEqual([['BULK_OPERATION_NOT_FOUND']]);
        await (open.shift() as ReturnType<typeof subscribeOperation>).close();
        let accepted: ReturnType<typeof subscribeOperation>['received'][number] | undefined;
        for (let attempt = 0; attempt < 50 && !accepted?.data; attempt += 1) {
          const again = subscribeOperation(stack.bff.url, id, auth);
          accepted = await firstPayload(again);
          if (accepted?.data) open.push(again);
          else await again.close();
        }
        expect(accepted?.data?.bulkOperation.status).toMatch(/^(QUEUED|RUNNING)$/);
      } finally {
        await Promise.all(open.map((sub) => sub.close()));
        await stack.gql('mutation ($id: ID!) { cancelBulkOperation(id: $id) { id } }', { id });
        await pollOperation(stack.gql, id, isFinal);
      }
    });

    it('automatic hand-off: a synchronous mutation past SYNC_BUDGET_MS returns its operation, which completes; no batch is sent twice', async () => {
      const slow = await startStack({ env: { ...env(), SYNC_BUDGET_MS: '300', MUTATION_CONCURRENCY: '1', VERIFY_BACKOFF_MIN_MS: '20', VERIFY_BACKOFF_MAX_MS: '100' } });
      try {
        const p = slow.demo.projects.image.id;
        const ids = await slow.seed(p, 1200, { externalIdPrefix: 'handoff-' });
        await slow.setFaults([{ kind: 'latency', ms: 80, rootField: 'updatePropertiesInAssets' }]);
        await slow.clearRequests();
        const { body } = await slow.gql<{ updatePropertiesInAssets: { assetIds: string[]; verified: boolean; batches: number; warnings: { code: string }[]; operation: { id: string; status: string } } }>(
          UPDATE,
          { p, a: ids.map((id) => ({ id, priority: 11 })) },
        );
        const result = body.data!.updatePropertiesInAssets;
        expect(result.verified).toBe(false);
        expect(result.warnings.map((w) => w.code)).toEqual(['CONTINUES_AS_BULK_OPERATION']);
        expect(result.operation.status).toBe('RUNNING');
        expect(result.assetIds).toEqual(ids.slice(0, result.assetIds.length));
        expect(result.assetIds.length).toBeLessThan(1200);
        const done = await pollOperation(slow.gql, result.operation.id, isFinal);
        expect(done).toMatchObject({ status: 'COMPLETED', total: 1200, processed: 1200, appliedCount: 1200, verified: true });
        expect(done.appliedAssetIds).toEqual(ids);
        const batches = updateBatches(await slow.requests());
        expect(batches.length).toBe(12);
        expect(batches.flat().sort()).toEqual([...ids].sort());
      } finally {
        await slow.close();
      }
    });

    it('at most BULK_MAX_RUNNING_PER_CREDENTIAL (2) run at once per credential; the third waits QUEUED, then runs', async () => {
      const ids = await seedIds(900);
      await stack.setFaults([{ kind: 'latency', ms: 40, rootField: 'updatePropertiesInAssets' }]);
      const ops: string[] = [];
      for (const part of [ids.slice(0, 300), ids.slice(300, 600), ids.slice(600)]) ops.push((await startUpdate(part, 6)).operation!.id);
      let sawThirdWaiting = false;
      for (;;) {
        const states = await Promise.all(ops.map(async (id) => ((await stack.gql(GET, { id })).body.data as { bulkOperation: Operation }).bulkOperation.status));
        expect(states.filter((status) => status === 'RUNNING').length).toBeLessThanOrEqual(2);
        if (states[0] === 'RUNNING' && states[1] === 'RUNNING' && states[2] === 'QUEUED') sawThirdWaiting = true;
        if (states.every((status) => status === 'COMPLETED')) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(sawThirdWaiting).toBe(true);
    });

    it('Idempotency-Key: a retry while the operation runs and after it finished returns the same operation and starts nothing', async () => {
      const ids = await seedIds(600);
      await stack.setFaults([{ kind: 'latency', ms: 60, rootField: 'updatePropertiesInAssets' }]);
      const key = `idem-${Math.random().toString(36).slice(2)}`;
      const first = await startUpdate(ids, 21, { 'idempotency-key': key });
      const again = await startUpdate(ids, 21, { 'idempotency-key': key });
      expect(again.operation!.id).toBe(first.operation!.id);
      const done: Operation = await pollOperation(stack.gql, first.operation!.id, isFinal);
      expect(done.status).toBe('COMPLETED');
      const after = await startUpdate(ids, 21, { 'idempotency-key': key });
      expect(after.operation).toMatchObject({ id: first.operation!.id, status: 'COMPLETED' });
      expect(updateBatches(await stack.requests()).length).toBe(6);
      const listed = await stack.gql<{ bulkOperations: Array<{ id: string }> }>('{ bulkOperations(first: 100) { id } }');
      expect(listed.body.data?.bulkOperations.filter((o) => o.id === first.operation!.id).length).toBe(1);
    });
  });
}

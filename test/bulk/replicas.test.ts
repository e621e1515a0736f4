/**
 * Bulk operations across replicas: two BFF processes (`node --import tsx src/main.ts`) sharing one
 * Redis, in front of one emulator. A replica is killed with SIGKILL mid-run and the other finishes
 * its operation from the checkpoint. Runs when REDIS_URL is set (as CI does):
 *   REDIS_URL=redis://127.0.0.1:6379 npx vitest run test/bulk/replicas.test.ts
 */
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort, spawnService, waitForHttp, type Service } from '../../bench/processes.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { gqlRequest, type GqlResponse } from '../helpers/stack.js';
import { GET, isFinal, pollOperation, subscribeOperation, UPDATE } from './helpers.js';

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL) console.warn('replicas.test.ts: REDIS_URL is not set, skipping the two-replica bulk-operation tests (run with REDIS_URL=redis://127.0.0.1:6379).');

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OTHER_KEY = 'demo-reviewer-key';

interface Replica {
  service: Service;
  url: string;
  gql: (query: string, variables?: Record<string, unknown>, options?: { key?: string | null; headers?: Record<string, string> }) => Promise<GqlResponse>;
}

describe.skipIf(!REDIS_URL)('bulk operations on two replicas sharing Redis (REDIS_URL set)', () => {
  let emulator: Emulator;
  let a: Replica;
  let b: Replica;
  const run = randomUUID().slice(0, 8);

  const startReplica = async (name: string): Promise<Replica> => {
    const port = await freePort();
    const service = spawnService({
      name,
      entry: 'src/main.ts',
      cwd: ROOT,
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        KILI_API_URL: emulator.url,
        CACHE_URL: REDIS_URL as string,
        HASH_SECRET: `replicas-hash-${run}`,
        JOB_SECRET: `replicas-job-secret-${run}`,
        BULK_REDIS_PREFIX: `test:replicas:${run}`,
        BULK_LOCK_MS: '2000',
        SYNC_BUDGET_MS: '4000',
        MUTATION_CONCURRENCY: '2',
        RATE_LIMIT_PER_MINUTE: '100000',
        VERIFY_BACKOFF_MIN_MS: '20',
        VERIFY_BACKOFF_MAX_MS: '200',
        UPSTREAM_BACKOFF_MS: '10',
        LOG_LEVEL: 'warn',
      },
    });
    await waitForHttp(service, `http://127.0.0.1:${port}/healthz`);
    const url = `http://127.0.0.1:${port}/graphql`;
    return {
      service,
      url,
      gql: (query, variables, options = {}) => {
        const key = options.key === undefined ? emulator.apiKey : options.key;
        return gqlRequest(url, query, variables, { ...(key ? { authorization: `X-API-Key: ${key}` } : {}), ...options.headers });
      },
    };
  };

  const control = async (path: string, body?: unknown, method = 'POST') => {
    const res = await fetch(`${emulator.origin}/__emulator/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await res.json()) as Record<string, unknown>;
  };
  const requests = async () => (await (await fetch(`${emulator.origin}/__emulator/requests`)).json()) as Array<{ rootFields: string[]; variables: Record<string, unknown> }>;
  const count = async (projectId: string): Promise<number> => {
    const alive = [a, b].find((r) => r && r.service.child.exitCode === null && r.service.child.signalCode === null) as Replica;
    const { body } = await alive.gql('query ($p: ID!) { countAssets(projectId: $p) }', { p: projectId });
    return (body.data as { countAssets: number }).countAssets;
  };

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, dev: true, log: () => {} });
    // B starts once A has taken the first operation (so that A, not B, runs it).
    a = await startReplica('bff-a');
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a?.service.stop(), b?.service.stop()]);
    await emulator?.close();
  });
  beforeEach(async () => {
    // A test that failed after killing A leaves it dead: the next one starts a fresh A.
    if (a && (a.service.child.exitCode !== null || a.service.child.signalCode !== null)) a = await startReplica('bff-a-restarted');
    await control('faults', undefined, 'DELETE');
    await control('requests', undefined, 'DELETE');
  });

  it('kill -9 of the replica running an append: the other resumes it from its checkpoint; exactly 5,000 new assets', async () => {
    const project = emulator.demo!.projects.image.id;
    const before = await count(project);
    // Slow batches (1 s each, 2 at once: 25 s in all) while A runs alone and B starts.
    await control('faults', { faults: [{ kind: 'latency', ms: 1000, rootField: 'appendManyAssets' }] });
    const assets = Array.from({ length: 5000 }, (_, i) => ({ content: `https://example.com/failover/${i}.png`, jsonMetadata: { i } }));
    const { body } = await a.gql('mutation ($p: ID!, $a: [AssetInput!]!) { appendManyToDataset(projectId: $p, assets: $a, async: true) { operation { id status total } } }', {
      p: project,
      a: assets,
    });
    const operation = (body.data as { appendManyToDataset: { operation: { id: string; total: number } } }).appendManyToDataset.operation;
    expect(operation.total).toBe(5000);
    await pollOperation(a.gql, operation.id, (op) => op.status === 'RUNNING');
    b = await startReplica('bff-b');
    // Poll on B while A runs it; kill A once a fifth is done.
    const midway = await pollOperation(b.gql, operation.id, (op) => op.processed >= 1000);
    expect(midway.status).toBe('RUNNING');
    expect(midway.processed).toBeLessThan(5000);
    a.service.child.kill('SIGKILL');
    await new Promise((resolve) => a.service.child.once('exit', resolve));
    // A's last requests land within their 1 s latency, before B takes over (lock of 2 s); B's own
    // batches then go at full speed.
    await control('faults', undefined, 'DELETE');
    const done = await pollOperation(b.gql, operation.id, isFinal, 90_000);
    expect(done).toMatchObject({ status: 'COMPLETED', total: 5000, processed: 5000, appliedCount: 5000, failedCount: 0, unknownOutcomeCount: 0, verified: true });
    expect(new Set(done.appliedAssetIds).size).toBe(5000);
    expect(await count(project)).toBe(before + 5000);
    const appendCalls = (await requests()).filter((r) => r.rootFields.includes('appendManyAssets'));
    // 50 batches; at most the 2 in flight when A died were re-checked, and only their missing rows resent.
    expect(appendCalls.length).toBeGreaterThanOrEqual(50);
    expect(appendCalls.length).toBeLessThanOrEqual(52);
    const externalIds = appendCalls.flatMap((r) => (r.variables.data as { externalIDArray: string[] }).externalIDArray);
    expect(new Set(externalIds).size).toBe(5000);
  }, 180_000);

  it('kill -9 of the replica running a handed-off synchronous mutation: the other resumes it; no batch applied twice', async () => {
    const project = emulator.demo!.projects.image.id;
    const seeded = (await control('seed', { projectId: project, count: 2000, externalIdPrefix: `handoff-${run}-` })) as { assetIds: string[] };
    await control('faults', { faults: [{ kind: 'latency', ms: 1000, rootField: 'updatePropertiesInAssets' }] });
    const { body } = await a.gql(UPDATE, { p: project, a: seeded.assetIds.map((id) => ({ id, priority: 13 })) });
    const result = (body.data as { updatePropertiesInAssets: { warnings: { code: string }[]; operation: { id: string; status: string } } }).updatePropertiesInAssets;
    expect(result.warnings.map((w) => w.code)).toEqual(['CONTINUES_AS_BULK_OPERATION']);
    expect(result.operation.status).toBe('RUNNING');
    a.service.child.kill('SIGKILL');
    await new Promise((resolve) => a.service.child.once('exit', resolve));
    await control('faults', undefined, 'DELETE');
    const done = await pollOperation(b.gql, result.operation.id, isFinal, 90_000);
    expect(done).toMatchObject({ status: 'COMPLETED', total: 2000, processed: 2000, appliedCount: 2000, verified: true });
    expect(done.appliedAssetIds).toEqual(seeded.assetIds);
    const updates = (await requests()).filter((r) => r.rootFields.includes('updatePropertiesInAssets'));
    // 20 batches; the (at most 2) in flight when A died are re-checked and sent again only if they did not land.
    expect(updates.length).toBeGreaterThanOrEqual(20);
    expect(updates.length).toBeLessThanOrEqual(22);
  }, 120_000);

  it('Idempotency-Key on the other replica, while running and after: the same operation, nothing started again', async () => {
    const project = emulator.demo!.projects.image.id;
    const seeded = (await control('seed', { projectId: project, count: 400, externalIdPrefix: `idem-${run}-` })) as { assetIds: string[] };
    await control('faults', { faults: [{ kind: 'latency', ms: 80, rootField: 'updatePropertiesInAssets' }] });
    const key = `replica-key-${randomUUID()}`;
    const send = (replica: Replica) =>
      replica.gql(UPDATE, { p: project, a: seeded.assetIds.map((id) => ({ id, priority: 4 })), async: true }, { headers: { 'idempotency-key': key } });
    const first = ((await send(a)).body.data as { updatePropertiesInAssets: { operation: { id: string } } }).updatePropertiesInAssets.operation.id;
    const during = ((await send(b)).body.data as { updatePropertiesInAssets: { operation: { id: string; status: string } } }).updatePropertiesInAssets.operation;
    expect(during.id).toBe(first);
    const done = await pollOperation(b.gql, first, isFinal);
    expect(done.status).toBe('COMPLETED');
    const after = ((await send(b)).body.data as { updatePropertiesInAssets: { operation: { id: string; status: string } } }).updatePropertiesInAssets.operation;
    expect(after).toEqual({ id: first, status: 'COMPLETED', total: 400, kind: 'updatePropertiesInAssets' });
    expect((await requests()).filter((r) => r.rootFields.includes('updatePropertiesInAssets')).length).toBe(4);
  });

  it('the same Idempotency-Key sent to both replicas at once runs the mutation once', async () => {
    const project = emulator.demo!.projects.image.id;
    const before = await count(project);
    await control('faults', { faults: [{ kind: 'latency', ms: 300 }] });
    const key = `concurrent-${randomUUID()}`;
    const assets = Array.from({ length: 100 }, (_, i) => ({ content: `https://example.com/idem/${i}.png` }));
    const send = (replica: Replica) =>
      replica.gql('mutation ($p: ID!, $a: [AssetInput!]!) { appendManyToDataset(projectId: $p, assets: $a) { assetIds } }', { p: project, a: assets }, { headers: { 'idempotency-key': key } });
    const [ra, rb] = await Promise.all([send(a), send(b)]);
    expect(ra.body.errors).toBeUndefined();
    expect(rb.body.errors).toBeUndefined();
    expect(ra.body.data).toEqual(rb.body.data);
    await control('faults', undefined, 'DELETE');
    expect(await count(project)).toBe(before + 100);
    expect((await requests()).filter((r) => r.rootFields.includes('appendManyAssets')).length).toBe(1);
  });

  it('isolation on either replica; the owner follows the operation from the other replica', async () => {
    const project = emulator.demo!.projects.image.id;
    const seeded = (await control('seed', { projectId: project, count: 300, externalIdPrefix: `iso-${run}-` })) as { assetIds: string[] };
    await control('faults', { faults: [{ kind: 'latency', ms: 60, rootField: 'updatePropertiesInAssets' }] });
    const { body } = await a.gql(UPDATE, { p: project, a: seeded.assetIds.map((id) => ({ id, priority: 2 })), async: true });
    const id = (body.data as { updatePropertiesInAssets: { operation: { id: string } } }).updatePropertiesInAssets.operation.id;
    for (const replica of [a, b]) {
      expect((await replica.gql(GET, { id }, { key: OTHER_KEY })).body).toEqual({ data: { bulkOperation: null } });
      expect((await replica.gql('{ bulkOperations { id } }', undefined, { key: OTHER_KEY })).body).toEqual({ data: { bulkOperations: [] } });
      const cancel = await replica.gql('mutation ($id: ID!) { cancelBulkOperation(id: $id) { id } }', { id }, { key: OTHER_KEY });
      expect(cancel.body.errors?.map((e) => e.extensions?.code)).toEqual(['BULK_OPERATION_NOT_FOUND']);
      const denied = subscribeOperation(replica.url, id, { 'X-API-Key': OTHER_KEY });
      await denied.done;
      await denied.close();
      expect(denied.received.map((r) => r.errors?.map((e) => e.extensions?.code))).toEqual([['BULK_OPERATION_NOT_FOUND']]);
    }
    const followed = subscribeOperation(b.url, id, { Authorization: `X-API-Key: ${emulator.apiKey}` });
    await followed.done;
    await followed.close();
    expect(followed.received.at(-1)?.data?.bulkOperation).toEqual({ status: 'COMPLETED', processed: 300 });
  });
});

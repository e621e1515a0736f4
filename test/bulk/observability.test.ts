/**
 * What operators see of bulk operations: log lines carrying the operation id (never the
 * credential) and the `/metrics` series by kind and status; and the largest documented input
 * (100,000 `updatePropertiesInAssets` items of an id and one scalar) fits the default body limit.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createBffServer, type BffServer } from '../../src/server.js';
import { gqlRequest } from '../helpers/stack.js';
import { isFinal, pollOperation, UPDATE } from './helpers.js';

describe('bulk operations: logs, metrics, largest input', () => {
  let emulator: Emulator;
  let bff: BffServer;
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  const gql = (query: string, variables?: Record<string, unknown>) => gqlRequest<Record<string, unknown>>(bff.url, query, variables, { authorization: `X-API-Key: ${emulator.apiKey}` });

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, dev: true, log: () => {} });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
          raw.push(line);
          lines.push(JSON.parse(line) as Record<string, unknown>);
        }
        done();
      },
    });
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', KILI_API_URL: emulator.url, LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '100000', VERIFY_BACKOFF_MIN_MS: '20' });
    bff = await createBffServer(config, { logger: pino({ level: 'info' }, sink), skipWarmUp: true });
  });
  afterAll(async () => {
    await bff?.close();
    await emulator?.close();
  });

  it('logs the operation id at each step, never the credential; /metrics counts operations by kind and status, and assets processed', async () => {
    const project = emulator.demo!.projects.image.id;
    const seeded = (await (await fetch(`${emulator.origin}/__emulator/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ projectId: project, count: 250 }) })).json()) as { assetIds: string[] };
    const { body } = await gql(UPDATE, { p: project, a: seeded.assetIds.map((id) => ({ id, priority: 12 })), async: true });
    const id = (body.data as { updatePropertiesInAssets: { operation: { id: string } } }).updatePropertiesInAssets.operation.id;
    const done = await pollOperation(gql, id, isFinal);
    expect(done.status).toBe('COMPLETED');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const mine = lines.filter((l) => l.operationId === id).map((l) => l.msg);
    expect(mine).toEqual(['bulk operation queued', 'bulk operation started', 'bulk operation finished']);
    expect(lines.find((l) => l.msg === 'bulk operation finished' && l.operationId === id)).toMatchObject({ kind: 'updatePropertiesInAssets', status: 'COMPLETED', total: 250, applied: 250 });
    expect(raw.filter((l) => l.includes(emulator.apiKey))).toEqual([]);
    const metrics = await (await fetch(`${bff.origin}/metrics`)).text();
    const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}"]/g, '\\$&')} (\\d+)$`, 'm').exec(metrics)?.[1] ?? 'NaN');
    expect(value('bff_bulk_operations_total{kind="updatePropertiesInAssets",status="QUEUED"}')).toBe(1);
    expect(value('bff_bulk_operations_total{kind="updatePropertiesInAssets",status="RUNNING"}')).toBe(1);
    expect(value('bff_bulk_operations_total{kind="updatePropertiesInAssets",status="COMPLETED"}')).toBe(1);
    expect(value('bff_bulk_assets_processed_total{kind="updatePropertiesInAssets"}')).toBe(250);
  });

  it('accepts a 100,000-item updatePropertiesInAssets (id + one scalar) under the default body limit', async () => {
    const project = emulator.demo!.projects.text.id;
    const seeded = (await (await fetch(`${emulator.origin}/__emulator/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ projectId: project, count: 100_000 }) })).json()) as { assetIds: string[] };
    const variables = { p: project, a: seeded.assetIds.map((id) => ({ id, priority: 1 })), async: true };
    expect(JSON.stringify({ query: UPDATE, variables }).length).toBeGreaterThan(4_000_000);
    const { status, body } = await gql(UPDATE, variables);
    expect(status).toBe(200);
    const operation = (body.data as { updatePropertiesInAssets: { operation: { id: string; total: number } } }).updatePropertiesInAssets.operation;
    expect(operation.total).toBe(100_000);
    const canceled = await gql('mutation ($id: ID!) { cancelBulkOperation(id: $id) { id } }', { id: operation.id });
    expect(canceled.body.errors).toBeUndefined();
    expect((await pollOperation(gql, operation.id, isFinal)).status).toBe('CANCELED');
  }, 120_000);
});

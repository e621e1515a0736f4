import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { projectWhere, sdkAssetById, sdkPaginate, sdkUpdatePropertiesInAssets } from '../../bench/baselines/sdk.js';
import { BenchEmulator, countByRootField } from '../../bench/emulator-control.js';

let emulator: Emulator;
let control: BenchEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, dev: true, seed: 'demo', apiKey: 'bench-test-key', log: () => {} });
  control = new BenchEmulator(emulator.origin, emulator.apiKey);
});

afterAll(async () => {
  await emulator.close();
});

describe('bench baselines against the emulator', () => {
  it('creates an isolated project, bulk-seeds it, and reads it back with the SDK pagination', async () => {
    const projectId = await control.createProject('bench test: read');
    const ids = await control.seed(projectId, 250, { externalIdPrefix: 'r-' });
    expect(ids).toHaveLength(250);
    const { value, requests } = await control.counting(() =>
      sdkPaginate(control.executor(), { where: projectWhere(projectId), fields: ['id', 'externalId'], first: 250 }),
    );
    expect(value.rows.map((r) => r.id)).toEqual(ids);
    expect(value.calls).toBe(4); // count + pages of 100, 100, 50
    expect(countByRootField(requests)).toEqual({ countAssets: 1, assets: 3 });
  });

  it('updates in sequential batches of 100 as the SDK does, and reads one asset by id', async () => {
    const projectId = await control.createProject('bench test: mutation');
    const ids = await control.seed(projectId, 150, { externalIdPrefix: 'm-' });
    const { value, requests } = await control.counting(() =>
      sdkUpdatePropertiesInAssets(control.executor(), {
        assetIds: ids,
        data: ids.map(() => ({ priority: 7 })),
        sleep: async () => {},
      }),
    );
    expect(value.ids).toEqual(ids);
    expect(requests.map((r) => r.rootFields)).toEqual([['updatePropertiesInAssets'], ['updatePropertiesInAssets']]);
    const row = await sdkAssetById(control.executor(), projectId, ids[149] as string, ['id', 'priority']);
    expect(row).toEqual({ id: ids[149], priority: 7 });
  });

  it('sets and clears the latency fault', async () => {
    await control.setLatency(5, 1);
    await control.setLatency(0);
  });
});

/**
 * Bench-internal: the emulator's dev controls (`/__emulator/*`, see docs/emulator.md "Dev
 * controls") and a direct upstream GraphQL executor for the SDK baselines.
 */
import { gqlData, kiliHeaders, requestJson } from './gql.js';
import type { Execute } from './baselines/sdk.js';

import type { DemoSeed, Fault, LoggedRequest } from '../src/emulator/index.js';

export type { DemoSeed, Fault, LoggedRequest, SeedUser } from '../src/emulator/index.js';

export class EmulatorControl {
  /** `origin`: `http://127.0.0.1:PORT`; `apiKey`: the admin key the emulator was started with. */
  constructor(
    readonly origin: string,
    readonly apiKey: string,
  ) {}

  get graphqlUrl(): string {
    return `${this.origin}/api/label/v2/graphql`;
  }

  get versionUrl(): string {
    return `${this.origin}/api/label/v2/version`;
  }

  private url(path: string): string {
    return `${this.origin}/__emulator/${path}`;
  }

  async reset(seed: 'demo' | 'none' = 'demo'): Promise<DemoSeed | null> {
    const res = await requestJson<{ demo: DemoSeed | null }>(this.url('reset'), 'POST', { seed });
    return res.demo;
  }

  /**
   * Bulk-creates `count` assets in one transaction; resolves with their ids in creation order.
   * `labeled`: true for one DEFAULT label each, or `{ labels: {min, max} }` for min..max labels with
   * annotated responses, metadata and content (docs/emulator.md "Dev controls").
   */
  async seed(projectId: string, count: number, externalIdPrefix = 'bulk-', labeled: boolean | { labels: { min: number; max: number } } = false): Promise<string[]> {
    const res = await requestJson<{ assetIds: string[] }>(this.url('seed'), 'POST', {
      projectId,
      count,
      externalIdPrefix,
      ...(typeof labeled === 'boolean' ? { labeled } : { labels: labeled.labels }),
    });
    return res.assetIds;
  }

  async setFaults(faults: Fault[]): Promise<void> {
    await requestJson(this.url('faults'), 'POST', { faults });
  }

  async clearFaults(): Promise<void> {
    await requestJson(this.url('faults'), 'DELETE');
  }

  /** The injected latency every GraphQL request gets (the `latency` fault). */
  async setLatency(ms: number, jitterMs = 0): Promise<void> {
    if (ms <= 0) await this.clearFaults();
    else await this.setFaults([{ kind: 'latency', ms, jitterMs }]);
  }

  async requests(): Promise<LoggedRequest[]> {
    return requestJson<LoggedRequest[]>(this.url('requests'), 'GET');
  }

  async clearRequests(): Promise<void> {
    await requestJson(this.url('requests'), 'DELETE');
  }

  /** Runs `fn` with a clean request log; resolves with its value and the requests it caused. */
  async counting<T>(fn: () => Promise<T>): Promise<{ value: T; requests: LoggedRequest[] }> {
    await this.clearRequests();
    const value = await fn();
    const requests = await this.requests();
    return { value, requests };
  }

  /** Executes documents directly against the upstream with the admin key (SDK baselines). */
  executor(): Execute {
    const headers = kiliHeaders(this.apiKey);
    return (query, variables) => gqlData(this.graphqlUrl, headers, query, variables);
  }

  /** Creates a fresh project owned by the admin (upstream `createProject`), for isolated data sets. */
  async createProject(title: string): Promise<string> {
    const data = await this.executor()(
      'mutation ($data: CreateProjectData!) {\n  data: createProject(data: $data) {\n    id\n  }\n}',
      { data: { title, inputType: 'TEXT' } },
    );
    return (data['data'] as { id: string }).id;
  }
}

/** Counts logged requests per root field, e.g. `{ assets: 10, countAssets: 1 }`. */
export function countByRootField(requests: readonly LoggedRequest[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of requests) for (const field of r.rootFields) counts[field] = (counts[field] ?? 0) + 1;
  return counts;
}

/**
 * When each root field was received, relative to `startMs` (epoch ms): first and last offsets
 * and count, e.g. `{ updatePropertiesInAssets: { count: 100, firstMs: 3, lastMs: 812 } }`.
 */
export function timeline(
  requests: readonly LoggedRequest[],
  startMs: number,
): Record<string, { count: number; firstMs: number; lastMs: number }> {
  const out: Record<string, { count: number; firstMs: number; lastMs: number }> = {};
  for (const r of requests) {
    const at = Date.parse(r.time) - startMs;
    for (const field of r.rootFields) {
      const entry = (out[field] ??= { count: 0, firstMs: at, lastMs: at });
      entry.count += 1;
      entry.firstMs = Math.min(entry.firstMs, at);
      entry.lastMs = Math.max(entry.lastMs, at);
    }
  }
  return out;
}

/**
 * The client of the emulator's dev controls (`/__emulator/*`, docs/emulator.md "Dev controls"),
 * shared by the tests and the benchmark: reset, seed, faults, the request log, and a plain GraphQL
 * call with the admin key for reading state behind the BFF's back. Uses only `fetch`.
 */
import type { Fault } from './faults.js';
import type { LoggedRequest } from './request-log.js';
import type { DemoSeed } from './types.js';

export interface SeedOptions {
  /** External ids are `${externalIdPrefix}${i}`. @default 'bulk-' */
  externalIdPrefix?: string;
  /** Give every asset a label (status LABELED). @default false */
  labeled?: boolean;
}

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

  /** One control call: `path` under the origin (e.g. `/__emulator/faults`). Rejects on a non-2xx answer, naming the status. */
  async call<T = unknown>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.origin}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text.slice(0, 300)}`);
    return (text === '' ? null : JSON.parse(text)) as T;
  }

  /** Wipes data, faults, request log and pending delayed writes, then seeds (demo by default). */
  async reset(seed: 'demo' | 'none' = 'demo'): Promise<DemoSeed | null> {
    return (await this.call<{ demo: DemoSeed | null }>('POST', '/__emulator/reset', { seed })).demo;
  }

  /** Bulk-creates `count` assets in one transaction; resolves with their ids in creation order. */
  async seed(projectId: string, count: number, options: SeedOptions = {}): Promise<string[]> {
    return (await this.call<{ assetIds: string[] }>('POST', '/__emulator/seed', { projectId, count, ...options })).assetIds;
  }

  async setFaults(faults: Fault[]): Promise<void> {
    await this.call('POST', '/__emulator/faults', { faults });
  }

  async clearFaults(): Promise<void> {
    await this.call('DELETE', '/__emulator/faults');
  }

  /** The injected latency every GraphQL request gets (the `latency` fault). */
  async setLatency(ms: number, jitterMs = 0): Promise<void> {
    if (ms <= 0) await this.clearFaults();
    else await this.setFaults([{ kind: 'latency', ms, jitterMs }]);
  }

  /** The GraphQL requests received, oldest first. */
  async requests(): Promise<LoggedRequest[]> {
    return this.call<LoggedRequest[]>('GET', '/__emulator/requests');
  }

  async clearRequests(): Promise<void> {
    await this.call('DELETE', '/__emulator/requests');
  }

  /** Runs `fn` with a clean request log; resolves with its value and the requests it caused. */
  async counting<T>(fn: () => Promise<T>): Promise<{ value: T; requests: LoggedRequest[] }> {
    await this.clearRequests();
    const value = await fn();
    const requests = await this.requests();
    return { value, requests };
  }

  /** A GraphQL call straight to the emulator (the admin key by default); resolves with `data`, rejects on errors. */
  async graphql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, key: string = this.apiKey): Promise<T> {
    const response = await fetch(this.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `X-API-Key: ${key}` },
      body: JSON.stringify(variables ? { query, variables } : { query }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown[] };
    if (!response.ok || body.errors?.length) throw new Error(`GraphQL failed (${response.status}): ${JSON.stringify(body).slice(0, 300)}`);
    return body.data as T;
  }

  /** Creates a fresh project owned by the admin (upstream `createProject`), for isolated data sets. */
  async createProject(title: string, inputType = 'TEXT'): Promise<string> {
    const data = await this.graphql<{ data: { id: string } }>(
      'mutation ($data: CreateProjectData!) {\n  data: createProject(data: $data) {\n    id\n  }\n}',
      { data: { title, inputType } },
    );
    return data.data.id;
  }
}

/** Counts logged requests per root field, e.g. `{ assets: 10, countAssets: 1 }`. */
export function countByRootField(requests: readonly LoggedRequest[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of requests) for (const field of r.rootFields) counts[field] = (counts[field] ?? 0) + 1;
  return counts;
}

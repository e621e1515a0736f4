/**
 * Bench-internal: the emulator's dev controls (the client shared with the tests,
 * src/emulator/control-client.ts), a direct upstream GraphQL executor for the SDK baselines, and
 * request-log timelines.
 */
import { gqlData, kiliHeaders } from './gql.js';
import type { Execute } from './baselines/sdk.js';
import { EmulatorControl } from '../src/emulator/control-client.js';
import type { LoggedRequest } from '../src/emulator/index.js';

export { countByRootField, EmulatorControl } from '../src/emulator/control-client.js';
export type { DemoSeed, Fault, LoggedRequest, SeedUser } from '../src/emulator/index.js';

/** The emulator's dev controls, plus an executor that sends documents as the SDK baselines do. */
export class BenchEmulator extends EmulatorControl {
  /** Executes documents directly against the upstream with the admin key (SDK baselines). */
  executor(): Execute {
    const headers = kiliHeaders(this.apiKey);
    return (query, variables) => gqlData(this.graphqlUrl, headers, query, variables);
  }
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

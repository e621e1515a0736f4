/** Bench-internal: what every scenario receives from the orchestrator, and small timing helpers. */
import { performance } from 'node:perf_hooks';
import type { BenchEmulator } from './emulator-control.js';
import type { ScenarioResult } from './types.js';
import { gqlData, kiliHeaders, postGraphQL, type GraphQLResponse } from './gql.js';

export interface Bff {
  /** `http://127.0.0.1:PORT/graphql` */
  url: string;
  pid: number;
  headers: Record<string, string>;
}

export interface BenchContext {
  quick: boolean;
  latencyMs: number;
  jitterMs: number;
  emulator: BenchEmulator;
  /** The emulator process (CPU accounting). */
  emulatorPid: number;
  bff: Bff;
  /** The BFF's entry point (compiled or source, `serverEntries`), for scenarios that start BFFs of their own. */
  bffEntry: string;
  /** The environment the BFF was started with beyond its defaults (`BFF_BENCH_ENV` and `--bff-env`). */
  bffEnv: Readonly<Record<string, string>>;
  /** Progress lines (stderr), so stdout stays the results. */
  log(line: string): void;
}

export function bffClient(url: string, pid: number, apiKey: string): Bff {
  return { url, pid, headers: kiliHeaders(apiKey) };
}

/** Sends a document to the BFF; throws on GraphQL errors. */
export function bffData<T = Record<string, unknown>>(ctx: BenchContext, query: string, variables?: Record<string, unknown>): Promise<T> {
  return gqlData<T>(ctx.bff.url, ctx.bff.headers, query, variables);
}

/** Sends a document to the BFF; resolves with the whole envelope. */
export function bffRaw<T = Record<string, unknown>>(ctx: BenchContext, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> {
  return postGraphQL<T>(ctx.bff.url, ctx.bff.headers, query, variables);
}

/** Runs `fn`; resolves with its value and the elapsed wall time in ms. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The asset fields both sides read in the read scenarios (scalars the bulk-seeded assets have). */
export const READ_FIELDS = ['id', 'externalId', 'content', 'createdAt', 'status', 'skipped', 'isHoneypot', 'jsonMetadata'] as const;

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs a scenario; a failure becomes an error entry (reported, no figures) instead of aborting the run. */
export async function guarded(
  ctx: BenchContext,
  base: Pick<ScenarioResult, 'id' | 'title'>,
  run: () => Promise<ScenarioResult>,
): Promise<ScenarioResult> {
  try {
    return await run();
  } catch (error) {
    ctx.log(`  ${base.title} failed: ${errorMessage(error)}`);
    return { ...base, sizes: '—', rows: [], notes: [], error: errorMessage(error) };
  }
}
